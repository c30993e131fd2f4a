/**
 * The native push/pull protocol of the original design (seed 004) as its original implementation put
 * it on the wire, plus Sluice's extensions (retransmission, film playback control): message types,
 * header accessors and writers, the text payloads, the retransmission request and the film controls.
 * Shared by the node's server and the client SDK.
 *
 * <p>Every datagram, control or data, starts with a 12-byte RTP header (RFC 3550 section 5.1): byte 0
 * is {@code 0x80}; byte 1 is the M bit (used only to mark the last chunk of a multi-packet request) and
 * the payload type, which names the message; bytes 2-3 the sequence number; bytes 4-7 the low 32 bits
 * of the sender's epoch milliseconds; bytes 8-11 the SSRC. Control packets from the server have
 * sequence 0. Payloads are UTF-8 text unless said otherwise.
 *
 * <table>
 *   <caption>Messages (push port 61040, pull port 61041)</caption>
 *   <tr><th>PT</th><th>message</th><th>direction</th><th>SSRC field</th><th>payload</th></tr>
 *   <tr><td>101</td><td>auth request</td><td>pusher -&gt; server</td><td>0</td><td>{@code liveId#liveCode}</td></tr>
 *   <tr><td>102</td><td>auth accepted</td><td>server -&gt; pusher</td><td>the stream's SSRC</td><td>liveId</td></tr>
 *   <tr><td>103</td><td>auth refused</td><td>server -&gt; pusher</td><td>0</td><td>liveId</td></tr>
 *   <tr><td>33</td><td>stream data</td><td>pusher -&gt; server -&gt; pullers</td><td>stream SSRC</td>
 *       <td>MPEG-TS packets (7 x 188 bytes per datagram)</td></tr>
 *   <tr><td>114 / 115</td><td>get client id / its answer</td><td>puller &lt;-&gt; server</td><td>0 / clientId</td>
 *       <td>empty</td></tr>
 *   <tr><td>111</td><td>pull request</td><td>puller -&gt; server</td><td>clientId</td><td>{@code id1#id2#...} in
 *       738-byte chunks; sequence = chunk index, M bit on the last</td></tr>
 *   <tr><td>112</td><td>pull answer</td><td>server -&gt; puller</td><td>0</td><td>{@code liveId#ssrc;liveId#ssrc};
 *       ssrc {@code null} = no such stream; at most 20 liveIds per packet</td></tr>
 *   <tr><td>113</td><td>pull refused</td><td>server -&gt; puller</td><td>0</td><td>{@code packetloss}</td></tr>
 *   <tr><td>99</td><td>subscriber has the SSRC</td><td>puller -&gt; server</td><td>clientId</td>
 *       <td>{@code liveId;liveId...}</td></tr>
 *   <tr><td>116</td><td>puller heartbeat (every 1 s; 10 s without one ends the puller)</td><td>puller -&gt; server</td>
 *       <td>clientId</td><td>empty</td></tr>
 *   <tr><td>117 / 118</td><td>stop pulling / its answer</td><td>puller &lt;-&gt; server</td><td>clientId / 0</td>
 *       <td>empty</td></tr>
 *   <tr><td>121</td><td>stream stopped (also after 30 s without data)</td><td>server -&gt; puller</td><td>0</td>
 *       <td>liveId</td></tr>
 *   <tr><td>122 / 123</td><td>stop pushing / its answer</td><td>pusher &lt;-&gt; server</td><td>0</td>
 *       <td>{@code id#id...} / empty</td></tr>
 *   <tr><td>11 / 12</td><td>delay probe / echo</td><td>pusher &lt;-&gt; server</td><td>0</td><td>liveId</td></tr>
 *   <tr><td>120</td><td>retransmission request (Sluice)</td><td>puller -&gt; server, server -&gt; pusher</td>
 *       <td>stream SSRC</td><td>binary PID + BLP entries, see {@link io.sluice.rtp.nativeproto.RetransmissionRequest}</td></tr>
 *   <tr><td>124 / 125</td><td>pause a film / resume it or play it from a position (Sluice)</td><td>puller -&gt; server</td>
 *       <td>clientId</td><td>{@code liveId}, or for 125 {@code liveId#positionMs}; sequence = request number</td></tr>
 *   <tr><td>126</td><td>a film's playback state, the answer to 124 / 125 (Sluice)</td><td>server -&gt; puller</td>
 *       <td>the film's stream SSRC, or 0</td><td>{@code liveId#playing|paused|refused#positionMs}, see
 *       {@link io.sluice.rtp.nativeproto.FilmControl}</td></tr>
 * </table>
 *
 * <p>Nothing here is thread-safe; the static accessors allocate nothing, the text helpers (control
 * messages, a few per second) do.
 */
package io.sluice.rtp.nativeproto;

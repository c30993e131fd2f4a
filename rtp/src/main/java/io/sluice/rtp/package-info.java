/**
 * RTP data packets (RFC 3550): a reusable header flyweight, 16-bit sequence arithmetic, NTP and RTP
 * clock conversions, per-source reception statistics and a loss window for retransmission requests.
 *
 * <p>Everything here reads and writes Netty {@code ByteBuf}s in place and allocates nothing per
 * packet. Nothing here is thread-safe: each instance belongs to one event loop.
 */
package io.sluice.rtp;

package io.sluice.api.view;

import java.util.List;

/**
 * A live stream as the API shows it.
 *
 * @param ssrc      the SSRC of the stream's first track (the native protocol's stream SSRC), null before a packet
 * @param publisher the publisher's address, host:port
 * @param protocol  how it is published: "rtsp", "native", or "origin" when pulled from the node its publisher is on
 * @param transport how the publisher's packets arrive: "udp" or "tcp"
 * @param bitrate   bits per second received from the publisher
 * @param readers   its RTSP readers and native pullers
 * @param nativeReaders of those, native pullers
 * @param retransmissions what its readers asked for again and what the node resent them (a native puller of
 *                  several streams counts toward each)
 * @param publisherRetransmissions what the node asked the publisher for again and what arrived (native pushers)
 * @param delayMs   publisher-to-node delay from its last RTCP Sender Report (wall clock at arrival minus the
 *                  report's NTP time, so it includes any offset between the two clocks), null before a report
 */
public record StreamView(String liveId, String state, Long ssrc, String publisher, String protocol, String transport,
                         List<TrackView> tracks, BitrateView bitrate, int readers, Double delayMs, long bytesIn,
                         long packetsIn, long bytesOut, long packetsOut, long uptimeMs,
                         int nativeReaders, RetransmissionView retransmissions,
                         RetransmissionView publisherRetransmissions) {
}

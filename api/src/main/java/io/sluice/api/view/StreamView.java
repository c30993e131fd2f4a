package io.sluice.api.view;

import java.util.List;

/**
 * A live stream as the API shows it.
 *
 * @param ssrc      the SSRC of the stream's first track (the native protocol's stream SSRC), null before a packet
 * @param publisher the publisher's address, host:port
 * @param protocol  how it is published: "rtsp"
 * @param transport how the publisher's packets arrive: "udp" or "tcp"
 * @param bitrate   bits per second received from the publisher
 * @param delayMs   publisher-to-node delay from its last RTCP Sender Report (wall clock at arrival minus the
 *                  report's NTP time, so it includes any offset between the two clocks), null before a report
 */
public record StreamView(String liveId, String state, Long ssrc, String publisher, String protocol, String transport,
                         List<TrackView> tracks, BitrateView bitrate, int readers, Double delayMs, long bytesIn,
                         long packetsIn, long bytesOut, long packetsOut, long uptimeMs) {
}

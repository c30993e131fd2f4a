package io.sluice.node.nativeproto;

/**
 * A natively pushed stream as the API shows it.
 *
 * @param bitrate1s          bits per second over the last second
 * @param bitrate3s          over the last 3 s
 * @param bitrate10s         over the last 10 s
 * @param packetsReceived    stream-data packets taken
 * @param retransmitRequests sequence numbers the server asked the pusher for (each retry counted)
 * @param recovered          of those, packets that arrived
 * @param lost               packets given up on
 * @param delayMs            the pusher's last delay probe: our clock minus its send time, -1 before any
 * @param readers            RTSP and native readers of the stream
 */
public record NativePushInfo(String liveId, String ssrc, String address, int port, long bitrate1s, long bitrate3s,
                             long bitrate10s, long packetsReceived, long retransmitRequests, long recovered, long lost,
                             long delayMs, int readers) {
}

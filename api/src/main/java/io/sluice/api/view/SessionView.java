package io.sluice.api.view;

/**
 * One client session.
 *
 * @param protocol  "rtsp"
 * @param role      "publisher", "reader" or "undecided"
 * @param transport "udp", "tcp" or "-" before SETUP
 * @param state     the RTSP state: INITIAL, PRE_PLAY, PLAY, PRE_RECORD, RECORD
 * @param bytes     bytes received from a publisher, or sent to a reader
 * @param loss      a publisher's loss as the node counts it, a reader's as its Receiver Reports say
 * @param jitterMs  null before the first report of a reader
 * @param rttMs     round trip from a reader's Receiver Reports; null for publishers and before a report
 * @param drops     packets a slow reader did not get because its queue was full
 */
public record SessionView(String id, String address, String protocol, String role, String transport, String path,
                          String state, long bytes, long packets, LossView loss, Double jitterMs, Double rttMs,
                          long drops, long keyframeSkips) {
}

package io.sluice.api.view;

/**
 * One client session.
 *
 * @param id        the RTSP session id; for the native protocol {@code native-SSRC} (a pusher: its stream's SSRC)
 *                  or {@code native-pull-CLIENTID} (a puller)
 * @param protocol  "rtsp" or "native"
 * @param role      "publisher", "reader" or "undecided"
 * @param transport "udp", "tcp" or "-" before SETUP
 * @param path      the stream's name (the film's path for a film viewer); a native puller's liveIds, comma-separated
 * @param state     the RTSP state: INITIAL, PRE_PLAY, PLAY, PRE_RECORD, RECORD; natively PUSH, PULL, or WAITING
 *                  while a puller receives nothing yet
 * @param bytes     bytes received from a publisher, or sent to a reader
 * @param loss      a publisher's loss as the node counts it (a native pusher's: packets given up on), an RTSP
 *                  reader's as its Receiver Reports say, a native puller's as its resend requests say
 * @param jitterMs  null before the first report of a reader, and for the native protocol (it has no reports)
 * @param rttMs     round trip from a reader's Receiver Reports; null for publishers and before a report
 * @param drops     packets a slow reader did not get because its queue was full
 * @param retransmissions a reader's: what it asked for again and what the node resent; a publisher's: what the
 *                  node asked it for again and what arrived in answer (only native pushers are asked)
 */
public record SessionView(String id, String address, String protocol, String role, String transport, String path,
                          String state, long bytes, long packets, LossView loss, Double jitterMs, Double rttMs,
                          long drops, long keyframeSkips,
                          RetransmissionView retransmissions) {
}

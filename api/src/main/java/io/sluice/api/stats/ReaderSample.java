package io.sluice.api.stats;

import io.sluice.node.live.LiveReader;

/**
 * One reader's counters and what its last Receiver Report said.
 *
 * @param jitterMs null before the first report
 * @param rttMs    null until a report answers one of our Sender Reports
 */
public record ReaderSample(LiveReader reader, String sessionId, String transport, long bytes, long packets, long drops,
                           long keyframeSkips, long cumulativeLost, Double jitterMs, Double rttMs, long nacked,
                           long resent) {
}

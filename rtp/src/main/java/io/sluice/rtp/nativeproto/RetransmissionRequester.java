package io.sluice.rtp.nativeproto;

import io.sluice.rtp.LossTracker;
import io.sluice.rtp.RtpSequence;
import java.util.function.IntConsumer;

/**
 * The receiving side of retransmission for one stream: which sequence numbers are missing, when each
 * is due to be asked for (again), and when to give up on it.
 *
 * <p>A number becomes missing when a later one arrives. It is first asked for {@code firstDelayNs}
 * after that (0 asks at once: reordering is rare on the paths this protocol runs on, and a needless
 * request costs one duplicate), then again every retry interval until it arrives, {@code maxAttempts}
 * requests have gone unanswered, or it falls out of the window. The retry interval follows the round
 * trip: one and a half times the smoothed delay between a first request and the packet it brought
 * (RFC 6298-style smoothing), never below {@code minRetryNs}. A resend that comes too soon after the
 * last request would be wasted: the previous answer may still be on its way.
 *
 * <p>State lives in arrays indexed by sequence number modulo the window; nothing is allocated per
 * packet. Not thread-safe: one instance per stream, on one event loop.
 */
public final class RetransmissionRequester {

    private final LossTracker tracker;
    private final int mask;
    private final long firstDelayNs;
    private final long minRetryNs;
    private final int maxAttempts;
    private final int[] slotSequence;
    private final long[] missingSinceNs;
    private final long[] lastRequestNs;
    private final int[] attempts;
    private final IntConsumer dueVisitor = this::visitMissing;

    private IntConsumer dueSink;
    private long collectNowNs;
    private long smoothedRttNs = -1;
    private long requested;
    private long recovered;
    private long abandoned;

    /**
     * @param windowSize   sequence numbers remembered behind the highest, a power of two in 64..16384
     * @param firstDelayNs how long a gap may wait for a reordered packet before the first request
     * @param minRetryNs   the shortest interval between two requests for one number
     * @param maxAttempts  requests for one number before it is given up
     */
    public RetransmissionRequester(int windowSize, long firstDelayNs, long minRetryNs, int maxAttempts) {
        if (maxAttempts < 1) {
            throw new IllegalArgumentException("maxAttempts must be at least 1: " + maxAttempts);
        }
        this.tracker = new LossTracker(windowSize);
        this.mask = windowSize - 1;
        this.firstDelayNs = firstDelayNs;
        this.minRetryNs = minRetryNs;
        this.maxAttempts = maxAttempts;
        this.slotSequence = new int[windowSize];
        this.missingSinceNs = new long[windowSize];
        this.lastRequestNs = new long[windowSize];
        this.attempts = new int[windowSize];
    }

    /** Records an arrival: new numbers between the previous highest and {@code seq} become missing. */
    public LossTracker.Result onPacket(int seq, long nowNs) {
        boolean started = tracker.started();
        int previousHighest = tracker.highestSequence();
        LossTracker.Result result = tracker.onPacket(seq);
        if (!started || result != LossTracker.Result.NEW) {
            return result;
        }
        int distance = RtpSequence.distance(previousHighest, seq);
        if (distance > 1 && tracker.highestSequence() == (seq & RtpSequence.MASK) && distance <= mask) {
            for (int d = 1; d < distance; d++) {
                int missing = (previousHighest + d) & RtpSequence.MASK;
                int slot = missing & mask;
                slotSequence[slot] = missing;
                missingSinceNs[slot] = nowNs;
                lastRequestNs[slot] = 0;
                attempts[slot] = 0;
            }
        } else if (distance < 0) {
            onRecovered(seq & RtpSequence.MASK, nowNs);
        }
        return result;
    }

    private void onRecovered(int seq, long nowNs) {
        int slot = seq & mask;
        if (slotSequence[slot] != seq || attempts[slot] == 0) {
            return;
        }
        recovered++;
        if (attempts[slot] == 1) {
            long sample = nowNs - lastRequestNs[slot];
            smoothedRttNs = smoothedRttNs < 0 ? sample : smoothedRttNs + (sample - smoothedRttNs) / 8;
        }
    }

    /**
     * Calls {@code sink} with every number due to be asked for now, oldest first, and counts the
     * request; numbers out of attempts are given up (no longer reported missing).
     */
    public void collectDue(long nowNs, IntConsumer sink) {
        if (!tracker.started()) {
            return;
        }
        dueSink = sink;
        collectNowNs = nowNs;
        try {
            tracker.forEachMissing(dueVisitor);
        } finally {
            dueSink = null;
        }
    }

    private void visitMissing(int seq) {
        int slot = seq & mask;
        if (slotSequence[slot] != seq) {
            // A number missing since before a restart of the window: treat it as found missing now.
            slotSequence[slot] = seq;
            missingSinceNs[slot] = collectNowNs;
            lastRequestNs[slot] = 0;
            attempts[slot] = 0;
        }
        int sent = attempts[slot];
        long dueNs = sent == 0 ? missingSinceNs[slot] + firstDelayNs : lastRequestNs[slot] + retryIntervalNs();
        if (collectNowNs < dueNs) {
            return;
        }
        if (sent == maxAttempts) {
            tracker.markRecovered(seq);
            abandoned++;
            return;
        }
        attempts[slot] = sent + 1;
        lastRequestNs[slot] = collectNowNs;
        requested++;
        dueSink.accept(seq);
    }

    /** The interval between two requests for one number: 1.5 smoothed round trips, at least the minimum. */
    public long retryIntervalNs() {
        return smoothedRttNs < 0 ? minRetryNs : Math.max(minRetryNs, smoothedRttNs + smoothedRttNs / 2);
    }

    /** Smoothed delay from a first request to the packet it brought, or -1 before the first sample. */
    public long smoothedRttNs() {
        return smoothedRttNs;
    }

    /** Missing numbers still being asked for. */
    public int missingCount() {
        return tracker.missingCount();
    }

    /** Sequence numbers asked for, counting each retry. */
    public long requested() {
        return requested;
    }

    /** Asked-for numbers that arrived. */
    public long recovered() {
        return recovered;
    }

    /** Numbers given up after {@code maxAttempts} requests. */
    public long abandoned() {
        return abandoned;
    }

    public int highestSequence() {
        return tracker.highestSequence();
    }

    public boolean started() {
        return tracker.started();
    }

    public void reset() {
        tracker.reset();
        smoothedRttNs = -1;
    }
}

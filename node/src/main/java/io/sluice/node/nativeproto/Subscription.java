package io.sluice.node.nativeproto;

import io.sluice.node.live.LiveReader;
import java.util.Arrays;

/**
 * One liveId a puller asked for, through the original handshake:
 * <pre>
 *   WAITING --stream exists: 112 with its SSRC--&gt; OFFERED --99--&gt; ACTIVE (data flows)
 *      ^                                           |  112 again every 5 s     |
 *      +---------- 121: the stream stopped --------+--------------------------+
 * </pre>
 * A WAITING liveId was answered {@code null}; it is offered as soon as a stream appears under it.
 * Confined to the media loop.
 */
final class Subscription {

    enum State { WAITING, OFFERED, ACTIVE }

    static final int RESEND_SLOTS = 1024;

    final String liveId;
    State state = State.WAITING;
    NativeSource source;
    LiveReader reader;
    long offeredNs;
    /** Per sequence slot, the last resend: a request repeated within the suppression interval is not answered. */
    private int[] resentSequence;
    private long[] resentNs;

    Subscription(String liveId) {
        this.liveId = liveId;
    }

    /** True when {@code seq} was resent less than {@code intervalNs} ago; else records a resend now. */
    boolean suppressResend(int seq, long nowNs, long intervalNs) {
        if (resentSequence == null) {
            resentSequence = new int[RESEND_SLOTS];
            resentNs = new long[RESEND_SLOTS];
            Arrays.fill(resentSequence, -1);
        }
        int slot = seq & (RESEND_SLOTS - 1);
        if (resentSequence[slot] == seq && nowNs - resentNs[slot] < intervalNs) {
            return true;
        }
        resentSequence[slot] = seq;
        resentNs[slot] = nowNs;
        return false;
    }

    /** Whether {@code seq} was asked for before (first requests count as loss, repeats do not). */
    boolean askedBefore(int seq) {
        return resentSequence != null && resentSequence[seq & (RESEND_SLOTS - 1)] == seq;
    }
}

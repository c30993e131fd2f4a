package io.sluice.node.nativeproto;

import io.sluice.node.live.LiveReader;
import io.sluice.node.live.PacketRing;
import java.util.Arrays;

/**
 * One liveId a puller asked for, through the original handshake:
 * <pre>
 *   WAITING --stream exists: 112 with its SSRC--&gt; OFFERED --99--&gt; ACTIVE (data flows)
 *      ^                                           |  112 again every 5 s     |
 *      +---------- 121: the stream stopped --------+--------------------------+
 * </pre>
 * A WAITING liveId was answered {@code null}; it is offered as soon as a stream appears under it.
 * A film ({@code vod/FID}) is offered once its file is found, with a {@link FilmPull} of its own instead of
 * a shared source; it is not polled while WAITING (a new pull request asks again), and it is forgotten
 * after its 121, so that a later pull request naming it plays it again. Confined to the media loop.
 */
final class Subscription {

    enum State { WAITING, OFFERED, ACTIVE }

    static final int RESEND_SLOTS = 1024;

    final String liveId;
    State state = State.WAITING;
    NativeSource source;
    LiveReader reader;
    /** The film this liveId plays, for {@code vod/} liveIds once offered; then {@link #source} is null. */
    FilmPull film;
    /** A film whose file is being looked up. */
    boolean resolving;
    long offeredNs;
    /** Per sequence slot, the last resend: a request repeated within the suppression interval is not answered. */
    private int[] resentSequence;
    private long[] resentNs;

    Subscription(String liveId) {
        this.liveId = liveId;
    }

    /** The SSRC of the stream data, once OFFERED. */
    int ssrc() {
        return film != null ? film.ssrc() : source.ssrc();
    }

    /** The stream data sent lately, for retransmission, once OFFERED. */
    PacketRing history() {
        return film != null ? film.history() : source.stream().tracks().get(0).history();
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

package io.sluice.node.vod.room;

/**
 * When a viewer's packets are due: media time is mapped onto the node's clock from an anchor set when
 * playing starts or resumes, and packets go out a small lead ahead of their media time so the player's
 * buffer never runs dry. Time a viewer spends unable to take packets (a TCP connection that does not
 * drain) moves the anchor forward: that viewer's film runs slower, nobody else's does. Fast-forward
 * ({@code Scale: N}) runs the media clock N times as fast as the node's; the lead stays in the node's time.
 *
 * <p>Pure arithmetic over times the caller passes in, so tests drive it with a fake clock.
 */
final class Pacer {

    private final long leadNs;
    private long anchorNs;
    private long anchorMediaUs;
    private int scale = 1;
    private long heldSinceNs = -1;
    private long heldTotalNs;
    private long lateTotalNs;

    Pacer(long leadNs) {
        if (leadNs < 0) {
            throw new IllegalArgumentException("lead must not be negative: " + leadNs);
        }
        this.leadNs = leadNs;
    }

    /** Media time {@code mediaUs} plays at {@code nowNs}, at normal speed. */
    void start(long mediaUs, long nowNs) {
        start(mediaUs, nowNs, 1);
    }

    /** Media time {@code mediaUs} plays at {@code nowNs}; from there media time runs {@code scale} times as fast. */
    void start(long mediaUs, long nowNs, int scale) {
        if (scale < 1) {
            throw new IllegalArgumentException("scale must be at least 1: " + scale);
        }
        this.scale = scale;
        anchorNs = nowNs;
        anchorMediaUs = mediaUs;
        heldSinceNs = -1;
    }

    /** The clock time at which a packet of media time {@code mediaUs} is to be sent. */
    long dueNs(long mediaUs) {
        return anchorNs + (mediaUs - anchorMediaUs) * 1000 / scale - leadNs;
    }

    boolean isDue(long mediaUs, long nowNs) {
        return nowNs - dueNs(mediaUs) >= 0;
    }

    /**
     * A packet of media time {@code mediaUs} could not be sent on time (its GOP was still being read):
     * the media clock moves so that it is due now rather than making the viewer burst to catch up.
     */
    void catchUp(long mediaUs, long nowNs) {
        long lateNs = nowNs - dueNs(mediaUs);
        if (lateNs > 0) {
            anchorNs += lateNs;
            lateTotalNs += lateNs;
        }
    }

    /** The media time playing at {@code nowNs} (what a Sender Report maps to the wall clock). */
    long mediaUsAt(long nowNs) {
        long reference = heldSinceNs >= 0 ? heldSinceNs : nowNs;
        return anchorMediaUs + (reference - anchorNs) * scale / 1000;
    }

    /** The viewer's transport refused a packet: its media clock stops. Idempotent. */
    void hold(long nowNs) {
        if (heldSinceNs < 0) {
            heldSinceNs = nowNs;
        }
    }

    /** The transport takes packets again: the media clock resumes where it stopped. */
    void release(long nowNs) {
        if (heldSinceNs >= 0) {
            anchorNs += nowNs - heldSinceNs;
            heldTotalNs += nowNs - heldSinceNs;
            heldSinceNs = -1;
        }
    }

    /** Time the media clock stood still because the transport took no packets. */
    long heldTotalNs() {
        return heldTotalNs;
    }

    /** Time the media clock moved back because a GOP came late. */
    long lateTotalNs() {
        return lateTotalNs;
    }

    boolean held() {
        return heldSinceNs >= 0;
    }
}

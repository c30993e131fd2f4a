package io.sluice.rtp;

/**
 * Extends 16-bit RTP sequence numbers to a 64-bit counter that keeps counting across wraps
 * (RFC 3550 appendix A.1 counts cycles the same way).
 *
 * <p>Each number is placed at the shortest distance from the highest number seen so far, so a packet
 * delayed across a wrap (65535 arriving after 0) is unwrapped to the value just below, not 65536
 * ahead. The first number is returned unchanged; a late packet from before the first one and across a
 * wrap therefore comes out negative, still correctly ordered.
 */
public final class SequenceUnwrapper {

    private long highest;
    private boolean started;

    /** The extended value of {@code seq16} (0..65535). */
    public long unwrap(int seq16) {
        if (!started) {
            started = true;
            highest = seq16;
            return highest;
        }
        long extended = highest + RtpSequence.distance((int) highest, seq16);
        if (extended > highest) {
            highest = extended;
        }
        return extended;
    }

    /** Whether {@link #unwrap} has been called since construction or {@link #reset()}. */
    public boolean started() {
        return started;
    }

    /** Forgets all history: the next number is taken as the new start. */
    public void reset() {
        started = false;
        highest = 0;
    }
}

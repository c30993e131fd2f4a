package io.sluice.rtp;

/**
 * Arithmetic on 16-bit RTP sequence numbers, which wrap from 65535 to 0 (RFC 3550 section 5.1).
 *
 * <p>Two numbers are compared by their shortest distance on the 2^16 circle (serial number
 * arithmetic, RFC 1982). Numbers exactly 32768 apart are ambiguous: {@link #distance} returns -32768
 * both ways and neither is {@linkplain #isNewer newer} than the other.
 */
public final class RtpSequence {

    public static final int MODULUS = 1 << 16;
    public static final int MASK = MODULUS - 1;

    private RtpSequence() {
    }

    /** Signed distance from {@code from} to {@code to} in [-32768, 32767]: positive when {@code to} is ahead. */
    public static int distance(int from, int to) {
        return (short) (to - from);
    }

    /** Whether {@code candidate} comes after {@code reference}, across a wrap if need be. */
    public static boolean isNewer(int candidate, int reference) {
        return distance(reference, candidate) > 0;
    }

    /** The sequence number after {@code seq}, wrapping 65535 to 0. */
    public static int next(int seq) {
        return (seq + 1) & MASK;
    }
}

package io.sluice.rtp;

/**
 * Converts between RTP timestamp ticks and nanoseconds for a media clock rate (90000 for video, the
 * sample rate for audio).
 *
 * <p>Both directions round to the nearest unit (halves up), so a tick count survives a trip through
 * nanoseconds and back for any clock rate below 1 GHz. The arithmetic splits whole seconds from the
 * remainder and does not overflow for any input whose result fits in a {@code long}.
 */
public final class RtpClock {

    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private RtpClock() {
    }

    public static long toNanos(long rtpTicks, int clockRate) {
        return scale(rtpTicks, NANOS_PER_SECOND, clockRate);
    }

    public static long toTicks(long nanos, int clockRate) {
        return scale(nanos, clockRate, NANOS_PER_SECOND);
    }

    /** {@code value * multiplier / divisor} rounded half up, without overflowing in the product. */
    private static long scale(long value, long multiplier, long divisor) {
        if (divisor <= 0 || multiplier <= 0) {
            throw new IllegalArgumentException("clock rate must be positive");
        }
        long whole = Math.floorDiv(value, divisor);
        long rest = Math.floorMod(value, divisor);
        return whole * multiplier + (rest * multiplier + divisor / 2) / divisor;
    }
}

package io.sluice.rtp;

/**
 * 64-bit NTP timestamps as carried in RTCP (RFC 3550 section 4): seconds since 1900-01-01 UTC in the
 * high 32 bits, the fraction of a second in the low 32 bits, held unsigned in a {@code long}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      seconds since 1900                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                    fraction (1/2^32 second)                   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *                 |<------------ middle32 ------------>|
 * </pre>
 *
 * <p>The seconds field wraps on 2036-02-07. Following RFC 4330 section 3, a timestamp whose top bit
 * is clear is read as being after that date, which keeps conversions right until 2104.
 */
public final class NtpTime {

    /** Seconds from 1900-01-01 to 1970-01-01. */
    public static final long UNIX_EPOCH_NTP_SECONDS = 2_208_988_800L;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final long NANOS_PER_MILLI = 1_000_000L;
    private static final long FRACTION_MASK = 0xFFFF_FFFFL;
    private static final long ERA_LENGTH_SECONDS = 1L << 32;
    private static final long ERA_PIVOT_BIT = 1L << 31;

    private NtpTime() {
    }

    public static long fromEpochMillis(long epochMs) {
        return fromEpochNanos(Math.multiplyExact(epochMs, NANOS_PER_MILLI));
    }

    /** Rounded to the nearest 1/2^32 second, so {@link #toEpochNanos} gives {@code epochNs} back exactly. */
    public static long fromEpochNanos(long epochNs) {
        long seconds = Math.floorDiv(epochNs, NANOS_PER_SECOND) + UNIX_EPOCH_NTP_SECONDS;
        long fraction = ((Math.floorMod(epochNs, NANOS_PER_SECOND) << 32) + NANOS_PER_SECOND / 2) / NANOS_PER_SECOND;
        return (seconds << 32) + fraction;
    }

    /** Nanoseconds since the Unix epoch, rounded to the nearest nanosecond. */
    public static long toEpochNanos(long ntp64) {
        long seconds = ntp64 >>> 32;
        if ((seconds & ERA_PIVOT_BIT) == 0) {
            seconds += ERA_LENGTH_SECONDS;
        }
        long fractionNs = ((ntp64 & FRACTION_MASK) * NANOS_PER_SECOND + (1L << 31)) >>> 32;
        return (seconds - UNIX_EPOCH_NTP_SECONDS) * NANOS_PER_SECOND + fractionNs;
    }

    /** The middle 32 bits (16.16 fixed point seconds), the form of LSR in report blocks; unsigned. */
    public static long middle32(long ntp64) {
        return (ntp64 >>> 16) & FRACTION_MASK;
    }
}

package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.NtpTime;

/**
 * A reception report block of an SR or RR (RFC 3550 section 6.4.1), read at its absolute offset
 * {@code off} (see {@link SenderReport#reportBlockOffset} and {@link ReceiverReport#reportBlockOffset}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 SSRC of source being reported                 |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | fraction lost |       cumulative number of packets lost       |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           extended highest sequence number received           |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      interarrival jitter                      | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         last SR (LSR)                         | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                   delay since last SR (DLSR)                  | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class ReportBlock {

    public static final int LENGTH = 24;

    public static final int SSRC_OFFSET = 0;
    public static final int FRACTION_LOST_OFFSET = 4;
    public static final int CUMULATIVE_LOST_OFFSET = 5;
    public static final int EXTENDED_HIGHEST_SEQUENCE_OFFSET = 8;
    public static final int JITTER_OFFSET = 12;
    public static final int LAST_SR_OFFSET = 16;
    public static final int DELAY_SINCE_LAST_SR_OFFSET = 20;

    private static final long NANOS_PER_SECOND = 1_000_000_000L;
    private static final int DLSR_UNIT_SHIFT = 16;

    private ReportBlock() {
    }

    public static int ssrc(ByteBuf b, int off) {
        return b.getInt(off + SSRC_OFFSET);
    }

    /** Fraction of packets lost since the previous report, in 1/256 (0..255). */
    public static int fractionLost(ByteBuf b, int off) {
        return b.getUnsignedByte(off + FRACTION_LOST_OFFSET);
    }

    /** Cumulative packets lost, a signed 24-bit value (negative when duplicates outnumber losses). */
    public static int cumulativeLost(ByteBuf b, int off) {
        return b.getMedium(off + CUMULATIVE_LOST_OFFSET);
    }

    public static long extendedHighestSequence(ByteBuf b, int off) {
        return b.getUnsignedInt(off + EXTENDED_HIGHEST_SEQUENCE_OFFSET);
    }

    /** Interarrival jitter in RTP timestamp units of the reported source. */
    public static long jitter(ByteBuf b, int off) {
        return b.getUnsignedInt(off + JITTER_OFFSET);
    }

    /** Middle 32 bits of the NTP timestamp of the last SR from the reported source, 0 if none. */
    public static long lastSr(ByteBuf b, int off) {
        return b.getUnsignedInt(off + LAST_SR_OFFSET);
    }

    /** Delay between receiving that SR and sending this block, in 1/65536 s. */
    public static long delaySinceLastSr(ByteBuf b, int off) {
        return b.getUnsignedInt(off + DELAY_SINCE_LAST_SR_OFFSET);
    }

    /**
     * Round trip from a report block that answers one of our Sender Reports (RFC 3550 section 6.4.1):
     * {@code A - LSR - DLSR} in 1/65536 s, where A is the middle 32 bits of the time the block arrived.
     *
     * @param lastSr    the block's LSR
     * @param dlsr      the block's DLSR
     * @param nowNtp64  arrival time of the block as a 64-bit NTP timestamp
     * @return the round trip in nanoseconds; -1 when LSR is 0 (the peer has no SR of ours yet); 0 when
     *         clock granularity makes the arithmetic come out negative
     */
    public static long roundTripNanos(long lastSr, long dlsr, long nowNtp64) {
        if (lastSr == 0) {
            return -1;
        }
        // Modulo 2^32 so that a wrap of the middle 32 bits between SR and block does no harm.
        int units = (int) (NtpTime.middle32(nowNtp64) - lastSr - dlsr);
        if (units <= 0) {
            return 0;
        }
        return (units * NANOS_PER_SECOND + (1L << (DLSR_UNIT_SHIFT - 1))) >>> DLSR_UNIT_SHIFT;
    }
}

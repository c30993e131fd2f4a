package io.sluice.rtp;

/**
 * What a receiver knows about one incoming SSRC, in the terms of an RTCP report block: sequence
 * validation and counting (RFC 3550 appendix A.1), loss (A.3) and interarrival jitter (A.8), plus the
 * arrival of the source's last Sender Report for LSR/DLSR.
 *
 * <p>Sequence numbers are tracked as in A.1 with {@code MAX_DROPOUT = 3000} and
 * {@code MAX_MISORDER = 100}: a jump larger than that is set aside unless the next packet follows it,
 * in which case the source is taken to have restarted and counting begins again from there. Unlike A.1
 * there is no probation: the first packet is counted, because the node only builds statistics for an
 * SSRC that signalling already announced.
 *
 * <p>Jitter deviates from A.8 in one way, as libwebrtc does: it is updated only by packets that advance
 * the highest sequence number and carry a new timestamp. All packets of a video frame share a
 * timestamp but leave the sender spread over the frame's pacing, so counting them would report the
 * sender's pacing as network jitter; reordered packets would report the reordering.
 *
 * <p>{@link #onPacket} allocates nothing. Not thread-safe.
 */
public final class ReceptionStatistics {

    private static final int MAX_DROPOUT = 3000;
    private static final int MAX_MISORDER = 100;

    private static final int SEQ_MOD = RtpSequence.MODULUS;
    private static final int CUMULATIVE_LOST_MAX = 0x7F_FFFF;
    private static final int CUMULATIVE_LOST_MIN = -0x80_0000;
    private static final int FRACTION_LOST_MAX = 255;
    private static final int DLSR_UNITS_PER_SECOND = 1 << 16;
    private static final long DLSR_MAX_UNITS = 0xFFFF_FFFFL;
    private static final int JITTER_GAIN_DIVISOR = 16;

    private boolean started;
    private int maxSeq;
    private int baseSeq;
    private long cycles;
    private int badSeq;
    private long received;
    private long expectedPrior;
    private long receivedPrior;

    private boolean hasTransit;
    private long lastTransitTicks;
    private long lastJitterTimestamp;
    private double jitterTicks;

    private boolean hasSenderReport;
    private long lastSrMiddle32;
    private long lastSrArrivalNs;

    /**
     * Records one RTP packet of this source.
     *
     * @param seq           its sequence number, 0..65535
     * @param rtpTimestamp  its RTP timestamp, unsigned 32 bits
     * @param arrivalNs     when it arrived, on any monotonic nanosecond clock used for all packets
     * @param clockRate     the media clock rate in Hz
     * @return false when the packet was set aside as a jump of the sequence number (see class comment)
     */
    public boolean onPacket(int seq, long rtpTimestamp, long arrivalNs, int clockRate) {
        boolean advances;
        if (!started) {
            started = true;
            restartSequence(seq);
            advances = true;
        } else {
            int delta = (seq - maxSeq) & RtpSequence.MASK;
            if (delta < MAX_DROPOUT) {
                if (seq < maxSeq) {
                    cycles += SEQ_MOD;
                }
                advances = delta != 0;
                maxSeq = seq;
            } else if (delta <= SEQ_MOD - MAX_MISORDER) {
                if (seq != badSeq) {
                    badSeq = RtpSequence.next(seq);
                    return false;
                }
                restartSequence(seq);
                hasTransit = false;
                advances = true;
            } else {
                advances = false;
            }
        }
        received++;
        if (advances) {
            updateJitter(rtpTimestamp, arrivalNs, clockRate);
        }
        return true;
    }

    private void restartSequence(int seq) {
        baseSeq = seq;
        maxSeq = seq;
        badSeq = SEQ_MOD + 1;
        cycles = 0;
        received = 0;
        receivedPrior = 0;
        expectedPrior = 0;
    }

    private void updateJitter(long rtpTimestamp, long arrivalNs, int clockRate) {
        if (hasTransit && rtpTimestamp == lastJitterTimestamp) {
            return;
        }
        long transitTicks = RtpClock.toTicks(arrivalNs, clockRate) - rtpTimestamp;
        if (hasTransit) {
            // The int cast keeps the difference right when the 32-bit RTP timestamp wraps.
            long d = Math.abs((long) (int) (transitTicks - lastTransitTicks));
            jitterTicks += (d - jitterTicks) / JITTER_GAIN_DIVISOR;
        }
        hasTransit = true;
        lastTransitTicks = transitTicks;
        lastJitterTimestamp = rtpTimestamp;
    }

    /** Records the arrival of a Sender Report from this source, for LSR and DLSR. */
    public void onSenderReport(long ntp64, long arrivalNs) {
        hasSenderReport = true;
        lastSrMiddle32 = NtpTime.middle32(ntp64);
        lastSrArrivalNs = arrivalNs;
    }

    /** Highest sequence number received, extended with the count of wraps (cycles in the high 16 bits). */
    public long extendedHighestSequence() {
        return cycles + maxSeq;
    }

    /** Packets expected since the first one: extended highest minus the first sequence number, plus 1. */
    public long expected() {
        return started ? extendedHighestSequence() - baseSeq + 1 : 0;
    }

    /** Packets counted, duplicates included (as in A.1, so cumulative loss can go negative). */
    public long received() {
        return received;
    }

    /** Expected minus received, clamped to the signed 24 bits of the report block field. */
    public int cumulativeLost() {
        long lost = expected() - received;
        return (int) Math.max(CUMULATIVE_LOST_MIN, Math.min(CUMULATIVE_LOST_MAX, lost));
    }

    /**
     * Share of packets lost since the previous call, in 1/256 (0..255), and starts a new interval. Call
     * it once per report sent; duplicates that outnumber losses report 0.
     */
    public int fractionLostSinceLastReport() {
        long expected = expected();
        long expectedInterval = expected - expectedPrior;
        expectedPrior = expected;
        long receivedInterval = received - receivedPrior;
        receivedPrior = received;
        long lostInterval = expectedInterval - receivedInterval;
        if (expectedInterval <= 0 || lostInterval <= 0) {
            return 0;
        }
        return (int) Math.min(FRACTION_LOST_MAX, (lostInterval << 8) / expectedInterval);
    }

    /** Interarrival jitter estimate in RTP timestamp units (the report block carries it truncated). */
    public double jitterTicks() {
        return jitterTicks;
    }

    /** Middle 32 bits of the last Sender Report's NTP timestamp, or 0 before any (the LSR field). */
    public long lastSrMiddle32() {
        return lastSrMiddle32;
    }

    /**
     * Time since the last Sender Report arrived, in 1/65536 s (the DLSR field), or 0 before any. Clamped
     * to 0 if {@code nowNs} is before the arrival and to the 32 bits of the field.
     */
    public long delaySinceLastSrUnits(long nowNs) {
        if (!hasSenderReport) {
            return 0;
        }
        long elapsedNs = Math.max(0, nowNs - lastSrArrivalNs);
        return Math.min(DLSR_MAX_UNITS, RtpClock.toTicks(elapsedNs, DLSR_UNITS_PER_SECOND));
    }
}

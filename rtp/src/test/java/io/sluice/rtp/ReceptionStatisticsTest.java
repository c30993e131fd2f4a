package io.sluice.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ReceptionStatisticsTest {

    private static final int AUDIO_RATE = 8_000;
    private static final int VIDEO_RATE = 90_000;
    private static final long MS = 1_000_000L;

    @Test
    void lossReorderDuplicateAndJitterAgainstAHandComputedRun() {
        ReceptionStatistics stats = new ReceptionStatistics();
        assertThat(stats.expected()).isZero();
        assertThat(stats.received()).isZero();

        // 8 kHz: 20 ms is 160 ticks, 1 tick is 125 us. transit = arrival ticks - RTP timestamp.
        assertThat(stats.onPacket(65533, 1000, 0, AUDIO_RATE)).isTrue();         // transit -1000
        stats.onPacket(65534, 1160, 20 * MS, AUDIO_RATE);                         // -1000, D 0, J 0
        stats.onPacket(0, 1480, 62_500_000L, AUDIO_RATE);                         // wrap; -980, D 20, J 1.25
        assertThat(stats.jitterTicks()).isEqualTo(1.25);
        stats.onPacket(65535, 1320, 63 * MS, AUDIO_RATE);                          // late: no jitter update
        assertThat(stats.jitterTicks()).isEqualTo(1.25);
        stats.onPacket(2, 1800, 100 * MS, AUDIO_RATE);                            // 1 lost; -1000, D 20
        assertThat(stats.jitterTicks()).isEqualTo(1.25 + (20 - 1.25) / 16);       // 2.421875

        assertThat(stats.extendedHighestSequence()).isEqualTo(65536 + 2);
        assertThat(stats.expected()).isEqualTo(6);
        assertThat(stats.received()).isEqualTo(5);
        assertThat(stats.cumulativeLost()).isEqualTo(1);
        assertThat(stats.fractionLostSinceLastReport()).isEqualTo(256 / 6);       // 42

        stats.onPacket(2, 1800, 101 * MS, AUDIO_RATE);                            // duplicate, counted (A.1)
        stats.onPacket(3, 1800, 105 * MS, AUDIO_RATE);                            // same timestamp: no jitter
        assertThat(stats.jitterTicks()).isEqualTo(2.421875);
        assertThat(stats.extendedHighestSequence()).isEqualTo(65536 + 3);
        assertThat(stats.expected()).isEqualTo(7);
        assertThat(stats.received()).isEqualTo(7);
        assertThat(stats.cumulativeLost()).isZero();
        // Interval: 1 expected, 2 received.
        assertThat(stats.fractionLostSinceLastReport()).isZero();
        assertThat(stats.fractionLostSinceLastReport()).isZero();
    }

    @Test
    void fractionLostCoversOnlyTheIntervalSinceTheLastCall() {
        ReceptionStatistics stats = new ReceptionStatistics();
        for (int seq = 0; seq < 100; seq++) {
            if (seq % 4 != 1) {
                stats.onPacket(seq, seq * 160L, seq * 20 * MS, AUDIO_RATE);
            }
        }
        assertThat(stats.cumulativeLost()).isEqualTo(25);
        assertThat(stats.fractionLostSinceLastReport()).isEqualTo(64);
        for (int seq = 100; seq < 200; seq++) {
            if (seq % 10 != 0) {
                stats.onPacket(seq, seq * 160L, seq * 20 * MS, AUDIO_RATE);
            }
        }
        assertThat(stats.cumulativeLost()).isEqualTo(35);
        assertThat(stats.fractionLostSinceLastReport()).isEqualTo(25);  // 10 of 100: 25.6
        assertThat(stats.fractionLostSinceLastReport()).isZero();
    }

    @Test
    void jitterSurvivesTheRtpTimestampWrap() {
        ReceptionStatistics stats = new ReceptionStatistics();
        long ts = 0xFFFF_FF00L;
        stats.onPacket(10, ts, 0, VIDEO_RATE);
        stats.onPacket(11, (ts + 3000) & 0xFFFF_FFFFL, 33_333_333L, VIDEO_RATE);           // on time: D 0
        assertThat(stats.jitterTicks()).isZero();
        stats.onPacket(12, (ts + 6000) & 0xFFFF_FFFFL, RtpClock.toNanos(6008, VIDEO_RATE), VIDEO_RATE); // 8 late
        assertThat(stats.jitterTicks()).isEqualTo(0.5);
    }

    @Test
    void steadyJitterConvergesToTheDeviation() {
        ReceptionStatistics stats = new ReceptionStatistics();
        // Frames every 3000 ticks, arriving alternately 0 and 90 ticks (1 ms) late: every D is 90.
        for (int i = 0; i < 400; i++) {
            long arrivalNs = RtpClock.toNanos(i * 3000L + (i % 2) * 90L, VIDEO_RATE);
            stats.onPacket(i, i * 3000L, arrivalNs, VIDEO_RATE);
        }
        assertThat(stats.jitterTicks()).isCloseTo(90.0, within(0.01));
    }

    @Test
    void aLoneJumpIsSetAsideAndTwoSequentialPacketsRestartTheCount() {
        ReceptionStatistics stats = new ReceptionStatistics();
        for (int seq = 1000; seq <= 1004; seq++) {
            stats.onPacket(seq, seq * 160L, seq * 20 * MS, AUDIO_RATE);
        }
        assertThat(stats.onPacket(20_000, 0, 0, AUDIO_RATE)).isFalse();
        assertThat(stats.received()).isEqualTo(5);
        assertThat(stats.extendedHighestSequence()).isEqualTo(1004);
        assertThat(stats.onPacket(1005, 1005 * 160L, 1005 * 20 * MS, AUDIO_RATE)).isTrue();
        assertThat(stats.expected()).isEqualTo(6);

        assertThat(stats.onPacket(800, 0, 0, AUDIO_RATE)).isFalse();   // 205 behind: beyond MAX_MISORDER
        assertThat(stats.onPacket(990, 0, 0, AUDIO_RATE)).isTrue();    // 15 behind: a late packet
        assertThat(stats.received()).isEqualTo(7);

        assertThat(stats.onPacket(30_000, 0, 0, AUDIO_RATE)).isFalse();
        assertThat(stats.onPacket(30_001, 0, 0, AUDIO_RATE)).isTrue();  // source restarted at 30000
        assertThat(stats.extendedHighestSequence()).isEqualTo(30_001);
        assertThat(stats.expected()).isEqualTo(1);
        assertThat(stats.received()).isEqualTo(1);
        assertThat(stats.cumulativeLost()).isZero();
        assertThat(stats.fractionLostSinceLastReport()).isZero();
    }

    @Test
    void cumulativeLostIsClampedTo24SignedBits() {
        ReceptionStatistics duplicates = new ReceptionStatistics();
        for (int i = 0; i < 10; i++) {
            duplicates.onPacket(5, 0, 0, AUDIO_RATE);
        }
        assertThat(duplicates.cumulativeLost()).isEqualTo(-9);

        ReceptionStatistics lossy = new ReceptionStatistics();
        // One packet in 2999 arrives for 2800 gaps: 8.4 million lost, beyond 0x7FFFFF.
        for (long n = 0; n <= 2800; n++) {
            lossy.onPacket((int) (n * 2999 & 0xFFFF), 0, 0, AUDIO_RATE);
        }
        assertThat(lossy.expected()).isEqualTo(2800L * 2999 + 1);
        assertThat(lossy.cumulativeLost()).isEqualTo(0x7F_FFFF);
        assertThat(lossy.fractionLostSinceLastReport()).isEqualTo(255);
    }

    @Test
    void lastSrAndDelaySinceItIn65536thsOfASecond() {
        ReceptionStatistics stats = new ReceptionStatistics();
        assertThat(stats.lastSrMiddle32()).isZero();
        assertThat(stats.delaySinceLastSrUnits(5_000 * MS)).isZero();

        stats.onSenderReport(0xE9D1C35A_80000000L, 1_000 * MS);
        assertThat(stats.lastSrMiddle32()).isEqualTo(0xC35A8000L);
        assertThat(stats.delaySinceLastSrUnits(1_500 * MS)).isEqualTo(32_768);
        assertThat(stats.delaySinceLastSrUnits(1_000 * MS + 1)).isZero();
        assertThat(stats.delaySinceLastSrUnits(3_000 * MS + 15_259)).isEqualTo(2 * 65_536 + 1);
        assertThat(stats.delaySinceLastSrUnits(999 * MS)).isZero();
        assertThat(stats.delaySinceLastSrUnits(1_000 * MS + 70_000L * 1_000_000_000L)).isEqualTo(0xFFFF_FFFFL);
    }
}

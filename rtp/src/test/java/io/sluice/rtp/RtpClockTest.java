package io.sluice.rtp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtpClockTest {

    record Case(long ticks, int clockRate, long nanos) {
    }

    private static final List<Case> EXACT = List.of(
            new Case(0, 90_000, 0),
            new Case(90_000, 90_000, 1_000_000_000L),
            new Case(3_000, 90_000, 33_333_333L),
            new Case(1, 90_000, 11_111L),
            new Case(960, 48_000, 20_000_000L),
            new Case(1_024, 44_100, 23_219_955L),
            new Case(160, 8_000, 20_000_000L),
            new Case(-90_000, 90_000, -1_000_000_000L),
            new Case(0xFFFF_FFFFL, 90_000, 47_721_858_833_333L));

    @Test
    void convertsBothWaysRoundingToTheNearestUnit() {
        for (Case c : EXACT) {
            assertThat(RtpClock.toNanos(c.ticks(), c.clockRate())).as("%s", c).isEqualTo(c.nanos());
            assertThat(RtpClock.toTicks(c.nanos(), c.clockRate())).as("%s", c).isEqualTo(c.ticks());
        }
        assertThat(RtpClock.toNanos(2, 90_000)).isEqualTo(22_222L);
        assertThat(RtpClock.toTicks(5_555L, 90_000)).isZero();
        assertThat(RtpClock.toTicks(5_556L, 90_000)).isEqualTo(1);
    }

    @Test
    void ticksSurviveATripThroughNanos() {
        for (int rate : new int[] {8_000, 44_100, 48_000, 90_000}) {
            for (long ticks = -1_000; ticks < 20_000; ticks++) {
                assertThat(RtpClock.toTicks(RtpClock.toNanos(ticks, rate), rate)).isEqualTo(ticks);
            }
        }
    }

    @Test
    void largeValuesDoNotOverflow() {
        long ticks = 1L << 45;
        assertThat(RtpClock.toTicks(RtpClock.toNanos(ticks, 90_000), 90_000)).isEqualTo(ticks);
        // (2^62 - 1) * 90000 / 1e9, rounded, computed outside Java's long range.
        assertThat(RtpClock.toTicks(Long.MAX_VALUE / 2, 90_000)).isEqualTo(415_051_741_658_465L);
    }

    @Test
    void clockRateMustBePositive() {
        assertThatThrownBy(() -> RtpClock.toNanos(1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> RtpClock.toTicks(1, -8000)).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.sluice.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtpSequenceTest {

    record Case(int from, int to, int distance) {
    }

    private static final List<Case> CASES = List.of(
            new Case(100, 100, 0),
            new Case(100, 101, 1),
            new Case(101, 100, -1),
            new Case(65535, 0, 1),
            new Case(0, 65535, -1),
            new Case(65530, 5, 11),
            new Case(5, 65530, -11),
            new Case(0, 32767, 32767),
            new Case(32767, 0, -32767),
            new Case(0, 32768, -32768),
            new Case(32768, 0, -32768),
            new Case(40000, 7231, 32767));

    @Test
    void distanceIsTheShortestSignedWayRoundTheCircle() {
        for (Case c : CASES) {
            assertThat(RtpSequence.distance(c.from(), c.to())).as("%s", c).isEqualTo(c.distance());
        }
    }

    @Test
    void isNewerFollowsTheDistance() {
        for (Case c : CASES) {
            assertThat(RtpSequence.isNewer(c.to(), c.from())).as("%s", c).isEqualTo(c.distance() > 0);
        }
        assertThat(RtpSequence.isNewer(0, 65535)).isTrue();
        assertThat(RtpSequence.isNewer(65535, 0)).isFalse();
        assertThat(RtpSequence.isNewer(7, 7)).isFalse();
        // Half way round is ambiguous: neither is newer.
        assertThat(RtpSequence.isNewer(32768, 0)).isFalse();
        assertThat(RtpSequence.isNewer(0, 32768)).isFalse();
    }

    @Test
    void nextWrapsAfter65535() {
        assertThat(RtpSequence.next(0)).isEqualTo(1);
        assertThat(RtpSequence.next(65534)).isEqualTo(65535);
        assertThat(RtpSequence.next(65535)).isZero();
    }
}

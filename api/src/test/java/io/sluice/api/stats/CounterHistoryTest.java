package io.sluice.api.stats;

import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.assertj.core.api.Assertions.assertThat;

class CounterHistoryTest {

    private static final long S = 1_000_000_000L;

    /** Samples at 0..10 s of a counter growing 100 a second; asked at {@code nowS} with {@code current}. */
    static Stream<Arguments> windows() {
        return Stream.of(
                // nowS, current, windowS, expected delta, expected elapsed s
                Arguments.of(10.0, 1000L, 1, 100L, 1.0),
                Arguments.of(10.0, 1000L, 3, 300L, 3.0),
                Arguments.of(10.5, 1050L, 1, 150L, 1.5),     // newest sample at least 1 s old is t=9
                Arguments.of(11.0, 1000L, 1, 0L, 1.0),       // nothing since the last tick
                Arguments.of(11.0, 1000L, 3, 200L, 3.0),
                Arguments.of(10.0, 1000L, 60, 1000L, 10.0),  // younger than the window: from the oldest
                Arguments.of(10.0, 1000L, 0, 0L, 0.0));
    }

    @ParameterizedTest(name = "at {0} s over {2} s")
    @MethodSource("windows")
    void measuresFromTheNewestSampleOldEnough(double nowS, long current, long windowS, long delta, double elapsedS) {
        CounterHistory h = new CounterHistory(64);
        for (int t = 0; t <= 10; t++) {
            h.record(t * S, t * 100L);
        }
        CounterHistory.Delta d = h.over((long) (nowS * S), current, windowS * S);
        assertThat(d.value()).isEqualTo(delta);
        assertThat(d.elapsedNs()).isEqualTo((long) (elapsedS * S));
    }

    @ParameterizedTest(name = "capacity {0}")
    @MethodSource("capacities")
    void keepsOnlyTheLastSamples(int capacity, long expectedDelta) {
        CounterHistory h = new CounterHistory(capacity);
        for (int t = 0; t <= 100; t++) {
            h.record(t * S, t * 10L);
        }
        assertThat(h.size()).isEqualTo(Math.min(capacity, 101));
        assertThat(h.over(100 * S, 1000, 1000 * S).value()).isEqualTo(expectedDelta);
    }

    static Stream<Arguments> capacities() {
        return Stream.of(Arguments.of(1, 0L), Arguments.of(5, 40L), Arguments.of(64, 630L), Arguments.of(200, 1000L));
    }

    @org.junit.jupiter.api.Test
    void anEmptyHistoryHasNoRate() {
        CounterHistory.Delta d = new CounterHistory(4).over(5 * S, 500, S);
        assertThat(d.value()).isZero();
        assertThat(d.perSecond()).isZero();
        assertThat(new CounterHistory.Delta(300, 3 * S).perSecond()).isEqualTo(100.0);
    }
}

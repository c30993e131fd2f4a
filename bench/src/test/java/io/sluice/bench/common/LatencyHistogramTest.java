package io.sluice.bench.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    /** The relay benchmark's buckets: 1 µs to 10 ms, 100 µs to 1 s. */
    private static LatencyHistogram relay() {
        return new LatencyHistogram(1, 10_000, 100, 1_000_000);
    }

    /** The native benchmarks' buckets: 10 µs to 100 ms, 1 ms to 5 s. */
    private static LatencyHistogram nativeLayout() {
        return new LatencyHistogram(10, 100_000, 1000, 5_000_000);
    }

    @Test
    void percentilesAnswerTheUpperEdgeOfTheirBucket() {
        LatencyHistogram h = relay();
        for (int i = 0; i < 98; i++) {
            h.recordNs(500_400);          // 500 µs bucket
        }
        h.recordNs(4_200_000);            // 4200 µs, still 1 µs wide
        h.recordNs(23_456_000);           // 23.456 ms, in a 100 µs bucket
        assertThat(h.count()).isEqualTo(100);
        assertThat(h.percentileUs(0.50)).isEqualTo(501);
        assertThat(h.percentileUs(0.98)).isEqualTo(501);
        assertThat(h.percentileUs(0.99)).isEqualTo(4201);
        assertThat(h.percentileUs(1.0)).isEqualTo(23_500);
        assertThat(h.maxUs()).isEqualTo(23_456);
    }

    @Test
    void percentilesInMillisecondsWithWiderBuckets() {
        LatencyHistogram l = nativeLayout();
        for (int i = 1; i <= 98; i++) {
            l.recordNs(1_000_000);            // 1 ms: the 10 µs bucket [1.000, 1.010) ms
        }
        l.recordNs(250_000_000);              // 250 ms: the 1 ms bucket [250, 251) ms
        l.recordNs(9_000_000_000L);           // beyond 5 s

        assertThat(l.count()).isEqualTo(100);
        assertThat(l.percentileMs(0.5)).isCloseTo(1.01, within(1e-9));
        assertThat(l.percentileMs(0.98)).isCloseTo(1.01, within(1e-9));
        assertThat(l.percentileMs(0.99)).isCloseTo(251.0, within(1e-9));
        assertThat(l.percentileMs(1.0)).isInfinite();
        assertThat(l.maxMs()).isCloseTo(9000.0, within(1e-9));
    }

    @Test
    void overflowAndNegativeSamplesLandInTheEndBuckets() {
        LatencyHistogram h = relay();
        h.recordNs(-5);
        h.recordNs(3_000_000_000L);
        assertThat(h.percentileUs(0.5)).isEqualTo(1);
        assertThat(h.percentileUs(1.0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void copyIsIndependentAndResetEmpties() {
        LatencyHistogram h = relay();
        h.recordNs(1_000_000);
        LatencyHistogram c = h.copy();
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.percentileUs(0.5)).isEqualTo(-1);
        assertThat(h.percentileMs(0.5)).isNaN();
        assertThat(c.count()).isEqualTo(1);
        assertThat(c.percentileUs(0.5)).isEqualTo(1001);
    }

    @Test
    void mergingAddsCountsAndKeepsTheMaximum() {
        LatencyHistogram a = nativeLayout();
        LatencyHistogram b = nativeLayout();
        a.recordNs(20_000);                   // 20 µs
        b.recordNs(40_000);
        b.recordNs(40_000);
        a.add(b);

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.percentileMs(0.34)).isCloseTo(0.05, within(1e-9));
        assertThat(a.percentileMs(0.33)).isCloseTo(0.03, within(1e-9));
        assertThat(a.maxMs()).isCloseTo(0.04, within(1e-9));
        assertThatThrownBy(() -> a.add(relay())).isInstanceOf(IllegalArgumentException.class);
    }
}

package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LatencyHistogramTest {

    @Test
    void percentilesAnswerTheUpperEdgeOfTheirBucket() {
        LatencyHistogram h = new LatencyHistogram();
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
    void overflowAndNegativeSamplesLandInTheEndBuckets() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNs(-5);
        h.recordNs(3_000_000_000L);
        assertThat(h.percentileUs(0.5)).isEqualTo(1);
        assertThat(h.percentileUs(1.0)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void copyIsIndependentAndResetEmpties() {
        LatencyHistogram h = new LatencyHistogram();
        h.recordNs(1_000_000);
        LatencyHistogram c = h.copy();
        h.reset();
        assertThat(h.count()).isZero();
        assertThat(h.percentileUs(0.5)).isEqualTo(-1);
        assertThat(c.count()).isEqualTo(1);
        assertThat(c.percentileUs(0.5)).isEqualTo(1001);
    }
}

package io.sluice.bench.nativeload;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class LatenciesTest {

    @Test
    void percentilesAnswerTheUpperEdgeOfTheirBucket() {
        Latencies l = new Latencies();
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
    void mergingAddsCountsAndKeepsTheMaximum() {
        Latencies a = new Latencies();
        Latencies b = new Latencies();
        a.recordNs(20_000);                   // 20 µs
        b.recordNs(40_000);
        b.recordNs(40_000);
        a.add(b);

        assertThat(a.count()).isEqualTo(3);
        assertThat(a.percentileMs(0.34)).isCloseTo(0.05, within(1e-9));
        assertThat(a.percentileMs(0.33)).isCloseTo(0.03, within(1e-9));
        assertThat(a.maxMs()).isCloseTo(0.04, within(1e-9));
        a.reset();
        assertThat(a.count()).isZero();
        assertThat(a.percentileMs(0.5)).isNaN();
    }
}

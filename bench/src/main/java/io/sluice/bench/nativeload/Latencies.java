package io.sluice.bench.nativeload;

/**
 * Latencies in fixed buckets, so recording allocates nothing: 10 µs wide up to 100 ms, 1 ms wide up to
 * 5 s, one bucket beyond. A percentile answers the upper edge of its bucket. Confined to one thread;
 * {@link #add(Latencies)} merges another's counts.
 */
final class Latencies {

    static final int FINE_STEP_US = 10;
    static final int FINE_LIMIT_US = 100_000;
    static final int COARSE_STEP_US = 1000;
    static final int COARSE_LIMIT_US = 5_000_000;
    private static final int FINE_BUCKETS = FINE_LIMIT_US / FINE_STEP_US;
    private static final int OVERFLOW = FINE_BUCKETS + (COARSE_LIMIT_US - FINE_LIMIT_US) / COARSE_STEP_US;

    private final long[] counts = new long[OVERFLOW + 1];
    private long total;
    private long maxNs;

    void recordNs(long latencyNs) {
        long us = Math.max(0, latencyNs / 1000);
        int bucket;
        if (us < FINE_LIMIT_US) {
            bucket = (int) (us / FINE_STEP_US);
        } else if (us < COARSE_LIMIT_US) {
            bucket = FINE_BUCKETS + (int) ((us - FINE_LIMIT_US) / COARSE_STEP_US);
        } else {
            bucket = OVERFLOW;
        }
        counts[bucket]++;
        total++;
        maxNs = Math.max(maxNs, latencyNs);
    }

    long count() {
        return total;
    }

    double maxMs() {
        return maxNs / 1e6;
    }

    /** The latency at or below which {@code fraction} (0..1) of the samples lie, in ms; NaN when empty. */
    double percentileMs(double fraction) {
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return upperEdgeUs(b) / 1000.0;
            }
        }
        return upperEdgeUs(OVERFLOW) / 1000.0;
    }

    private static double upperEdgeUs(int bucket) {
        if (bucket < FINE_BUCKETS) {
            return (bucket + 1) * (double) FINE_STEP_US;
        }
        if (bucket < OVERFLOW) {
            return FINE_LIMIT_US + (bucket - FINE_BUCKETS + 1) * (double) COARSE_STEP_US;
        }
        return Double.POSITIVE_INFINITY;
    }

    void add(Latencies other) {
        for (int b = 0; b < counts.length; b++) {
            counts[b] += other.counts[b];
        }
        total += other.total;
        maxNs = Math.max(maxNs, other.maxNs);
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        maxNs = 0;
    }
}

package io.sluice.bench.load;

/**
 * Relay latencies in fixed buckets, so recording allocates nothing: 1 µs wide up to 10 ms, 100 µs wide up
 * to 1 s, and one bucket for anything later. Percentiles answer the upper edge of their bucket. Confined
 * to one thread; {@link #copy()} hands a result to another.
 */
final class LatencyHistogram {

    static final int FINE_LIMIT_US = 10_000;
    static final int COARSE_STEP_US = 100;
    static final int COARSE_LIMIT_US = 1_000_000;
    private static final int OVERFLOW = FINE_LIMIT_US + (COARSE_LIMIT_US - FINE_LIMIT_US) / COARSE_STEP_US;

    private final long[] counts = new long[OVERFLOW + 1];
    private long total;
    private long maxNs;

    void recordNs(long latencyNs) {
        long us = Math.max(0, latencyNs / 1000);
        int bucket;
        if (us < FINE_LIMIT_US) {
            bucket = (int) us;
        } else if (us < COARSE_LIMIT_US) {
            bucket = FINE_LIMIT_US + (int) ((us - FINE_LIMIT_US) / COARSE_STEP_US);
        } else {
            bucket = OVERFLOW;
        }
        counts[bucket]++;
        total++;
        if (latencyNs > maxNs) {
            maxNs = latencyNs;
        }
    }

    long count() {
        return total;
    }

    long maxUs() {
        return maxNs / 1000;
    }

    /** The latency at or below which {@code fraction} (0..1) of the samples lie, in µs; -1 when empty. */
    long percentileUs(double fraction) {
        if (total == 0) {
            return -1;
        }
        long rank = Math.max(1, (long) Math.ceil(fraction * total));
        long seen = 0;
        for (int b = 0; b < counts.length; b++) {
            seen += counts[b];
            if (seen >= rank) {
                return upperEdgeUs(b);
            }
        }
        return upperEdgeUs(OVERFLOW);
    }

    private static long upperEdgeUs(int bucket) {
        if (bucket < FINE_LIMIT_US) {
            return bucket + 1;
        }
        if (bucket < OVERFLOW) {
            return FINE_LIMIT_US + (long) (bucket - FINE_LIMIT_US + 1) * COARSE_STEP_US;
        }
        return Long.MAX_VALUE;
    }

    void reset() {
        java.util.Arrays.fill(counts, 0);
        total = 0;
        maxNs = 0;
    }

    LatencyHistogram copy() {
        LatencyHistogram c = new LatencyHistogram();
        System.arraycopy(counts, 0, c.counts, 0, counts.length);
        c.total = total;
        c.maxNs = maxNs;
        return c;
    }
}

package io.sluice.bench.common;

import java.util.Arrays;

/**
 * Latencies in fixed buckets, so recording allocates nothing: {@code fineStepUs} wide up to
 * {@code fineLimitUs}, {@code coarseStepUs} wide up to {@code coarseLimitUs}, and one bucket for anything
 * later. A percentile answers the upper edge of its bucket. Confined to one thread; {@link #copy()} hands
 * a result to another, {@link #add} merges another's counts.
 */
public final class LatencyHistogram {

    private final int fineStepUs;
    private final int fineLimitUs;
    private final int coarseStepUs;
    private final int coarseLimitUs;
    private final int fineBuckets;
    private final int overflow;
    private final long[] counts;
    private long total;
    private long maxNs;

    /** The limits must be multiples of the steps, the coarse limit above the fine one. */
    public LatencyHistogram(int fineStepUs, int fineLimitUs, int coarseStepUs, int coarseLimitUs) {
        if (fineStepUs <= 0 || coarseStepUs <= 0 || fineLimitUs % fineStepUs != 0 || coarseLimitUs <= fineLimitUs
                || (coarseLimitUs - fineLimitUs) % coarseStepUs != 0) {
            throw new IllegalArgumentException("buckets " + fineStepUs + " us to " + fineLimitUs + " us, "
                    + coarseStepUs + " us to " + coarseLimitUs + " us do not tile");
        }
        this.fineStepUs = fineStepUs;
        this.fineLimitUs = fineLimitUs;
        this.coarseStepUs = coarseStepUs;
        this.coarseLimitUs = coarseLimitUs;
        this.fineBuckets = fineLimitUs / fineStepUs;
        this.overflow = fineBuckets + (coarseLimitUs - fineLimitUs) / coarseStepUs;
        this.counts = new long[overflow + 1];
    }

    public void recordNs(long latencyNs) {
        long us = Math.max(0, latencyNs / 1000);
        int bucket;
        if (us < fineLimitUs) {
            bucket = (int) (us / fineStepUs);
        } else if (us < coarseLimitUs) {
            bucket = fineBuckets + (int) ((us - fineLimitUs) / coarseStepUs);
        } else {
            bucket = overflow;
        }
        counts[bucket]++;
        total++;
        maxNs = Math.max(maxNs, latencyNs);
    }

    public long count() {
        return total;
    }

    public long maxUs() {
        return maxNs / 1000;
    }

    public double maxMs() {
        return maxNs / 1e6;
    }

    /**
     * The latency at or below which {@code fraction} (0..1) of the samples lie, in µs; -1 when empty,
     * {@link Long#MAX_VALUE} in the overflow bucket.
     */
    public long percentileUs(double fraction) {
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
        return upperEdgeUs(overflow);
    }

    /** {@link #percentileUs} in ms; NaN when empty, infinite in the overflow bucket. */
    public double percentileMs(double fraction) {
        long us = percentileUs(fraction);
        if (us < 0) {
            return Double.NaN;
        }
        return us == Long.MAX_VALUE ? Double.POSITIVE_INFINITY : us / 1000.0;
    }

    private long upperEdgeUs(int bucket) {
        if (bucket < fineBuckets) {
            return (bucket + 1L) * fineStepUs;
        }
        if (bucket < overflow) {
            return fineLimitUs + (bucket - fineBuckets + 1L) * coarseStepUs;
        }
        return Long.MAX_VALUE;
    }

    /** Adds the samples of {@code other}, which has the same buckets. */
    public void add(LatencyHistogram other) {
        if (other.counts.length != counts.length || other.fineStepUs != fineStepUs
                || other.coarseStepUs != coarseStepUs) {
            throw new IllegalArgumentException("histograms with other buckets");
        }
        for (int b = 0; b < counts.length; b++) {
            counts[b] += other.counts[b];
        }
        total += other.total;
        maxNs = Math.max(maxNs, other.maxNs);
    }

    public void reset() {
        Arrays.fill(counts, 0);
        total = 0;
        maxNs = 0;
    }

    public LatencyHistogram copy() {
        LatencyHistogram c = new LatencyHistogram(fineStepUs, fineLimitUs, coarseStepUs, coarseLimitUs);
        c.add(this);
        return c;
    }
}

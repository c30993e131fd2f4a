package io.sluice.node.nativeproto;

/**
 * Sums of a quantity over the last N seconds (N up to {@value #MAX_SECONDS}), from one bucket per
 * second: the bandwidth of a stream over 1, 3 and 10 s, a puller's sent and lost packets over 2, 10
 * and 60 s. Written on one event loop; read from others without a lock (a reader may see a bucket
 * mid-update, which only blurs a statistic).
 */
public final class RateWindow {

    public static final int MAX_SECONDS = 64;
    private static final long SECOND_NS = 1_000_000_000L;

    private final long[] buckets = new long[MAX_SECONDS];
    private final long[] bucketSecond = new long[MAX_SECONDS];

    public void add(long amount, long nowNs) {
        long second = Math.floorDiv(nowNs, SECOND_NS);
        int i = (int) Math.floorMod(second, MAX_SECONDS);
        if (bucketSecond[i] != second) {
            bucketSecond[i] = second;
            buckets[i] = 0;
        }
        buckets[i] += amount;
    }

    /**
     * The sum over the last {@code seconds} whole seconds before the current one: the current second is
     * still filling and would make every rate read low.
     */
    public long sum(int seconds, long nowNs) {
        if (seconds < 1 || seconds >= MAX_SECONDS) {
            throw new IllegalArgumentException("seconds must be 1.." + (MAX_SECONDS - 1) + ": " + seconds);
        }
        long current = Math.floorDiv(nowNs, SECOND_NS);
        long total = 0;
        for (long s = current - seconds; s < current; s++) {
            int i = (int) Math.floorMod(s, MAX_SECONDS);
            if (bucketSecond[i] == s) {
                total += buckets[i];
            }
        }
        return total;
    }
}

package io.sluice.api.stats;

/**
 * The last samples of one ever-growing counter, to answer "how much in the last W seconds" for any
 * window up to the history's span. Samples are taken about once a second; a window is measured from the
 * newest sample at least W old (or the oldest one while the history is younger than W) to the value now,
 * over the time that really passed between them, so late or missed ticks do not skew a rate.
 */
public final class CounterHistory {

    /** How much a counter grew and over how long. */
    public record Delta(long value, long elapsedNs) {

        /** Growth per second; 0 over no time. */
        public double perSecond() {
            return elapsedNs <= 0 ? 0 : value * 1e9 / elapsedNs;
        }
    }

    private final long[] timesNs;
    private final long[] values;
    private int size;
    private int next;

    public CounterHistory(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be positive: " + capacity);
        }
        timesNs = new long[capacity];
        values = new long[capacity];
    }

    public void record(long nowNs, long value) {
        timesNs[next] = nowNs;
        values[next] = value;
        next = (next + 1) % timesNs.length;
        size = Math.min(size + 1, timesNs.length);
    }

    /** The growth from the sample that opens a {@code windowNs} window ending now to {@code currentValue}. */
    public Delta over(long nowNs, long currentValue, long windowNs) {
        if (size == 0) {
            return new Delta(0, 0);
        }
        long cutoffNs = nowNs - windowNs;
        int oldest = (next - size + timesNs.length) % timesNs.length;
        int chosen = oldest;
        for (int i = 0; i < size; i++) {
            int idx = (oldest + i) % timesNs.length;
            if (timesNs[idx] - cutoffNs <= 0) {
                chosen = idx;
            } else {
                break;
            }
        }
        return new Delta(currentValue - values[chosen], nowNs - timesNs[chosen]);
    }

    public int size() {
        return size;
    }
}

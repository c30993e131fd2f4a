package io.sluice.rtp;

import java.util.Arrays;
import java.util.function.IntConsumer;

/**
 * Which sequence numbers of one RTP stream are missing, within a window behind the highest one
 * received: the input of retransmission requests (RFC 4585 generic NACK).
 *
 * <p>A ring of bits, one per sequence number in the window, says which numbers arrived. The window
 * holds the {@code windowSize} numbers ending at the highest received; numbers below it are
 * forgotten, and a packet older than the window is reported {@link Result#OLD}. A jump ahead by a
 * whole window or more is taken as a discontinuity (a restarted source or an outage longer than any
 * retransmission could repair): the window restarts at the new packet with nothing missing, rather
 * than asking for a window's worth of stale packets.
 *
 * <p>{@link #onPacket} allocates nothing. Not thread-safe.
 */
public final class LossTracker {

    /** What {@link #onPacket} made of a sequence number. */
    public enum Result {
        /** First arrival within the window: it advanced the highest number or filled a gap. */
        NEW,
        /** Already received (or {@linkplain #markRecovered marked}) within the window. */
        DUPLICATE,
        /** Older than the window; nothing is known about it. */
        OLD
    }

    public static final int DEFAULT_WINDOW_SIZE = 512;
    /** Larger windows would make "ahead" and "behind" ambiguous on the 16-bit circle. */
    public static final int MAX_WINDOW_SIZE = 1 << 14;

    private final long[] receivedBits;
    private final int windowSize;
    private final int indexMask;

    private boolean started;
    private long highest;
    private long lowest;

    public LossTracker() {
        this(DEFAULT_WINDOW_SIZE);
    }

    /** @param windowSize a power of two from 64 to {@link #MAX_WINDOW_SIZE} */
    public LossTracker(int windowSize) {
        if (windowSize < Long.SIZE || windowSize > MAX_WINDOW_SIZE || Integer.bitCount(windowSize) != 1) {
            throw new IllegalArgumentException("window size must be a power of two in 64.." + MAX_WINDOW_SIZE
                    + ": " + windowSize);
        }
        this.windowSize = windowSize;
        this.indexMask = windowSize - 1;
        this.receivedBits = new long[windowSize / Long.SIZE];
    }

    /** Records the arrival of {@code seq} (0..65535). */
    public Result onPacket(int seq) {
        if (!started) {
            restartAt(seq);
            return Result.NEW;
        }
        int distance = RtpSequence.distance((int) highest, seq);
        if (distance > 0) {
            if (distance >= windowSize) {
                restartAt(highest + distance);
                return Result.NEW;
            }
            for (long missing = highest + 1; missing < highest + distance; missing++) {
                clear(missing);
            }
            highest += distance;
            lowest = Math.max(lowest, highest - windowSize + 1);
            set(highest);
            return Result.NEW;
        }
        long extended = highest + distance;
        if (extended < lowest) {
            return Result.OLD;
        }
        if (isSet(extended)) {
            return Result.DUPLICATE;
        }
        set(extended);
        return Result.NEW;
    }

    private void restartAt(long extended) {
        Arrays.fill(receivedBits, 0L);
        started = true;
        highest = extended;
        lowest = extended;
        set(extended);
    }

    /**
     * Calls {@code consumer} with each missing sequence number in the window, oldest first. Numbers
     * above the highest received are not missing yet.
     */
    public void forEachMissing(IntConsumer consumer) {
        for (long extended = lowest; extended < highest; extended++) {
            if (!isSet(extended)) {
                consumer.accept((int) extended & RtpSequence.MASK);
            }
        }
    }

    /** Number of missing sequence numbers in the window. */
    public int missingCount() {
        return started ? (int) (highest - lowest + 1) - receivedCount() : 0;
    }

    private int receivedCount() {
        int count = 0;
        for (long word : receivedBits) {
            count += Long.bitCount(word);
        }
        return count;
    }

    /**
     * Stops reporting {@code seq} as missing, for a packet recovered some other way or given up on.
     * Numbers outside the window or above the highest are ignored.
     */
    public void markRecovered(int seq) {
        if (!started) {
            return;
        }
        int distance = RtpSequence.distance((int) highest, seq);
        long extended = highest + distance;
        if (distance <= 0 && extended >= lowest) {
            set(extended);
        }
    }

    /** Highest sequence number received, 0..65535; meaningless before the first packet. */
    public int highestSequence() {
        return (int) highest & RtpSequence.MASK;
    }

    /** Whether any packet has been recorded since construction or {@link #reset()}. */
    public boolean started() {
        return started;
    }

    public void reset() {
        Arrays.fill(receivedBits, 0L);
        started = false;
        highest = 0;
        lowest = 0;
    }

    private boolean isSet(long extended) {
        int index = (int) extended & indexMask;
        return (receivedBits[index >>> 6] & (1L << index)) != 0;
    }

    private void set(long extended) {
        int index = (int) extended & indexMask;
        receivedBits[index >>> 6] |= 1L << index;
    }

    private void clear(long extended) {
        int index = (int) extended & indexMask;
        receivedBits[index >>> 6] &= ~(1L << index);
    }
}

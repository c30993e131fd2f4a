package io.sluice.rtp;

import io.netty.buffer.ByteBuf;
import java.util.function.Consumer;

/**
 * Puts packets back in sequence order: a packet that comes after a gap is held until the gap is filled
 * (a retransmission arrives) or has been open for {@code maxWaitNs}, when it is given up and what follows
 * is handed on. Duplicates must be filtered before; a packet behind what was handed on is refused.
 *
 * <pre>
 *  next                     arrived, held
 *   v                        v    v
 * [ - ][ 41 ][ - ][ - ][ 44 ][ 45 ]   41 waits for 40; after maxWaitNs without 40, 41 goes, then 42 waits
 * </pre>
 *
 * Loop-confined; nothing is allocated per packet besides what the holder retains.
 */
public final class ReorderBuffer {

    private final int capacity;
    private final long maxWaitNs;
    private final Consumer<ByteBuf> deliver;
    private final ByteBuf[] held;
    private final long[] heldSinceNs;
    private boolean started;
    private int next;
    private int heldCount;
    private long delivered;
    private long lost;

    /**
     * @param capacity  a power of two: how far ahead of the oldest gap a packet may be; one further ahead
     *                  gives up every gap before it
     * @param maxWaitNs how long a gap is waited for
     * @param deliver   receives the packets in order; the buffer releases them after the call
     */
    public ReorderBuffer(int capacity, long maxWaitNs, Consumer<ByteBuf> deliver) {
        if (Integer.bitCount(capacity) != 1 || capacity > RtpSequence.MODULUS / 2) {
            throw new IllegalArgumentException("capacity must be a power of two up to 32768: " + capacity);
        }
        this.capacity = capacity;
        this.maxWaitNs = maxWaitNs;
        this.deliver = deliver;
        this.held = new ByteBuf[capacity];
        this.heldSinceNs = new long[capacity];
    }

    /**
     * A packet new to the caller, with sequence number {@code seq} (the caller keeps its reference): handed
     * on at once when it is the next, else held. Answers false, and does nothing, for a packet behind the
     * next one: its gap was given up already.
     */
    public boolean offer(int seq, ByteBuf packet, long nowNs) {
        if (!started) {
            started = true;
            next = seq;
        }
        int ahead = RtpSequence.distance(next, seq);
        if (ahead < 0) {
            return false;
        }
        if (ahead >= capacity) {
            skipTo(seq);
        }
        int slot = seq & (capacity - 1);
        if (held[slot] != null) {
            return false;
        }
        held[slot] = packet.retain();
        heldSinceNs[slot] = nowNs;
        heldCount++;
        drain();
        return true;
    }

    /** Gives up on the oldest gap once it has been open for the wait limit. */
    public void tick(long nowNs) {
        if (heldCount == 0) {
            return;
        }
        int first = firstHeld();
        if (nowNs - heldSinceNs[first & (capacity - 1)] > maxWaitNs) {
            skipTo(first);
        }
    }

    private int firstHeld() {
        for (int d = 0; d < capacity; d++) {
            int seq = (next + d) & RtpSequence.MASK;
            if (held[seq & (capacity - 1)] != null) {
                return seq;
            }
        }
        return next;
    }

    /** Gives up on everything before {@code seq}, handing on what is held on the way. */
    private void skipTo(int seq) {
        while (next != seq) {
            int slot = next & (capacity - 1);
            if (held[slot] != null) {
                deliverSlot(slot);
            } else {
                lost++;
            }
            next = RtpSequence.next(next);
        }
        drain();
    }

    private void drain() {
        int slot;
        while (held[slot = next & (capacity - 1)] != null) {
            deliverSlot(slot);
            next = RtpSequence.next(next);
        }
    }

    private void deliverSlot(int slot) {
        ByteBuf p = held[slot];
        held[slot] = null;
        heldCount--;
        try {
            delivered++;
            deliver.accept(p);
        } finally {
            p.release();
        }
    }

    /** Packets waiting for a gap before them. */
    public int heldCount() {
        return heldCount;
    }

    public long delivered() {
        return delivered;
    }

    /** Sequence numbers given up on. */
    public long lost() {
        return lost;
    }

    /** Hands on everything held, giving up the gaps between (the stream ends). */
    public void flush() {
        while (heldCount > 0) {
            skipTo(firstHeld());
        }
    }

    /** Releases what is held, without handing it on. */
    public void release() {
        for (int i = 0; i < capacity; i++) {
            if (held[i] != null) {
                held[i].release();
                held[i] = null;
            }
        }
        heldCount = 0;
    }
}

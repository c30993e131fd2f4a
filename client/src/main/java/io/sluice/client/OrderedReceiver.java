package io.sluice.client;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.LossTracker;
import io.sluice.rtp.RtpSequence;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.RetransmissionRequester;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The receiving end of one pulled stream: drops duplicates, holds packets that came after a gap while
 * the missing ones are asked for again, and hands packets on in sequence order. A gap that stays open
 * for {@code maxWaitNs} is given up: what follows it is delivered and the missing packets counted as
 * lost.
 *
 * <pre>
 *  next                     arrived, held
 *   v                        v    v
 * [ - ][ 41 ][ - ][ - ][ 44 ][ 45 ]   41 waits for 40; 40, 42, 43 are asked for (PT 120)
 * </pre>
 *
 * Loop-confined; nothing is allocated per packet besides what the holder retains.
 */
final class OrderedReceiver {

    static final int CAPACITY = 1024;
    static final long FIRST_REQUEST_DELAY_NS = 0;
    static final long MIN_RETRY_NS = 15_000_000L;
    static final int MAX_ATTEMPTS = 30;

    final String liveId;
    final int ssrc;
    private final RetransmissionRequester requester;
    private final boolean askForMissing;
    private final long maxWaitNs;
    private final ByteBuf[] held = new ByteBuf[CAPACITY];
    private final long[] heldSinceNs = new long[CAPACITY];
    private final Consumer<ByteBuf> deliver;
    private boolean started;
    private int next;
    private int heldCount;
    private long delivered;
    private long lost;
    private long duplicates;

    OrderedReceiver(String liveId, int ssrc, boolean askForMissing, long maxWaitNs, Consumer<ByteBuf> deliver) {
        this.liveId = liveId;
        this.ssrc = ssrc;
        this.askForMissing = askForMissing;
        this.maxWaitNs = maxWaitNs;
        this.deliver = deliver;
        this.requester = new RetransmissionRequester(CAPACITY, FIRST_REQUEST_DELAY_NS, MIN_RETRY_NS, MAX_ATTEMPTS);
    }

    /** One stream-data datagram (the caller keeps its reference). */
    void onPacket(ByteBuf datagram, long nowNs) {
        int seq = NativeHeader.sequence(datagram);
        LossTracker.Result result = requester.onPacket(seq, nowNs);
        if (!started) {
            started = true;
            next = seq;
        }
        int ahead = RtpSequence.distance(next, seq);
        if (result != LossTracker.Result.NEW || ahead < 0) {
            duplicates++;
            return;
        }
        if (ahead >= CAPACITY) {
            skipTo(seq);
            ahead = 0;
        }
        int slot = seq & (CAPACITY - 1);
        held[slot] = datagram.retain();
        heldSinceNs[slot] = nowNs;
        heldCount++;
        drain();
    }

    /** Asks for what is due (when enabled) and gives up on gaps older than the wait limit. */
    void tick(long nowNs, IntConsumer request) {
        if (askForMissing && heldCount > 0) {
            requester.collectDue(nowNs, request);
        }
        if (heldCount == 0) {
            return;
        }
        int first = firstHeld();
        if (nowNs - heldSinceNs[first & (CAPACITY - 1)] > maxWaitNs) {
            skipTo(first);
        }
    }

    private int firstHeld() {
        for (int d = 0; d < CAPACITY; d++) {
            int seq = (next + d) & RtpSequence.MASK;
            if (held[seq & (CAPACITY - 1)] != null) {
                return seq;
            }
        }
        return next;
    }

    /** Gives up on everything before {@code seq}, delivering what is held on the way. */
    private void skipTo(int seq) {
        while (next != seq) {
            int slot = next & (CAPACITY - 1);
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
        while (held[slot = next & (CAPACITY - 1)] != null) {
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

    long delivered() {
        return delivered;
    }

    long lost() {
        return lost;
    }

    long duplicates() {
        return duplicates;
    }

    long requested() {
        return requester.requested();
    }

    long recovered() {
        return requester.recovered();
    }

    void release() {
        for (int i = 0; i < CAPACITY; i++) {
            if (held[i] != null) {
                held[i].release();
                held[i] = null;
            }
        }
        heldCount = 0;
    }
}

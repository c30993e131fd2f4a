package io.sluice.client;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.LossTracker;
import io.sluice.rtp.ReorderBuffer;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.RetransmissionRequester;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * The receiving end of one pulled stream: drops duplicates, holds packets that came after a gap while
 * the missing ones are asked for again (PT 120), and hands packets on in sequence order
 * ({@link ReorderBuffer}). A gap that stays open for {@code maxWaitNs} is given up: what follows it is
 * delivered and the missing packets counted as lost. Loop-confined.
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
    private final ReorderBuffer order;
    private long duplicates;

    OrderedReceiver(String liveId, int ssrc, boolean askForMissing, long maxWaitNs, Consumer<ByteBuf> deliver) {
        this.liveId = liveId;
        this.ssrc = ssrc;
        this.askForMissing = askForMissing;
        this.order = new ReorderBuffer(CAPACITY, maxWaitNs, deliver);
        this.requester = new RetransmissionRequester(CAPACITY, FIRST_REQUEST_DELAY_NS, MIN_RETRY_NS, MAX_ATTEMPTS);
    }

    /** One stream-data datagram (the caller keeps its reference). */
    void onPacket(ByteBuf datagram, long nowNs) {
        int seq = NativeHeader.sequence(datagram);
        if (requester.onPacket(seq, nowNs) != LossTracker.Result.NEW || !order.offer(seq, datagram, nowNs)) {
            duplicates++;
        }
    }

    /** Asks for what is due (when enabled) and gives up on gaps older than the wait limit. */
    void tick(long nowNs, IntConsumer request) {
        if (askForMissing && order.heldCount() > 0) {
            requester.collectDue(nowNs, request);
        }
        order.tick(nowNs);
    }

    long delivered() {
        return order.delivered();
    }

    long lost() {
        return order.lost();
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
        order.release();
    }
}

package io.sluice.bench.load;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * When the publisher sent each RTP sequence number, on the {@link System#nanoTime()} clock that the readers
 * of the same process stamp arrivals with. Indexed by the 16-bit sequence number: an entry is overwritten
 * 65536 packets later (five minutes at 210 packets/s), long after any relayed copy has arrived.
 */
final class SendTimes {

    private final AtomicLongArray sentNs = new AtomicLongArray(1 << 16);

    void sent(int sequenceNumber, long nowNs) {
        sentNs.setRelease(sequenceNumber & 0xFFFF, nowNs);
    }

    /** 0 when the sequence number was never sent. */
    long sentNs(int sequenceNumber) {
        return sentNs.getAcquire(sequenceNumber & 0xFFFF);
    }
}

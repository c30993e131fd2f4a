package io.sluice.client;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.nativeproto.NativeHeader;

/**
 * The stream-data packets a pusher sent recently, by sequence number, to answer the server's
 * retransmission requests with the very packets it missed. Bounded by count and age; a newer packet
 * evicts (and releases) what its slot held. Loop-confined.
 */
final class SentHistory {

    private final ByteBuf[] packets;
    private final long[] sentNs;
    private final int mask;
    private final long maxAgeNs;

    /** @param capacity a power of two */
    SentHistory(int capacity, long maxAgeNs) {
        this.packets = new ByteBuf[capacity];
        this.sentNs = new long[capacity];
        this.mask = capacity - 1;
        this.maxAgeNs = maxAgeNs;
    }

    /** Keeps a retained reference to {@code datagram}. */
    void add(ByteBuf datagram, long nowNs) {
        int slot = NativeHeader.sequence(datagram) & mask;
        if (packets[slot] != null) {
            packets[slot].release();
        }
        packets[slot] = datagram.retain();
        sentNs[slot] = nowNs;
    }

    /** The packet with sequence {@code seq} if still kept, not retained; else null. */
    ByteBuf find(int seq, long nowNs) {
        int slot = seq & mask;
        ByteBuf p = packets[slot];
        if (p == null || NativeHeader.sequence(p) != seq || nowNs - sentNs[slot] > maxAgeNs) {
            return null;
        }
        return p;
    }

    void clear() {
        for (int i = 0; i < packets.length; i++) {
            if (packets[i] != null) {
                packets[i].release();
                packets[i] = null;
            }
        }
    }
}

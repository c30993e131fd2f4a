package io.sluice.node.live;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.RtpPacket;

/**
 * The recent RTP packets of one track, by sequence number, for retransmission: a reader's NACK is
 * answered from here with the very packet it missed. Bounded by count (the ring's size) and by age.
 *
 * <p>A slot is {@code sequence & mask}; a newer packet evicts (and releases) whatever the slot held.
 * Confined to the stream's media loop.
 */
public final class PacketRing {

    private final long maxAgeNs;
    private final int mask;
    private final ByteBuf[] packets;
    private final int[] sequences;
    private final long[] arrivalsNs;

    /** @param maxPackets rounded up to a power of two */
    public PacketRing(long maxAgeNs, int maxPackets) {
        if (maxAgeNs <= 0 || maxPackets <= 0) {
            throw new IllegalArgumentException("maxAgeNs and maxPackets must be positive");
        }
        int size = Integer.highestOneBit(Math.max(1, maxPackets - 1)) << 1;
        this.maxAgeNs = maxAgeNs;
        this.mask = size - 1;
        this.packets = new ByteBuf[size];
        this.sequences = new int[size];
        this.arrivalsNs = new long[size];
    }

    /** Keeps a retained reference to {@code rtpPacket}, releasing the one its slot held. */
    public void add(ByteBuf rtpPacket, long nowNs) {
        int seq = RtpPacket.sequenceNumber(rtpPacket);
        int slot = seq & mask;
        ByteBuf old = packets[slot];
        if (old != null) {
            old.release();
        }
        packets[slot] = rtpPacket.retain();
        sequences[slot] = seq;
        arrivalsNs[slot] = nowNs;
    }

    /** The stored packet with sequence number {@code seq} if it is young enough, not retained; else null. */
    public ByteBuf find(int seq, long nowNs) {
        int slot = seq & mask;
        ByteBuf p = packets[slot];
        if (p == null || sequences[slot] != seq || nowNs - arrivalsNs[slot] > maxAgeNs) {
            return null;
        }
        return p;
    }

    public int capacity() {
        return packets.length;
    }

    /** Releases every packet. */
    public void clear() {
        for (int i = 0; i < packets.length; i++) {
            if (packets[i] != null) {
                packets[i].release();
                packets[i] = null;
            }
        }
    }
}

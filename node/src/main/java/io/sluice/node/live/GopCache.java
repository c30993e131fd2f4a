package io.sluice.node.live;

import io.netty.buffer.ByteBuf;

/**
 * The packets of a stream since its last video keyframe, all tracks interleaved in arrival order, so that
 * a reader who joins now can start decoding at once instead of waiting up to a whole GOP.
 *
 * <p>Audio packets are cached only after the keyframe, so a new reader's audio starts aligned with its
 * first picture. The cache is bounded by packets and bytes: a GOP that outgrows it is dropped whole and
 * caching resumes at the next keyframe (new readers then wait for it, as they would without a cache).
 * Confined to the stream's media loop.
 */
final class GopCache {

    /** Receives the cached packets in order; the buffers stay owned by the cache. */
    @FunctionalInterface
    interface Visitor {
        void visit(int trackIndex, ByteBuf packet, boolean keyframeStart);
    }

    private final int maxPackets;
    private final long maxBytes;
    private ByteBuf[] packets = new ByteBuf[256];
    private int[] tracks = new int[256];
    private int count;
    private long bytes;
    private boolean caching;

    GopCache(int maxPackets, long maxBytes) {
        this.maxPackets = maxPackets;
        this.maxBytes = maxBytes;
    }

    /** Offers a packet that the stream has just received; the cache retains what it keeps. */
    void onPacket(int trackIndex, ByteBuf packet, boolean keyframeStart) {
        if (keyframeStart) {
            clear();
            caching = true;
        }
        if (!caching) {
            return;
        }
        if (count == maxPackets || bytes + packet.readableBytes() > maxBytes) {
            clear();
            return;
        }
        if (count == packets.length) {
            grow();
        }
        packets[count] = packet.retain();
        tracks[count] = trackIndex;
        count++;
        bytes += packet.readableBytes();
    }

    void forEach(Visitor visitor) {
        for (int i = 0; i < count; i++) {
            visitor.visit(tracks[i], packets[i], i == 0);
        }
    }

    /** The first cached packet of a track, or null: where a new reader's RTP-Info starts. */
    ByteBuf firstPacketOf(int trackIndex) {
        for (int i = 0; i < count; i++) {
            if (tracks[i] == trackIndex) {
                return packets[i];
            }
        }
        return null;
    }

    int size() {
        return count;
    }

    long bytes() {
        return bytes;
    }

    boolean isCaching() {
        return caching;
    }

    /** Releases every cached packet and stops caching until the next keyframe. */
    void clear() {
        for (int i = 0; i < count; i++) {
            packets[i].release();
            packets[i] = null;
        }
        count = 0;
        bytes = 0;
        caching = false;
    }

    private void grow() {
        int newLength = Math.min(maxPackets, packets.length * 2);
        ByteBuf[] p = new ByteBuf[newLength];
        int[] t = new int[newLength];
        System.arraycopy(packets, 0, p, 0, count);
        System.arraycopy(tracks, 0, t, 0, count);
        packets = p;
        tracks = t;
    }
}

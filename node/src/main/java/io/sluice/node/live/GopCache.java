package io.sluice.node.live;

import io.netty.buffer.ByteBuf;

/**
 * The packets of a stream since its last keyframes, all tracks interleaved in arrival order, so that a
 * reader who joins now can start decoding at once instead of waiting up to a whole GOP.
 *
 * <p>The cache holds the current GOP and, until the next keyframe, the one before it. A reader starts at
 * the latest keyframe that leaves it at least {@code minStartDuration} of media: a player needs a few
 * frames to probe a stream before it shows the first one (ffmpeg reads about a second), and a GOP that
 * began a moment ago would make it wait for live frames. Audio packets are cached only after a keyframe,
 * so a reader's audio starts aligned with its first picture.
 *
 * <p>A GOP may begin {@code leadPackets} before its keyframe (MPEG-TS: the PAT and PMT a muxer writes right
 * before it can sit in the datagram before); to have them for the first GOP too, that many packets are
 * kept while the cache waits for its first keyframe.
 *
 * <p>Bounded by packets and bytes: past a bound the older GOP is dropped first; a single GOP that
 * outgrows the bounds is dropped whole and caching resumes at the next keyframe (new readers then wait
 * for it, as they would without a cache). Confined to the stream's media loop.
 */
final class GopCache {

    /** Receives the cached packets in order; the buffers stay owned by the cache. */
    @FunctionalInterface
    interface Visitor {
        void visit(int trackIndex, ByteBuf packet, boolean keyframeStart, long arrivalNs);
    }

    private final int maxPackets;
    private final long maxBytes;
    private final long minStartDurationNs;
    private final int leadPackets;
    private ByteBuf[] packets = new ByteBuf[256];
    private int[] tracks = new int[256];
    private long[] arrivalsNs = new long[256];
    private int count;
    private long bytes;
    /** Index of the latest keyframe; the packets before it are the previous GOP. */
    private int currentGopStart;
    private long currentGopStartNs;
    private boolean caching;

    GopCache(int maxPackets, long maxBytes, long minStartDurationNs, int leadPackets) {
        this.maxPackets = maxPackets;
        this.maxBytes = maxBytes;
        this.minStartDurationNs = minStartDurationNs;
        this.leadPackets = leadPackets;
    }

    /** Offers a packet that the stream has just received; the cache retains what it keeps. */
    void onPacket(int trackIndex, ByteBuf packet, boolean keyframeStart, long nowNs) {
        if (keyframeStart) {
            if (caching) {
                dropBefore(currentGopStart);
                // The previous GOP keeps at least its keyframe.
                currentGopStart = Math.max(Math.min(1, count), count - leadPackets);
            } else {
                caching = true;
                currentGopStart = 0;
            }
            currentGopStartNs = nowNs;
        }
        if (!caching) {
            if (leadPackets == 0) {
                return;
            }
            if (count == leadPackets) {
                dropBefore(1);
            }
        }
        int length = packet.readableBytes();
        if ((count == maxPackets || bytes + length > maxBytes) && currentGopStart > 0) {
            dropBefore(currentGopStart);
            currentGopStart = 0;
        }
        if (count == maxPackets || bytes + length > maxBytes) {
            clear();
            return;
        }
        if (count == packets.length) {
            grow();
        }
        packets[count] = packet.retain();
        tracks[count] = trackIndex;
        arrivalsNs[count] = nowNs;
        count++;
        bytes += length;
    }

    /** Where a reader joining at {@code nowNs} starts: an index of a keyframe, or {@link #size()} when empty. */
    int startIndex(long nowNs) {
        if (!caching) {
            return count;
        }
        boolean currentIsLongEnough = nowNs - currentGopStartNs >= minStartDurationNs;
        return currentIsLongEnough ? currentGopStart : 0;
    }

    /** Visits the packets from {@code from} on; the first one visited begins a keyframe. */
    void forEach(int from, Visitor visitor) {
        for (int i = from; i < count; i++) {
            visitor.visit(tracks[i], packets[i], i == from || i == currentGopStart, arrivalsNs[i]);
        }
    }

    /** When the packet at {@code index} reached the stream. */
    long arrivalNs(int index) {
        return arrivalsNs[index];
    }

    /** The first cached packet of a track from {@code from} on, or null: where a new reader's RTP-Info starts. */
    ByteBuf firstPacketOf(int trackIndex, int from) {
        for (int i = from; i < count; i++) {
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
        dropBefore(count);
        currentGopStart = 0;
        caching = false;
    }

    /** Releases the packets before {@code index} and moves the rest to the front. */
    private void dropBefore(int index) {
        for (int i = 0; i < index; i++) {
            bytes -= packets[i].readableBytes();
            packets[i].release();
        }
        int remaining = count - index;
        System.arraycopy(packets, index, packets, 0, remaining);
        System.arraycopy(tracks, index, tracks, 0, remaining);
        System.arraycopy(arrivalsNs, index, arrivalsNs, 0, remaining);
        for (int i = remaining; i < count; i++) {
            packets[i] = null;
        }
        count = remaining;
    }

    private void grow() {
        int newLength = Math.min(maxPackets, packets.length * 2);
        ByteBuf[] p = new ByteBuf[newLength];
        int[] t = new int[newLength];
        long[] a = new long[newLength];
        System.arraycopy(packets, 0, p, 0, count);
        System.arraycopy(tracks, 0, t, 0, count);
        System.arraycopy(arrivalsNs, 0, a, 0, count);
        packets = p;
        tracks = t;
        arrivalsNs = a;
    }
}

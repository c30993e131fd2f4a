package io.sluice.node.vod.room;

import io.netty.buffer.ByteBuf;

/**
 * A packetized stretch of a film, from one cut of its key track (a keyframe) to the next: the RTP packets
 * of every track in demux order, ready but for the fields each viewer owns (sequence number, SSRC, and
 * the timestamp offset). Shared read-only by the viewers of a room; the cache owns its memory.
 *
 * <p>Packets lie back to back in one buffer; per packet the arrays hold its offset, length, track and the
 * media time at which it is due (its decoding time, so frames leave in decoding order).
 */
public final class Gop {

    final GopOwner owner;
    final long startUs;
    final long endUs;
    final boolean last;
    final ByteBuf data;
    final int[] offsets;
    final int[] lengths;
    final byte[] tracks;
    final long[] sendUs;
    final int count;
    /** One past the last packet of the keyframe that starts the GOP, 0 when it has none: what fast-forward sends. */
    final int keyframeEnd;
    /** Cache bookkeeping, media loop only: viewers positioned in this GOP, and whether it was dropped. */
    int pins;
    boolean evicted;

    Gop(GopOwner owner, long startUs, long endUs, boolean last, ByteBuf data, int[] offsets, int[] lengths,
        byte[] tracks, long[] sendUs, int count, int keyframeEnd) {
        this.owner = owner;
        this.startUs = startUs;
        this.endUs = endUs;
        this.last = last;
        this.data = data;
        this.offsets = offsets;
        this.lengths = lengths;
        this.tracks = tracks;
        this.sendUs = sendUs;
        this.count = count;
        this.keyframeEnd = keyframeEnd;
    }

    /** Media time of the keyframe that starts it, microseconds from the film's start. */
    public long startUs() {
        return startUs;
    }

    /** Media time where the next GOP starts (for the last GOP, the end of its last frame). */
    public long endUs() {
        return endUs;
    }

    /** True for the film's last GOP. */
    public boolean last() {
        return last;
    }

    public int packetCount() {
        return count;
    }

    /** Memory held: the packet buffer and the index arrays. */
    public long bytes() {
        return data.capacity() + (long) offsets.length * (4 + 4 + 1 + 8);
    }

    void release() {
        data.release();
    }
}

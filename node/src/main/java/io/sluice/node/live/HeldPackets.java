package io.sluice.node.live;

import io.netty.buffer.ByteBuf;

/**
 * The packets a stream holds back until its current frame is complete, with what the fan-out needs to
 * know of each. Bounded by {@link #CAPACITY}: a frame larger than that is fanned out in parts. Confined
 * to the media loop.
 */
final class HeldPackets {

    /** More packets than a UDP GSO send takes (64 segments) gain nothing. */
    static final int CAPACITY = 64;

    private final ByteBuf[] packets = new ByteBuf[CAPACITY];
    private final int[] tracks = new int[CAPACITY];
    private final boolean[] keyframeStarts = new boolean[CAPACITY];
    private int count;

    /** Keeps a retained reference. */
    void add(int track, ByteBuf packet, boolean keyframeStart) {
        packets[count] = packet.retain();
        tracks[count] = track;
        keyframeStarts[count] = keyframeStart;
        count++;
    }

    int size() {
        return count;
    }

    boolean isEmpty() {
        return count == 0;
    }

    boolean isFull() {
        return count == CAPACITY;
    }

    int track(int i) {
        return tracks[i];
    }

    ByteBuf packet(int i) {
        return packets[i];
    }

    boolean keyframeStart(int i) {
        return keyframeStarts[i];
    }

    /** Releases every held packet. */
    void clear() {
        for (int i = 0; i < count; i++) {
            packets[i].release();
            packets[i] = null;
        }
        count = 0;
    }
}

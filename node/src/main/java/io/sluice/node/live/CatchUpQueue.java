package io.sluice.node.live;

import io.netty.buffer.ByteBuf;

/**
 * A new UDP reader's backlog: the GOP cache, and the live packets that arrive while it is being sent,
 * drained at a bounded rate instead of at once.
 *
 * <p>A GOP of a 2 Mbit/s stream is half a megabyte; sent in one burst over UDP it overflows the
 * player's socket buffer (GStreamer's udpsrc keeps the kernel default, about 200 KiB) and the reader
 * loses the packets it joined for. A token bucket lets the first {@code burstBytes} (the keyframe) go
 * at once and the rest at {@code bytesPerSecond}, so the reader still decodes at once and catches up
 * with the live edge within a fraction of a second. Confined to the media loop.
 */
final class CatchUpQueue {

    /** Where drained packets go: the reader's normal delivery under its slow-reader policy. */
    @FunctionalInterface
    interface Sink {
        void deliver(int track, ByteBuf packet, boolean keyframeTrack, boolean keyframeStart, long nowNs);
    }

    private final long bytesPerSecond;
    private final int burstBytes;
    private final int maxPackets;
    private ByteBuf[] packets = new ByteBuf[64];
    private int[] tracks = new int[64];
    private byte[] flags = new byte[64];
    private int head;
    private int count;
    private double tokens;
    private long lastDrainNs = Long.MIN_VALUE;

    CatchUpQueue(long bytesPerSecond, int burstBytes, int maxPackets) {
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = burstBytes;
        this.maxPackets = maxPackets;
        this.tokens = burstBytes;
    }

    boolean isEmpty() {
        return count == 0;
    }

    int size() {
        return count;
    }

    /** Queues a retained reference; answers false (queueing nothing) when the backlog is full. */
    boolean add(int track, ByteBuf packet, boolean keyframeTrack, boolean keyframeStart) {
        if (count == maxPackets) {
            return false;
        }
        if (count == packets.length) {
            grow();
        }
        int i = (head + count) % packets.length;
        packets[i] = packet.retain();
        tracks[i] = track;
        flags[i] = (byte) ((keyframeTrack ? 1 : 0) | (keyframeStart ? 2 : 0));
        count++;
        return true;
    }

    /** Delivers what the budget allows at {@code nowNs}; answers true when the backlog is empty. */
    boolean drain(long nowNs, Sink sink) {
        if (lastDrainNs != Long.MIN_VALUE) {
            tokens = Math.min(burstBytes, tokens + (nowNs - lastDrainNs) * (bytesPerSecond / 1e9));
        }
        lastDrainNs = nowNs;
        while (count > 0) {
            ByteBuf p = packets[head];
            int length = p.readableBytes();
            // A packet larger than the whole burst still goes, or it would block the queue for ever.
            if (tokens < length && tokens < burstBytes) {
                return false;
            }
            tokens -= length;
            int track = tracks[head];
            byte f = flags[head];
            packets[head] = null;
            head = (head + 1) % packets.length;
            count--;
            try {
                sink.deliver(track, p, (f & 1) != 0, (f & 2) != 0, nowNs);
            } finally {
                p.release();
            }
        }
        return true;
    }

    void clear() {
        while (count > 0) {
            packets[head].release();
            packets[head] = null;
            head = (head + 1) % packets.length;
            count--;
        }
    }

    private void grow() {
        int n = packets.length * 2;
        ByteBuf[] p = new ByteBuf[n];
        int[] t = new int[n];
        byte[] f = new byte[n];
        for (int k = 0; k < count; k++) {
            int i = (head + k) % packets.length;
            p[k] = packets[i];
            t[k] = tracks[i];
            f[k] = flags[i];
        }
        packets = p;
        tracks = t;
        flags = f;
        head = 0;
    }
}

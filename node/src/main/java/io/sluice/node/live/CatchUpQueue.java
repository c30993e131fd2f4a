package io.sluice.node.live;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.RtpPacket;
import java.util.Arrays;

/**
 * A new UDP reader's backlog: the GOP cache, and the live packets that arrive while it is being sent,
 * drained at a bounded rate instead of at once.
 *
 * <p>A GOP of a 2 Mbit/s stream is half a megabyte; sent in one burst over UDP it overflows the
 * player's socket buffer (GStreamer's udpsrc keeps the kernel default, about 200 KiB) and the reader
 * loses the packets it joined for. A token bucket lets the first {@code burstBytes} (the keyframe) go
 * at once and the rest at {@code bytesPerSecond}, so the reader still decodes at once and catches up
 * with the live edge within a fraction of a second.
 *
 * <p>A {@linkplain #delayed delayed} queue instead sends every packet when its RTP time comes, counted
 * from the reader's first cached packet of its track, which goes at once: the keyframe goes at once, and
 * the reader then gets the stream spaced as its timestamps say, the age of its first cached packet behind
 * the live edge, for as long as it reads. That is for readers whose jitter buffer derives timestamps from
 * arrival times: rtpjitterbuffer estimates the clock skew from arrival against RTP time and stamps a
 * retransmitted packet with the skew of the moment it arrives, so after a catch-up burst (media seconds
 * within milliseconds) a resent packet gets a timestamp far from its neighbours' and its frame decodes
 * corrupt. (Spacing by server arrival is not enough: a publisher that starts with a burst of its own
 * would be replayed with it.) A packet is never sent before it arrived, nor held longer than twice the
 * reader's delay past its arrival, so a timestamp jump cannot stall the reader. Confined to the media loop.
 */
final class CatchUpQueue {

    /** Where drained packets go: the reader's normal delivery under its slow-reader policy. */
    @FunctionalInterface
    interface Sink {
        void deliver(int track, ByteBuf packet, boolean keyframeTrack, boolean keyframeStart, long nowNs);
    }

    /** {@link #delayNs} of a queue paced by its token bucket. */
    private static final long NOT_DELAYED = -1;

    private final long bytesPerSecond;
    private final int burstBytes;
    private final int maxPackets;
    private final long delayNs;
    /** How many times faster than their RTP time a delayed queue sends packets, until it reaches the live edge. */
    private final int speedUp;
    /** Set when a queue that speeds up has reached the live edge: the reader then gets packets directly. */
    private boolean live;
    /** Per track of a delayed queue: the clock rate (0: unknown), the first packet's timestamp and due time. */
    private final int[] clockRates;
    private final long[] anchorTimestamps;
    private final long[] anchorDuesNs;
    private ByteBuf[] packets = new ByteBuf[64];
    private int[] tracks = new int[64];
    private byte[] flags = new byte[64];
    private long[] duesNs = new long[64];
    private int head;
    private int count;
    private double tokens;
    private long lastDrainNs = Long.MIN_VALUE;

    CatchUpQueue(long bytesPerSecond, int burstBytes, int maxPackets) {
        this(bytesPerSecond, burstBytes, maxPackets, NOT_DELAYED, new int[0], 1);
    }

    private CatchUpQueue(long bytesPerSecond, int burstBytes, int maxPackets, long delayNs, int[] clockRates,
                         int speedUp) {
        this.bytesPerSecond = bytesPerSecond;
        this.burstBytes = burstBytes;
        this.maxPackets = maxPackets;
        this.delayNs = delayNs;
        this.speedUp = speedUp;
        this.tokens = burstBytes;
        this.clockRates = clockRates.clone();
        this.anchorTimestamps = new long[clockRates.length];
        this.anchorDuesNs = new long[clockRates.length];
        Arrays.fill(anchorDuesNs, Long.MIN_VALUE);
    }

    /**
     * A queue that paces each track by its RTP timestamps ({@code clockRates} per track index, 0 where
     * unknown: that track goes {@code delayNs} after arrival), its first packet {@code delayNs} after
     * that packet's arrival, for the reader's whole read.
     */
    static CatchUpQueue delayed(long delayNs, int[] clockRates, int maxPackets) {
        return timed(delayNs, clockRates, maxPackets, 1);
    }

    /**
     * Like {@link #delayed}, but {@code speedUp} times faster than RTP time, so the reader reaches the live
     * edge after {@code delayNs * speedUp / (speedUp - 1)} of media and from then on gets packets directly.
     * That is for readers that ask for lost packets again at a bounded rate (ffmpeg: one NACK per 200 ms,
     * and it gives a gap up after 100 ms by default): a backlog sent at once packs more gaps into that time
     * than one NACK can name, while a backlog at a few times real time still fills a player's probe quickly.
     */
    static CatchUpQueue timed(long delayNs, int[] clockRates, int maxPackets, int speedUp) {
        if (delayNs < 0) {
            throw new IllegalArgumentException("delayNs must not be negative: " + delayNs);
        }
        if (speedUp < 1) {
            throw new IllegalArgumentException("speedUp must be at least 1: " + speedUp);
        }
        return new CatchUpQueue(0, 0, maxPackets, delayNs, clockRates, speedUp);
    }

    boolean isEmpty() {
        return count == 0;
    }

    /**
     * Whether the reader gets packets directly now: once a rate-paced backlog is sent, or a sped-up queue
     * has reached the live edge; never for a {@linkplain #delayed delayed} queue, which stays in the path.
     */
    boolean isDone() {
        return count == 0 && (delayNs == NOT_DELAYED || live);
    }

    int size() {
        return count;
    }

    /**
     * Queues a retained reference to a packet that reached the server at {@code arrivalNs}; answers false
     * (queueing nothing) when the backlog is full.
     */
    boolean add(int track, ByteBuf packet, boolean keyframeTrack, boolean keyframeStart, long arrivalNs) {
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
        duesNs[i] = delayNs == NOT_DELAYED ? arrivalNs : dueNs(track, packet, arrivalNs);
        count++;
        return true;
    }

    private long dueNs(int track, ByteBuf packet, long arrivalNs) {
        int rate = track < clockRates.length ? clockRates[track] : 0;
        if (rate <= 0) {
            return arrivalNs + delayNs;
        }
        long timestamp = RtpPacket.timestamp(packet);
        if (anchorDuesNs[track] == Long.MIN_VALUE) {
            anchorTimestamps[track] = timestamp;
            anchorDuesNs[track] = arrivalNs + delayNs;
        }
        // Signed 32-bit difference: timestamps wrap, and B-frames go back a little.
        int ticks = (int) (timestamp - anchorTimestamps[track]);
        long dueNs = anchorDuesNs[track] + ticks * 1_000_000_000L / rate / speedUp;
        if (speedUp > 1 && dueNs <= arrivalNs) {
            live = true;
        }
        return Math.clamp(dueNs, arrivalNs, arrivalNs + 2 * delayNs);
    }

    /** Delivers what the budget allows at {@code nowNs}; answers {@link #isDone()} after it. */
    boolean drain(long nowNs, Sink sink) {
        if (delayNs != NOT_DELAYED) {
            while (count > 0 && duesNs[head] <= nowNs) {
                deliverHead(nowNs, sink);
            }
            return isDone();
        }
        if (lastDrainNs != Long.MIN_VALUE) {
            tokens = Math.min(burstBytes, tokens + (nowNs - lastDrainNs) * (bytesPerSecond / 1e9));
        }
        lastDrainNs = nowNs;
        while (count > 0) {
            int length = packets[head].readableBytes();
            // A packet larger than the whole burst still goes, or it would block the queue for ever.
            if (tokens < length && tokens < burstBytes) {
                return false;
            }
            tokens -= length;
            deliverHead(nowNs, sink);
        }
        return true;
    }

    private void deliverHead(long nowNs, Sink sink) {
        ByteBuf p = packets[head];
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
        long[] d = new long[n];
        for (int k = 0; k < count; k++) {
            int i = (head + k) % packets.length;
            p[k] = packets[i];
            t[k] = tracks[i];
            f[k] = flags[i];
            d[k] = duesNs[i];
        }
        packets = p;
        tracks = t;
        flags = f;
        duesNs = d;
        head = 0;
    }
}

package io.sluice.node.vod.demux;

import io.netty.buffer.ByteBuf;

/**
 * One compressed frame read from a film, in the time base of its stream. A holder the demuxer fills
 * again on every read, so reading allocates no holder; {@link #data()} is a new buffer each time, owned by
 * whoever took the packet.
 */
public final class DemuxedPacket {

    /** FFmpeg's AV_NOPTS_VALUE: the container did not say. */
    public static final long NO_TIMESTAMP = Long.MIN_VALUE;

    private int streamIndex;
    private long pts;
    private long dts;
    private long duration;
    private boolean keyframe;
    private ByteBuf data;

    /** Fills the holder; for readers other than FFmpeg's (tests feed synthetic films). */
    public DemuxedPacket set(int streamIndex, long pts, long dts, long duration, boolean keyframe, ByteBuf data) {
        this.streamIndex = streamIndex;
        this.pts = pts;
        this.dts = dts;
        this.duration = duration;
        this.keyframe = keyframe;
        this.data = data;
        return this;
    }

    public int streamIndex() {
        return streamIndex;
    }

    /** Presentation timestamp, or {@link #NO_TIMESTAMP}. */
    public long pts() {
        return pts;
    }

    /** Decoding timestamp, or {@link #NO_TIMESTAMP}. */
    public long dts() {
        return dts;
    }

    /** Duration in time-base units, 0 when unknown. */
    public long duration() {
        return duration;
    }

    public boolean keyframe() {
        return keyframe;
    }

    /** The frame's bytes; the caller of the read that filled this holder owns them and releases them. */
    public ByteBuf data() {
        return data;
    }
}

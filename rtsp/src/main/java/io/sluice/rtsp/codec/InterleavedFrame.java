package io.sluice.rtsp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.DefaultByteBufHolder;

/**
 * One {@code $}-framed block of binary data carried inside an RTSP connection (RFC 2326 section
 * 10.12), usually one RTP or RTCP packet of a track set up with {@code interleaved=}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  '$' (0x24)   |    channel    |            length             |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                 length bytes of data (content) ...            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The content holds only the data; the 4-byte header is consumed by {@link RtspMessageDecoder} and
 * produced by {@link InterleavedFrameEncoder}.
 */
public final class InterleavedFrame extends DefaultByteBufHolder {

    /** The byte that opens every interleaved frame. */
    public static final byte MAGIC = '$';
    /** Size of the header in front of the data: magic, channel, 16-bit length. */
    public static final int HEADER_LENGTH = 4;
    /** Offset of the channel byte in the header. */
    public static final int CHANNEL_OFFSET = 1;
    /** Offset of the big-endian 16-bit length in the header. */
    public static final int LENGTH_OFFSET = 2;
    /** Largest channel number the one-byte field can hold. */
    public static final int MAX_CHANNEL = 0xFF;
    /** Largest data length the 16-bit field can hold. */
    public static final int MAX_LENGTH = 0xFFFF;

    private final int channel;

    /**
     * @param channel the interleaved channel, 0 to 255
     * @param content the data, at most 65535 bytes; ownership passes to this frame
     */
    public InterleavedFrame(int channel, ByteBuf content) {
        super(content);
        if (channel < 0 || channel > MAX_CHANNEL) {
            throw new IllegalArgumentException("interleaved channel out of range 0-255: " + channel);
        }
        if (content.readableBytes() > MAX_LENGTH) {
            throw new IllegalArgumentException("interleaved data longer than 65535 bytes: " + content.readableBytes());
        }
        this.channel = channel;
    }

    /** The interleaved channel number, 0 to 255. */
    public int channel() {
        return channel;
    }

    @Override
    public InterleavedFrame copy() {
        return replace(content().copy());
    }

    @Override
    public InterleavedFrame duplicate() {
        return replace(content().duplicate());
    }

    @Override
    public InterleavedFrame retainedDuplicate() {
        return replace(content().retainedDuplicate());
    }

    @Override
    public InterleavedFrame replace(ByteBuf content) {
        return new InterleavedFrame(channel, content);
    }

    @Override
    public InterleavedFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public InterleavedFrame retain(int increment) {
        super.retain(increment);
        return this;
    }

    @Override
    public InterleavedFrame touch() {
        super.touch();
        return this;
    }

    @Override
    public InterleavedFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof InterleavedFrame other && other.channel == channel && super.equals(o);
    }

    @Override
    public int hashCode() {
        return 31 * super.hashCode() + channel;
    }

    @Override
    public String toString() {
        return "InterleavedFrame(channel=" + channel + ", length=" + content().readableBytes() + ")";
    }
}

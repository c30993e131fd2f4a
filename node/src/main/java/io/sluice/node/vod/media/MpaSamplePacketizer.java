package io.sluice.node.vod.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.PayloadSink;

/**
 * MPEG audio frames (MP3, MP2) to RTP, static payload type 14 (RFC 2250 section 3.5): a four-byte
 * header, then the frame or, when it does not fit, a fragment of it.
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             MBZ               |          Frag_offset          |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Frag_offset is the fragment's byte offset in the frame; the marker stays clear (a film has no
 * talkspurts). The format module has no MPEG audio payload format yet; this one lives with the film
 * library, its only user.
 */
public final class MpaSamplePacketizer implements SamplePacketizer {

    static final int HEADER_LENGTH = 4;

    private final int maxPayloadSize;
    private final ByteBufAllocator alloc;

    public MpaSamplePacketizer(int maxPayloadSize, ByteBufAllocator alloc) {
        if (maxPayloadSize <= HEADER_LENGTH) {
            throw new IllegalArgumentException("maxPayloadSize must exceed 4: " + maxPayloadSize);
        }
        this.maxPayloadSize = maxPayloadSize;
        this.alloc = alloc;
    }

    @Override
    public void packetize(ByteBuf sample, boolean keyframe, PayloadSink sink) {
        int start = sample.readerIndex();
        int length = sample.readableBytes();
        int chunkSize = maxPayloadSize - HEADER_LENGTH;
        for (int offset = 0; offset < length; offset += chunkSize) {
            int chunk = Math.min(chunkSize, length - offset);
            ByteBuf payload = alloc.buffer(HEADER_LENGTH + chunk);
            payload.writeShort(0);
            payload.writeShort(offset);
            payload.writeBytes(sample, start + offset, chunk);
            sink.payload(payload, false);
        }
    }
}

package io.sluice.format.aac;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.PayloadSink;
import java.util.List;

/**
 * Packs AAC frames into RTP payloads of RFC 3640 {@code mpeg4-generic}, mode AAC-hbr
 * ({@code sizelength=13;indexlength=3;indexdeltalength=3}, section 3.3.6):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | AU-headers-length (in bits)   | AU-size(1) (13)         |idx=0|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | AU-size(2) (13)         |dlt=0| ...                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |              AU(1) data, AU(2) data, ...                      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * Consecutive frames share a packet while they fit; the RTP timestamp of a packet is that of its
 * first frame. A frame larger than a packet is fragmented (section 3.2.3): each fragment carries
 * one AU header with the size of the whole frame, and only the last has the marker bit. Every
 * other packet has the marker bit set. Frames are copied into exact-size payload buffers.
 */
public final class Rfc3640Packetizer {

    /** Largest AU-size of a 13-bit field. */
    public static final int MAX_FRAME_SIZE = 8191;

    private static final int HEADERS_LENGTH_FIELD = 2;
    private static final int AU_HEADER_LENGTH = 2;
    private static final int AU_HEADER_BITS = 16;
    private static final int SIZE_SHIFT = 3;

    private final int maxPayloadSize;
    private final ByteBufAllocator alloc;

    /** @param maxPayloadSize the largest RTP payload to produce, at least 5 bytes */
    public Rfc3640Packetizer(int maxPayloadSize) {
        this(maxPayloadSize, ByteBufAllocator.DEFAULT);
    }

    public Rfc3640Packetizer(int maxPayloadSize, ByteBufAllocator alloc) {
        if (maxPayloadSize < HEADERS_LENGTH_FIELD + AU_HEADER_LENGTH + 1) {
            throw new IllegalArgumentException("maxPayloadSize must be at least 5: " + maxPayloadSize);
        }
        this.maxPayloadSize = maxPayloadSize;
        this.alloc = alloc;
    }

    /** Sends one frame in one packet, or fragments it. The frame's indices do not move. */
    public void packetize(ByteBuf frame, PayloadSink sink) {
        checkSize(frame);
        if (HEADERS_LENGTH_FIELD + AU_HEADER_LENGTH + frame.readableBytes() > maxPayloadSize) {
            fragment(frame, sink);
        } else {
            sink.payload(packed(List.of(frame), 0, 1), true);
        }
    }

    /**
     * Sends {@code frames[from]} and the frames after it that fit in the same packet, or fragments
     * {@code frames[from]} alone when it does not fit a packet. The frames' indices do not move and
     * they stay owned by the caller.
     *
     * @return how many frames went out, at least 1; the next packet's timestamp is this many frame
     *         durations later
     */
    public int packetize(List<ByteBuf> frames, int from, PayloadSink sink) {
        ByteBuf first = frames.get(from);
        checkSize(first);
        int size = HEADERS_LENGTH_FIELD + AU_HEADER_LENGTH + first.readableBytes();
        if (size > maxPayloadSize) {
            fragment(first, sink);
            return 1;
        }
        int end = from + 1;
        while (end < frames.size()) {
            ByteBuf next = frames.get(end);
            checkSize(next);
            int grown = size + AU_HEADER_LENGTH + next.readableBytes();
            if (grown > maxPayloadSize) {
                break;
            }
            size = grown;
            end++;
        }
        sink.payload(packed(frames, from, end), true);
        return end - from;
    }

    private ByteBuf packed(List<ByteBuf> frames, int from, int end) {
        int count = end - from;
        int size = HEADERS_LENGTH_FIELD + count * AU_HEADER_LENGTH;
        for (int i = from; i < end; i++) {
            size += frames.get(i).readableBytes();
        }
        ByteBuf payload = alloc.buffer(size);
        payload.writeShort(count * AU_HEADER_BITS);
        for (int i = from; i < end; i++) {
            payload.writeShort(frames.get(i).readableBytes() << SIZE_SHIFT);
        }
        for (int i = from; i < end; i++) {
            ByteBuf frame = frames.get(i);
            payload.writeBytes(frame, frame.readerIndex(), frame.readableBytes());
        }
        return payload;
    }

    private void fragment(ByteBuf frame, PayloadSink sink) {
        int auHeader = frame.readableBytes() << SIZE_SHIFT;
        int chunkSize = maxPayloadSize - HEADERS_LENGTH_FIELD - AU_HEADER_LENGTH;
        int offset = frame.readerIndex();
        int end = frame.writerIndex();
        while (offset < end) {
            int chunk = Math.min(chunkSize, end - offset);
            ByteBuf payload = alloc.buffer(HEADERS_LENGTH_FIELD + AU_HEADER_LENGTH + chunk);
            payload.writeShort(AU_HEADER_BITS);
            payload.writeShort(auHeader);
            payload.writeBytes(frame, offset, chunk);
            offset += chunk;
            sink.payload(payload, offset == end);
        }
    }

    private static void checkSize(ByteBuf frame) {
        int size = frame.readableBytes();
        if (size == 0 || size > MAX_FRAME_SIZE) {
            throw new IllegalArgumentException("AAC frame of " + size + " bytes: AAC-hbr carries 1.." + MAX_FRAME_SIZE);
        }
    }
}

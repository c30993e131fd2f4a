package io.sluice.format.h265;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.PayloadSink;

/**
 * Splits H.265 NAL units into RTP payloads (RFC 7798): a NAL unit that fits is sent as a single NAL
 * unit packet (section 4.4.1), a larger one as fragmentation units (section 4.4.3):
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    PayloadHdr (Type=49)       |   FU header   |               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               |
 * |                         FU payload                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * FU header: +-+-+-+-+-+-+-+-+
 *            |S|E|  FuType   |
 *            +---------------+
 * </pre>
 * The payload header copies F, LayerId and TID of the NAL unit header with Type set to 49; the
 * original two-byte header is not repeated. Single NAL unit packets are retained slices of the
 * input (no copy); fragments are copied into buffers of their exact size. No DONL fields
 * ({@code sprop-max-don-diff=0}).
 */
public final class H265Packetizer {

    private static final int FU_HEADER_LENGTH = 3;
    private static final int FU_START = 0x80;
    private static final int FU_END = 0x40;
    /** F bit and the high bit of LayerId in the first header byte. */
    private static final int F_LAYER_MASK = 0x81;

    private final int maxPayloadSize;
    private final ByteBufAllocator alloc;

    /** @param maxPayloadSize the largest RTP payload to produce, at least 4 bytes */
    public H265Packetizer(int maxPayloadSize) {
        this(maxPayloadSize, ByteBufAllocator.DEFAULT);
    }

    public H265Packetizer(int maxPayloadSize, ByteBufAllocator alloc) {
        if (maxPayloadSize < FU_HEADER_LENGTH + 1) {
            throw new IllegalArgumentException("maxPayloadSize must be at least 4: " + maxPayloadSize);
        }
        this.maxPayloadSize = maxPayloadSize;
        this.alloc = alloc;
    }

    /**
     * Sends one NAL unit as one or more payloads.
     *
     * @param nalUnit             a NAL unit with its two-byte header, without start code or length
     *                            prefix; read, not consumed, and still owned by the caller
     * @param lastNalOfAccessUnit sets the marker on the NAL unit's last payload
     * @param sink                receives the payloads, in order
     */
    public void packetize(ByteBuf nalUnit, boolean lastNalOfAccessUnit, PayloadSink sink) {
        int length = nalUnit.readableBytes();
        if (length <= H265NalUnit.HEADER_SIZE) {
            throw new IllegalArgumentException("H.265 NAL unit of " + length + " bytes has no payload");
        }
        if (length <= maxPayloadSize) {
            sink.payload(nalUnit.retainedSlice(), lastNalOfAccessUnit);
            return;
        }
        int start = nalUnit.readerIndex();
        int header0 = nalUnit.getUnsignedByte(start);
        int header1 = nalUnit.getUnsignedByte(start + 1);
        int payloadHeader0 = (header0 & F_LAYER_MASK) | (H265NalUnit.FU << 1);
        int type = H265NalUnit.type(header0);
        int offset = start + H265NalUnit.HEADER_SIZE;
        int end = nalUnit.writerIndex();
        int chunkSize = maxPayloadSize - FU_HEADER_LENGTH;
        while (offset < end) {
            int chunk = Math.min(chunkSize, end - offset);
            boolean first = offset == start + H265NalUnit.HEADER_SIZE;
            boolean last = offset + chunk == end;
            ByteBuf payload = alloc.buffer(FU_HEADER_LENGTH + chunk);
            payload.writeByte(payloadHeader0);
            payload.writeByte(header1);
            payload.writeByte((first ? FU_START : 0) | (last ? FU_END : 0) | type);
            payload.writeBytes(nalUnit, offset, chunk);
            offset += chunk;
            sink.payload(payload, last && lastNalOfAccessUnit);
        }
    }
}

package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.PayloadSink;

/**
 * Splits H.264 NAL units into RTP payloads, packetization-mode=1 (RFC 6184 section 6.3): a NAL
 * unit that fits is sent as a single NAL unit packet (section 5.6), a larger one as FU-A fragments
 * (section 5.8):
 * <pre>
 *  0                   1                   2
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | FU indicator  |   FU header   |               |
 * |F|NRI|  Type=28|S|E|R|  Type   |  FU payload   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 * The indicator keeps F and NRI of the NAL unit header, the FU header its type; the header byte
 * itself is not repeated. Single NAL unit packets are retained slices of the input (no copy);
 * fragments are copied into buffers of their exact size.
 */
public final class H264Packetizer {

    private static final int FU_A_HEADER_LENGTH = 2;
    private static final int FU_START = 0x80;
    private static final int FU_END = 0x40;

    private final int maxPayloadSize;
    private final ByteBufAllocator alloc;

    /** @param maxPayloadSize the largest RTP payload to produce, at least 3 bytes */
    public H264Packetizer(int maxPayloadSize) {
        this(maxPayloadSize, ByteBufAllocator.DEFAULT);
    }

    public H264Packetizer(int maxPayloadSize, ByteBufAllocator alloc) {
        if (maxPayloadSize < FU_A_HEADER_LENGTH + 1) {
            throw new IllegalArgumentException("maxPayloadSize must be at least 3: " + maxPayloadSize);
        }
        this.maxPayloadSize = maxPayloadSize;
        this.alloc = alloc;
    }

    /**
     * Sends one NAL unit as one or more payloads.
     *
     * @param nalUnit              a NAL unit without start code or length prefix; read, not consumed
     *                             (its indices stay), and still owned by the caller
     * @param lastNalOfAccessUnit  sets the marker on the NAL unit's last payload
     * @param sink                 receives the payloads, in order
     */
    public void packetize(ByteBuf nalUnit, boolean lastNalOfAccessUnit, PayloadSink sink) {
        int length = nalUnit.readableBytes();
        if (length == 0) {
            throw new IllegalArgumentException("empty NAL unit");
        }
        if (length <= maxPayloadSize) {
            sink.payload(nalUnit.retainedSlice(), lastNalOfAccessUnit);
            return;
        }
        int start = nalUnit.readerIndex();
        int header = nalUnit.getUnsignedByte(start);
        int indicator = (header & H264NalUnit.F_NRI_MASK) | H264NalUnit.FU_A;
        int type = header & H264NalUnit.TYPE_MASK;
        int offset = start + 1;
        int end = nalUnit.writerIndex();
        int chunkSize = maxPayloadSize - FU_A_HEADER_LENGTH;
        while (offset < end) {
            int chunk = Math.min(chunkSize, end - offset);
            boolean first = offset == start + 1;
            boolean last = offset + chunk == end;
            ByteBuf payload = alloc.buffer(FU_A_HEADER_LENGTH + chunk);
            payload.writeByte(indicator);
            payload.writeByte((first ? FU_START : 0) | (last ? FU_END : 0) | type);
            payload.writeBytes(nalUnit, offset, chunk);
            offset += chunk;
            sink.payload(payload, last && lastNalOfAccessUnit);
        }
    }
}

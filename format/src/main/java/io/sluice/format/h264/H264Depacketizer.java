package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.AccessUnitSink;
import io.sluice.format.NalUnitAssembler;
import io.sluice.format.PayloadFormatException;

/**
 * Rebuilds H.264 access units from RTP payloads, packetization-mode=1 (RFC 6184 sections 5.6-5.8):
 * single NAL unit packets (types 1..23), STAP-A (24) and FU-A (28).
 * <pre>
 * STAP-A:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |STAP-A NAL HDR |         NALU 1 Size           | NALU 1 HDR    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         NALU 1 Data                           |
 * :                                                               :
 * +               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |               | NALU 2 Size                   | NALU 2 HDR    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         NALU 2 Data                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * FU-A:
 * +---------------+---------------+-------------
 * |F|NRI|  Type=28|S|E|R|  Type   | FU payload ...
 * +---------------+---------------+-------------
 * </pre>
 * Single NAL units and STAP-A units are passed on as retained slices of the payload (no copy);
 * fragmented NAL units are reassembled into one buffer. The caller keeps ownership of each payload.
 * Packets of other types (STAP-B, MTAP, FU-B: interleaved mode only) are refused. See
 * {@link NalUnitAssembler} for access unit boundaries, loss handling and memory limits.
 * Not thread-safe.
 */
public final class H264Depacketizer {

    public static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_NAL_UNITS_PER_ACCESS_UNIT = 1024;

    private static final int STAP_A_UNITS_OFFSET = 1;
    private static final int FU_HEADER_OFFSET = 1;
    private static final int FU_PAYLOAD_OFFSET = 2;

    private final NalUnitAssembler assembler;

    public H264Depacketizer() {
        this(ByteBufAllocator.DEFAULT, DEFAULT_MAX_ACCESS_UNIT_SIZE, DEFAULT_MAX_NAL_UNITS_PER_ACCESS_UNIT);
    }

    public H264Depacketizer(ByteBufAllocator alloc, int maxAccessUnitSize, int maxNalUnitsPerAccessUnit) {
        this.assembler = new NalUnitAssembler(alloc, maxAccessUnitSize, maxNalUnitsPerAccessUnit);
    }

    /**
     * Takes one RTP payload; calls {@code sink} for each access unit it completes.
     *
     * @param payload        the RTP payload (readerIndex..writerIndex), read but not consumed
     * @param sequenceNumber the packet's RTP sequence number, to notice loss
     * @param rtpTimestamp   the packet's RTP timestamp, 0..2^32-1
     * @param marker         the packet's marker bit: the last packet of an access unit
     * @throws PayloadFormatException for a malformed or refused packet, which is ignored
     */
    public void depacketize(ByteBuf payload, int sequenceNumber, long rtpTimestamp, boolean marker,
            AccessUnitSink sink) {
        assembler.beginPacket(sequenceNumber, rtpTimestamp, sink);
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        if (end <= start) {
            throw new PayloadFormatException("empty H.264 payload");
        }
        int type = H264NalUnit.type(payload.getByte(start));
        switch (type) {
            case H264NalUnit.STAP_A -> assembler.addAggregatedNalUnits(payload, start, start + STAP_A_UNITS_OFFSET, end,
                    H264NalUnit.HEADER_SIZE, "STAP-A");
            case H264NalUnit.FU_A -> readFuA(payload, start, end);
            case 0, H264NalUnit.STAP_B, H264NalUnit.MTAP16, H264NalUnit.MTAP24, H264NalUnit.FU_B, 30, 31 ->
                    throw new PayloadFormatException("H.264 packet type " + type
                            + " is not allowed in packetization-mode=1");
            default -> assembler.addNalUnit(payload.retainedSlice(start, end - start));
        }
        assembler.endPacket(marker, sink);
    }

    /** Fragmented NAL units dropped because a packet of theirs was lost. */
    public long droppedFragments() {
        return assembler.droppedFragments();
    }

    /** Access units dropped for exceeding the size limits. */
    public long droppedAccessUnits() {
        return assembler.droppedAccessUnits();
    }

    /** Releases what is pending; the next packet starts afresh. */
    public void reset() {
        assembler.reset();
    }

    private void readFuA(ByteBuf payload, int start, int end) {
        if (end - start <= FU_PAYLOAD_OFFSET) {
            throw new PayloadFormatException("FU-A of " + (end - start) + " bytes has no payload");
        }
        int indicator = payload.getUnsignedByte(start);
        int fuHeader = payload.getUnsignedByte(start + FU_HEADER_OFFSET);
        int nalHeader = (indicator & H264NalUnit.F_NRI_MASK) | (fuHeader & H264NalUnit.TYPE_MASK);
        assembler.addFragmentationUnit(payload, fuHeader, nalHeader, H264NalUnit.HEADER_SIZE,
                start + FU_PAYLOAD_OFFSET, end - start - FU_PAYLOAD_OFFSET, "FU-A");
    }
}

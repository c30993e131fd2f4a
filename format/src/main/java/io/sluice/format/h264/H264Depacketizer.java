package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.NalUnitAssembler;
import io.sluice.format.NalUnitDepacketizer;
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
public final class H264Depacketizer extends NalUnitDepacketizer {

    private static final int STAP_A_UNITS_OFFSET = 1;
    private static final int FU_HEADER_OFFSET = 1;
    private static final int FU_PAYLOAD_OFFSET = 2;

    public H264Depacketizer() {
        this(ByteBufAllocator.DEFAULT, DEFAULT_MAX_ACCESS_UNIT_SIZE, DEFAULT_MAX_NAL_UNITS_PER_ACCESS_UNIT);
    }

    public H264Depacketizer(ByteBufAllocator alloc, int maxAccessUnitSize, int maxNalUnitsPerAccessUnit) {
        super(alloc, maxAccessUnitSize, maxNalUnitsPerAccessUnit);
    }

    @Override
    protected void readPayload(ByteBuf payload, int start, int end) {
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

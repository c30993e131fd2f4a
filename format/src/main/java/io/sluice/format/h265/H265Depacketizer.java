package io.sluice.format.h265;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.NalUnitAssembler;
import io.sluice.format.NalUnitDepacketizer;
import io.sluice.format.PayloadFormatException;

/**
 * Rebuilds H.265 access units from RTP payloads (RFC 7798 section 4.4): single NAL unit packets,
 * aggregation packets (48) and fragmentation units (49).
 * <pre>
 * AP:
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    PayloadHdr (Type=48)       |         NALU 1 Size           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          NALU 1 HDR           |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+         NALU 1 Data           |
 * |                   . . .                                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  . . .        | NALU 2 Size                   | NALU 2 HDR    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * FU:
 * +-------------------------------+---------------+-------------
 * |F|  Type=49  | LayerId   | TID |S|E|  FuType   | FU payload ...
 * +-------------------------------+---------------+-------------
 * </pre>
 * Single NAL units and aggregated units are passed on as retained slices of the payload (no copy);
 * fragmented NAL units are reassembled into one buffer, their header rebuilt from the payload
 * header and FuType. The caller keeps ownership of each payload. DONL/DOND fields
 * ({@code sprop-max-don-diff > 0}) and PACI packets (50) are not supported and refused. See
 * {@link NalUnitAssembler} for access unit boundaries, loss handling and memory limits.
 * Not thread-safe.
 */
public final class H265Depacketizer extends NalUnitDepacketizer {

    private static final int FU_HEADER_OFFSET = 2;
    private static final int FU_PAYLOAD_OFFSET = 3;
    private static final int FU_TYPE_MASK = 0x3F;
    private static final int F_LAYER_MASK = 0x81;

    public H265Depacketizer() {
        this(ByteBufAllocator.DEFAULT, DEFAULT_MAX_ACCESS_UNIT_SIZE, DEFAULT_MAX_NAL_UNITS_PER_ACCESS_UNIT);
    }

    public H265Depacketizer(ByteBufAllocator alloc, int maxAccessUnitSize, int maxNalUnitsPerAccessUnit) {
        super(alloc, maxAccessUnitSize, maxNalUnitsPerAccessUnit);
    }

    @Override
    protected void readPayload(ByteBuf payload, int start, int end) {
        if (end - start <= H265NalUnit.HEADER_SIZE) {
            throw new PayloadFormatException("H.265 payload of " + (end - start) + " bytes is too short");
        }
        int type = H265NalUnit.type(payload.getByte(start));
        if (type == H265NalUnit.AP) {
            assembler.addAggregatedNalUnits(payload, start, start + H265NalUnit.HEADER_SIZE, end,
                    H265NalUnit.HEADER_SIZE, "AP");
        } else if (type == H265NalUnit.FU) {
            readFragmentationUnit(payload, start, end);
        } else if (type >= H265NalUnit.PACI) {
            throw new PayloadFormatException("H.265 packet type " + type + " is not supported");
        } else {
            assembler.addNalUnit(payload.retainedSlice(start, end - start));
        }
    }

    private void readFragmentationUnit(ByteBuf payload, int start, int end) {
        if (end - start <= FU_PAYLOAD_OFFSET) {
            throw new PayloadFormatException("FU of " + (end - start) + " bytes has no payload");
        }
        int fuHeader = payload.getUnsignedByte(start + FU_HEADER_OFFSET);
        int header0 = (payload.getUnsignedByte(start) & F_LAYER_MASK) | ((fuHeader & FU_TYPE_MASK) << 1);
        int nalHeader = header0 << 8 | payload.getUnsignedByte(start + 1);
        assembler.addFragmentationUnit(payload, fuHeader, nalHeader, H265NalUnit.HEADER_SIZE,
                start + FU_PAYLOAD_OFFSET, end - start - FU_PAYLOAD_OFFSET, "FU");
    }
}

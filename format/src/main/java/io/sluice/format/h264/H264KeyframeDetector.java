package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import io.sluice.format.KeyframeDetector;

/**
 * Finds the start of an H.264 random access point in an RTP payload (RFC 6184 section 5): an IDR
 * slice (5) or a sequence parameter set (7), which encoders send right before the IDR.
 * <pre>
 * single NAL unit (1..23):  [NAL header][...]
 * STAP-A (24):              [24][size16][NAL][size16][NAL]...
 * STAP-B (25):              [25][DON16][size16][NAL]...
 * MTAP16 (26):              [26][DONB16][size16][DOND8][TS offset16][NAL]...
 * MTAP24 (27):              [27][DONB16][size16][DOND8][TS offset24][NAL]...
 * FU-A (28), FU-B (29):     [FU indicator][FU header: S|E|R|Type][...]
 *
 *   FU header  +---------------+
 *              |0|1|2|3|4|5|6|7|
 *              +-+-+-+-+-+-+-+-+
 *              |S|E|R|  Type   |
 *              +---------------+
 * </pre>
 * A fragmentation unit counts only when its S bit is set, so a GOP starts with its first packet.
 */
public final class H264KeyframeDetector implements KeyframeDetector {

    public static final H264KeyframeDetector INSTANCE = new H264KeyframeDetector();

    private static final int FU_HEADER_OFFSET = 1;
    private static final int FU_START_BIT = 0x80;
    private static final int STAP_A_UNITS_OFFSET = 1;
    /** After the type byte and the 16-bit DON or DONB. */
    private static final int STAP_B_MTAP_UNITS_OFFSET = 3;
    private static final int SIZE_FIELD_LENGTH = 2;
    /** DOND (8 bits) and TS offset (16 or 24 bits) between an MTAP unit's size field and its NAL unit. */
    private static final int MTAP16_UNIT_EXTRA = 3;
    private static final int MTAP24_UNIT_EXTRA = 4;

    private H264KeyframeDetector() {
    }

    @Override
    public boolean isKeyframe(ByteBuf payload) {
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        if (end <= start) {
            return false;
        }
        int type = H264NalUnit.type(payload.getByte(start));
        return switch (type) {
            case H264NalUnit.STAP_A -> anyUnitIsRandomAccess(payload, start + STAP_A_UNITS_OFFSET, end, 0);
            case H264NalUnit.STAP_B -> anyUnitIsRandomAccess(payload, start + STAP_B_MTAP_UNITS_OFFSET, end, 0);
            case H264NalUnit.MTAP16 ->
                    anyUnitIsRandomAccess(payload, start + STAP_B_MTAP_UNITS_OFFSET, end, MTAP16_UNIT_EXTRA);
            case H264NalUnit.MTAP24 ->
                    anyUnitIsRandomAccess(payload, start + STAP_B_MTAP_UNITS_OFFSET, end, MTAP24_UNIT_EXTRA);
            case H264NalUnit.FU_A, H264NalUnit.FU_B -> {
                if (end - start <= FU_HEADER_OFFSET) {
                    yield false;
                }
                int fuHeader = payload.getByte(start + FU_HEADER_OFFSET);
                yield (fuHeader & FU_START_BIT) != 0 && isRandomAccess(H264NalUnit.type(fuHeader));
            }
            default -> isRandomAccess(type);
        };
    }

    /** Walks aggregation units: a 16-bit size, {@code extra} bytes, then the NAL unit of that size. */
    private static boolean anyUnitIsRandomAccess(ByteBuf payload, int offset, int end, int extra) {
        while (offset + SIZE_FIELD_LENGTH + extra < end) {
            int size = payload.getUnsignedShort(offset);
            int nalOffset = offset + SIZE_FIELD_LENGTH + extra;
            if (size == 0) {
                return false;
            }
            if (isRandomAccess(H264NalUnit.type(payload.getByte(nalOffset)))) {
                return true;
            }
            offset = nalOffset + size;
        }
        return false;
    }

    private static boolean isRandomAccess(int type) {
        return type == H264NalUnit.IDR || type == H264NalUnit.SPS;
    }
}

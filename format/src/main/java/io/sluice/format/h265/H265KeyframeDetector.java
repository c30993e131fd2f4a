package io.sluice.format.h265;

import io.netty.buffer.ByteBuf;
import io.sluice.format.KeyframeDetector;

/**
 * Finds the start of an H.265 random access point in an RTP payload (RFC 7798 section 4.4): an IRAP
 * picture (types 16..21) or a parameter set (VPS 32, SPS 33, PPS 34).
 * <pre>
 * single NAL unit:  [PayloadHdr 16][...]
 * AP (48):          [PayloadHdr 16][size16][NAL][size16][NAL]...
 * FU (49):          [PayloadHdr 16][FU header 8][...]
 *
 *   FU header  +---------------+
 *              |0|1|2|3|4|5|6|7|
 *              +-+-+-+-+-+-+-+-+
 *              |S|E|  FuType   |
 *              +---------------+
 * </pre>
 * Assumes {@code sprop-max-don-diff} is 0 (no DONL/DOND fields), as every common sender does.
 * A fragmentation unit counts only when its S bit is set.
 */
public final class H265KeyframeDetector implements KeyframeDetector {

    public static final H265KeyframeDetector INSTANCE = new H265KeyframeDetector();

    private static final int FU_HEADER_OFFSET = 2;
    private static final int FU_START_BIT = 0x80;
    private static final int FU_TYPE_MASK = 0x3F;
    private static final int SIZE_FIELD_LENGTH = 2;

    private H265KeyframeDetector() {
    }

    @Override
    public boolean isKeyframe(ByteBuf payload) {
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        if (end - start < H265NalUnit.HEADER_SIZE) {
            return false;
        }
        int type = H265NalUnit.type(payload.getByte(start));
        if (type == H265NalUnit.AP) {
            int offset = start + H265NalUnit.HEADER_SIZE;
            while (offset + SIZE_FIELD_LENGTH < end) {
                int size = payload.getUnsignedShort(offset);
                if (size == 0) {
                    return false;
                }
                if (H265NalUnit.isRandomAccess(H265NalUnit.type(payload.getByte(offset + SIZE_FIELD_LENGTH)))) {
                    return true;
                }
                offset += SIZE_FIELD_LENGTH + size;
            }
            return false;
        }
        if (type == H265NalUnit.FU) {
            if (end - start <= FU_HEADER_OFFSET) {
                return false;
            }
            int fuHeader = payload.getByte(start + FU_HEADER_OFFSET);
            return (fuHeader & FU_START_BIT) != 0 && H265NalUnit.isRandomAccess(fuHeader & FU_TYPE_MASK);
        }
        return H265NalUnit.isRandomAccess(type);
    }
}

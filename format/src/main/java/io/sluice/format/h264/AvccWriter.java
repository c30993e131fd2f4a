package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import java.util.List;

/**
 * Writes NAL units as a length-prefixed sample (AVCC / HVCC, ISO/IEC 14496-15 section 4.3.2), the
 * inverse of {@link AvccReader}:
 * <pre>
 * +---------------------+------------+---------------------+------------+---
 * | length (lengthSize) | NAL unit 1 | length (lengthSize) | NAL unit 2 | ...
 * +---------------------+------------+---------------------+------------+---
 * </pre>
 */
public final class AvccWriter {

    private final int lengthSize;

    /** @param lengthSize 1, 2, 3 or 4 bytes per length field */
    public AvccWriter(int lengthSize) {
        if (lengthSize < 1 || lengthSize > 4) {
            throw new IllegalArgumentException("NAL length size must be 1..4: " + lengthSize);
        }
        this.lengthSize = lengthSize;
    }

    /** The number of bytes {@link #write} produces for these NAL units. */
    public int length(List<ByteBuf> nalUnits) {
        int length = 0;
        for (ByteBuf nal : nalUnits) {
            length += lengthSize + nal.readableBytes();
        }
        return length;
    }

    /**
     * Writes each NAL unit after its length; the NAL units' indices do not move.
     *
     * @throws IllegalArgumentException when a NAL unit is too long for the length field; nothing is written then
     */
    public void write(List<ByteBuf> nalUnits, ByteBuf out) {
        long max = lengthSize == 4 ? Integer.MAX_VALUE : (1L << (8 * lengthSize)) - 1;
        for (ByteBuf nal : nalUnits) {
            if (nal.readableBytes() > max) {
                throw new IllegalArgumentException("NAL unit of " + nal.readableBytes()
                        + " bytes does not fit a " + lengthSize + "-byte length field");
            }
        }
        for (ByteBuf nal : nalUnits) {
            int length = nal.readableBytes();
            switch (lengthSize) {
                case 1 -> out.writeByte(length);
                case 2 -> out.writeShort(length);
                case 3 -> out.writeMedium(length);
                default -> out.writeInt(length);
            }
            out.writeBytes(nal, nal.readerIndex(), length);
        }
    }
}

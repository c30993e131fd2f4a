package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadFormatException;
import java.util.List;

/**
 * Splits a length-prefixed sample (AVCC / HVCC, ISO/IEC 14496-15 section 4.3.2: H.264 and H.265
 * in MP4 and Matroska) into its NAL units.
 * <pre>
 * +---------------------+------------+---------------------+------------+---
 * | length (lengthSize) | NAL unit 1 | length (lengthSize) | NAL unit 2 | ...
 * +---------------------+------------+---------------------+------------+---
 * </pre>
 * {@code lengthSize} (1, 2 or 4 bytes, big-endian) comes from the decoder configuration record.
 */
public final class AvccReader {

    private final int lengthSize;

    /** @param lengthSize 1, 2, 3 or 4, from {@code lengthSizeMinusOne + 1} of the configuration record */
    public AvccReader(int lengthSize) {
        if (lengthSize < 1 || lengthSize > 4) {
            throw new IllegalArgumentException("NAL length size must be 1..4: " + lengthSize);
        }
        this.lengthSize = lengthSize;
    }

    public int lengthSize() {
        return lengthSize;
    }

    /**
     * Adds the NAL units of {@code sample} to {@code out} as slices (not retained: valid while the
     * sample is); the sample's indices do not move.
     *
     * @throws PayloadFormatException when a length runs past the end of the sample; nothing is added then
     */
    public void read(ByteBuf sample, List<ByteBuf> out) {
        int end = sample.writerIndex();
        int offset = sample.readerIndex();
        int before = out.size();
        while (offset < end) {
            if (offset + lengthSize > end) {
                out.subList(before, out.size()).clear();
                throw new PayloadFormatException("AVCC sample truncated in a length field at byte "
                        + (offset - sample.readerIndex()));
            }
            long length = readLength(sample, offset);
            offset += lengthSize;
            if (length > end - offset) {
                out.subList(before, out.size()).clear();
                throw new PayloadFormatException("AVCC NAL unit of " + length + " bytes runs past the end of the "
                        + sample.readableBytes() + "-byte sample");
            }
            if (length > 0) {
                out.add(sample.slice(offset, (int) length));
            }
            offset += (int) length;
        }
    }

    private long readLength(ByteBuf sample, int offset) {
        return switch (lengthSize) {
            case 1 -> sample.getUnsignedByte(offset);
            case 2 -> sample.getUnsignedShort(offset);
            case 3 -> sample.getUnsignedMedium(offset);
            default -> sample.getUnsignedInt(offset);
        };
    }
}

package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadFormatException;
import java.util.List;

/**
 * The Annex B byte stream format of H.264 and H.265 (ITU-T H.264 Annex B): each NAL unit preceded
 * by a start code, as raw {@code .h264} files and MPEG-TS carry them.
 * <pre>
 * +-------------+--------------+-------------+--------------+---
 * | 00 00 00 01 | NAL unit 1   | 00 00 00 01 | NAL unit 2   | ...
 * +-------------+--------------+-------------+--------------+---
 * </pre>
 * Readers accept three- and four-byte start codes; zero bytes before a start code
 * ({@code trailing_zero_8bits}) are not part of the NAL unit before it. Writers use four-byte start
 * codes.
 */
public final class AnnexB {

    public static final int START_CODE_LENGTH = 4;

    private AnnexB() {
    }

    /** The number of bytes {@link #write} produces for these NAL units. */
    public static int length(List<ByteBuf> nalUnits) {
        int length = 0;
        for (ByteBuf nal : nalUnits) {
            length += START_CODE_LENGTH + nal.readableBytes();
        }
        return length;
    }

    /** Writes each NAL unit after a four-byte start code; the NAL units' indices do not move. */
    public static void write(List<ByteBuf> nalUnits, ByteBuf out) {
        for (ByteBuf nal : nalUnits) {
            out.writeInt(1);
            out.writeBytes(nal, nal.readerIndex(), nal.readableBytes());
        }
    }

    /**
     * Adds the NAL units of an Annex B byte stream to {@code out} as slices of {@code annexB} (not
     * retained: valid while {@code annexB} is). The indices of {@code annexB} do not move.
     *
     * @throws PayloadFormatException when the data does not start with a start code
     */
    public static void read(ByteBuf annexB, List<ByteBuf> out) {
        int end = annexB.writerIndex();
        int startCode = findStartCode(annexB, annexB.readerIndex(), end);
        if (startCode < 0) {
            if (annexB.isReadable()) {
                throw new PayloadFormatException("Annex B data without a start code");
            }
            return;
        }
        for (int i = annexB.readerIndex(); i < startCode; i++) {
            if (annexB.getByte(i) != 0) {
                throw new PayloadFormatException("Annex B data does not start with a start code");
            }
        }
        int nalStart = startCode + 3;
        while (nalStart < end) {
            int next = findStartCode(annexB, nalStart, end);
            int nalEnd = next < 0 ? end : next;
            while (nalEnd > nalStart && annexB.getByte(nalEnd - 1) == 0) {
                nalEnd--;
            }
            if (nalEnd > nalStart) {
                out.add(annexB.slice(nalStart, nalEnd - nalStart));
            }
            if (next < 0) {
                break;
            }
            nalStart = next + 3;
        }
    }

    /** Index of the first byte of the next {@code 00 00 01} at or after {@code from}, or -1. */
    private static int findStartCode(ByteBuf buf, int from, int end) {
        for (int i = from; i + 2 < end; i++) {
            if ((buf.getByte(i + 2) & 0xFF) > 1) {
                i += 2;
            } else if (buf.getByte(i) == 0 && buf.getByte(i + 1) == 0 && buf.getByte(i + 2) == 1) {
                return i;
            }
        }
        return -1;
    }
}

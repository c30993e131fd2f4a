package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * The PES packet header (ISO/IEC 13818-1 section 2.4.3.6) with the PTS and DTS that Sluice uses.
 *
 * <pre>
 * 00 00 01 | stream_id | PES_packet_length (16) | 10 SC P D C O | PD ESCR ... (8) | header_data_length
 *                                                 flags 1            flags 2: PD = PTS_DTS_flags (2 bits)
 * PTS (5 bytes), when PD = 10 or 11:   0010 or 0011 | PTS[32..30] | 1
 *                                      PTS[29..15]  | 1
 *                                      PTS[14..0]   | 1
 * DTS (5 bytes), when PD = 11:         0001 | DTS[32..30] | 1, then as PTS
 * </pre>
 * PES_packet_length counts the bytes after it; 0 means "unbounded", allowed for video only.
 */
public final class PesHeader {

    public static final int VIDEO_STREAM_ID = 0xE0;
    public static final int AUDIO_STREAM_ID = 0xC0;
    public static final int START_CODE_PREFIX = 0x000001;
    public static final int FIXED_LENGTH = 9;
    public static final int TIMESTAMP_LENGTH = 5;
    public static final long NO_TIMESTAMP = -1;
    /** PES timestamps count 90 kHz ticks in 33 bits. */
    public static final long TIMESTAMP_MASK = (1L << 33) - 1;

    private static final int STREAM_ID_OFFSET = 3;
    private static final int PACKET_LENGTH_OFFSET = 4;
    private static final int FLAGS2_OFFSET = 7;
    private static final int HEADER_DATA_LENGTH_OFFSET = 8;
    private static final int DATA_ALIGNMENT = 0x84;
    private static final int PTS_ONLY = 0x80;
    private static final int PTS_AND_DTS = 0xC0;
    private static final int MAX_PACKET_LENGTH = 0xFFFF;

    private PesHeader() {
    }

    /**
     * Appends a header for {@code payloadLength} bytes of elementary stream data; the DTS is written
     * only when it differs from the PTS. A payload too long for the length field gets length 0.
     */
    public static void write(ByteBuf out, int streamId, long pts, long dts, int payloadLength) {
        boolean withDts = dts != pts;
        int headerData = withDts ? 2 * TIMESTAMP_LENGTH : TIMESTAMP_LENGTH;
        int packetLength = 3 + headerData + payloadLength;
        out.writeMedium(START_CODE_PREFIX);
        out.writeByte(streamId);
        out.writeShort(packetLength > MAX_PACKET_LENGTH ? 0 : packetLength);
        out.writeByte(DATA_ALIGNMENT);
        out.writeByte(withDts ? PTS_AND_DTS : PTS_ONLY);
        out.writeByte(headerData);
        writeTimestamp(out, withDts ? 0x3 : 0x2, pts);
        if (withDts) {
            writeTimestamp(out, 0x1, dts);
        }
    }

    /** The length {@link #write} gives the header. */
    public static int length(long pts, long dts) {
        return FIXED_LENGTH + (dts != pts ? 2 * TIMESTAMP_LENGTH : TIMESTAMP_LENGTH);
    }

    private static void writeTimestamp(ByteBuf out, int prefix, long ts) {
        long t = ts & TIMESTAMP_MASK;
        out.writeByte((int) (prefix << 4 | (t >>> 29) & 0x0E | 1));
        out.writeShort((int) ((t >>> 14) & 0xFFFE | 1));
        out.writeShort((int) ((t << 1) & 0xFFFE | 1));
    }

    /** Whether {@code length} bytes at {@code off} hold a PES header whose header data fits them. */
    public static boolean isValid(ByteBuf b, int off, int length) {
        return length >= FIXED_LENGTH && b.getUnsignedMedium(off) == START_CODE_PREFIX
                && FIXED_LENGTH + b.getUnsignedByte(off + HEADER_DATA_LENGTH_OFFSET) <= length
                && ptsDtsFlags(b, off) != 1
                && FIXED_LENGTH + timestampBytes(b, off) <= length;
    }

    public static int streamId(ByteBuf b, int off) {
        return b.getUnsignedByte(off + STREAM_ID_OFFSET);
    }

    /** PES_packet_length: bytes after this field, 0 = unbounded. */
    public static int packetLength(ByteBuf b, int off) {
        return b.getUnsignedShort(off + PACKET_LENGTH_OFFSET);
    }

    /** Offset of the elementary stream data from the start of the header. */
    public static int dataOffset(ByteBuf b, int off) {
        return FIXED_LENGTH + b.getUnsignedByte(off + HEADER_DATA_LENGTH_OFFSET);
    }

    public static long pts(ByteBuf b, int off) {
        return ptsDtsFlags(b, off) >= 2 ? readTimestamp(b, off + FIXED_LENGTH) : NO_TIMESTAMP;
    }

    /** The DTS, which equals the PTS when only a PTS is present. */
    public static long dts(ByteBuf b, int off) {
        int flags = ptsDtsFlags(b, off);
        return flags == 3 ? readTimestamp(b, off + FIXED_LENGTH + TIMESTAMP_LENGTH) : pts(b, off);
    }

    private static int ptsDtsFlags(ByteBuf b, int off) {
        return b.getUnsignedByte(off + FLAGS2_OFFSET) >>> 6;
    }

    private static int timestampBytes(ByteBuf b, int off) {
        return switch (ptsDtsFlags(b, off)) {
            case 2 -> TIMESTAMP_LENGTH;
            case 3 -> 2 * TIMESTAMP_LENGTH;
            default -> 0;
        };
    }

    private static long readTimestamp(ByteBuf b, int at) {
        long high = (b.getUnsignedByte(at) >>> 1) & 0x7;
        long mid = b.getUnsignedShort(at + 1) >>> 1;
        long low = b.getUnsignedShort(at + 3) >>> 1;
        return high << 30 | mid << 15 | low;
    }
}

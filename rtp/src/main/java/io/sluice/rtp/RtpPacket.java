package io.sluice.rtp;

import io.netty.buffer.ByteBuf;

/**
 * Reusable flyweight over one RTP packet held in a {@link ByteBuf} region (RFC 3550 section 5.1).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|X|  CC   |M|     PT      |       sequence number         |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           timestamp                           |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |           synchronization source (SSRC) identifier            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            contributing source (CSRC) identifiers             |
 * |                    (CC entries of 4 bytes)                    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      defined by profile       |  extension length (words)     |  only when X = 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+  (section 5.3.1)
 * |                        header extension                       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                            payload                            |
 * |                               +-------------------------------+
 * |                               | padding ...   | padding count |  only when P = 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * <p>{@link #wrap} remembers the buffer and its readable region; accessors read the bytes on each call
 * and setters write through, so a flyweight can be kept per event loop and re-pointed at every packet.
 * {@code wrap} does not validate: call {@link #isValid} on untrusted input first. The flyweight does not
 * retain or release the buffer.
 *
 * <p>The static one-shot readers ({@link #sequenceNumber(ByteBuf)} and friends) read the packet starting
 * at {@code buf.readerIndex()} without changing any index, for code that needs one field.
 */
public final class RtpPacket {

    public static final int VERSION = 2;
    public static final int FIXED_HEADER_LENGTH = 12;
    public static final int MAX_PAYLOAD_TYPE = 127;

    public static final int FLAGS_OFFSET = 0;
    public static final int MARKER_PAYLOAD_TYPE_OFFSET = 1;
    public static final int SEQUENCE_NUMBER_OFFSET = 2;
    public static final int TIMESTAMP_OFFSET = 4;
    public static final int SSRC_OFFSET = 8;
    public static final int CSRC_OFFSET = 12;

    private static final int CSRC_LENGTH = 4;
    private static final int EXTENSION_HEADER_LENGTH = 4;
    private static final int EXTENSION_LENGTH_FIELD_OFFSET = 2;

    private static final int VERSION_SHIFT = 6;
    private static final int PADDING_BIT = 0x20;
    private static final int EXTENSION_BIT = 0x10;
    private static final int CSRC_COUNT_MASK = 0x0F;
    private static final int MARKER_BIT = 0x80;
    private static final int PAYLOAD_TYPE_MASK = 0x7F;

    private ByteBuf buffer;
    private int offset;
    private int length;

    /** Points this flyweight at {@code buf}'s readable bytes ({@code readerIndex..writerIndex}). */
    public RtpPacket wrap(ByteBuf buf) {
        this.buffer = buf;
        this.offset = buf.readerIndex();
        this.length = buf.readableBytes();
        return this;
    }

    public ByteBuf buffer() {
        return buffer;
    }

    /** Absolute index of the first header byte. */
    public int offset() {
        return offset;
    }

    /** Length of the wrapped region in bytes: header, payload and padding. */
    public int length() {
        return length;
    }

    /**
     * Whether the readable bytes of {@code buf} hold a well-formed RTP packet: version 2, at least the
     * fixed header, the CSRC list and the header extension inside the region, and, when P is set, a
     * padding count that is non-zero and no larger than what follows the header.
     */
    public static boolean isValid(ByteBuf buf) {
        int off = buf.readerIndex();
        int len = buf.readableBytes();
        if (len < FIXED_HEADER_LENGTH) {
            return false;
        }
        int flags = buf.getUnsignedByte(off + FLAGS_OFFSET);
        if (flags >>> VERSION_SHIFT != VERSION) {
            return false;
        }
        int header = FIXED_HEADER_LENGTH + CSRC_LENGTH * (flags & CSRC_COUNT_MASK);
        if ((flags & EXTENSION_BIT) != 0) {
            if (header + EXTENSION_HEADER_LENGTH > len) {
                return false;
            }
            header += EXTENSION_HEADER_LENGTH
                    + 4 * buf.getUnsignedShort(off + header + EXTENSION_LENGTH_FIELD_OFFSET);
        }
        if (header > len) {
            return false;
        }
        if ((flags & PADDING_BIT) != 0) {
            int padding = buf.getUnsignedByte(off + len - 1);
            return padding > 0 && padding <= len - header;
        }
        return true;
    }

    public int version() {
        return buffer.getUnsignedByte(offset + FLAGS_OFFSET) >>> VERSION_SHIFT;
    }

    public boolean padding() {
        return (buffer.getByte(offset + FLAGS_OFFSET) & PADDING_BIT) != 0;
    }

    public boolean extension() {
        return (buffer.getByte(offset + FLAGS_OFFSET) & EXTENSION_BIT) != 0;
    }

    public int csrcCount() {
        return buffer.getByte(offset + FLAGS_OFFSET) & CSRC_COUNT_MASK;
    }

    /** The CSRC at {@code index} (0-based, below {@link #csrcCount()}), raw 32 bits. */
    public int csrc(int index) {
        return buffer.getInt(offset + CSRC_OFFSET + CSRC_LENGTH * index);
    }

    public boolean marker() {
        return (buffer.getByte(offset + MARKER_PAYLOAD_TYPE_OFFSET) & MARKER_BIT) != 0;
    }

    public int payloadType() {
        return buffer.getByte(offset + MARKER_PAYLOAD_TYPE_OFFSET) & PAYLOAD_TYPE_MASK;
    }

    /** Sequence number, 0..65535. */
    public int sequenceNumber() {
        return buffer.getUnsignedShort(offset + SEQUENCE_NUMBER_OFFSET);
    }

    /** Timestamp as an unsigned 32-bit value. */
    public long timestamp() {
        return buffer.getUnsignedInt(offset + TIMESTAMP_OFFSET);
    }

    /** SSRC, raw 32 bits (may be negative as a Java {@code int}). */
    public int ssrc() {
        return buffer.getInt(offset + SSRC_OFFSET);
    }

    /** Header length in bytes: 12, plus 4 per CSRC, plus the extension with its own 4-byte header. */
    public int headerLength() {
        return headerLengthAt(buffer, offset);
    }

    /** Absolute buffer index of the first payload byte. */
    public int payloadOffset() {
        return offset + headerLength();
    }

    /** Payload length in bytes, padding excluded. */
    public int payloadLength() {
        return length - headerLength() - paddingLength();
    }

    /** Number of padding bytes at the end, the count byte included; 0 when P is clear. */
    public int paddingLength() {
        return padding() ? buffer.getUnsignedByte(offset + length - 1) : 0;
    }

    /** The 16-bit "defined by profile" field of the header extension; only meaningful when X is set. */
    public int extensionProfile() {
        return buffer.getUnsignedShort(extensionHeaderOffset());
    }

    /** Absolute index of the extension data after its 4-byte header; only meaningful when X is set. */
    public int extensionDataOffset() {
        return extensionHeaderOffset() + EXTENSION_HEADER_LENGTH;
    }

    /** Length of the extension data in bytes (the 4-byte extension header excluded); 0 when X is clear. */
    public int extensionDataLength() {
        return extension() ? 4 * buffer.getUnsignedShort(extensionHeaderOffset() + EXTENSION_LENGTH_FIELD_OFFSET) : 0;
    }

    private int extensionHeaderOffset() {
        return offset + CSRC_OFFSET + CSRC_LENGTH * csrcCount();
    }

    public RtpPacket marker(boolean marker) {
        int index = offset + MARKER_PAYLOAD_TYPE_OFFSET;
        int b = buffer.getByte(index);
        buffer.setByte(index, marker ? b | MARKER_BIT : b & ~MARKER_BIT);
        return this;
    }

    /** Sets the payload type; throws {@link IllegalArgumentException} outside 0..127. */
    public RtpPacket payloadType(int payloadType) {
        checkPayloadType(payloadType);
        int index = offset + MARKER_PAYLOAD_TYPE_OFFSET;
        buffer.setByte(index, (buffer.getByte(index) & MARKER_BIT) | payloadType);
        return this;
    }

    /** Sets the sequence number to {@code sequenceNumber} modulo 2^16, so {@code seq + 1} needs no masking. */
    public RtpPacket sequenceNumber(int sequenceNumber) {
        buffer.setShort(offset + SEQUENCE_NUMBER_OFFSET, sequenceNumber);
        return this;
    }

    /** Sets the timestamp to the low 32 bits of {@code timestamp}, the way RTP timestamps wrap. */
    public RtpPacket timestamp(long timestamp) {
        buffer.setInt(offset + TIMESTAMP_OFFSET, (int) timestamp);
        return this;
    }

    public RtpPacket ssrc(int ssrc) {
        buffer.setInt(offset + SSRC_OFFSET, ssrc);
        return this;
    }

    /**
     * Appends a 12-byte header (V=2, no padding, no extension, no CSRC) at {@code out}'s writer index.
     * The sequence number is taken modulo 2^16 and the timestamp modulo 2^32.
     */
    public static void writeHeader(ByteBuf out, boolean marker, int payloadType, int sequenceNumber,
                                   long timestamp, int ssrc) {
        checkPayloadType(payloadType);
        out.ensureWritable(FIXED_HEADER_LENGTH);
        out.writeByte(VERSION << VERSION_SHIFT);
        out.writeByte(marker ? MARKER_BIT | payloadType : payloadType);
        out.writeShort(sequenceNumber);
        out.writeInt((int) timestamp);
        out.writeInt(ssrc);
    }

    public static int sequenceNumber(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex() + SEQUENCE_NUMBER_OFFSET);
    }

    public static long timestamp(ByteBuf buf) {
        return buf.getUnsignedInt(buf.readerIndex() + TIMESTAMP_OFFSET);
    }

    public static int ssrc(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + SSRC_OFFSET);
    }

    public static boolean marker(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex() + MARKER_PAYLOAD_TYPE_OFFSET) & MARKER_BIT) != 0;
    }

    public static int payloadType(ByteBuf buf) {
        return buf.getByte(buf.readerIndex() + MARKER_PAYLOAD_TYPE_OFFSET) & PAYLOAD_TYPE_MASK;
    }

    /** Header length of the packet at {@code buf.readerIndex()}, as {@link #headerLength()}. */
    public static int headerLength(ByteBuf buf) {
        return headerLengthAt(buf, buf.readerIndex());
    }

    private static int headerLengthAt(ByteBuf buf, int off) {
        int flags = buf.getByte(off + FLAGS_OFFSET);
        int header = FIXED_HEADER_LENGTH + CSRC_LENGTH * (flags & CSRC_COUNT_MASK);
        if ((flags & EXTENSION_BIT) != 0) {
            header += EXTENSION_HEADER_LENGTH
                    + 4 * buf.getUnsignedShort(off + header + EXTENSION_LENGTH_FIELD_OFFSET);
        }
        return header;
    }

    private static void checkPayloadType(int payloadType) {
        if (payloadType < 0 || payloadType > MAX_PAYLOAD_TYPE) {
            throw new IllegalArgumentException("payload type out of 0..127: " + payloadType);
        }
    }
}

package io.sluice.rtp.nativeproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import java.nio.charset.StandardCharsets;

/**
 * The 12-byte header every native datagram starts with: an RTP fixed header (RFC 3550 section 5.1)
 * whose fields the native protocol gives its own meaning.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |1 0 0 0 0 0 0 0|M|  PT (type)  |  sequence (chunk index, or 0) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            timestamp: low 32 bits of epoch milliseconds       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |       SSRC: 0, a clientId or a stream's SSRC (per message)    |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 payload (UTF-8 text unless said otherwise)    |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The original peers always write byte 0 as {@code 0x80}: no padding, no extension, no CSRC, so the
 * payload always starts at byte 12. The static readers read the datagram at {@code buf.readerIndex()}
 * without moving any index; call {@link #isWellFormed} on untrusted input first.
 */
public final class NativeHeader {

    public static final int LENGTH = 12;
    public static final int FLAGS_OFFSET = 0;
    public static final int MARKER_PAYLOAD_TYPE_OFFSET = 1;
    public static final int SEQUENCE_OFFSET = 2;
    public static final int TIMESTAMP_OFFSET = 4;
    public static final int SSRC_OFFSET = 8;

    /** V=2, P=0, X=0, CC=0: the only first byte the protocol uses. */
    public static final int FLAGS = 0x80;

    private static final int MARKER_BIT = 0x80;
    private static final int PAYLOAD_TYPE_MASK = 0x7F;

    private NativeHeader() {
    }

    /** True when the readable bytes hold at least a header whose first byte is {@link #FLAGS}. */
    public static boolean isWellFormed(ByteBuf buf) {
        return buf.readableBytes() >= LENGTH && buf.getUnsignedByte(buf.readerIndex() + FLAGS_OFFSET) == FLAGS;
    }

    public static int payloadType(ByteBuf buf) {
        return buf.getByte(buf.readerIndex() + MARKER_PAYLOAD_TYPE_OFFSET) & PAYLOAD_TYPE_MASK;
    }

    public static boolean marker(ByteBuf buf) {
        return (buf.getByte(buf.readerIndex() + MARKER_PAYLOAD_TYPE_OFFSET) & MARKER_BIT) != 0;
    }

    /** Sequence number, 0..65535. */
    public static int sequence(ByteBuf buf) {
        return buf.getUnsignedShort(buf.readerIndex() + SEQUENCE_OFFSET);
    }

    /** The sender's epoch milliseconds, low 32 bits, unsigned. */
    public static long timestampMs(ByteBuf buf) {
        return buf.getUnsignedInt(buf.readerIndex() + TIMESTAMP_OFFSET);
    }

    /** Raw 32 bits: a clientId, a stream SSRC or 0. */
    public static int ssrc(ByteBuf buf) {
        return buf.getInt(buf.readerIndex() + SSRC_OFFSET);
    }

    /** Absolute index of the first payload byte. */
    public static int payloadOffset(ByteBuf buf) {
        return buf.readerIndex() + LENGTH;
    }

    public static int payloadLength(ByteBuf buf) {
        return buf.readableBytes() - LENGTH;
    }

    /** The payload decoded as UTF-8 (control messages only: this allocates). */
    public static String payloadText(ByteBuf buf) {
        return buf.toString(payloadOffset(buf), payloadLength(buf), StandardCharsets.UTF_8);
    }

    /**
     * Appends a header at {@code out}'s writer index. The sequence is taken modulo 2^16 and the
     * timestamp modulo 2^32.
     */
    public static void write(ByteBuf out, boolean marker, int payloadType, int sequence, long timestampMs, int ssrc) {
        out.writeByte(FLAGS);
        out.writeByte(marker ? MARKER_BIT | payloadType : payloadType & PAYLOAD_TYPE_MASK);
        out.writeShort(sequence);
        out.writeInt((int) timestampMs);
        out.writeInt(ssrc);
    }

    /** Appends a whole control message: a header with sequence 0 and no marker, then {@code text} in UTF-8. */
    public static void writeControl(ByteBuf out, int payloadType, long timestampMs, int ssrc, CharSequence text) {
        write(out, false, payloadType, 0, timestampMs, ssrc);
        ByteBufUtil.writeUtf8(out, text);
    }
}

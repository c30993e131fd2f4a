package io.sluice.rtp.rtx;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.RtpPacket;

/**
 * RTP retransmission packets (RFC 4588 section 4): the original packet resent in its own stream, with
 * the RTX payload type, sequence number and SSRC, and the original sequence number (OSN) in front of
 * the original payload.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP Header                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            OSN                |                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+                               |
 * |                  Original RTP Packet Payload                  |
 * |                                                               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * The header keeps the original's marker, timestamp, CSRCs and header extension (section 4: "the same
 * as the original"). The original's padding is not carried over.
 */
public final class Rtx {

    public static final int OSN_LENGTH = 2;

    private static final int PADDING_BIT = 0x20;
    private static final int MARKER_BIT = 0x80;

    private Rtx() {
    }

    /** The OSN of the RTX packet at {@code rtxPacket.readerIndex()}: the first 2 payload bytes. */
    public static int originalSequenceNumber(ByteBuf rtxPacket) {
        return rtxPacket.getUnsignedShort(rtxPacket.readerIndex() + RtpPacket.headerLength(rtxPacket));
    }

    /**
     * Appends to {@code out} the RTX packet for the valid RTP packet in {@code original}'s readable bytes.
     * {@code original} and its indexes are left as they were.
     *
     * @param rtxSequence taken modulo 2^16
     */
    public static void writeRtxPacket(ByteBuf out, ByteBuf original, int rtxPayloadType, int rtxSequence,
                                      int rtxSsrc) {
        checkPayloadType(rtxPayloadType);
        int source = original.readerIndex();
        int headerLength = RtpPacket.headerLength(original);
        int flags = original.getUnsignedByte(source + RtpPacket.FLAGS_OFFSET);
        int padding = (flags & PADDING_BIT) != 0 ? original.getUnsignedByte(original.writerIndex() - 1) : 0;
        int payloadLength = original.readableBytes() - headerLength - padding;

        out.ensureWritable(headerLength + OSN_LENGTH + payloadLength);
        int start = out.writerIndex();
        out.writeBytes(original, source, headerLength);
        out.setByte(start + RtpPacket.FLAGS_OFFSET, flags & ~PADDING_BIT);
        int marker = original.getByte(source + RtpPacket.MARKER_PAYLOAD_TYPE_OFFSET) & MARKER_BIT;
        out.setByte(start + RtpPacket.MARKER_PAYLOAD_TYPE_OFFSET, marker | rtxPayloadType);
        out.setShort(start + RtpPacket.SEQUENCE_NUMBER_OFFSET, rtxSequence);
        out.setInt(start + RtpPacket.SSRC_OFFSET, rtxSsrc);
        out.writeShort(original.getUnsignedShort(source + RtpPacket.SEQUENCE_NUMBER_OFFSET));
        out.writeBytes(original, source + headerLength, payloadLength);
    }

    /**
     * Turns the RTX packet in {@code rtx}'s readable bytes back into the original packet, in place and
     * without copying the payload: the header moves 2 bytes forward over the OSN, takes the OSN as its
     * sequence number and the given payload type and SSRC, and the reader index advances by 2.
     */
    public static void restoreOriginal(ByteBuf rtx, int originalPayloadType, int originalSsrc) {
        checkPayloadType(originalPayloadType);
        int start = rtx.readerIndex();
        int headerLength = RtpPacket.headerLength(rtx);
        int osn = rtx.getUnsignedShort(start + headerLength);
        // Back to front, because source and destination overlap.
        for (int i = headerLength - 1; i >= 0; i--) {
            rtx.setByte(start + OSN_LENGTH + i, rtx.getByte(start + i));
        }
        int restored = start + OSN_LENGTH;
        rtx.readerIndex(restored);
        int marker = rtx.getByte(restored + RtpPacket.MARKER_PAYLOAD_TYPE_OFFSET) & MARKER_BIT;
        rtx.setByte(restored + RtpPacket.MARKER_PAYLOAD_TYPE_OFFSET, marker | originalPayloadType);
        rtx.setShort(restored + RtpPacket.SEQUENCE_NUMBER_OFFSET, osn);
        rtx.setInt(restored + RtpPacket.SSRC_OFFSET, originalSsrc);
    }

    private static void checkPayloadType(int payloadType) {
        if (payloadType < 0 || payloadType > RtpPacket.MAX_PAYLOAD_TYPE) {
            throw new IllegalArgumentException("payload type out of 0..127: " + payloadType);
        }
    }
}

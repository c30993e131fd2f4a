package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The header common to all RTCP packets (RFC 3550 section 6.4.1; RFC 4585 section 6.1 names the count
 * field FMT), read at the absolute offset {@code off} of one packet inside a compound packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P| RC/FMT  |      PT       |   length (32-bit words - 1)   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class RtcpPacket {

    public static final int VERSION = 2;
    /** The smallest RTCP packet: the common header and the sender SSRC. */
    public static final int MIN_PACKET_LENGTH = 8;
    /** The first word: version, padding, count, packet type and length. */
    public static final int HEADER_LENGTH = 4;

    public static final int FLAGS_OFFSET = 0;
    public static final int PACKET_TYPE_OFFSET = 1;
    public static final int LENGTH_OFFSET = 2;
    public static final int SENDER_SSRC_OFFSET = 4;

    static final int VERSION_SHIFT = 6;
    static final int PADDING_BIT = 0x20;
    static final int COUNT_MASK = 0x1F;

    private RtcpPacket() {
    }

    /**
     * Whether the readable bytes of {@code buf} are a well-formed compound packet: at least one packet;
     * each of version 2, at least 8 bytes, its length field ending inside the region, the last one
     * ending exactly at its end; a padding count, where P is set, that fits the packet. The RFC 3550
     * rule that a compound packet starts with SR or RR is not enforced: some peers send lone feedback
     * (NACK, PLI) packets, as RFC 5506 allows.
     */
    public static boolean isValidCompound(ByteBuf buf) {
        int off = buf.readerIndex();
        int end = buf.writerIndex();
        if (off == end) {
            return false;
        }
        while (off < end) {
            if (end - off < MIN_PACKET_LENGTH || version(buf, off) != VERSION) {
                return false;
            }
            int length = packetLength(buf, off);
            if (length < MIN_PACKET_LENGTH || length > end - off) {
                return false;
            }
            if ((buf.getByte(off + FLAGS_OFFSET) & PADDING_BIT) != 0) {
                int padding = buf.getUnsignedByte(off + length - 1);
                if (padding == 0 || padding > length - HEADER_LENGTH) {
                    return false;
                }
            }
            off += length;
        }
        return true;
    }

    public static int version(ByteBuf b, int off) {
        return b.getUnsignedByte(off + FLAGS_OFFSET) >>> VERSION_SHIFT;
    }

    public static boolean padding(ByteBuf b, int off) {
        return (b.getByte(off + FLAGS_OFFSET) & PADDING_BIT) != 0;
    }

    /** The 5-bit count field: report count (SR, RR), source count (SDES, BYE) or FMT (RTPFB, PSFB). */
    public static int count(ByteBuf b, int off) {
        return b.getByte(off + FLAGS_OFFSET) & COUNT_MASK;
    }

    public static int packetType(ByteBuf b, int off) {
        return b.getUnsignedByte(off + PACKET_TYPE_OFFSET);
    }

    /** Length of the whole packet in bytes, header and any padding included: (length field + 1) * 4. */
    public static int packetLength(ByteBuf b, int off) {
        return (b.getUnsignedShort(off + LENGTH_OFFSET) + 1) * 4;
    }

    /** SSRC of the packet's sender (the first SSRC of an SDES or BYE packet). */
    public static int senderSsrc(ByteBuf b, int off) {
        return b.getInt(off + SENDER_SSRC_OFFSET);
    }
}

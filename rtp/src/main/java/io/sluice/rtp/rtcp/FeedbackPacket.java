package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * The layout shared by RTPFB and PSFB feedback messages (RFC 4585 section 6.1), read at the absolute
 * offset {@code off} of the packet. The count field of the common header holds FMT, the message type.
 * A PLI (PSFB, FMT 1) is exactly this with no FCI.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|   FMT   |       PT      |          length               |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of packet sender                        |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                  SSRC of media source                         |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :            Feedback Control Information (FCI)                : 12
 * :                                                               :
 * </pre>
 */
public final class FeedbackPacket {

    public static final int MEDIA_SSRC_OFFSET = 8;
    public static final int FCI_OFFSET = 12;

    private FeedbackPacket() {
    }

    /** SSRC of the media source the feedback is about. */
    public static int mediaSsrc(ByteBuf b, int off) {
        return b.getInt(off + MEDIA_SSRC_OFFSET);
    }

    /** The FMT field: which feedback message this is within its packet type. */
    public static int format(ByteBuf b, int off) {
        return RtcpPacket.count(b, off);
    }

    /** Whether the packet at {@code off} is a Picture Loss Indication (PSFB, FMT 1). */
    public static boolean isPli(ByteBuf b, int off) {
        return RtcpPacket.packetType(b, off) == RtcpPacketType.PSFB && format(b, off) == RtcpPacketType.FMT_PLI;
    }

    /** Whether the packet at {@code off} is a generic NACK (RTPFB, FMT 1). */
    public static boolean isGenericNack(ByteBuf b, int off) {
        return RtcpPacket.packetType(b, off) == RtcpPacketType.RTPFB
                && format(b, off) == RtcpPacketType.FMT_GENERIC_NACK;
    }
}

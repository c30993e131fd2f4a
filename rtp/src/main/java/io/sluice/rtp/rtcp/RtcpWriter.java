package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.sluice.rtp.ReceptionStatistics;

/**
 * Appends RTCP packets at the writer index of {@code out}, one call per packet, so a compound packet
 * is a sequence of calls on one buffer (RFC 3550 section 6.1: SR or RR first, then SDES with a CNAME,
 * then feedback or BYE). Every packet is a whole number of 32-bit words with a matching length field
 * and no padding. Layouts are drawn on the reader classes.
 */
public final class RtcpWriter {

    private static final int FIRST_BYTE = RtcpPacket.VERSION << RtcpPacket.VERSION_SHIFT;
    private static final int MAX_SDES_TEXT_LENGTH = 255;
    private static final int CNAME_ITEM_HEADER_LENGTH = 2;
    private static final int SSRC_LENGTH = 4;
    private static final long UINT32_MAX = 0xFFFF_FFFFL;
    private static final int FEEDBACK_LENGTH = FeedbackPacket.FCI_OFFSET;

    private RtcpWriter() {
    }

    /** A Sender Report without report blocks (28 bytes). Counts and timestamp keep their low 32 bits. */
    public static void writeSenderReport(ByteBuf out, int ssrc, long ntp64, long rtpTimestamp, long packetCount,
                                         long octetCount) {
        writeHeader(out, 0, RtcpPacketType.SR, SenderReport.LENGTH_WITHOUT_BLOCKS);
        out.writeInt(ssrc);
        out.writeLong(ntp64);
        out.writeInt((int) rtpTimestamp);
        out.writeInt((int) packetCount);
        out.writeInt((int) octetCount);
    }

    /** A Receiver Report without report blocks (8 bytes), for a receiver that has nothing to report yet. */
    public static void writeReceiverReport(ByteBuf out, int senderSsrc) {
        writeHeader(out, 0, RtcpPacketType.RR, ReceiverReport.LENGTH_WITHOUT_BLOCKS);
        out.writeInt(senderSsrc);
    }

    /**
     * A Receiver Report with one block about {@code mediaSsrc}, from {@code stats} (32 bytes). Starts a
     * new loss interval of {@code stats} (see {@link ReceptionStatistics#fractionLostSinceLastReport}).
     */
    public static void writeReceiverReport(ByteBuf out, int senderSsrc, int mediaSsrc, ReceptionStatistics stats,
                                           long nowNs) {
        writeReceiverReport(out, senderSsrc, mediaSsrc, stats.fractionLostSinceLastReport(), stats.cumulativeLost(),
                stats.extendedHighestSequence(), (long) Math.min(UINT32_MAX, stats.jitterTicks()),
                stats.lastSrMiddle32(), stats.delaySinceLastSrUnits(nowNs));
    }

    /**
     * A Receiver Report with one block from raw field values (32 bytes). {@code cumulativeLost} keeps its
     * low 24 bits and the 32-bit fields their low 32 bits.
     */
    public static void writeReceiverReport(ByteBuf out, int senderSsrc, int mediaSsrc, int fractionLost,
                                           int cumulativeLost, long extendedHighestSequence, long jitter,
                                           long lastSr, long delaySinceLastSr) {
        writeHeader(out, 1, RtcpPacketType.RR, ReceiverReport.LENGTH_WITHOUT_BLOCKS + ReportBlock.LENGTH);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
        out.writeByte(fractionLost);
        out.writeMedium(cumulativeLost);
        out.writeInt((int) extendedHighestSequence);
        out.writeInt((int) jitter);
        out.writeInt((int) lastSr);
        out.writeInt((int) delaySinceLastSr);
    }

    /**
     * A Source Description with one chunk holding only a CNAME item. Throws
     * {@link IllegalArgumentException} when the CNAME is longer than 255 bytes in UTF-8.
     */
    public static void writeSdesCname(ByteBuf out, int ssrc, String cname) {
        int textLength = ByteBufUtil.utf8Bytes(cname);
        if (textLength > MAX_SDES_TEXT_LENGTH) {
            throw new IllegalArgumentException("CNAME longer than 255 bytes: " + textLength);
        }
        // The item list ends with at least one zero octet, and the zeros pad the chunk to a word.
        int items = CNAME_ITEM_HEADER_LENGTH + textLength;
        int itemsPadded = (items + 4) & ~3;
        writeHeader(out, 1, RtcpPacketType.SDES, RtcpPacket.HEADER_LENGTH + SSRC_LENGTH + itemsPadded);
        out.writeInt(ssrc);
        out.writeByte(SourceDescription.ITEM_CNAME);
        out.writeByte(textLength);
        ByteBufUtil.reserveAndWriteUtf8(out, cname, textLength);
        out.writeZero(itemsPadded - items);
    }

    /** A Goodbye for one source, without a reason (8 bytes). */
    public static void writeBye(ByteBuf out, int ssrc) {
        writeHeader(out, 1, RtcpPacketType.BYE, Bye.SSRCS_OFFSET + SSRC_LENGTH);
        out.writeInt(ssrc);
    }

    /**
     * A generic NACK with one FCI (16 bytes): {@code pid} lost, and {@code pid + i + 1} lost for each bit
     * i set in {@code blp}.
     */
    public static void writeGenericNack(ByteBuf out, int senderSsrc, int mediaSsrc, int pid, int blp) {
        writeHeader(out, RtcpPacketType.FMT_GENERIC_NACK, RtcpPacketType.RTPFB,
                FEEDBACK_LENGTH + GenericNack.FCI_LENGTH);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
        out.writeShort(pid);
        out.writeShort(blp);
    }

    /** A Picture Loss Indication (12 bytes): asks the sender of {@code mediaSsrc} for a keyframe. */
    public static void writePli(ByteBuf out, int senderSsrc, int mediaSsrc) {
        writeHeader(out, RtcpPacketType.FMT_PLI, RtcpPacketType.PSFB, FEEDBACK_LENGTH);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
    }

    private static void writeHeader(ByteBuf out, int count, int packetType, int packetLength) {
        out.ensureWritable(packetLength);
        out.writeByte(FIRST_BYTE | count);
        out.writeByte(packetType);
        out.writeShort(packetLength / 4 - 1);
    }
}

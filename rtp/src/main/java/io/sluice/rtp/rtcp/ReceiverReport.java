package io.sluice.rtp.rtcp;

/**
 * Receiver Report (RFC 3550 section 6.4.2): the common header, the sender's SSRC and RC report blocks.
 * Header fields are read with {@link RtcpPacket}, blocks with {@link ReportBlock}.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=RR=201   |             length            |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     SSRC of packet sender                     |  4
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 bytes)                 |  8
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public final class ReceiverReport {

    public static final int REPORT_BLOCKS_OFFSET = 8;
    /** Length of a Receiver Report without report blocks. */
    public static final int LENGTH_WITHOUT_BLOCKS = REPORT_BLOCKS_OFFSET;

    private ReceiverReport() {
    }

    /** Absolute offset of report block {@code index} (0-based, below the RC field) of the RR at {@code off}. */
    public static int reportBlockOffset(int off, int index) {
        return off + REPORT_BLOCKS_OFFSET + ReportBlock.LENGTH * index;
    }
}

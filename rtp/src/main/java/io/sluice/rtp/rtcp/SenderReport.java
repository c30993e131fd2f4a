package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Sender Report (RFC 3550 section 6.4.1), read at the absolute offset {@code off} of the packet.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    RC   |   PT=SR=200   |             length            |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         SSRC of sender                        |  4
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |              NTP timestamp, most significant word             |  8
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |             NTP timestamp, least significant word             | 12
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                         RTP timestamp                         | 16
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                     sender's packet count                     | 20
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                      sender's octet count                     | 24
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                 report blocks (RC x 24 bytes)                 | 28
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * </pre>
 */
public final class SenderReport {

    public static final int NTP_TIMESTAMP_OFFSET = 8;
    public static final int RTP_TIMESTAMP_OFFSET = 16;
    public static final int PACKET_COUNT_OFFSET = 20;
    public static final int OCTET_COUNT_OFFSET = 24;
    public static final int REPORT_BLOCKS_OFFSET = 28;
    /** Length of a Sender Report without report blocks. */
    public static final int LENGTH_WITHOUT_BLOCKS = REPORT_BLOCKS_OFFSET;

    private SenderReport() {
    }

    /** The 64-bit NTP timestamp (see {@link io.sluice.rtp.NtpTime}), unsigned in a {@code long}. */
    public static long ntpTimestamp(ByteBuf b, int off) {
        return b.getLong(off + NTP_TIMESTAMP_OFFSET);
    }

    /** The RTP timestamp matching the NTP timestamp, unsigned 32 bits. */
    public static long rtpTimestamp(ByteBuf b, int off) {
        return b.getUnsignedInt(off + RTP_TIMESTAMP_OFFSET);
    }

    public static long packetCount(ByteBuf b, int off) {
        return b.getUnsignedInt(off + PACKET_COUNT_OFFSET);
    }

    public static long octetCount(ByteBuf b, int off) {
        return b.getUnsignedInt(off + OCTET_COUNT_OFFSET);
    }

    /** Absolute offset of report block {@code index} (0-based, below the RC field) of the SR at {@code off}. */
    public static int reportBlockOffset(int off, int index) {
        return off + REPORT_BLOCKS_OFFSET + ReportBlock.LENGTH * index;
    }
}

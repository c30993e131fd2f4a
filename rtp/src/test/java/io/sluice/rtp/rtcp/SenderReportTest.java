package io.sluice.rtp.rtcp;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hex;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.List;
import org.junit.jupiter.api.Test;

class SenderReportTest {

    /**
     * What an RTSP publisher sends every few seconds, composed byte by byte in the form libavformat
     * writes it (SR with one block, then SDES with the CNAME): 2024-04-23T05:19:22.5Z is RTP time
     * 90000 of SSRC 0x12345678, after 100 packets and 100000 payload bytes; it receives 0xDEADBEEF.
     */
    static final String SR_SDES_COMPOUND = """
            81 c8 00 0c   # V=2 RC=1 PT=SR length 12 (52 bytes)
            12 34 56 78   # SSRC of sender
            e9 d1 c3 5a   # NTP seconds
            80 00 00 00   # NTP fraction: .5
            00 01 5f 90   # RTP timestamp 90000
            00 00 00 64   # packet count 100
            00 01 86 a0   # octet count 100000
            de ad be ef   # block: SSRC
            40 ff ff fe   # fraction 64/256, cumulative lost -2
            00 01 00 05   # extended highest sequence: 1 cycle, seq 5
            00 00 00 20   # jitter 32
            c3 5a 80 00   # LSR
            00 01 00 00   # DLSR: 1 s
            81 ca 00 04   # V=2 SC=1 PT=SDES length 4 (20 bytes)
            12 34 56 78   # chunk SSRC
            01 09 75 73 65 72 40 68 6f 73 74 00   # CNAME "user@host", end of items
            """;

    @Test
    void readsACapturedSenderReportAndItsBlock() {
        ByteBuf buf = hex(SR_SDES_COMPOUND);
        try {
            assertThat(RtcpPacket.isValidCompound(buf)).isTrue();
            assertThat(RtcpPacket.packetType(buf, 0)).isEqualTo(RtcpPacketType.SR);
            assertThat(RtcpPacket.count(buf, 0)).isEqualTo(1);
            assertThat(RtcpPacket.senderSsrc(buf, 0)).isEqualTo(0x12345678);
            assertThat(SenderReport.ntpTimestamp(buf, 0)).isEqualTo(0xE9D1C35A_80000000L);
            assertThat(SenderReport.rtpTimestamp(buf, 0)).isEqualTo(90_000L);
            assertThat(SenderReport.packetCount(buf, 0)).isEqualTo(100L);
            assertThat(SenderReport.octetCount(buf, 0)).isEqualTo(100_000L);

            int block = SenderReport.reportBlockOffset(0, 0);
            assertThat(block).isEqualTo(28);
            assertThat(ReportBlock.ssrc(buf, block)).isEqualTo(0xDEADBEEF);
            assertThat(ReportBlock.fractionLost(buf, block)).isEqualTo(64);
            assertThat(ReportBlock.cumulativeLost(buf, block)).isEqualTo(-2);
            assertThat(ReportBlock.extendedHighestSequence(buf, block)).isEqualTo(65_541L);
            assertThat(ReportBlock.jitter(buf, block)).isEqualTo(32L);
            assertThat(ReportBlock.lastSr(buf, block)).isEqualTo(0xC35A8000L);
            assertThat(ReportBlock.delaySinceLastSr(buf, block)).isEqualTo(65_536L);

            int sdes = RtcpPacket.packetLength(buf, 0);
            assertThat(RtcpPacket.packetType(buf, sdes)).isEqualTo(RtcpPacketType.SDES);
            assertThat(RtcpPacket.senderSsrc(buf, sdes)).isEqualTo(0x12345678);
            assertThat(SourceDescription.cname(buf, sdes)).isEqualTo("user@host");
            assertThat(sdes + RtcpPacket.packetLength(buf, sdes)).isEqualTo(buf.writerIndex());
        } finally {
            buf.release();
        }
    }

    @Test
    void writerProducesTheCapturedBytesWithoutTheBlock() {
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writeSenderReport(out, 0x12345678, 0xE9D1C35A_80000000L, 90_000, 100, 100_000);
            RtcpWriter.writeSdesCname(out, 0x12345678, "user@host");
            assertThat(hexOf(out)).isEqualTo(compact("""
                    80 c8 00 06  12 34 56 78  e9 d1 c3 5a  80 00 00 00  00 01 5f 90  00 00 00 64  00 01 86 a0
                    81 ca 00 04  12 34 56 78  01 09 75 73 65 72 40 68 6f 73 74 00"""));
        } finally {
            out.release();
        }
    }

    record Sr(int ssrc, long ntp64, long rtpTimestamp, long packetCount, long octetCount) {
    }

    @Test
    void senderReportRoundTrips() {
        List<Sr> cases = List.of(
                new Sr(0, 0L, 0L, 0L, 0L),
                new Sr(0x12345678, 0xE9D1C35A_80000000L, 90_000L, 100L, 100_000L),
                new Sr(-1, 0xFFFF_FFFF_FFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL),
                new Sr(Integer.MIN_VALUE, 0x8000_0000_0000_0001L, 0x8000_0000L, 1L << 31, 3_000_000_000L));
        for (Sr sr : cases) {
            ByteBuf out = Unpooled.buffer();
            try {
                RtcpWriter.writeSenderReport(out, sr.ssrc(), sr.ntp64(), sr.rtpTimestamp(), sr.packetCount(),
                        sr.octetCount());
                assertThat(RtcpPacket.isValidCompound(out)).isTrue();
                assertThat(RtcpPacket.packetLength(out, 0)).isEqualTo(28).isEqualTo(out.readableBytes());
                assertThat(RtcpPacket.count(out, 0)).isZero();
                Sr read = new Sr(RtcpPacket.senderSsrc(out, 0), SenderReport.ntpTimestamp(out, 0),
                        SenderReport.rtpTimestamp(out, 0), SenderReport.packetCount(out, 0),
                        SenderReport.octetCount(out, 0));
                assertThat(read).isEqualTo(sr);
            } finally {
                out.release();
            }
        }
    }

    @Test
    void countsAndTimestampKeepTheirLow32Bits() {
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writeSenderReport(out, 1, 2, 0x1_0000_0005L, 0x2_0000_0006L, 0x3_0000_0007L);
            assertThat(SenderReport.rtpTimestamp(out, 0)).isEqualTo(5);
            assertThat(SenderReport.packetCount(out, 0)).isEqualTo(6);
            assertThat(SenderReport.octetCount(out, 0)).isEqualTo(7);
        } finally {
            out.release();
        }
    }

    @Test
    void blockOffsets() {
        assertThat(SenderReport.reportBlockOffset(100, 0)).isEqualTo(128);
        assertThat(SenderReport.reportBlockOffset(100, 2)).isEqualTo(176);
        assertThat(ReceiverReport.reportBlockOffset(100, 0)).isEqualTo(108);
        assertThat(ReceiverReport.reportBlockOffset(100, 3)).isEqualTo(180);
    }
}

package io.sluice.rtp.rtcp;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.rtp.ReceptionStatistics;
import java.util.List;
import org.junit.jupiter.api.Test;

class ReceiverReportTest {

    private static final long MS = 1_000_000L;

    @Test
    void emptyReceiverReportBytes() {
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writeReceiverReport(out, 0xCAFEBABE);
            assertThat(hexOf(out)).isEqualTo(compact("80 c9 00 01  ca fe ba be"));
            assertThat(RtcpPacket.isValidCompound(out)).isTrue();
        } finally {
            out.release();
        }
    }

    record Block(int ssrc, int fractionLost, int cumulativeLost, long extendedHighestSequence, long jitter,
                 long lastSr, long delaySinceLastSr) {
    }

    @Test
    void oneBlockRoundTrips() {
        List<Block> cases = List.of(
                new Block(0, 0, 0, 0, 0, 0, 0),
                new Block(0xDEADBEEF, 64, -2, 65_541L, 32L, 0xC35A8000L, 65_536L),
                new Block(-1, 255, 0x7F_FFFF, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL, 0xFFFF_FFFFL),
                new Block(1, 1, -0x80_0000, 1L << 31, 1L << 31, 1L << 31, 1L << 31));
        for (Block b : cases) {
            ByteBuf out = Unpooled.buffer();
            try {
                RtcpWriter.writeReceiverReport(out, 0x11111111, b.ssrc(), b.fractionLost(), b.cumulativeLost(),
                        b.extendedHighestSequence(), b.jitter(), b.lastSr(), b.delaySinceLastSr());
                assertThat(RtcpPacket.isValidCompound(out)).isTrue();
                assertThat(out.readableBytes()).isEqualTo(32).isEqualTo(RtcpPacket.packetLength(out, 0));
                assertThat(RtcpPacket.packetType(out, 0)).isEqualTo(RtcpPacketType.RR);
                assertThat(RtcpPacket.count(out, 0)).isEqualTo(1);
                assertThat(RtcpPacket.senderSsrc(out, 0)).isEqualTo(0x11111111);
                int at = ReceiverReport.reportBlockOffset(0, 0);
                Block read = new Block(ReportBlock.ssrc(out, at), ReportBlock.fractionLost(out, at),
                        ReportBlock.cumulativeLost(out, at), ReportBlock.extendedHighestSequence(out, at),
                        ReportBlock.jitter(out, at), ReportBlock.lastSr(out, at), ReportBlock.delaySinceLastSr(out, at));
                assertThat(read).isEqualTo(b);
            } finally {
                out.release();
            }
        }
    }

    @Test
    void blockFromReceptionStatistics() {
        ReceptionStatistics stats = new ReceptionStatistics();
        // 65530..65545 at 90 kHz, 3000 ticks per frame, 65533 and 1 lost; the last 80 ticks late.
        for (int n = 65530; n <= 65545; n++) {
            if (n == 65533 || n == 65537) {
                continue;
            }
            long ts = (n - 65530) * 3000L;
            long late = n == 65545 ? 80 : 0;
            stats.onPacket(n & 0xFFFF, ts, (ts + late) * 1_000_000L / 90, 90_000);
        }
        stats.onSenderReport(0xE9D1C35A_80000000L, 500 * MS);

        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writeReceiverReport(out, 0x0A0B0C0D, 0x12345678, stats, 750 * MS);
            int at = ReceiverReport.reportBlockOffset(0, 0);
            assertThat(RtcpPacket.senderSsrc(out, 0)).isEqualTo(0x0A0B0C0D);
            assertThat(ReportBlock.ssrc(out, at)).isEqualTo(0x12345678);
            assertThat(ReportBlock.fractionLost(out, at)).isEqualTo(2 * 256 / 16);
            assertThat(ReportBlock.cumulativeLost(out, at)).isEqualTo(2);
            assertThat(ReportBlock.extendedHighestSequence(out, at)).isEqualTo(65536L + 9);
            assertThat(ReportBlock.jitter(out, at)).isEqualTo(5L);   // 80 / 16
            assertThat(ReportBlock.lastSr(out, at)).isEqualTo(0xC35A8000L);
            assertThat(ReportBlock.delaySinceLastSr(out, at)).isEqualTo(16_384L);
        } finally {
            out.release();
        }
        // Writing the block started a new loss interval.
        assertThat(stats.fractionLostSinceLastReport()).isZero();
    }

    record Rtt(String name, long lastSr, long dlsr, long nowMiddle32, long nanos) {
    }

    @Test
    void roundTripArithmeticOfRfc3550() {
        List<Rtt> cases = List.of(
                // RFC 3550 section 6.4.1, figure 2: A 0xb7108000, LSR 0xb7052000, DLSR 0x00054000 -> 6.125 s.
                new Rtt("RFC example", 0xB705_2000L, 0x0005_4000L, 0xB710_8000L, 6_125_000_000L),
                new Rtt("no SR yet", 0L, 0x0005_4000L, 0xB710_8000L, -1),
                new Rtt("middle 32 bits wrapped", 0xFFFF_0000L, 0x0000_8000L, 0x0001_8000L, 2_000_000_000L),
                new Rtt("clock granularity made it negative", 0x0001_0000L, 0x0001_0000L, 0x0001_8000L, 0),
                new Rtt("one unit", 0x0001_0000L, 0L, 0x0001_0001L, 15_259L));
        for (Rtt c : cases) {
            long nowNtp64 = c.nowMiddle32() << 16 | 0x1234;
            assertThat(ReportBlock.roundTripNanos(c.lastSr(), c.dlsr(), nowNtp64)).as(c.name()).isEqualTo(c.nanos());
        }
    }
}

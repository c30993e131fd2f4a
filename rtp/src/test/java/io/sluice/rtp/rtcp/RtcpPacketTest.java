package io.sluice.rtp.rtcp;

import static io.sluice.rtp.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpPacketTest {

    record Validity(String name, String hex, boolean valid) {
    }

    private static final String RR_EMPTY = "80 c9 00 01  00 00 00 01 ";
    private static final String PLI = "81 ce 00 02  00 00 00 01  00 00 00 02 ";

    private static final List<Validity> VALIDITY = List.of(
            new Validity("empty RR", RR_EMPTY, true),
            new Validity("lone PLI (no SR/RR first)", PLI, true),
            new Validity("RR then PLI", RR_EMPTY + PLI, true),
            new Validity("SR, SDES (a capture)", SenderReportTest.SR_SDES_COMPOUND, true),
            new Validity("RR with 4 bytes of padding", "a0 c9 00 02  00 00 00 01  00 00 00 04", true),
            new Validity("nothing", "", false),
            new Validity("header only", "80 c9 00 00", false),
            new Validity("shorter than a header", "80 c9", false),
            new Validity("version 1", "40 c9 00 01  00 00 00 01", false),
            new Validity("version 3", "c0 c9 00 01  00 00 00 01", false),
            new Validity("length beyond the buffer", "80 c9 00 02  00 00 00 01", false),
            new Validity("length field 0 (4 bytes) inside a longer region", "80 c9 00 00  00 00 00 01", false),
            new Validity("trailing zero word", RR_EMPTY + "00 00 00 00", false),
            new Validity("trailing half header", RR_EMPTY + "80 c9", false),
            new Validity("second packet of version 1", RR_EMPTY + "41 ce 00 02  00 00 00 01  00 00 00 02", false),
            new Validity("second packet longer than the rest", RR_EMPTY + "81 ce 00 03  00 00 00 01  00 00 00 02", false),
            new Validity("padding count 0", "a0 c9 00 02  00 00 00 01  00 00 00 00", false),
            new Validity("padding larger than the packet body", "a0 c9 00 02  00 00 00 01  00 00 00 0d", false));

    @Test
    void isValidCompoundChecksEveryPacketOfTheRegion() {
        for (Validity v : VALIDITY) {
            ByteBuf buf = hex("24 01 00 00 " + v.hex() + " ee ee");
            try {
                buf.readerIndex(4);
                buf.writerIndex(buf.writerIndex() - 2);
                assertThat(RtcpPacket.isValidCompound(buf)).as(v.name()).isEqualTo(v.valid());
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void commonHeaderFieldsAtAnOffset() {
        ByteBuf buf = hex(RR_EMPTY + "a1 cd 00 03  de ad be ef  00 00 00 07  00 00 00 00");
        try {
            assertThat(RtcpPacket.version(buf, 0)).isEqualTo(2);
            assertThat(RtcpPacket.packetType(buf, 0)).isEqualTo(RtcpPacketType.RR);
            assertThat(RtcpPacket.count(buf, 0)).isZero();
            assertThat(RtcpPacket.packetLength(buf, 0)).isEqualTo(8);
            assertThat(RtcpPacket.senderSsrc(buf, 0)).isEqualTo(1);
            assertThat(RtcpPacket.padding(buf, 0)).isFalse();

            int off = RtcpPacket.packetLength(buf, 0);
            assertThat(RtcpPacket.version(buf, off)).isEqualTo(2);
            assertThat(RtcpPacket.padding(buf, off)).isTrue();
            assertThat(RtcpPacket.count(buf, off)).isEqualTo(1);
            assertThat(RtcpPacket.packetType(buf, off)).isEqualTo(RtcpPacketType.RTPFB);
            assertThat(RtcpPacket.packetLength(buf, off)).isEqualTo(16);
            assertThat(RtcpPacket.senderSsrc(buf, off)).isEqualTo(0xDEADBEEF);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    @Test
    void countFieldTakesAllFiveBits() {
        ByteBuf buf = hex("9f c9 00 01  00 00 00 01");
        try {
            assertThat(RtcpPacket.count(buf, 0)).isEqualTo(31);
            assertThat(RtcpPacket.padding(buf, 0)).isFalse();
        } finally {
            buf.release();
        }
    }
}

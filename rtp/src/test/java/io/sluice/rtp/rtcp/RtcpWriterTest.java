package io.sluice.rtp.rtcp;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hex;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtcpWriterTest {

    @Test
    void feedbackAndByeBytes() {
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writeGenericNack(out, 1, 0x12345678, 0xFFFF, 0b101);
            RtcpWriter.writePli(out, 1, 0x12345678);
            RtcpWriter.writeBye(out, 0x12345678);
            assertThat(hexOf(out)).isEqualTo(compact("""
                    81 cd 00 03  00 00 00 01  12 34 56 78  ff ff 00 05
                    81 ce 00 02  00 00 00 01  12 34 56 78
                    81 cb 00 01  12 34 56 78"""));
            assertThat(RtcpPacket.isValidCompound(out)).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void compoundPacketWalk() {
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writeSenderReport(out, 7, 0xE9D1C35A_80000000L, 1, 2, 3);
            RtcpWriter.writeSdesCname(out, 7, "sluice");
            RtcpWriter.writePli(out, 7, 8);
            RtcpWriter.writeBye(out, 7);
            assertThat(RtcpPacket.isValidCompound(out)).isTrue();

            List<Integer> types = new ArrayList<>();
            for (int off = out.readerIndex(); off < out.writerIndex(); off += RtcpPacket.packetLength(out, off)) {
                types.add(RtcpPacket.packetType(out, off));
                assertThat(RtcpPacket.senderSsrc(out, off)).isEqualTo(7);
                if (FeedbackPacket.isPli(out, off)) {
                    assertThat(FeedbackPacket.mediaSsrc(out, off)).isEqualTo(8);
                    assertThat(FeedbackPacket.isGenericNack(out, off)).isFalse();
                }
                if (RtcpPacket.packetType(out, off) == RtcpPacketType.BYE) {
                    assertThat(RtcpPacket.count(out, off)).isEqualTo(1);
                    assertThat(Bye.ssrc(out, off, 0)).isEqualTo(7);
                }
            }
            assertThat(types).containsExactly(RtcpPacketType.SR, RtcpPacketType.SDES, RtcpPacketType.PSFB,
                    RtcpPacketType.BYE);
        } finally {
            out.release();
        }
    }

    @Test
    void sdesCnameRoundTripsAndPadsWithAtLeastOneZero() {
        // CNAME length -> packet length: items (2 + n) plus 1..4 zeros, to a word, after 8 bytes.
        Object[][] cases = {
            {"", 12}, {"a", 12}, {"ab", 16}, {"user@host", 20}, {"abcdef", 20}, {"h\u00e9llo@\u00fcber", 24},
            {"x".repeat(255), 8 + 260},
        };
        for (Object[] c : cases) {
            String cname = (String) c[0];
            ByteBuf out = Unpooled.buffer();
            try {
                RtcpWriter.writeSdesCname(out, 0x55667788, cname);
                assertThat(out.readableBytes()).as(cname).isEqualTo(c[1]);
                assertThat(RtcpPacket.isValidCompound(out)).isTrue();
                assertThat(RtcpPacket.count(out, 0)).isEqualTo(1);
                assertThat(RtcpPacket.senderSsrc(out, 0)).isEqualTo(0x55667788);
                assertThat(SourceDescription.cname(out, 0)).isEqualTo(cname);
                assertThat(out.getByte(out.writerIndex() - 1)).as("last byte of %s", cname).isZero();
            } finally {
                out.release();
            }
        }
    }

    @Test
    void sdesCnameLongerThan255BytesIsRejected() {
        ByteBuf out = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> RtcpWriter.writeSdesCname(out, 1, "\u00e9".repeat(128)))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(out.writerIndex()).isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void sdesReaderSkipsOtherItemsAndStopsAtTheEnd() {
        ByteBuf buf = hex("""
                81 ca 00 04  00 00 00 09
                06 02 66 66     # TOOL "ff"
                01 03 61 62 63  # CNAME "abc"
                00 00 00        # end of items, padding
                """);
        ByteBuf noCname = hex("81 ca 00 03  00 00 00 09  06 02 66 66  00 00 00 00");
        ByteBuf noChunk = hex("80 ca 00 00");
        try {
            assertThat(RtcpPacket.isValidCompound(buf)).isTrue();
            assertThat(SourceDescription.cname(buf, 0)).isEqualTo("abc");
            assertThat(SourceDescription.cname(noCname, 0)).isNull();
            assertThat(SourceDescription.cname(noChunk, 0)).isNull();
        } finally {
            buf.release();
            noCname.release();
            noChunk.release();
        }
    }

    @Test
    void byeWithSeveralSourcesAndAReason() {
        ByteBuf buf = hex("82 cb 00 04  00 00 00 01  00 00 00 02  04 62 79 65  00 00 00 00");
        try {
            assertThat(RtcpPacket.isValidCompound(buf)).isTrue();
            assertThat(RtcpPacket.count(buf, 0)).isEqualTo(2);
            assertThat(Bye.ssrc(buf, 0, 0)).isEqualTo(1);
            assertThat(Bye.ssrc(buf, 0, 1)).isEqualTo(2);
        } finally {
            buf.release();
        }
    }
}

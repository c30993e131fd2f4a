package io.sluice.rtp.rtx;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hex;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.rtp.RtpPacket;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtxTest {

    private static final String ORIGINAL_WITH_EVERYTHING = """
            b2 e0 12 34   # V=2 P=1 X=1 CC=2 / M=1 PT=96 / seq 0x1234
            00 01 e2 40   # timestamp
            ca fe ba be   # SSRC
            00 00 00 01  00 00 00 02       # CSRCs
            be de 00 01  10 ff 00 00       # header extension
            61 62 63 64 65                 # payload
            00 00 03                       # padding
            """;

    @Test
    void rtxPacketCarriesTheOsnAndThePayloadWithoutPadding() {
        ByteBuf original = hex("00 00 " + ORIGINAL_WITH_EVERYTHING);
        ByteBuf rtx = Unpooled.buffer();
        try {
            original.readerIndex(2);
            Rtx.writeRtxPacket(rtx, original, 97, 500, 0x0BADF00D);

            assertThat(hexOf(rtx)).isEqualTo(compact("""
                    92 e1 01 f4   # P cleared / M kept, PT 97 / RTX seq 500
                    00 01 e2 40   # timestamp kept
                    0b ad f0 0d   # RTX SSRC
                    00 00 00 01  00 00 00 02  be de 00 01  10 ff 00 00
                    12 34         # OSN
                    61 62 63 64 65
                    """));
            assertThat(RtpPacket.isValid(rtx)).isTrue();
            assertThat(Rtx.originalSequenceNumber(rtx)).isEqualTo(0x1234);
            assertThat(original.readerIndex()).isEqualTo(2);
            assertThat(original.writerIndex()).isEqualTo(38);

            Rtx.restoreOriginal(rtx, 96, 0xCAFEBABE);
            assertThat(hexOf(rtx)).isEqualTo(compact("""
                    92 e0 12 34  00 01 e2 40  ca fe ba be
                    00 00 00 01  00 00 00 02  be de 00 01  10 ff 00 00
                    61 62 63 64 65
                    """));
            assertThat(RtpPacket.isValid(rtx)).isTrue();
        } finally {
            original.release();
            rtx.release();
        }
    }

    record Case(boolean marker, int payloadType, int seq, long timestamp, int ssrc, int payloadLength) {
    }

    @Test
    void restoringAnRtxPacketGivesTheOriginalBack() {
        List<Case> cases = List.of(
                new Case(false, 96, 0, 0, 1, 0),
                new Case(true, 96, 65535, 0xFFFF_FFFFL, -1, 1),
                new Case(true, 100, 4242, 90_000, 0x12345678, 1200));
        for (Case c : cases) {
            ByteBuf original = Unpooled.buffer();
            ByteBuf rtx = Unpooled.directBuffer();
            try {
                RtpPacket.writeHeader(original, c.marker(), c.payloadType(), c.seq(), c.timestamp(), c.ssrc());
                for (int i = 0; i < c.payloadLength(); i++) {
                    original.writeByte(i * 7);
                }
                rtx.writeBytes(new byte[] {'$', 0, 0, 0});
                rtx.readerIndex(4);
                Rtx.writeRtxPacket(rtx, original, 127, 9, 0x77777777);

                RtpPacket view = new RtpPacket().wrap(rtx);
                assertThat(view.payloadType()).isEqualTo(127);
                assertThat(view.sequenceNumber()).isEqualTo(9);
                assertThat(view.ssrc()).isEqualTo(0x77777777);
                assertThat(view.marker()).isEqualTo(c.marker());
                assertThat(view.timestamp()).isEqualTo(c.timestamp());
                assertThat(view.payloadLength()).isEqualTo(c.payloadLength() + Rtx.OSN_LENGTH);
                assertThat(Rtx.originalSequenceNumber(rtx)).isEqualTo(c.seq());

                Rtx.restoreOriginal(rtx, c.payloadType(), c.ssrc());
                assertThat(rtx.readerIndex()).isEqualTo(6);
                assertThat(hexOf(rtx)).as("%s", c).isEqualTo(hexOf(original));
            } finally {
                original.release();
                rtx.release();
            }
        }
    }

    @Test
    void payloadTypeOutOfRangeIsRejected() {
        ByteBuf original = Unpooled.buffer();
        ByteBuf rtx = Unpooled.buffer();
        try {
            RtpPacket.writeHeader(original, false, 96, 1, 2, 3);
            assertThatThrownBy(() -> Rtx.writeRtxPacket(rtx, original, 128, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(rtx.writerIndex()).isZero();
        } finally {
            original.release();
            rtx.release();
        }
    }
}

package io.sluice.rtp;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hex;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpPacketTest {

    /**
     * Every optional part at once, behind a 4-byte interleaved frame header so that absolute offsets
     * differ from relative ones.
     */
    private static final String FULL_PACKET = """
            24 00 00 24
            b2 e0 12 34   # V=2 P=1 X=1 CC=2 / M=1 PT=96 / seq 0x1234
            00 01 e2 40   # timestamp 123456
            ca fe ba be   # SSRC
            00 00 00 01   # CSRC 1
            00 00 00 02   # CSRC 2
            be de 00 01   # extension profile 0xBEDE, 1 word
            10 ff 00 00   # extension data
            61 62 63 64 65   # payload "abcde"
            00 00 03         # padding, count 3
            """;

    @Test
    void readsEveryFieldOfALiteralPacket() {
        ByteBuf buf = hex(FULL_PACKET);
        try {
            buf.readerIndex(4);
            assertThat(RtpPacket.isValid(buf)).isTrue();
            RtpPacket packet = new RtpPacket().wrap(buf);

            assertThat(packet.buffer()).isSameAs(buf);
            assertThat(packet.offset()).isEqualTo(4);
            assertThat(packet.length()).isEqualTo(36);
            assertThat(packet.version()).isEqualTo(2);
            assertThat(packet.padding()).isTrue();
            assertThat(packet.extension()).isTrue();
            assertThat(packet.csrcCount()).isEqualTo(2);
            assertThat(packet.csrc(0)).isEqualTo(1);
            assertThat(packet.csrc(1)).isEqualTo(2);
            assertThat(packet.marker()).isTrue();
            assertThat(packet.payloadType()).isEqualTo(96);
            assertThat(packet.sequenceNumber()).isEqualTo(0x1234);
            assertThat(packet.timestamp()).isEqualTo(123456L);
            assertThat(packet.ssrc()).isEqualTo(0xCAFEBABE);
            assertThat(packet.extensionProfile()).isEqualTo(0xBEDE);
            assertThat(packet.extensionDataOffset()).isEqualTo(4 + 24);
            assertThat(packet.extensionDataLength()).isEqualTo(4);
            assertThat(packet.headerLength()).isEqualTo(28);
            assertThat(packet.payloadOffset()).isEqualTo(4 + 28);
            assertThat(packet.payloadLength()).isEqualTo(5);
            assertThat(packet.paddingLength()).isEqualTo(3);
            assertThat(buf.toString(packet.payloadOffset(), packet.payloadLength(), StandardCharsets.US_ASCII))
                    .isEqualTo("abcde");
            assertThat(buf.readerIndex()).isEqualTo(4);
        } finally {
            buf.release();
        }
    }

    @Test
    void staticReadersReadAtTheReaderIndexWithoutMovingIt() {
        ByteBuf buf = hex(FULL_PACKET);
        try {
            buf.readerIndex(4);
            assertThat(RtpPacket.sequenceNumber(buf)).isEqualTo(0x1234);
            assertThat(RtpPacket.timestamp(buf)).isEqualTo(123456L);
            assertThat(RtpPacket.ssrc(buf)).isEqualTo(0xCAFEBABE);
            assertThat(RtpPacket.marker(buf)).isTrue();
            assertThat(RtpPacket.payloadType(buf)).isEqualTo(96);
            assertThat(RtpPacket.headerLength(buf)).isEqualTo(28);
            assertThat(buf.readerIndex()).isEqualTo(4);
            assertThat(buf.writerIndex()).isEqualTo(40);
        } finally {
            buf.release();
        }
    }

    record Header(boolean marker, int payloadType, int sequenceNumber, long timestamp, int ssrc) {
    }

    private static final List<Header> HEADERS = List.of(
            new Header(false, 0, 0, 0L, 0),
            new Header(true, 96, 1, 90_000L, 0x12345678),
            new Header(true, 127, 65535, 0xFFFF_FFFFL, -1),
            new Header(false, 33, 32768, 0x8000_0000L, Integer.MIN_VALUE),
            new Header(false, 111, 4660, 2_400_000_000L, 0x7FFF_FFFF));

    @Test
    void writeHeaderRoundTripsThroughFlyweightAndStaticReaders() {
        RtpPacket packet = new RtpPacket();
        for (Header h : HEADERS) {
            ByteBuf buf = Unpooled.buffer();
            try {
                RtpPacket.writeHeader(buf, h.marker(), h.payloadType(), h.sequenceNumber(), h.timestamp(), h.ssrc());
                buf.writeBytes(new byte[] {1, 2, 3});

                assertThat(RtpPacket.isValid(buf)).as("%s", h).isTrue();
                packet.wrap(buf);
                Header read = new Header(packet.marker(), packet.payloadType(), packet.sequenceNumber(),
                        packet.timestamp(), packet.ssrc());
                Header readStatic = new Header(RtpPacket.marker(buf), RtpPacket.payloadType(buf),
                        RtpPacket.sequenceNumber(buf), RtpPacket.timestamp(buf), RtpPacket.ssrc(buf));
                assertThat(read).isEqualTo(h);
                assertThat(readStatic).isEqualTo(h);
                assertThat(packet.version()).isEqualTo(2);
                assertThat(packet.padding()).isFalse();
                assertThat(packet.extension()).isFalse();
                assertThat(packet.csrcCount()).isZero();
                assertThat(packet.headerLength()).isEqualTo(12);
                assertThat(packet.payloadLength()).isEqualTo(3);
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void writeHeaderProducesTheWireBytes() {
        ByteBuf buf = Unpooled.buffer();
        try {
            RtpPacket.writeHeader(buf, true, 96, 0x1234, 0x1_0001_E240L, 0xCAFEBABE);
            // The timestamp keeps its low 32 bits, as RTP timestamps wrap.
            assertThat(hexOf(buf)).isEqualTo(compact("80 e0 12 34  00 01 e2 40  ca fe ba be"));
        } finally {
            buf.release();
        }
    }

    @Test
    void settersWriteThroughAndLeaveNeighbouringBitsAlone() {
        ByteBuf buf = hex(FULL_PACKET);
        try {
            buf.readerIndex(4);
            RtpPacket packet = new RtpPacket().wrap(buf);
            packet.payloadType(127).marker(false).sequenceNumber(65536 + 7).timestamp(0x1_FFFF_FFFEL).ssrc(42);

            assertThat(buf.getByte(4)).isEqualTo((byte) 0xb2);
            assertThat(hexOf(buf.slice(4, 12))).isEqualTo(compact("b2 7f 00 07  ff ff ff fe  00 00 00 2a"));
            assertThat(packet.marker()).isFalse();
            assertThat(packet.payloadType()).isEqualTo(127);

            packet.marker(true).payloadType(0);
            assertThat(buf.getByte(5)).isEqualTo((byte) 0x80);
            assertThat(packet.headerLength()).isEqualTo(28);
            assertThat(packet.payloadLength()).isEqualTo(5);
        } finally {
            buf.release();
        }
    }

    @Test
    void payloadTypeOutOfRangeIsRejected() {
        ByteBuf buf = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> RtpPacket.writeHeader(buf, false, 128, 0, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> RtpPacket.writeHeader(buf, false, -1, 0, 0, 0))
                    .isInstanceOf(IllegalArgumentException.class);
            assertThat(buf.writerIndex()).isZero();
            RtpPacket.writeHeader(buf, false, 0, 0, 0, 0);
            RtpPacket packet = new RtpPacket().wrap(buf);
            assertThatThrownBy(() -> packet.payloadType(200)).isInstanceOf(IllegalArgumentException.class);
        } finally {
            buf.release();
        }
    }

    record Validity(String name, String hex, boolean valid) {
    }

    private static final List<Validity> VALIDITY = List.of(
            new Validity("minimal header", "80 60 00 01 00 00 00 00 00 00 00 01", true),
            new Validity("header and payload", "80 60 00 01 00 00 00 00 00 00 00 01 aa bb", true),
            new Validity("11 bytes", "80 60 00 01 00 00 00 00 00 00 00", false),
            new Validity("empty", "", false),
            new Validity("version 1", "40 60 00 01 00 00 00 00 00 00 00 01", false),
            new Validity("version 3", "c0 60 00 01 00 00 00 00 00 00 00 01", false),
            new Validity("version 0 (STUN-like)", "00 01 00 00 21 12 a4 42 00 00 00 00", false),
            new Validity("CSRC present", "81 60 00 01 00 00 00 00 00 00 00 01 00 00 00 09", true),
            new Validity("CSRC count beyond the end", "82 60 00 01 00 00 00 00 00 00 00 01 00 00 00 09", false),
            new Validity("extension header cut", "90 60 00 01 00 00 00 00 00 00 00 01 be de", false),
            new Validity("empty extension", "90 60 00 01 00 00 00 00 00 00 00 01 be de 00 00", true),
            new Validity("extension length beyond the end",
                    "90 60 00 01 00 00 00 00 00 00 00 01 be de 00 02 00 00 00 00", false),
            new Validity("extension exactly fits", "90 60 00 01 00 00 00 00 00 00 00 01 be de 00 01 00 00 00 00", true),
            new Validity("padding count 0", "a0 60 00 01 00 00 00 00 00 00 00 01 aa 00", false),
            new Validity("padding larger than the payload", "a0 60 00 01 00 00 00 00 00 00 00 01 aa 03", false),
            new Validity("padding is the whole payload", "a0 60 00 01 00 00 00 00 00 00 00 01 00 02", true),
            new Validity("padding bit with no payload", "a0 60 00 01 00 00 00 00 00 00 00 01", false),
            new Validity("padding reaching into the extension",
                    "b0 60 00 01 00 00 00 00 00 00 00 01 be de 00 01 00 00 00 05", false));

    @Test
    void isValidAcceptsWellFormedAndRejectsMalformedPackets() {
        for (Validity v : VALIDITY) {
            ByteBuf buf = hex("ff " + v.hex());
            try {
                buf.readerIndex(1);
                assertThat(RtpPacket.isValid(buf)).as(v.name()).isEqualTo(v.valid());
            } finally {
                buf.release();
            }
        }
    }

    @Test
    void isValidLooksOnlyAtTheReadableRegion() {
        ByteBuf buf = hex("80 60 00 01 00 00 00 00 00 00 00 01 aa bb");
        try {
            buf.writerIndex(11);
            assertThat(RtpPacket.isValid(buf)).isFalse();
            buf.writerIndex(14);
            buf.readerIndex(2);
            assertThat(RtpPacket.isValid(buf)).isFalse();
        } finally {
            buf.release();
        }
    }

    @Test
    void rewrappingMovesTheFlyweightToTheNewRegion() {
        ByteBuf first = hex("80 60 00 01 00 00 00 00 00 00 00 01 aa");
        ByteBuf second = hex("80 e1 00 02 00 00 00 00 00 00 00 02 aa bb cc");
        try {
            RtpPacket packet = new RtpPacket().wrap(first);
            assertThat(packet.sequenceNumber()).isEqualTo(1);
            assertThat(packet.payloadLength()).isEqualTo(1);
            assertThat(packet.wrap(second)).isSameAs(packet);
            assertThat(packet.sequenceNumber()).isEqualTo(2);
            assertThat(packet.payloadType()).isEqualTo(97);
            assertThat(packet.payloadLength()).isEqualTo(3);
        } finally {
            first.release();
            second.release();
        }
    }
}

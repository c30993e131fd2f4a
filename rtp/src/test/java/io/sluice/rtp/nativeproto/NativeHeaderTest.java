package io.sluice.rtp.nativeproto;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hex;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import org.junit.jupiter.api.Test;

class NativeHeaderTest {

    @Test
    void writesAnAuthRequestAsTheOriginalClientDid() {
        ByteBuf out = Unpooled.buffer();
        try {
            NativeHeader.writeControl(out, NativeMessageType.AUTH_REQUEST, 0x1_2345_6789L, 0, "cam#CODE");
            assertThat(hexOf(out)).isEqualTo(compact("""
                    80 65 0000      # V=2, PT 101, sequence 0
                    23456789        # low 32 bits of epoch ms
                    00000000        # SSRC 0
                    63616d23434f4445  # cam#CODE
                    """));
        } finally {
            out.release();
        }
    }

    @Test
    void readsTheFieldsOfAPullRequestChunk() {
        ByteBuf in = hex("80 ef 0002  00000010  0000002a  61 23 62");
        try {
            assertThat(NativeHeader.isWellFormed(in)).isTrue();
            assertThat(NativeHeader.payloadType(in)).isEqualTo(NativeMessageType.PULL_REQUEST);
            assertThat(NativeHeader.marker(in)).isTrue();
            assertThat(NativeHeader.sequence(in)).isEqualTo(2);
            assertThat(NativeHeader.timestampMs(in)).isEqualTo(16);
            assertThat(NativeHeader.ssrc(in)).isEqualTo(42);
            assertThat(NativeHeader.payloadLength(in)).isEqualTo(3);
            assertThat(NativeHeader.payloadText(in)).isEqualTo("a#b");
        } finally {
            in.release();
        }
    }

    @Test
    void refusesShortDatagramsAndOtherFirstBytes() {
        ByteBuf shortOne = hex("80 65 0000 00000000 000000");
        ByteBuf withCsrc = hex("81 65 0000 00000000 00000000 00000000");
        ByteBuf version1 = hex("40 65 0000 00000000 00000000");
        try {
            assertThat(NativeHeader.isWellFormed(shortOne)).isFalse();
            assertThat(NativeHeader.isWellFormed(withCsrc)).isFalse();
            assertThat(NativeHeader.isWellFormed(version1)).isFalse();
        } finally {
            shortOne.release();
            withCsrc.release();
            version1.release();
        }
    }

    @Test
    void namesEveryMessageOfTheTable() {
        assertThat(NativeMessageType.name(101)).isEqualTo("auth-request");
        assertThat(NativeMessageType.name(120)).isEqualTo("retransmission-request");
        assertThat(NativeMessageType.name(7)).isEqualTo("pt7");
    }
}

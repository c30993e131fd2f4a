package io.sluice.rtp.rtcp;

import static io.sluice.rtp.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenericNackTest {

    private static List<Integer> lost(ByteBuf buf, int off) {
        List<Integer> out = new ArrayList<>();
        GenericNack.forEachLostSequence(buf, off, out::add);
        return out;
    }

    @Test
    void readsEveryFciOfALiteralNack() {
        ByteBuf buf = hex("""
                00 00 00 00   # something before the packet
                81 cd 00 04   # V=2 FMT=1 PT=RTPFB length 4 (20 bytes)
                00 00 00 01   # sender SSRC
                12 34 56 78   # media SSRC
                ff ff 00 05   # PID 65535, BLP bits 0 and 2: 0 and 2 across the wrap
                00 10 80 00   # PID 16, BLP bit 15: 32
                """);
        try {
            buf.readerIndex(4);
            assertThat(RtcpPacket.isValidCompound(buf)).isTrue();
            assertThat(FeedbackPacket.isGenericNack(buf, 4)).isTrue();
            assertThat(FeedbackPacket.isPli(buf, 4)).isFalse();
            assertThat(RtcpPacket.senderSsrc(buf, 4)).isEqualTo(1);
            assertThat(GenericNack.mediaSsrc(buf, 4)).isEqualTo(0x12345678);
            assertThat(GenericNack.fciCount(buf, 4)).isEqualTo(2);
            assertThat(lost(buf, 4)).containsExactly(65535, 0, 2, 16, 32);
            List<String> entries = new ArrayList<>();
            GenericNack.forEachFci(buf, 4, (pid, blp) -> entries.add(pid + "/" + Integer.toHexString(blp)));
            assertThat(entries).containsExactly("65535/5", "16/8000");
        } finally {
            buf.release();
        }
    }

    @Test
    void paddingIsNotReadAsAnFci() {
        ByteBuf buf = hex("a1 cd 00 04  00 00 00 01  12 34 56 78  00 07 00 01  00 00 00 04");
        try {
            assertThat(RtcpPacket.isValidCompound(buf)).isTrue();
            assertThat(GenericNack.fciCount(buf, 0)).isEqualTo(1);
            assertThat(lost(buf, 0)).containsExactly(7, 8);
        } finally {
            buf.release();
        }
    }

    record Case(int pid, int blp, List<Integer> lost) {
    }

    @Test
    void writerRoundTrips() {
        List<Integer> all17 = new ArrayList<>();
        for (int i = 100; i <= 116; i++) {
            all17.add(i);
        }
        List<Case> cases = List.of(
                new Case(0, 0, List.of(0)),
                new Case(65535, 0b101, List.of(65535, 0, 2)),
                new Case(100, 0xFFFF, all17),
                new Case(65530, 0x8000, List.of(65530, 10)),
                new Case(4000, 0b1000_0000_0000_0001, List.of(4000, 4001, 4016)));
        for (Case c : cases) {
            ByteBuf out = Unpooled.buffer();
            try {
                RtcpWriter.writeGenericNack(out, 0xAAAA0001, 0xBBBB0002, c.pid(), c.blp());
                assertThat(RtcpPacket.isValidCompound(out)).isTrue();
                assertThat(out.readableBytes()).isEqualTo(16);
                assertThat(FeedbackPacket.isGenericNack(out, 0)).isTrue();
                assertThat(RtcpPacket.senderSsrc(out, 0)).isEqualTo(0xAAAA0001);
                assertThat(GenericNack.mediaSsrc(out, 0)).isEqualTo(0xBBBB0002);
                assertThat(lost(out, 0)).as("%s", c).isEqualTo(c.lost());
            } finally {
                out.release();
            }
        }
    }

    @Test
    void pliRoundTrips() {
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writePli(out, -2, -3);
            assertThat(RtcpPacket.isValidCompound(out)).isTrue();
            assertThat(FeedbackPacket.isPli(out, 0)).isTrue();
            assertThat(FeedbackPacket.format(out, 0)).isEqualTo(RtcpPacketType.FMT_PLI);
            assertThat(RtcpPacket.senderSsrc(out, 0)).isEqualTo(-2);
            assertThat(FeedbackPacket.mediaSsrc(out, 0)).isEqualTo(-3);
        } finally {
            out.release();
        }
    }
}

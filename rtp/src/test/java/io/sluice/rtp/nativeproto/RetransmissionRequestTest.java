package io.sluice.rtp.nativeproto;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hex;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetransmissionRequestTest {

    private static List<Integer> sequences(ByteBuf buf) {
        List<Integer> out = new ArrayList<>();
        RetransmissionRequest.forEachSequence(buf, out::add);
        return out;
    }

    @Test
    void packsNumbersIntoEntriesAndReadsThemBack() {
        RetransmissionRequest.Writer writer = new RetransmissionRequest.Writer();
        ByteBuf out = Unpooled.buffer();
        try {
            writer.begin(out, 7, 0x10, 0x0102_0304);
            for (int seq : new int[] {65535, 0, 2, 16, 40}) {
                writer.accept(seq);
            }
            assertThat(writer.finish()).isEqualTo(3);
            assertThat(hexOf(out)).isEqualTo(compact("""
                    80 78 0007  00000010  01020304   # PT 120, request 7, stream SSRC
                    ffff 0005    # 65535 + bits 0, 2: 0 and 2
                    0010 0000    # 16
                    0028 0000    # 40
                    """));
            assertThat(RetransmissionRequest.isWellFormed(out)).isTrue();
            assertThat(RetransmissionRequest.entryCount(out)).isEqualTo(3);
            assertThat(sequences(out)).containsExactly(65535, 0, 2, 16, 40);
        } finally {
            out.release();
        }
    }

    @Test
    void withNothingToAskLeavesTheBufferAsItWas() {
        RetransmissionRequest.Writer writer = new RetransmissionRequest.Writer();
        ByteBuf out = Unpooled.buffer();
        try {
            writer.begin(out, 0, 0, 1);
            assertThat(writer.finish()).isZero();
            assertThat(out.readableBytes()).isZero();
        } finally {
            out.release();
        }
    }

    @Test
    void stopsAtSixtyFourEntries() {
        RetransmissionRequest.Writer writer = new RetransmissionRequest.Writer();
        ByteBuf out = Unpooled.buffer();
        try {
            writer.begin(out, 0, 0, 1);
            for (int seq = 0; seq < 100 * 20; seq += 20) {
                writer.accept(seq);
            }
            assertThat(writer.finish()).isEqualTo(64);
            assertThat(out.readableBytes()).isEqualTo(RetransmissionRequest.MAX_LENGTH);
            assertThat(RetransmissionRequest.isWellFormed(out)).isTrue();
        } finally {
            out.release();
        }
    }

    @Test
    void refusesMalformedRequests() {
        for (String bad : new String[] {
                "80 78 0000 00000000 00000001",             // no entry
                "80 78 0000 00000000 00000001 0001 00",     // a partial entry
                "80 21 0000 00000000 00000001 0001 0000",   // not PT 120
        }) {
            ByteBuf buf = hex(bad);
            try {
                assertThat(RetransmissionRequest.isWellFormed(buf)).as(bad).isFalse();
            } finally {
                buf.release();
            }
        }
        ByteBuf oversized = Unpooled.buffer().writeBytes(new byte[] {(byte) 0x80, 120}).writeZero(10 + 65 * 4);
        try {
            assertThat(RetransmissionRequest.isWellFormed(oversized)).isFalse();
        } finally {
            oversized.release();
        }
    }
}

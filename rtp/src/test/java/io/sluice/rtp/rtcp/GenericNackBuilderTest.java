package io.sluice.rtp.rtcp;

import static io.sluice.rtp.Bytes.compact;
import static io.sluice.rtp.Bytes.hexOf;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.rtp.LossTracker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GenericNackBuilderTest {

    private static List<Integer> lost(ByteBuf buf) {
        List<Integer> out = new ArrayList<>();
        GenericNack.forEachLostSequence(buf, buf.readerIndex(), out::add);
        return out;
    }

    @Test
    void packsNumbersIntoPidAndBitmaskEntries() {
        GenericNackBuilder nack = new GenericNackBuilder();
        ByteBuf out = Unpooled.buffer();
        try {
            nack.begin(out, 1, 0x12345678, 10);
            for (int seq : new int[] {65535, 0, 2, 15, 16, 32, 40}) {
                nack.accept(seq);
            }
            assertThat(nack.finish()).isEqualTo(3);
            assertThat(hexOf(out)).isEqualTo(compact("""
                    81 cd 00 05  00 00 00 01  12 34 56 78
                    ff ff 80 05   # 65535 + bits 0, 2, 15: 0, 2, 15
                    00 10 80 00   # 16 + bit 15: 32 (PID + 16 is the last a bitmask reaches)
                    00 28 00 00   # 40
                    """));
            assertThat(RtcpPacket.isValidCompound(out)).isTrue();
            assertThat(lost(out)).containsExactly(65535, 0, 2, 15, 16, 32, 40);
        } finally {
            out.release();
        }
    }

    @Test
    void takesTheMissingNumbersOfALossTracker() {
        LossTracker tracker = new LossTracker();
        for (int seq = 65500; seq < 65536 + 100; seq++) {
            if (seq % 7 != 0) {
                tracker.onPacket(seq & 0xFFFF);
            }
        }
        List<Integer> missing = new ArrayList<>();
        tracker.forEachMissing(missing::add);

        GenericNackBuilder nack = new GenericNackBuilder();
        ByteBuf out = Unpooled.buffer();
        try {
            out.writeZero(3);
            out.readerIndex(3);
            nack.begin(out, 5, 6, 100);
            tracker.forEachMissing(nack);
            int entries = nack.finish();
            assertThat(RtcpPacket.isValidCompound(out)).isTrue();
            assertThat(GenericNack.fciCount(out, 3)).isEqualTo(entries);
            assertThat(lost(out)).isEqualTo(missing).hasSize(19);
        } finally {
            out.release();
        }
    }

    @Test
    void numbersBeyondTheEntryLimitAreDropped() {
        GenericNackBuilder nack = new GenericNackBuilder();
        ByteBuf out = Unpooled.buffer();
        try {
            nack.begin(out, 1, 2, 2);
            for (int seq : new int[] {100, 101, 200, 216, 300, 301}) {
                nack.accept(seq);
            }
            assertThat(nack.finish()).isEqualTo(2);
            assertThat(lost(out)).containsExactly(100, 101, 200, 216);
        } finally {
            out.release();
        }
    }

    @Test
    void nothingToAskForWritesNothing() {
        GenericNackBuilder nack = new GenericNackBuilder();
        ByteBuf out = Unpooled.buffer();
        try {
            RtcpWriter.writeReceiverReport(out, 1);
            nack.begin(out, 1, 2, 10);
            assertThat(nack.finish()).isZero();
            assertThat(out.readableBytes()).isEqualTo(8);
            nack.begin(out, 1, 2, 10);
            nack.accept(7);
            assertThat(nack.finish()).isEqualTo(1);
            assertThat(lost(out.slice(8, out.readableBytes() - 8))).containsExactly(7);
        } finally {
            out.release();
        }
    }
}

package io.sluice.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Arrivals in, deliveries out: sequence numbers with the time each arrives, and what comes out in order. */
class ReorderBufferTest {

    private static final long WAIT_NS = 100;

    /**
     * @param arrivals  sequence numbers, each arriving 10 ns after the one before
     * @param tickAtNs  a tick after the arrivals, or -1
     * @param delivered what is handed on, in order
     * @param refused   how many arrivals were refused (behind a gap given up)
     * @param lost      sequence numbers given up on
     */
    record Case(String name, List<Integer> arrivals, long tickAtNs, List<Integer> delivered, int refused, long lost) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("in order", List.of(7, 8, 9), -1, List.of(7, 8, 9), 0, 0),
                new Case("a gap filled late", List.of(7, 9, 10, 8), -1, List.of(7, 8, 9, 10), 0, 0),
                new Case("a gap still open waits", List.of(7, 9, 10), 50, List.of(7), 0, 0),
                new Case("a gap given up after the wait", List.of(7, 9, 10), 200, List.of(7, 9, 10), 0, 1),
                new Case("across the wrap", List.of(65534, 0, 65535, 1), -1, List.of(65534, 65535, 0, 1), 0, 0),
                // 24 is a capacity (16) ahead of 8, the oldest gap: 8 and 10 to 23 are given up.
                new Case("too far ahead gives up the gaps", List.of(7, 9, 24), -1, List.of(7, 9, 24), 0, 15),
                new Case("behind a gap given up is refused", List.of(7, 9, 24, 8), -1, List.of(7, 9, 24), 1, 15));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void handsOnInOrder(Case c) {
        List<Integer> out = new ArrayList<>();
        List<ByteBuf> made = new ArrayList<>();
        ReorderBuffer buffer = new ReorderBuffer(16, WAIT_NS, p -> out.add(p.getUnsignedShort(0)));
        int refused = 0;
        long nowNs = 0;
        for (int seq : c.arrivals()) {
            ByteBuf p = Unpooled.buffer(2).writeShort(seq);
            made.add(p);
            if (!buffer.offer(seq, p, nowNs)) {
                refused++;
            }
            nowNs += 10;
        }
        if (c.tickAtNs() >= 0) {
            buffer.tick(c.tickAtNs());
        }
        assertThat(out).isEqualTo(c.delivered());
        assertThat(refused).isEqualTo(c.refused());
        assertThat(buffer.lost()).isEqualTo(c.lost());
        assertThat(buffer.heldCount()).isEqualTo(c.arrivals().size() - c.refused() - out.size());
        buffer.release();
        made.forEach(p -> assertThat(p.release()).as("only the test's reference is left").isTrue());
    }
}

package io.sluice.node.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The catch-up pacer against an injected clock: a burst at once, then the configured rate. */
class CatchUpQueueTest {

    private final List<ByteBuf> made = new ArrayList<>();
    private final List<Integer> delivered = new ArrayList<>();
    private final CatchUpQueue.Sink sink = (track, p, kt, ks, now) -> delivered.add(p.getInt(0));

    private ByteBuf packet(int id, int size) {
        ByteBuf b = Unpooled.buffer(size).writeInt(id).writeZero(size - 4);
        made.add(b);
        return b;
    }

    @AfterEach
    void release() {
        made.forEach(ByteBuf::release);
    }

    @Test
    void sendsTheBurstAtOnceAndTheRestAtTheRate() {
        // 1000 bytes per second, burst 300: packets of 100 bytes.
        CatchUpQueue q = new CatchUpQueue(1_000, 300, 100);
        for (int i = 0; i < 10; i++) {
            q.add(0, packet(i, 100), true, i == 0);
        }
        assertThat(q.drain(0, sink)).isFalse();
        assertThat(delivered).containsExactly(0, 1, 2);
        assertThat(q.drain(50_000_000L, sink)).isFalse();          // 50 ms: 50 bytes, not enough
        assertThat(delivered).hasSize(3);
        assertThat(q.drain(100_000_000L, sink)).isFalse();         // 100 ms: 100 bytes, one packet
        assertThat(delivered).containsExactly(0, 1, 2, 3);
        assertThat(q.drain(10_000_000_000L, sink)).isFalse();      // long idle: capped at the burst
        assertThat(delivered).hasSize(7);
        assertThat(q.drain(10_300_000_000L, sink)).isTrue();
        assertThat(delivered).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
        assertThat(made).allMatch(b -> b.refCnt() == 1);
    }

    @Test
    void aPacketLargerThanTheBurstStillGoesWhenTheBucketIsFull() {
        CatchUpQueue q = new CatchUpQueue(1_000, 100, 10);
        q.add(0, packet(1, 500), true, true);
        assertThat(q.drain(0, sink)).isTrue();
        assertThat(delivered).containsExactly(1);
    }

    @Test
    void refusesPastItsBoundAndReleasesOnClear() {
        CatchUpQueue q = new CatchUpQueue(1_000, 100, 2);
        ByteBuf a = packet(1, 10);
        assertThat(q.add(0, a, false, false)).isTrue();
        assertThat(q.add(0, packet(2, 10), false, false)).isTrue();
        assertThat(q.add(0, packet(3, 10), false, false)).isFalse();
        assertThat(a.refCnt()).isEqualTo(2);
        q.clear();
        assertThat(q.isEmpty()).isTrue();
        assertThat(made).allMatch(b -> b.refCnt() == 1);
    }

    @Test
    void keepsOrderAcrossGrowth() {
        CatchUpQueue q = new CatchUpQueue(1_000_000_000, 1 << 20, 1000);
        for (int i = 0; i < 50; i++) {
            q.add(0, packet(i, 8), false, false);
        }
        q.drain(0, sink);
        for (int i = 50; i < 200; i++) {
            q.add(0, packet(i, 8), false, false);
        }
        q.drain(1, sink);
        assertThat(delivered).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(delivered.get(i)).isEqualTo(i);
        }
    }
}

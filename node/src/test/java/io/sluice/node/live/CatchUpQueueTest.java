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
            q.add(0, packet(i, 100), true, i == 0, 0);
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

    /** An RTP packet of {@code id} (its first word) and RTP timestamp {@code timestamp}. */
    private ByteBuf rtp(int id, long timestamp) {
        ByteBuf b = Unpooled.buffer(16).writeInt(id).writeInt((int) timestamp).writeInt(7).writeInt(0);
        made.add(b);
        return b;
    }

    @Test
    void aDelayedQueueSendsEachPacketWhenItsRtpTimeComesForTheWholeRead() {
        long ms = 1_000_000L;
        // Joined at 1000 ms on a cache whose first packet arrived at 400 ms: 600 ms behind the live edge.
        // Track 0 at 90 kHz; track 1 without a known clock goes 600 ms after arrival.
        CatchUpQueue q = CatchUpQueue.delayed(600 * ms, new int[] {90_000, 0}, 100);
        q.add(0, rtp(1, 9_000), true, true, 400 * ms);
        q.add(0, rtp(2, 9_000), true, false, 400 * ms);
        q.add(1, rtp(3, 0), false, false, 405 * ms);
        // The publisher sent the next frames in a burst: paced by their timestamps, 40 ms apart.
        q.add(0, rtp(4, 9_000 + 3_600), true, false, 410 * ms);
        q.add(0, rtp(5, 9_000 + 7_200), true, false, 410 * ms);
        assertThat(q.drain(1_000 * ms, sink)).isFalse();
        assertThat(delivered).as("the keyframe at once").containsExactly(1, 2);
        assertThat(q.drain(1_005 * ms, sink)).isFalse();
        assertThat(delivered).containsExactly(1, 2, 3);
        assertThat(q.drain(1_039 * ms, sink)).isFalse();
        assertThat(delivered).hasSize(3);
        assertThat(q.drain(1_040 * ms, sink)).isFalse();
        assertThat(delivered).containsExactly(1, 2, 3, 4);
        assertThat(q.drain(1_080 * ms, sink)).isFalse();
        assertThat(delivered).containsExactly(1, 2, 3, 4, 5);
        assertThat(q.isEmpty()).isTrue();
        assertThat(q.isDone()).as("the reader stays delayed while the stream pauses").isFalse();
        // A timestamp jump of an hour is held at most twice the delay past its arrival.
        q.add(0, rtp(6, 9_000 + 3_600L * 90_000), true, false, 1_100 * ms);
        assertThat(q.drain(2_299 * ms, sink)).isFalse();
        assertThat(delivered).hasSize(5);
        assertThat(q.drain(2_300 * ms, sink)).isFalse();
        assertThat(delivered).endsWith(6);
        assertThat(made).allMatch(b -> b.refCnt() == 1);
    }

    @Test
    void aPacketLargerThanTheBurstStillGoesWhenTheBucketIsFull() {
        CatchUpQueue q = new CatchUpQueue(1_000, 100, 10);
        q.add(0, packet(1, 500), true, true, 0);
        assertThat(q.drain(0, sink)).isTrue();
        assertThat(delivered).containsExactly(1);
    }

    @Test
    void refusesPastItsBoundAndReleasesOnClear() {
        CatchUpQueue q = new CatchUpQueue(1_000, 100, 2);
        ByteBuf a = packet(1, 10);
        assertThat(q.add(0, a, false, false, 0)).isTrue();
        assertThat(q.add(0, packet(2, 10), false, false, 0)).isTrue();
        assertThat(q.add(0, packet(3, 10), false, false, 0)).isFalse();
        assertThat(a.refCnt()).isEqualTo(2);
        q.clear();
        assertThat(q.isEmpty()).isTrue();
        assertThat(made).allMatch(b -> b.refCnt() == 1);
    }

    @Test
    void aSpedUpQueueSendsAtFourTimesRtpTimeUntilItReachesTheLiveEdge() {
        long ms = 1_000_000L;
        // Joined at 1000 ms, 600 ms behind: a frame every 40 ms of RTP time (3600 ticks at 90 kHz).
        CatchUpQueue q = CatchUpQueue.timed(600 * ms, new int[] {90_000}, 100, 4);
        for (int i = 0; i < 15; i++) {
            q.add(0, rtp(i, i * 3_600L), true, i == 0, (400 + 40 * i) * ms);
        }
        assertThat(q.drain(1_000 * ms, sink)).isFalse();
        assertThat(delivered).as("the keyframe at once").containsExactly(0);
        assertThat(q.drain(1_009 * ms, sink)).isFalse();
        assertThat(delivered).hasSize(1);
        assertThat(q.drain(1_010 * ms, sink)).isFalse();
        assertThat(delivered).as("the next frame 10 ms later: 40 ms of RTP time at four times").containsExactly(0, 1);
        assertThat(q.drain(1_140 * ms, sink)).as("the cache is sent, the reader is still behind").isFalse();
        assertThat(delivered).hasSize(15);
        // Frame i is due at 1000 + 10 i ms and arrives at 400 + 40 i ms: frame 20 is the first due as it arrives.
        for (int i = 15; i <= 20; i++) {
            q.add(0, rtp(i, i * 3_600L), true, false, (400 + 40 * i) * ms);
        }
        assertThat(q.isDone()).as("frame 20 reached the live edge, frames 15 to 19 are still queued").isFalse();
        assertThat(q.drain(1_200 * ms, sink)).isTrue();
        assertThat(delivered).hasSize(21);
        assertThat(q.isDone()).as("from now on the reader gets packets directly").isTrue();
        assertThat(made).allMatch(b -> b.refCnt() == 1);
    }

    @Test
    void keepsOrderAcrossGrowth() {
        CatchUpQueue q = new CatchUpQueue(1_000_000_000, 1 << 20, 1000);
        for (int i = 0; i < 50; i++) {
            q.add(0, packet(i, 8), false, false, 0);
        }
        q.drain(0, sink);
        for (int i = 50; i < 200; i++) {
            q.add(0, packet(i, 8), false, false, 0);
        }
        q.drain(1, sink);
        assertThat(delivered).hasSize(200);
        for (int i = 0; i < 200; i++) {
            assertThat(delivered.get(i)).isEqualTo(i);
        }
    }
}

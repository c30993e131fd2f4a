package io.sluice.node.vod.room;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The node's GOP budget: GOPs nobody plays are dropped oldest first; played ones never are. */
class VodCacheTest {

    private final List<Gop> made = new ArrayList<>();
    private final List<Gop> evicted = new ArrayList<>();

    @AfterEach
    void releaseWhatTheCacheDidNot() {
        for (Gop g : made) {
            if (!g.evicted && g.data.refCnt() > 0) {
                g.release();
            }
        }
    }

    @Test
    void staysWithinItsBudgetByDroppingTheLeastRecentlyUsed() {
        VodCache cache = new VodCache(gopBytes(1000) * 3);
        Gop a = add(cache, 0);
        Gop b = add(cache, 1);
        Gop c = add(cache, 2);
        assertThat(cache.usedBytes()).isEqualTo(3 * gopBytes(1000));
        assertThat(evicted).isEmpty();
        Gop d = add(cache, 3);
        assertThat(evicted).containsExactly(a);
        assertThat(a.evicted).isTrue();
        assertThat(a.data.refCnt()).as("an evicted GOP's memory is freed").isZero();
        assertThat(cache.usedBytes()).isLessThanOrEqualTo(cache.maxBytes());
        cache.pin(b);
        cache.unpin(b);
        add(cache, 4);
        assertThat(evicted).as("b was used after c").containsExactly(a, c);
        assertThat(cache.evictions()).isEqualTo(2);
        assertThat(cache.full()).isFalse();
        assertThat(d.evicted).isFalse();
    }

    @Test
    void pinnedGopsAreNeverDroppedAndAFullCacheSaysSo() {
        VodCache cache = new VodCache(gopBytes(1000) * 2);
        Gop a = add(cache, 0);
        cache.pin(a);
        Gop b = add(cache, 1);
        cache.pin(b);
        Gop c = add(cache, 2);
        assertThat(evicted).as("only the new GOP is unpinned, and it is kept").isEmpty();
        assertThat(cache.full()).as("over budget with nothing to drop: demuxers wait").isTrue();
        cache.unpin(a);
        assertThat(evicted).as("a is now the most recently used; c, never played, is older").containsExactly(c);
        assertThat(cache.full()).isFalse();
        cache.pin(b);
        cache.unpin(b);
        add(cache, 3);
        assertThat(evicted).containsExactly(c, a);
        assertThat(b.evicted).as("still pinned once").isFalse();
    }

    @Test
    void removingAGopFreesItsBytes() {
        VodCache cache = new VodCache(1 << 20);
        Gop a = add(cache, 0);
        cache.remove(a);
        assertThat(cache.usedBytes()).isZero();
        assertThat(a.data.refCnt()).isZero();
        cache.remove(a);
        assertThat(cache.usedBytes()).as("idempotent").isZero();
    }

    @Test
    void refusesANonPositiveBudget() {
        assertThatThrownBy(() -> new VodCache(0)).isInstanceOf(IllegalArgumentException.class);
    }

    private Gop add(VodCache cache, int second) {
        ByteBuf data = Unpooled.buffer(1000, 1000).writerIndex(1000);
        Gop gop = new Gop(evicted::add, second * 1_000_000L, (second + 1) * 1_000_000L, false, data, new int[1],
                new int[1], new byte[1], new long[1], 1, 0);
        made.add(gop);
        cache.add(gop);
        return gop;
    }

    private static long gopBytes(int dataBytes) {
        return dataBytes + 4 + 4 + 1 + 8;
    }
}

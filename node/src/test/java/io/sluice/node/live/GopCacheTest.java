package io.sluice.node.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GopCacheTest {

    private static ByteBuf packet(int id, int size) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeInt(id);
        b.writeZero(size - 4);
        return b;
    }

    private static List<Integer> ids(GopCache cache) {
        List<Integer> ids = new ArrayList<>();
        cache.forEach((track, p, start) -> ids.add(p.getInt(0)));
        return ids;
    }

    @Test
    void cachesNothingBeforeTheFirstKeyframe() {
        GopCache cache = new GopCache(100, 1 << 20);
        ByteBuf p = packet(1, 100);
        cache.onPacket(0, p, false);
        assertThat(cache.size()).isZero();
        assertThat(p.refCnt()).isEqualTo(1);
        p.release();
    }

    @Test
    void keepsEverythingSinceTheLastKeyframeAndReleasesTheOldGop() {
        GopCache cache = new GopCache(100, 1 << 20);
        List<ByteBuf> sent = new ArrayList<>();
        int[][] stream = {{1, 0, 1}, {2, 1, 0}, {3, 0, 0}, {4, 0, 1}, {5, 1, 0}, {6, 0, 0}};
        for (int[] s : stream) {
            ByteBuf p = packet(s[0], 100);
            cache.onPacket(s[1], p, s[2] == 1);
            sent.add(p);
        }
        assertThat(ids(cache)).containsExactly(4, 5, 6);
        assertThat(sent.get(0).refCnt()).isEqualTo(1);
        assertThat(sent.get(3).refCnt()).isEqualTo(2);
        assertThat(cache.firstPacketOf(1).getInt(0)).isEqualTo(5);
        List<Boolean> starts = new ArrayList<>();
        cache.forEach((track, p, start) -> starts.add(start));
        assertThat(starts).containsExactly(true, false, false);
        cache.clear();
        sent.forEach(ByteBuf::release);
        assertThat(sent).allMatch(b -> b.refCnt() == 0);
    }

    @Test
    void aGopOverTheByteLimitIsDroppedUntilTheNextKeyframe() {
        GopCache cache = new GopCache(100, 250);
        List<ByteBuf> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteBuf p = packet(i, 100);
            cache.onPacket(0, p, i == 0);
            sent.add(p);
        }
        assertThat(cache.size()).isZero();
        assertThat(cache.isCaching()).isFalse();
        ByteBuf next = packet(9, 100);
        cache.onPacket(0, next, true);
        sent.add(next);
        assertThat(ids(cache)).containsExactly(9);
        cache.clear();
        sent.forEach(ByteBuf::release);
    }

    @Test
    void aGopOverThePacketLimitIsDropped() {
        GopCache cache = new GopCache(3, 1 << 20);
        List<ByteBuf> sent = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ByteBuf p = packet(i, 10);
            cache.onPacket(0, p, i == 0);
            sent.add(p);
        }
        assertThat(cache.size()).isZero();
        sent.forEach(ByteBuf::release);
    }

    @Test
    void growsPastItsInitialCapacity() {
        GopCache cache = new GopCache(1000, 1 << 20);
        List<ByteBuf> sent = new ArrayList<>();
        for (int i = 0; i < 600; i++) {
            ByteBuf p = packet(i, 8);
            cache.onPacket(0, p, i == 0);
            sent.add(p);
        }
        assertThat(cache.size()).isEqualTo(600);
        assertThat(cache.bytes()).isEqualTo(600 * 8);
        cache.clear();
        sent.forEach(ByteBuf::release);
    }
}

package io.sluice.node.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class GopCacheTest {

    private static final long MS = 1_000_000L;
    private final List<ByteBuf> made = new ArrayList<>();

    private ByteBuf packet(int id, int size) {
        ByteBuf b = Unpooled.buffer(size);
        b.writeInt(id);
        b.writeZero(size - 4);
        made.add(b);
        return b;
    }

    @AfterEach
    void releaseAll() {
        made.forEach(ByteBuf::release);
    }

    private static List<Integer> ids(GopCache cache, int from) {
        List<Integer> ids = new ArrayList<>();
        cache.forEach(from, (track, p, start, arrivalNs) -> ids.add(p.getInt(0)));
        return ids;
    }

    @Test
    void cachesNothingBeforeTheFirstKeyframe() {
        GopCache cache = new GopCache(100, 1 << 20, 0, 0);
        ByteBuf p = packet(1, 100);
        cache.onPacket(0, p, false, 0);
        assertThat(cache.size()).isZero();
        assertThat(p.refCnt()).isEqualTo(1);
    }

    /** Table: {id, track, keyframeStart, arrival ms}. */
    private void feed(GopCache cache, int[][] stream) {
        for (int[] s : stream) {
            cache.onPacket(s[1], packet(s[0], 100), s[2] == 1, s[3] * MS);
        }
    }

    @Test
    void aGopWithALeadBeginsOnePacketBeforeItsKeyframeTheFirstOneToo() {
        GopCache cache = new GopCache(100, 1 << 20, 0, 1);
        feed(cache, new int[][] {{1, 0, 0, 0}, {2, 0, 0, 10}});
        assertThat(cache.size()).as("before the first keyframe only the lead is kept").isEqualTo(1);
        assertThat(ids(cache, cache.startIndex(10 * MS))).as("and no reader gets it").isEmpty();
        assertThat(made.get(0).refCnt()).isEqualTo(1);
        feed(cache, new int[][] {{3, 0, 1, 20}, {4, 0, 0, 30}, {5, 0, 0, 40}, {6, 0, 1, 50}, {7, 0, 0, 60}});
        assertThat(ids(cache, 0)).containsExactly(2, 3, 4, 5, 6, 7);
        assertThat(ids(cache, cache.startIndex(100 * MS))).containsExactly(5, 6, 7);
        List<Boolean> starts = new ArrayList<>();
        cache.forEach(0, (track, p, start, arrivalNs) -> starts.add(start));
        assertThat(starts).containsExactly(true, false, false, true, false, false);
        cache.clear();
    }

    @Test
    void keepsTheCurrentAndThePreviousGopAndReleasesOlderOnes() {
        GopCache cache = new GopCache(100, 1 << 20, 500 * MS, 0);
        feed(cache, new int[][] {
                {1, 0, 1, 0}, {2, 1, 0, 10}, {3, 0, 0, 20},
                {4, 0, 1, 1000}, {5, 1, 0, 1010}, {6, 0, 0, 1020},
                {7, 0, 1, 2000}, {8, 1, 0, 2010}});
        assertThat(ids(cache, 0)).containsExactly(4, 5, 6, 7, 8);
        assertThat(made.get(0).refCnt()).as("a GOP two keyframes old is released").isEqualTo(1);
        assertThat(made.get(3).refCnt()).isEqualTo(2);
        List<Boolean> starts = new ArrayList<>();
        cache.forEach(0, (track, p, start, arrivalNs) -> starts.add(start));
        assertThat(starts).containsExactly(true, false, false, true, false);
    }

    @Test
    void aReaderStartsAtTheLatestKeyframeOnlyWhenItLeavesEnoughMedia() {
        GopCache cache = new GopCache(100, 1 << 20, 500 * MS, 0);
        feed(cache, new int[][] {{1, 0, 1, 0}, {2, 0, 0, 40}, {3, 0, 1, 2000}, {4, 1, 0, 2010}});
        assertThat(ids(cache, cache.startIndex(2100 * MS))).as("young GOP: start a keyframe earlier")
                .containsExactly(1, 2, 3, 4);
        assertThat(ids(cache, cache.startIndex(2600 * MS))).as("old enough").containsExactly(3, 4);
        int from = cache.startIndex(2600 * MS);
        assertThat(cache.firstPacketOf(1, from).getInt(0)).isEqualTo(4);
        assertThat(cache.firstPacketOf(0, 0).getInt(0)).isEqualTo(1);
    }

    @Test
    void pastTheBoundsTheOlderGopGoesFirstThenTheWholeCache() {
        GopCache cache = new GopCache(100, 350, 0, 0);
        feed(cache, new int[][] {{1, 0, 1, 0}, {2, 0, 0, 1}, {3, 0, 1, 2}, {4, 0, 0, 3}});
        assertThat(ids(cache, 0)).as("the older GOP made room").containsExactly(3, 4);
        feed(cache, new int[][] {{5, 0, 0, 4}, {6, 0, 0, 5}});
        assertThat(cache.size()).as("one GOP over the bound is dropped whole").isZero();
        assertThat(cache.isCaching()).isFalse();
        feed(cache, new int[][] {{7, 0, 0, 6}, {8, 0, 1, 7}});
        assertThat(ids(cache, 0)).containsExactly(8);
        cache.clear();
        assertThat(made).allMatch(b -> b.refCnt() == 1);
    }

    @Test
    void aGopOverThePacketLimitIsDropped() {
        GopCache cache = new GopCache(3, 1 << 20, 0, 0);
        feed(cache, new int[][] {{0, 0, 1, 0}, {1, 0, 0, 1}, {2, 0, 0, 2}, {3, 0, 0, 3}});
        assertThat(cache.size()).isZero();
    }

    @Test
    void growsPastItsInitialCapacity() {
        GopCache cache = new GopCache(1000, 1 << 20, 0, 0);
        for (int i = 0; i < 600; i++) {
            cache.onPacket(0, packet(i, 8), i == 0, i);
        }
        assertThat(cache.size()).isEqualTo(600);
        assertThat(cache.bytes()).isEqualTo(600 * 8);
        cache.clear();
        assertThat(cache.bytes()).isZero();
    }
}

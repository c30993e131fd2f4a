package io.sluice.node.vod.room;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PacerTest {

    private static final long MS = 1_000_000L;

    @Test
    void packetsAreDueAtTheirMediaTimeLessTheLead() {
        Pacer pacer = new Pacer(200 * MS);
        long start = 5_000 * MS;
        pacer.start(-80_000, start);
        assertThat(pacer.dueNs(-80_000)).isEqualTo(start - 200 * MS);
        assertThat(pacer.dueNs(1_000_000)).isEqualTo(start + 1_080 * MS - 200 * MS);
        assertThat(pacer.isDue(1_000_000, start + 879 * MS)).isFalse();
        assertThat(pacer.isDue(1_000_000, start + 880 * MS)).isTrue();
        assertThat(pacer.mediaUsAt(start + 500 * MS)).isEqualTo(420_000);
    }

    @Test
    void aHeldTransportStopsOnlyThisClockForAsLongAsItHolds() {
        Pacer pacer = new Pacer(0);
        pacer.start(0, 0);
        pacer.hold(1_000 * MS);
        assertThat(pacer.held()).isTrue();
        assertThat(pacer.mediaUsAt(1_700 * MS)).as("media time stands still while held").isEqualTo(1_000_000);
        pacer.hold(1_200 * MS);
        pacer.release(1_750 * MS);
        assertThat(pacer.held()).isFalse();
        assertThat(pacer.heldTotalNs()).isEqualTo(750 * MS);
        assertThat(pacer.dueNs(2_000_000)).as("everything after moves by the held time").isEqualTo(2_750 * MS);
        pacer.release(3_000 * MS);
        assertThat(pacer.heldTotalNs()).as("release without hold changes nothing").isEqualTo(750 * MS);
    }

    @Test
    void aLateGopMovesTheClockSoItIsNotBurstOut() {
        Pacer pacer = new Pacer(100 * MS);
        pacer.start(0, 0);
        pacer.catchUp(1_000_000, 600 * MS);
        assertThat(pacer.lateTotalNs()).as("not late: due at 900 ms").isZero();
        pacer.catchUp(1_000_000, 1_250 * MS);
        assertThat(pacer.lateTotalNs()).isEqualTo(350 * MS);
        assertThat(pacer.dueNs(1_000_000)).isEqualTo(1_250 * MS);
        assertThat(pacer.dueNs(1_040_000)).isEqualTo(1_290 * MS);
    }

    @Test
    void fastForwardRunsTheMediaClockScaleTimesAsFastWithTheLeadInNodeTime() {
        Pacer pacer = new Pacer(100 * MS);
        pacer.start(2_000_000, 10_000 * MS, 4);
        assertThat(pacer.dueNs(2_000_000)).isEqualTo(9_900 * MS);
        assertThat(pacer.dueNs(3_000_000)).as("a second of media in a quarter second").isEqualTo(10_150 * MS);
        assertThat(pacer.mediaUsAt(10_500 * MS)).isEqualTo(4_000_000);
        pacer.hold(10_500 * MS);
        pacer.release(10_700 * MS);
        assertThat(pacer.dueNs(4_000_000)).as("held time is node time").isEqualTo(10_600 * MS);
        pacer.start(4_000_000, 11_000 * MS, 1);
        assertThat(pacer.dueNs(5_000_000)).as("back to normal speed").isEqualTo(11_900 * MS);
    }

    @Test
    void restartingAnchorsAgain() {
        Pacer pacer = new Pacer(0);
        pacer.start(0, 0);
        pacer.hold(10 * MS);
        pacer.start(3_000_000, 50_000 * MS);
        assertThat(pacer.held()).isFalse();
        assertThat(pacer.dueNs(3_500_000)).isEqualTo(50_500 * MS);
    }
}

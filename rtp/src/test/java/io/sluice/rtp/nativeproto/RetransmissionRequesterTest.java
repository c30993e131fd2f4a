package io.sluice.rtp.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.rtp.LossTracker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RetransmissionRequesterTest {

    private static final long MS = 1_000_000L;

    private static List<Integer> due(RetransmissionRequester r, long nowNs) {
        List<Integer> out = new ArrayList<>();
        r.collectDue(nowNs, out::add);
        return out;
    }

    @Test
    void asksAtOnceThenAfterTheRetryIntervalThenGivesUp() {
        RetransmissionRequester r = new RetransmissionRequester(64, 0, 20 * MS, 3);
        r.onPacket(10, 0);
        r.onPacket(13, 1 * MS);
        assertThat(due(r, 1 * MS)).containsExactly(11, 12);
        assertThat(due(r, 10 * MS)).isEmpty();
        assertThat(due(r, 21 * MS)).containsExactly(11, 12);
        assertThat(due(r, 41 * MS)).containsExactly(11, 12);
        assertThat(due(r, 61 * MS)).isEmpty();
        assertThat(r.abandoned()).isEqualTo(2);
        assertThat(r.requested()).isEqualTo(6);
        assertThat(r.missingCount()).isZero();
    }

    @Test
    void aRecoveredNumberIsNoLongerAskedForAndItsDelaySetsTheRetryInterval() {
        RetransmissionRequester r = new RetransmissionRequester(64, 0, 1 * MS, 5);
        r.onPacket(65534, 0);
        r.onPacket(1, 0);
        assertThat(due(r, 0)).containsExactly(65535, 0);
        assertThat(r.onPacket(65535, 40 * MS)).isEqualTo(LossTracker.Result.NEW);
        assertThat(r.onPacket(65535, 41 * MS)).isEqualTo(LossTracker.Result.DUPLICATE);
        assertThat(r.smoothedRttNs()).isEqualTo(40 * MS);
        assertThat(r.retryIntervalNs()).isEqualTo(60 * MS);
        assertThat(due(r, 50 * MS)).isEmpty();
        assertThat(due(r, 60 * MS)).containsExactly(0);
        assertThat(r.recovered()).isEqualTo(1);
    }

    @Test
    void waitsTheFirstDelayForReorderedPackets() {
        RetransmissionRequester r = new RetransmissionRequester(64, 5 * MS, 20 * MS, 3);
        r.onPacket(1, 0);
        r.onPacket(3, 0);
        assertThat(due(r, 4 * MS)).isEmpty();
        r.onPacket(2, 4 * MS);
        assertThat(due(r, 5 * MS)).isEmpty();
        assertThat(r.recovered()).isZero();
    }
}

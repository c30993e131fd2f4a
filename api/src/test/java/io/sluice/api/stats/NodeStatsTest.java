package io.sluice.api.stats;

import io.sluice.api.view.SessionView;
import io.sluice.api.view.StreamView;
import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.testing.LoopbackConfig;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Windows measured on an injected clock: a real node counts real packets from a real RTSP publisher,
 * and the test decides when each second passes.
 */
class NodeStatsTest {

    private static final long S = 1_000_000_000L;
    private static final int PACKETS_PER_SECOND = 50;
    private static final int PACKET_BYTES = 12 + 160;

    @TempDir
    Path dir;

    @Test
    void bitrateAndLossWindowsFollowTheClock() throws Exception {
        NodeConfig.Builder b = LoopbackConfig.builder(dir);
        try (MediaNode node = MediaNode.start(b.build())) {
            String code = node.keys().create("radio").liveCode();
            AtomicLong clock = new AtomicLong(1000 * S);
            NodeStats stats = NodeStats.of(node, clock::get, () -> 1_700_000_000_000L);
            try (var publisher = io.sluice.api.TestNodes.publish(node.rtspPort(), "radio", code)) {
                long t0 = clock.get();
                int seq = 0;
                stats.record(stats.snapshot());
                for (int second = 1; second <= 10; second++) {
                    for (int i = 0; i < PACKETS_PER_SECOND; i++) {
                        publisher.sendRtp(seq, seq * 160L, 42, 160);
                        seq++;
                    }
                    awaitPackets(stats, seq);
                    clock.set(t0 + second * S);
                    stats.record(stats.snapshot());
                }
                clock.set(t0 + 11 * S);
                stats.record(stats.snapshot());

                NodeStats.Snapshot at11 = stats.snapshot();
                StreamView view = stats.streamViews(at11).get(0);
                long bitsPerSecond = PACKETS_PER_SECOND * PACKET_BYTES * 8L;
                assertThat(view.bitrate().last1s()).as("silent for the last second").isZero();
                assertThat(view.bitrate().last3s()).isEqualTo(Math.round(bitsPerSecond * 2 / 3.0));
                assertThat(view.bitrate().last10s()).isEqualTo(Math.round(bitsPerSecond * 9 / 10.0));
                assertThat(view.bytesIn()).isEqualTo(10L * PACKETS_PER_SECOND * PACKET_BYTES);

                // Second 12: 50 packets sent, 5 of them lost on the way (their sequence numbers skipped).
                int received = 0;
                for (int i = 0; i < PACKETS_PER_SECOND; i++) {
                    if (i % 10 != 5) {
                        publisher.sendRtp(seq, seq * 160L, 42, 160);
                        received++;
                    }
                    seq++;
                }
                awaitPackets(stats, 10 * PACKETS_PER_SECOND + received);
                clock.set(t0 + 12 * S);
                NodeStats.Snapshot at12 = stats.snapshot();
                SessionView session = stats.sessionViews(at12).get(0);
                assertThat(session.role()).isEqualTo("publisher");
                assertThat(session.loss().last2s()).isEqualTo(0.1);
                assertThat(session.loss().last10s()).isEqualTo(0.0111);   // 5 of 450 since t=2
                assertThat(session.loss().last60s()).isEqualTo(0.0091);   // 5 of 550 since the first tick
                assertThat(stats.streamViews(at12).get(0).tracks().get(0).lost()).isEqualTo(5);
                assertThat(stats.streamViews(at12).get(0).bitrate().last1s())
                        .isEqualTo((long) received * PACKET_BYTES * 8);

                stats.record(at12);
                NodeStats.PathTotals totals = stats.pathTotals().iterator().next();
                assertThat(totals.path).isEqualTo("radio");
                assertThat(totals.packetsIn()).isEqualTo(10L * PACKETS_PER_SECOND + received);
                assertThat(totals.lostIn()).isEqualTo(5);
            }
            io.sluice.api.TestNodes.awaitNoStreams(node);
        }
    }

    private static void awaitPackets(NodeStats stats, long packets) throws InterruptedException {
        long deadline = System.nanoTime() + 5 * S;
        while (true) {
            NodeStats.Snapshot s = stats.snapshot();
            if (!s.streams().isEmpty() && s.streams().get(0).packetsIn() >= packets) {
                return;
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the node did not count " + packets + " packets");
            }
            Thread.sleep(5);
        }
    }
}

package io.sluice.node.nativeproto;

import static io.sluice.node.nativeproto.NativeWireTest.auth;
import static io.sluice.node.nativeproto.NativeWireTest.clientId;
import static io.sluice.node.nativeproto.NativeWireTest.tsPayload;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The original's two timeouts, shortened: a stream without data for streamIdleTimeout (30 s) is stopped
 * and every puller gets 121; a puller without a heartbeat (116) for pullerTimeout (10 s) is ended.
 */
class NativeTimeoutsTest {

    @Test
    void aStreamWithoutDataIsStoppedAndEveryPullerGets121() throws Exception {
        try (NativeTestNode node = NativeTestNode.start(l -> l.streamIdleTimeout = Duration.ofMillis(600));
             RawPeer pusher = new RawPeer(node.pushAddress());
             RawPeer first = new RawPeer(node.pullAddress());
             RawPeer second = new RawPeer(node.pullAddress())) {
            int ssrc = auth(pusher, "cam", node.node.keys().create("cam").liveCode());
            for (RawPeer puller : new RawPeer[] {first, second}) {
                int clientId = clientId(puller);
                puller.send(RawPeer.datagram(111, true, 0, clientId, RawPeer.text("cam")));
                assertThat(puller.expect(112, 3000).text()).isEqualTo("cam#" + ssrc);
                puller.send(99, clientId, "cam");
            }
            long lastDataMs = System.currentTimeMillis();
            pusher.send(RawPeer.datagram(33, false, 1, ssrc, tsPayload(1)));
            assertThat(first.expect(33, 3000).seq()).isEqualTo(1);
            assertThat(second.expect(33, 3000).seq()).isEqualTo(1);

            assertThat(first.expect(121, 5000).text()).isEqualTo("cam");
            assertThat(System.currentTimeMillis() - lastDataMs).isGreaterThanOrEqualTo(600);
            assertThat(second.expect(121, 1000).text()).isEqualTo("cam");
            assertThat(node.node.paths().find("cam")).isNull();
            assertThat(node.node.nativeServer().pushes()).isEmpty();
        }
    }

    @Test
    void theTimerRunsOnlyWhileThereIsSomethingToTime() throws Exception {
        try (NativeTestNode node = NativeTestNode.start(l -> l.pullerTimeout = Duration.ofMillis(300));
             RawPeer puller = new RawPeer(node.pullAddress())) {
            assertThat(node.node.nativeServer().ticking()).as("an idle node is not woken").isFalse();
            clientId(puller);
            assertThat(node.node.nativeServer().ticking()).as("a puller's heartbeat is timed").isTrue();

            long deadline = System.currentTimeMillis() + 5000;
            while (node.node.nativeServer().ticking() && System.currentTimeMillis() < deadline) {
                NativeWireTest.sleep(50);
            }
            assertThat(node.node.nativeServer().pullers()).as("the silent puller was ended").isEmpty();
            assertThat(node.node.nativeServer().ticking()).as("and the timer stopped with it").isFalse();
        }
    }

    @Test
    void aPullerWithoutHeartbeatsIsEndedAndOneWithThemStays() throws Exception {
        try (NativeTestNode node = NativeTestNode.start(l -> l.pullerTimeout = Duration.ofMillis(600));
             RawPeer silent = new RawPeer(node.pullAddress());
             RawPeer beating = new RawPeer(node.pullAddress())) {
            clientId(silent);
            int beatingId = clientId(beating);
            assertThat(node.node.nativeServer().pullers()).hasSize(2);

            long deadline = System.currentTimeMillis() + 5000;
            while (node.node.nativeServer().pullers().size() > 1 && System.currentTimeMillis() < deadline) {
                beating.send(116, beatingId, "");
                NativeWireTest.sleep(100);
            }

            assertThat(node.node.nativeServer().pullers()).hasSize(1);
            assertThat(node.counters().pullerTimeouts.sum()).isEqualTo(1);
            for (int i = 0; i < 10; i++) {
                beating.send(116, beatingId, "");
                NativeWireTest.sleep(100);
            }
            assertThat(node.node.nativeServer().pullers()).singleElement()
                    .satisfies(p -> assertThat(p.clientId()).isEqualTo(Integer.toUnsignedString(beatingId)));
        }
    }
}

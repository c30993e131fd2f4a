package io.sluice.node.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.node.nativeproto.RawPeer.Message;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The server driven with datagrams written from the wire table alone (no Sluice codec on the client
 * side): what an original pusher and puller send, and what they must get back.
 */
class NativeWireTest {

    private static NativeTestNode node;
    private static String code;
    private static String code2;

    @BeforeAll
    static void start() {
        node = NativeTestNode.start(l -> l.pullAnswerResend = java.time.Duration.ofMillis(500));
        code = node.node.keys().create("cam").liveCode();
        code2 = node.node.keys().create("cam2").liveCode();
    }

    @AfterAll
    static void stop() throws Exception {
        node.close();
    }

    /** 7 x 188 bytes whose first bytes name the packet, so that every relayed copy can be identified. */
    static byte[] tsPayload(int n) {
        byte[] b = new byte[7 * 188];
        for (int i = 0; i < 7; i++) {
            b[i * 188] = 0x47;
            b[i * 188 + 1] = 0x1F;
            b[i * 188 + 2] = (byte) 0xFF;
        }
        ByteBuffer.wrap(b, 4, 4).putInt(n);
        return b;
    }

    static int auth(RawPeer pusher, String liveId, String liveCode) {
        pusher.send(101, 0, liveId + "#" + liveCode);
        Message accepted = pusher.expect(102, 3000);
        assertThat(accepted.text()).isEqualTo(liveId);
        assertThat(accepted.seq()).isZero();
        assertThat(accepted.ssrc()).isPositive();
        return accepted.ssrc();
    }

    static int clientId(RawPeer puller) {
        puller.send(114, 0, "");
        Message id = puller.expect(115, 3000);
        assertThat(id.payload()).isEmpty();
        assertThat(id.ssrc()).isNotZero();
        return id.ssrc();
    }

    @Test
    void authPullAcknowledgeRelayRetransmitAndStop() {
        try (RawPeer pusher = new RawPeer(node.pushAddress()); RawPeer puller = new RawPeer(node.pullAddress())) {
            int ssrc = auth(pusher, "cam", code);
            int clientId = clientId(puller);
            puller.send(114, 0, "");
            assertThat(puller.expect(115, 3000).ssrc()).as("one client id per address").isEqualTo(clientId);

            puller.send(RawPeer.datagram(111, true, 0, clientId, RawPeer.text("cam#nosuch")));
            Message answer = puller.expect(112, 3000);
            assertThat(answer.ssrc()).isZero();
            assertThat(answer.text()).isEqualTo("cam#" + ssrc + ";nosuch#null");

            // No data before the puller acknowledges the SSRC, and 112 comes again until it does.
            pusher.send(RawPeer.datagram(33, false, 1, ssrc, tsPayload(1)));
            assertThat(puller.expect(112, 2000).text()).isEqualTo("cam#" + ssrc);
            puller.send(99, clientId, "cam");
            sleep(100);

            for (int seq = 10; seq < 30; seq++) {
                pusher.send(RawPeer.datagram(33, false, seq, ssrc, tsPayload(seq)));
            }
            List<Integer> received = new ArrayList<>();
            while (received.size() < 20) {
                Message data = puller.expect(33, 3000);
                assertThat(data.ssrc()).isEqualTo(ssrc);
                assertThat(data.payload()).isEqualTo(tsPayload(data.seq()));
                received.add(data.seq());
            }
            assertThat(received).containsExactlyElementsOf(range(10, 30));

            // Sluice's retransmission request: PID 12 with BLP bits 0 and 2 asks for 12, 13 and 15.
            ByteBuffer request = ByteBuffer.allocate(4).putShort((short) 12).putShort((short) 0b101);
            puller.send(RawPeer.datagram(120, false, 0, ssrc, request.array()));
            List<Integer> resent = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                Message again = puller.expect(33, 3000);
                assertThat(again.payload()).isEqualTo(tsPayload(again.seq()));
                resent.add(again.seq());
            }
            assertThat(resent).containsExactly(12, 13, 15);

            pusher.send(11, 0, "cam");
            Message echo = pusher.expect(12, 3000);
            assertThat(echo.text()).isEqualTo("cam");
            sleep(50);
            assertThat(node.node.nativeServer().pushes()).singleElement()
                    .satisfies(p -> assertThat(p.delayMs()).isBetween(0L, 1000L))
                    .satisfies(p -> assertThat(p.packetsReceived()).isEqualTo(21));
            assertThat(node.node.nativeServer().pullers()).singleElement()
                    .satisfies(p -> assertThat(p.pulling()).containsExactly("cam"))
                    .satisfies(p -> assertThat(p.waiting()).containsExactly("nosuch"))
                    .satisfies(p -> assertThat(p.retransmitted()).isEqualTo(3));

            pusher.send(122, 0, "cam");
            assertThat(pusher.expect(123, 3000).payload()).isEmpty();
            assertThat(puller.expect(121, 3000).text()).isEqualTo("cam");
            assertThat(node.node.paths().find("cam")).isNull();

            puller.send(117, clientId, "");
            assertThat(puller.expect(118, 3000).ssrc()).isZero();
            puller.send(116, clientId, "");
            sleep(100);
            assertThat(node.node.nativeServer().pullers()).isEmpty();
        }
    }

    @Test
    void aWrongLiveCodeIsRefusedWith103() {
        try (RawPeer pusher = new RawPeer(node.pushAddress())) {
            pusher.send(101, 0, "cam2#wrong");
            Message refused = pusher.expect(103, 3000);
            assertThat(refused.text()).isEqualTo("cam2");
            assertThat(refused.ssrc()).isZero();
            pusher.send(101, 0, "unknown#" + code2);
            assertThat(pusher.expect(103, 3000).text()).isEqualTo("unknown");
        }
    }

    @Test
    void aMultiChunkRequestIsAssembledAndAnsweredTwentyIdsPerDatagram() {
        try (RawPeer puller = new RawPeer(node.pullAddress())) {
            int clientId = clientId(puller);
            List<String> ids = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                ids.add("missing-stream-number-" + i);
            }
            byte[] all = RawPeer.text(String.join("#", ids));
            int chunks = (all.length + 737) / 738;
            assertThat(chunks).isGreaterThan(1);
            // Out of order, and a liveId cut in two at every chunk boundary.
            for (int i = chunks - 1; i >= 0; i--) {
                byte[] chunk = Arrays.copyOfRange(all, i * 738, Math.min(all.length, (i + 1) * 738));
                puller.send(RawPeer.datagram(111, i == chunks - 1, i, clientId, chunk));
            }
            List<String> answered = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                String text = puller.expect(112, 3000).text();
                assertThat(text.split(";")).hasSize(20);
                answered.addAll(Arrays.asList(text.split(";")));
            }
            assertThat(answered).containsExactlyElementsOf(ids.stream().map(id -> id + "#null").toList());

            // A request whose first chunk never comes is refused after a second.
            puller.send(RawPeer.datagram(111, true, 1, clientId, RawPeer.text("x")));
            long sentMs = System.currentTimeMillis();
            Message refused = puller.expect(113, 3000);
            assertThat(refused.text()).isEqualTo("packetloss");
            assertThat(System.currentTimeMillis() - sentMs).isBetween(900L, 2000L);
            puller.send(117, clientId, "");
            puller.expect(118, 3000);
        }
    }

    static List<Integer> range(int from, int to) {
        List<Integer> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add(i);
        }
        return out;
    }

    static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}

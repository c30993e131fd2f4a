package io.sluice.node.nativeproto;

import static io.sluice.node.nativeproto.NativeWireTest.auth;
import static io.sluice.node.nativeproto.NativeWireTest.clientId;
import static io.sluice.node.nativeproto.NativeWireTest.sleep;
import static io.sluice.node.nativeproto.NativeWireTest.tsPayload;
import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.node.nativeproto.RawPeer.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input of every kind at both ports, while a legitimate pusher streams to a legitimate puller: each
 * bad datagram is dropped and counted, and the stream arrives whole and in order.
 */
class NativeBadInputTest {

    private NativeTestNode node;
    private RawPeer pusher;
    private RawPeer puller;
    private int ssrc;
    private int clientId;
    private int nextSeq;

    @BeforeEach
    void start() {
        node = NativeTestNode.start(l -> {
            l.maxPullers = 8;
            l.authFailuresPerMinute = 5;
        });
        String code = node.node.keys().create("cam").liveCode();
        pusher = new RawPeer(node.pushAddress());
        puller = new RawPeer(node.pullAddress());
        ssrc = auth(pusher, "cam", code);
        clientId = clientId(puller);
        puller.send(RawPeer.datagram(111, true, 0, clientId, RawPeer.text("cam")));
        puller.expect(112, 3000);
        puller.send(99, clientId, "cam");
        sleep(100);
    }

    @AfterEach
    void stop() throws Exception {
        pusher.close();
        puller.close();
        node.close();
    }

    /** One legitimate packet through the server, which must come out at the puller next. */
    private void legitimatePacketStillFlows() {
        int seq = nextSeq++;
        pusher.send(RawPeer.datagram(33, false, seq, ssrc, tsPayload(seq)));
        Message m = puller.expect(33, 3000);
        assertThat(m.seq()).isEqualTo(seq);
        assertThat(m.payload()).isEqualTo(tsPayload(seq));
    }

    private void expectCount(LongAdder counter, long expected) {
        // Generous: on a loaded machine the server may not run for a second or more; a pass returns at once.
        long deadline = System.currentTimeMillis() + 10_000;
        while (counter.sum() < expected && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        assertThat(counter.sum()).isEqualTo(expected);
    }

    private static byte[] bytes(int length, int first) {
        byte[] b = new byte[length];
        b[0] = (byte) first;
        return b;
    }

    @Test
    void everyKindOfBadDatagramIsDroppedAndCountedAndTheStreamFlowsOn() {
        NativeCounters c = node.counters();
        int[] types = {33, 99, 101, 111, 114, 116, 117, 120, 122, 11};
        legitimatePacketStillFlows();

        // Short, another first byte, oversized: every type, at both ports.
        for (RawPeer port : List.of(pusher, puller)) {
            for (int pt : types) {
                byte[] shortOne = RawPeer.datagram(pt, false, 0, clientId, new byte[0]);
                port.send(java.util.Arrays.copyOf(shortOne, 11));
                byte[] csrc = RawPeer.datagram(pt, false, 0, clientId, new byte[8]);
                csrc[0] = (byte) 0x81;
                port.send(csrc);
                byte[] oversized = RawPeer.datagram(pt, false, 0, ssrc, new byte[1600]);
                port.send(oversized);
            }
        }
        expectCount(c.malformed, 2L * 2 * types.length);
        expectCount(c.oversized, 2L * types.length);
        legitimatePacketStillFlows();

        // Types a port does not serve.
        pusher.send(114, 0, "");
        pusher.send(7, 0, "");
        puller.send(101, clientId, "cam#x");
        puller.send(33, clientId, "");
        expectCount(c.unknownType, 4);
        legitimatePacketStillFlows();

        // Stream data: an SSRC nobody was given, the right SSRC from another address, no payload, a replay.
        try (RawPeer intruder = new RawPeer(node.pushAddress())) {
            intruder.send(RawPeer.datagram(33, false, 1000, ssrc + 1, tsPayload(0)));
            intruder.send(RawPeer.datagram(33, false, 1000, ssrc, tsPayload(0)));
            // Stop and probe requests for a stream it does not push.
            intruder.send(122, 0, "cam");
            intruder.send(11, 0, "cam");
            intruder.expectNone(123, 200);
        }
        pusher.send(RawPeer.datagram(33, false, nextSeq, ssrc, new byte[0]));
        pusher.send(RawPeer.datagram(33, false, nextSeq - 1, ssrc, tsPayload(nextSeq - 1)));
        expectCount(c.dataUnknownSsrc, 1);
        expectCount(c.dataWrongSource, 1);
        expectCount(c.notOwner, 2);
        expectCount(c.dataDuplicate, 1);
        expectCount(c.malformed, 2L * 2 * types.length + 1);
        legitimatePacketStillFlows();

        // Pull-port messages from an address without a client id, and with a wrong one.
        try (RawPeer stranger = new RawPeer(node.pullAddress())) {
            for (int pt : new int[] {111, 99, 116, 117, 120}) {
                stranger.send(pt, clientId, "cam");
                puller.send(pt, clientId + 1, "cam");
            }
            stranger.expectNone(112, 200);
        }
        expectCount(c.unknownPuller, 9);
        // (The wrong-client-id 120 above named no entry: malformed.) A retransmission request with half an entry, and one for a stream the puller does not pull.
        puller.send(RawPeer.datagram(120, false, 0, ssrc, new byte[] {0, 1}));
        puller.send(RawPeer.datagram(120, false, 0, ssrc + 1, new byte[] {0, 1, 0, 0}));
        // A pull request chunk index far beyond any request's size.
        puller.send(RawPeer.datagram(111, true, 5000, clientId, RawPeer.text("cam")));
        expectCount(c.retransmitMissing, 1);
        expectCount(c.malformed, 2L * 2 * types.length + 4);
        legitimatePacketStillFlows();

        // A flood of client id requests from new addresses: the table holds 8 (the puller is one).
        List<RawPeer> flood = new ArrayList<>();
        try {
            for (int i = 0; i < 12; i++) {
                RawPeer p = new RawPeer(node.pullAddress());
                flood.add(p);
                p.send(114, 0, "");
            }
            expectCount(c.pullerTableFull, 5);
            assertThat(node.node.nativeServer().pullers()).hasSize(8);
        } finally {
            flood.forEach(RawPeer::close);
        }
        legitimatePacketStillFlows();

        // liveCode guessing: 5 refusals, then the address is not heard, even with the right code.
        try (RawPeer guesser = new RawPeer(node.pushAddress())) {
            for (int i = 0; i < 20; i++) {
                guesser.send(101, 0, "cam#guess" + i);
            }
            int refusals = 0;
            for (Message m; refusals < 5 && (m = guesser.receive(5000)) != null; ) {
                assertThat(m.pt()).isEqualTo(103);
                refusals++;
            }
            assertThat(refusals).isEqualTo(5);
            guesser.expectNone(103, 500);
            assertThat(c.authRefused.sum()).isEqualTo(5);
            assertThat(c.authRateLimited.sum()).isGreaterThanOrEqualTo(15);
        }
        legitimatePacketStillFlows();

        // A flood of 5000 garbage datagrams: all counted, the stream goes on in order.
        long before = c.dataUnknownSsrc.sum();
        byte[] garbage = RawPeer.datagram(33, false, 0, 12345, new byte[100]);
        for (int i = 0; i < 5000; i++) {
            pusher.send(garbage);
            if (i % 500 == 0) {
                legitimatePacketStillFlows();
            }
        }
        long deadline = System.currentTimeMillis() + 3000;
        while (c.dataUnknownSsrc.sum() - before < 4500 && System.currentTimeMillis() < deadline) {
            sleep(10);
        }
        // The kernel may drop some of a loopback burst; what arrives is counted.
        assertThat(c.dataUnknownSsrc.sum() - before).isGreaterThan(4500);
        legitimatePacketStillFlows();
    }
}

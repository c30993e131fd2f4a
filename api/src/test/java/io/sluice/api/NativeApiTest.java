package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import static io.sluice.api.ApiTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The native protocol's pushers and pullers in the API: as streams, sessions and rooms with their statistics
 * and retransmissions, kicked and stopped, with raw datagrams from the wire table on the other side.
 */
class NativeApiTest extends NodePerTest {

    @Test
    void aNativePushIsAStreamItsPullersReadersAndBothAreSessionsWithRetransmissions() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"tv\"}").json().get("liveCode").asText();
        try (NativePeer pusher = new NativePeer(pushPort()); NativePeer puller = new NativePeer(pullPort())) {
            int ssrc = pusher.auth("tv", code);
            int clientId = puller.pull("tv");
            Thread.sleep(100); // the acknowledgement (99) is on its way
            for (int seq = 1; seq <= 30; seq++) {
                pusher.send(33, false, seq, ssrc, NativePeer.tsPayload());
            }
            for (int i = 0; i < 30; i++) {
                puller.expect(33, 3000);
            }
            // Sluice's request 120: PID 5, no BLP bits: packet 5 again.
            puller.send(120, false, 0, ssrc, ByteBuffer.allocate(4).putShort((short) 5).putShort((short) 0).array());
            assertThat(puller.expect(33, 3000).seq()).isEqualTo(5);

            String pushId = "native-" + Integer.toUnsignedString(ssrc);
            String pullId = "native-pull-" + Integer.toUnsignedString(clientId);
            eventually(() -> json("/api/v1/streams/tv").get("retransmissions").get("sent").asLong() == 1);
            JsonNode stream = json("/api/v1/streams/tv");
            assertThat(stream.get("protocol").asText()).isEqualTo("native");
            assertThat(stream.get("transport").asText()).isEqualTo("udp");
            assertThat(stream.get("publisher").asText()).isEqualTo("127.0.0.1:" + pusher.localPort());
            assertThat(stream.get("ssrc").asLong()).isEqualTo(Integer.toUnsignedLong(ssrc));
            assertThat(stream.get("packetsIn").asLong()).isEqualTo(30);
            assertThat(stream.get("readers").asInt()).isEqualTo(1);
            assertThat(stream.get("nativeReaders").asInt()).isEqualTo(1);
            assertThat(stream.get("retransmissions").get("requested").asLong()).isEqualTo(1);
            assertThat(stream.get("publisherRetransmissions").get("requested").asLong()).isZero();

            JsonNode sessions = json("/api/v1/sessions");
            assertThat(sessions).hasSize(2);
            JsonNode push = find(sessions, pushId);
            assertThat(push.get("protocol").asText()).isEqualTo("native");
            assertThat(push.get("role").asText()).isEqualTo("publisher");
            assertThat(push.get("state").asText()).isEqualTo("PUSH");
            assertThat(push.get("path").asText()).isEqualTo("tv");
            assertThat(push.get("address").asText()).isEqualTo("127.0.0.1:" + pusher.localPort());
            assertThat(push.get("packets").asLong()).isEqualTo(30);
            assertThat(push.get("bytes").asLong()).isGreaterThanOrEqualTo(30 * 7 * 188L);
            assertThat(push.get("loss").get("last10s").asDouble()).isZero();
            JsonNode pull = find(sessions, pullId);
            assertThat(pull.get("protocol").asText()).isEqualTo("native");
            assertThat(pull.get("role").asText()).isEqualTo("reader");
            assertThat(pull.get("state").asText()).isEqualTo("PULL");
            assertThat(pull.get("path").asText()).isEqualTo("tv");
            assertThat(pull.get("address").asText()).isEqualTo("127.0.0.1:" + puller.localPort());
            assertThat(pull.get("packets").asLong()).isEqualTo(31);
            assertThat(pull.get("bytes").asLong()).isGreaterThanOrEqualTo(31 * 7 * 188L);
            assertThat(pull.get("retransmissions").get("requested").asLong()).isEqualTo(1);
            assertThat(pull.get("retransmissions").get("sent").asLong()).isEqualTo(1);
            // Loss windows count whole seconds, the current one is left out.
            eventually(() -> find(json("/api/v1/sessions"), pullId).get("loss").get("last10s").asDouble() > 0);
            assertThat(find(json("/api/v1/sessions"), pullId).get("loss").get("last10s").asDouble())
                    .as("one first request per 31 packets sent").isBetween(0.03, 0.04);

            JsonNode room = json("/api/v1/rooms").get(0);
            assertThat(room.get("room").asText()).isEqualTo("live/tv");
            assertThat(room.get("kind").asText()).isEqualTo("live");
            assertThat(room.get("viewers").asInt()).isEqualTo(1);
            assertThat(room.get("nodes").get(0).get("origin").asBoolean()).isTrue();
            assertThat(json("/api/v1/nodes").get(0).get("sessions").asInt()).isEqualTo(2);
            eventually(() -> metrics().contains("sluice_sessions{protocol=\"native\",role=\"reader\"} 1.0")
                    && metrics().contains("sluice_rooms{kind=\"live\"} 1.0")
                    && metrics().contains("sluice_streams{protocol=\"native\"} 1.0"));

            // Kicking the puller: 121 for its stream, and it is forgotten; the push goes on.
            assertThat(node.delete("/api/v1/sessions/" + pullId).status()).isEqualTo(204);
            assertThat(puller.expect(121, 3000).text()).isEqualTo("tv");
            assertThat(json("/api/v1/sessions")).extracting(s -> s.get("id").asText()).containsExactly(pushId);
            assertThat(node.delete("/api/v1/sessions/" + pullId).status()).isEqualTo(404);

            // Kicking the pusher stops its stream.
            assertThat(node.delete("/api/v1/sessions/" + pushId).status()).isEqualTo(204);
            eventually(() -> json("/api/v1/streams").isEmpty() && json("/api/v1/sessions").isEmpty());
            assertThat(node.get("/api/v1/streams/tv").status()).isEqualTo(404);
        }
    }

    @Test
    void stoppingANativePushSendsItsPullers121AndItsRtspReadersBye() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"tv\"}").json().get("liveCode").asText();
        try (NativePeer pusher = new NativePeer(pushPort()); NativePeer puller = new NativePeer(pullPort())) {
            int ssrc = pusher.auth("tv", code);
            puller.pull("tv");
            // Null TS packets carry no elementary stream to demux: the reader takes the TS as it is.
            try (RawRtspClient reader = RawRtspClient.playPath(node.rtspPort(), "/live/tv?format=mp2t")) {
                eventually(() -> json("/api/v1/streams/tv").get("readers").asInt() == 2);
                pusher.send(33, false, 1, ssrc, NativePeer.tsPayload());
                assertThat(node.delete("/api/v1/streams/tv").status()).isEqualTo(204);
                assertThat(puller.expect(121, 3000).text()).isEqualTo("tv");
                assertThat(reader.readUntilBye()).isTrue();
            }
            eventually(() -> node.serving.node().nativeServer().pushes().isEmpty());
            // The push is forgotten: its data no longer makes a stream.
            pusher.send(33, false, 2, ssrc, NativePeer.tsPayload());
            Thread.sleep(100);
            assertThat(json("/api/v1/streams")).isEmpty();
        }
    }

    @Test
    void rtspReadersOfANativePushsTracksAreItsReadersAndSessions() throws Exception {
        assumeTrue(onPath("ffmpeg"), "no ffmpeg on the PATH (apt-get install ffmpeg)");
        Path ts = dir.resolve("clip.ts");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=160x120:rate=25", "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
                "-pix_fmt", "yuv420p", "-f", "mpegts", ts.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();
        byte[] file = Files.readAllBytes(ts);
        String code = node.post("/api/v1/streams", "{\"liveId\":\"tv\"}").json().get("liveCode").asText();
        try (NativePeer pusher = new NativePeer(pushPort())) {
            int ssrc = pusher.auth("tv", code);
            AtomicBoolean pushing = new AtomicBoolean(true);
            Thread sender = Thread.ofVirtual().start(() -> {
                // About 100 datagrams a second: the 20 s clip lasts longer than the test.
                for (int seq = 0, at = 0; pushing.get() && at + 1316 <= file.length; seq++, at += 1316) {
                    pusher.send(33, false, seq & 0xFFFF, ssrc, Arrays.copyOfRange(file, at, at + 1316));
                    LockSupport.parkNanos(10_000_000L);
                }
            });
            try (RawRtspClient reader = RawRtspClient.play(node.rtspPort(), "tv")) {
                eventually(() -> json("/api/v1/streams/tv").get("readers").asInt() == 1
                        && find(json("/api/v1/sessions"), reader.session).get("bytes").asLong() > 0);
                JsonNode session = find(json("/api/v1/sessions"), reader.session);
                assertThat(session.get("protocol").asText()).isEqualTo("rtsp");
                assertThat(session.get("role").asText()).isEqualTo("reader");
                assertThat(session.get("path").asText()).isEqualTo("tv");
                assertThat(json("/api/v1/streams/tv").get("bytesOut").asLong()).isPositive();
                assertThat(json("/api/v1/rooms").get(0).get("viewers").asInt()).isEqualTo(1);
                assertThat(node.delete("/api/v1/streams/tv").status()).isEqualTo(204);
                assertThat(reader.readUntilBye()).isTrue();
            } finally {
                pushing.set(false);
                sender.join();
            }
        }
    }

    @Test
    void stoppingAnRtspStreamSendsItsNativePullers121ItsReadersByeAndDisconnectsThePublisher() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"ts\"}").json().get("liveCode").asText();
        try (RawRtspClient publisher = RawRtspClient.publish(node.rtspPort(), "ts", code, RawRtspClient.MP2T_SDP);
             NativePeer puller = new NativePeer(pullPort())) {
            for (int seq = 0; seq < 5; seq++) {
                publisher.sendRtp(seq, seq * 3000L, 0x7500_0001, 33, NativePeer.tsPayload());
            }
            eventually(() -> json("/api/v1/streams/ts").get("packetsIn").asLong() == 5);
            puller.pull("ts");
            try (RawRtspClient reader = RawRtspClient.play(node.rtspPort(), "ts")) {
                eventually(() -> json("/api/v1/streams/ts").get("readers").asInt() == 2);
                JsonNode stream = json("/api/v1/streams/ts");
                assertThat(stream.get("protocol").asText()).isEqualTo("rtsp");
                assertThat(stream.get("nativeReaders").asInt()).isEqualTo(1);
                assertThat(node.delete("/api/v1/streams/ts").status()).isEqualTo(204);
                assertThat(puller.expect(121, 3000).text()).isEqualTo("ts");
                assertThat(reader.readUntilBye()).isTrue();
                assertThat(publisher.closedByServer()).isTrue();
            }
            eventually(() -> json("/api/v1/streams").isEmpty());
        }
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }

    private int pushPort() {
        return node.serving.node().nativeServer().pushPort();
    }

    private int pullPort() {
        return node.serving.node().nativeServer().pullPort();
    }

    private JsonNode json(String path) {
        try {
            return node.get(path).json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private String metrics() {
        try {
            return node.get("/metrics").body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode find(JsonNode sessions, String id) {
        for (JsonNode s : sessions) {
            if (s.get("id").asText().equals(id)) {
                return s;
            }
        }
        throw new AssertionError("no session " + id + " in " + sessions);
    }
}

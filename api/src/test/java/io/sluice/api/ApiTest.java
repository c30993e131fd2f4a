package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.nativeproto.NativeLimits;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.assertj.core.api.Assertions.assertThat;

/** Every resource of /api/v1 and every error, against a real node on loopback. */
class ApiTest extends NodePerTest {

    @Test
    void aConfigChangeThatFailsChangesNothing() throws Exception {
        assertThat(node.patch("/api/v1/config", "{\"max-sessions\":5,\"reader-queue-low-bytes\":-1}").status())
                .isEqualTo(400);
        assertThat(node.get("/api/v1/config").json().get("values").get("max-sessions").asInt()).isEqualTo(10_000);
        assertThat(node.get("/api/v1/config").json().get("overrides").size()).isZero();
    }

    // ------------------------------------------------------------------------------------------------
    // Keys

    @Test
    void keysAreIssuedListedReadAndRevoked() throws Exception {
        TestNode.Answer created = node.post("/api/v1/streams", "{\"liveId\":\"cam\"}");
        assertThat(created.status()).isEqualTo(201);
        String code = created.json().get("liveCode").asText();
        assertThat(code).hasSize(20);
        assertThat(created.json().get("publishUrl").asText())
                .isEqualTo("rtsp://127.0.0.1:" + node.rtspPort() + "/live/cam?key=" + code);
        assertThat(created.json().get("live").asBoolean()).isFalse();
        assertThat(node.post("/api/v1/streams", "{\"liveId\":\"cam\"}").json().get("liveCode").asText())
                .as("issuing is idempotent").isEqualTo(code);

        assertThat(node.get("/api/v1/keys").json()).extracting(k -> k.get("liveId").asText()).containsExactly("cam");
        assertThat(node.get("/api/v1/keys/cam").json().get("liveCode").asText()).isEqualTo(code);
        assertThat(node.delete("/api/v1/keys/cam").status()).isEqualTo(204);
        assertThat(node.get("/api/v1/keys/cam").status()).isEqualTo(404);
        assertThat(node.get("/api/v1/keys").json().size()).isZero();
    }

    // ------------------------------------------------------------------------------------------------
    // Streams and sessions with a real publisher and reader

    @Test
    void aLiveStreamIsListedWithItsTracksBitrateReadersAndSessions() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"radio\"}").json().get("liveCode").asText();
        try (RawRtspClient publisher = RawRtspClient.publish(node.rtspPort(), "radio", code);
             RawRtspClient reader = RawRtspClient.play(node.rtspPort(), "radio")) {
            sendFor(publisher, 2500);
            JsonNode stream = node.get("/api/v1/streams/radio").json();
            assertThat(stream.get("state").asText()).isEqualTo("live");
            assertThat(stream.get("protocol").asText()).isEqualTo("rtsp");
            assertThat(stream.get("transport").asText()).isEqualTo("tcp");
            assertThat(stream.get("ssrc").asLong()).isEqualTo(0x5107_1CE0L);
            assertThat(stream.get("publisher").asText()).startsWith("127.0.0.1:");
            assertThat(stream.get("readers").asInt()).isEqualTo(1);
            JsonNode track = stream.get("tracks").get(0);
            assertThat(track.get("codec").asText()).isEqualTo("PCMU");
            assertThat(track.get("media").asText()).isEqualTo("audio");
            assertThat(track.get("clockRate").asInt()).isEqualTo(8000);
            assertThat(track.get("packets").asLong()).isGreaterThan(50);
            // 50 packets of 172 bytes a second are 68800 bit/s; the 1 s window is the noisiest.
            assertThat(stream.get("bitrate").get("last3s").asLong()).isBetween(40_000L, 100_000L);
            assertThat(stream.get("bitrate").get("last10s").asLong()).isBetween(40_000L, 100_000L);
            assertThat(stream.get("bytesOut").asLong()).isPositive();
            assertThat(node.get("/api/v1/streams").json()).hasSize(1);

            JsonNode sessions = node.get("/api/v1/sessions").json();
            assertThat(sessions).hasSize(2);
            JsonNode pub = find(sessions, "role", "publisher");
            JsonNode rd = find(sessions, "role", "reader");
            assertThat(pub.get("id").asText()).isEqualTo(publisher.session);
            assertThat(pub.get("state").asText()).isEqualTo("RECORD");
            assertThat(pub.get("path").asText()).isEqualTo("radio");
            assertThat(pub.get("bytes").asLong()).isPositive();
            assertThat(pub.get("loss").get("last10s").asDouble()).isZero();
            assertThat(rd.get("id").asText()).isEqualTo(reader.session);
            assertThat(rd.get("state").asText()).isEqualTo("PLAY");
            assertThat(rd.get("transport").asText()).isEqualTo("tcp");
            assertThat(rd.get("bytes").asLong()).isPositive();
            assertThat(rd.get("drops").asLong()).isZero();
        }
    }

    @Test
    void stoppingAStreamDisconnectsThePublisherAndSendsReadersBye() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"radio\"}").json().get("liveCode").asText();
        try (RawRtspClient publisher = RawRtspClient.publish(node.rtspPort(), "radio", code);
             RawRtspClient reader = RawRtspClient.play(node.rtspPort(), "radio")) {
            sendFor(publisher, 300);
            assertThat(node.delete("/api/v1/streams/radio").status()).isEqualTo(204);
            assertThat(reader.readUntilBye()).as("the reader got RTCP BYE").isTrue();
            assertThat(publisher.closedByServer()).isTrue();
            eventually(() -> get("/api/v1/streams").size() == 0);
            assertThat(node.get("/api/v1/streams/radio").status()).isEqualTo(404);
        }
    }

    @Test
    void revokingTheKeyOfALiveStreamStopsIt() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"radio\"}").json().get("liveCode").asText();
        try (RawRtspClient publisher = RawRtspClient.publish(node.rtspPort(), "radio", code)) {
            sendFor(publisher, 200);
            assertThat(node.delete("/api/v1/keys/radio").status()).isEqualTo(204);
            assertThat(publisher.closedByServer()).isTrue();
            eventually(() -> get("/api/v1/streams").size() == 0);
        }
    }

    @Test
    void kickingAReaderSendsItByeAndLeavesThePublisher() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"radio\"}").json().get("liveCode").asText();
        try (RawRtspClient publisher = RawRtspClient.publish(node.rtspPort(), "radio", code);
             RawRtspClient reader = RawRtspClient.play(node.rtspPort(), "radio")) {
            sendFor(publisher, 300);
            assertThat(node.delete("/api/v1/sessions/" + reader.session).status()).isEqualTo(204);
            assertThat(reader.readUntilBye()).isTrue();
            eventually(() -> get("/api/v1/sessions").size() == 1);
            assertThat(get("/api/v1/sessions").get(0).get("role").asText()).isEqualTo("publisher");
            assertThat(node.delete("/api/v1/sessions/" + publisher.session).status()).isEqualTo(204);
            assertThat(publisher.closedByServer()).isTrue();
            eventually(() -> get("/api/v1/streams").size() == 0);
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Config

    @Test
    void liveSettingsApplyAtOnceAndOthersWaitForARestart() throws Exception {
        JsonNode view = node.patch("/api/v1/config", "{\"max-sessions\":5,\"session-timeout\":30,\"rtsp-port\":9999}").json();
        assertThat(node.serving.node().config().maxSessions()).isEqualTo(5);
        assertThat(node.serving.node().config().sessionTimeout()).isEqualTo(Duration.ofSeconds(30));
        assertThat(view.get("values").get("max-sessions").asInt()).isEqualTo(5);
        assertThat(view.get("values").get("rtsp-port").asInt()).as("running as configured: 0 is any free port").isZero();
        assertThat(view.get("overrides").get("rtsp-port").asInt()).isEqualTo(9999);
        assertThat(view.get("pendingRestart")).extracting(JsonNode::asText).containsExactly("rtsp-port");
        assertThat(view.get("live")).extracting(JsonNode::asText).contains("max-sessions", "session-timeout")
                .doesNotContain("rtsp-port");

        view = node.patch("/api/v1/config", "{\"rtsp-port\":null,\"max-sessions\":null}").json();
        assertThat(view.get("pendingRestart").size()).isZero();
        assertThat(view.get("overrides").fieldNames()).toIterable().containsExactly("session-timeout");
        assertThat(node.serving.node().config().maxSessions()).isEqualTo(10_000);
    }

    @Test
    void retransmissionAndCatchUpSettingsApplyToStreamsPublishedFromThenOn() throws Exception {
        JsonNode view = node.patch("/api/v1/config",
                "{\"rtsp-nack\":false,\"reader-catch-up-speed\":2,\"retransmission-max-packets\":1024}").json();
        assertThat(node.serving.node().config().rtspNack()).isFalse();
        assertThat(node.serving.node().config().readerCatchUpSpeed()).isEqualTo(2);
        assertThat(node.serving.node().config().retransmissionMaxPackets()).isEqualTo(1024);
        assertThat(view.get("values").get("rtsp-nack").asBoolean()).isFalse();
        assertThat(view.get("live")).extracting(JsonNode::asText)
                .contains("rtsp-nack", "reader-catch-up-speed", "retransmission-max-packets");
        assertThat(view.get("pendingRestart").size()).isZero();
    }

    @Test
    void millisecondDurationsAndListsAreSetInTheirFlagsUnits() throws Exception {
        JsonNode view = node.patch("/api/v1/config", "{\"frame-hold\":0,\"gop-cache-min-start\":500,"
                + "\"retransmission-history\":2000,\"rtx-user-agents\":[\"GStreamer\",\"MyPlayer\"],"
                + "\"vod-send-lead\":300,\"vod-room-grace\":10}").json();
        NodeConfig running = node.serving.node().config();
        assertThat(running.frameHold()).isEqualTo(Duration.ZERO);
        assertThat(running.gopCacheMinStart()).isEqualTo(Duration.ofMillis(500));
        assertThat(running.retransmissionHistory()).isEqualTo(Duration.ofMillis(2000));
        assertThat(running.rtxUserAgents()).containsExactly("GStreamer", "MyPlayer");
        assertThat(running.vodSendLead()).as("films are set up at start").isEqualTo(Duration.ofMillis(200));
        assertThat(view.get("values").get("gop-cache-min-start").asLong()).isEqualTo(500);
        assertThat(view.get("values").get("vod-room-grace").asLong()).as("seconds, as its flag").isEqualTo(30);
        assertThat(view.get("values").get("rtx-user-agents")).extracting(JsonNode::asText)
                .containsExactly("GStreamer", "MyPlayer");
        assertThat(view.get("live")).extracting(JsonNode::asText)
                .contains("frame-hold", "gop-cache-min-start", "retransmission-history", "rtx-user-agents");
        assertThat(view.get("pendingRestart")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("vod-send-lead", "vod-room-grace");
    }

    @Test
    void theNativeProtocolsLimitsAreStoredAndApplyAtTheNextStart() throws Exception {
        JsonNode view = node.get("/api/v1/config").json();
        assertThat(view.get("values").get("native-max-pullers").asInt()).isEqualTo(10_000);
        assertThat(view.get("values").get("native-describe-wait").asLong()).as("milliseconds, as its flag").isEqualTo(3000);

        view = node.patch("/api/v1/config", "{\"native-max-pullers\":50,\"native-describe-wait\":1500,"
                + "\"native-ask-pushers\":false}").json();
        assertThat(node.serving.node().config().nativeLimits().maxPullers()).as("the native server is set up at start")
                .isEqualTo(10_000);
        assertThat(view.get("pendingRestart")).extracting(JsonNode::asText)
                .containsExactlyInAnyOrder("native-max-pullers", "native-describe-wait", "native-ask-pushers");
        assertThat(view.get("live")).extracting(JsonNode::asText).noneMatch(k -> k.startsWith("native-"));
        node.close();
        node = null;

        node = TestNode.start(dir);
        NativeLimits limits = node.serving.node().config().nativeLimits();
        assertThat(limits.maxPullers()).isEqualTo(50);
        assertThat(limits.describeWait()).isEqualTo(Duration.ofMillis(1500));
        assertThat(limits.askPushers()).isFalse();
        assertThat(limits.maxPushStreams()).as("untouched").isEqualTo(NativeLimits.defaults().maxPushStreams());
        view = node.get("/api/v1/config").json();
        assertThat(view.get("values").get("native-max-pullers").asInt()).isEqualTo(50);
        assertThat(view.get("pendingRestart").size()).isZero();
    }

    @Test
    void keysAndSettingsSurviveARestart() throws Exception {
        String code = node.post("/api/v1/streams", "{\"liveId\":\"cam\"}").json().get("liveCode").asText();
        node.patch("/api/v1/config", "{\"max-sessions\":7,\"gop-cache-max-packets\":1000}");
        String token = Files.readString(dir.resolve(ApiToken.FILE_NAME)).trim();
        node.close();
        node = null;

        node = TestNode.start(dir);
        assertThat(node.serving.token().created()).isFalse();
        assertThat(node.serving.token().value()).isEqualTo(token);
        assertThat(node.serving.node().config().maxSessions()).isEqualTo(7);
        JsonNode view = node.get("/api/v1/config").json();
        assertThat(view.get("values").get("max-sessions").asInt()).isEqualTo(7);
        assertThat(view.get("values").get("gop-cache-max-packets").asInt()).isEqualTo(1000);
        assertThat(view.get("pendingRestart").size()).isZero();
        assertThat(node.get("/api/v1/keys/cam").json().get("liveCode").asText()).isEqualTo(code);
    }

    // ------------------------------------------------------------------------------------------------
    // Auth

    @Test
    void theTokenFileIsMadeOnceAndOwnerOnly() throws Exception {
        assertThat(node.serving.token().created()).isTrue();
        Path file = dir.resolve(ApiToken.FILE_NAME);
        assertThat(Files.readString(file).trim()).isEqualTo(node.serving.token().value()).hasSizeGreaterThan(20);
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                .isEqualTo("rw-------");
    }

    @Test
    void withoutLoopbackTrustChangesNeedTheToken() throws Exception {
        node.close();
        node = TestNode.start(dir.resolve("strict"), "s3cret-token", false, b -> { });
        TestNode.Answer refused = node.post("/api/v1/streams", "{\"liveId\":\"cam\"}");
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.raw().headers().firstValue("www-authenticate")).hasValue("Bearer realm=\"sluice\"");
        assertThat(refused.json().get("error").asText()).isEqualTo("unauthorized");
        assertThat(node.get("/api/v1/keys").status()).as("keys are credentials").isEqualTo(401);
        assertThat(node.delete("/api/v1/streams/cam").status()).isEqualTo(401);
        assertThat(node.patch("/api/v1/config", "{}").status()).isEqualTo(401);
        assertThat(node.send(withToken("POST", "/api/v1/streams", "{\"liveId\":\"cam\"}", "wrong")).status()).isEqualTo(401);
        assertThat(node.send(withToken("POST", "/api/v1/streams", "{\"liveId\":\"cam\"}", "s3cret-token")).status())
                .isEqualTo(201);
        assertThat(node.send(withToken("GET", "/api/v1/keys", null, "s3cret-token")).status()).isEqualTo(200);
        assertThat(node.get("/api/v1/streams").status()).as("reading is open").isEqualTo(200);
        assertThat(Files.exists(dir.resolve("strict").resolve(ApiToken.FILE_NAME))).as("a given token makes no file").isFalse();
    }

    @Test
    void aCrossSiteCallFromLoopbackIsRefused() throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/streams"))
                .header("Origin", "http://evil.example")
                .POST(HttpRequest.BodyPublishers.ofString("{\"liveId\":\"cam\"}"));
        TestNode.Answer a = node.send(r);
        assertThat(a.status()).isEqualTo(403);
        assertThat(a.json().get("error").asText()).isEqualTo("forbidden");
        HttpRequest.Builder same = HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/streams"))
                .header("Origin", node.base())
                .POST(HttpRequest.BodyPublishers.ofString("{\"liveId\":\"cam\"}"));
        assertThat(node.send(same).status()).isEqualTo(201);
    }

    // ------------------------------------------------------------------------------------------------
    // Events, OpenAPI, dashboard

    @Test
    void eventsArriveOnceASecond() throws Exception {
        node.post("/api/v1/streams", "{\"liveId\":\"radio\"}");
        HttpResponse<Stream<String>> r = node.client().send(
                HttpRequest.newBuilder(URI.create(node.base() + "/api/v1/events")).build(),
                HttpResponse.BodyHandlers.ofLines());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type").orElseThrow()).startsWith("text/event-stream");
        List<JsonNode> events = new ArrayList<>();
        long t0 = System.nanoTime();
        try (Stream<String> lines = r.body()) {
            Iterator<String> it = lines.iterator();
            while (events.size() < 3 && it.hasNext()) {
                String line = it.next();
                if (line.startsWith("data: ")) {
                    events.add(TestNode.JSON.readTree(line.substring(6)));
                }
            }
        }
        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
        assertThat(events).hasSize(3);
        assertThat(elapsedMs).as("the first comes at once, then one a second").isBetween(900L, 4000L);
        assertThat(events.get(2).get("node").get("version").asText()).isNotBlank();
        assertThat(events.get(2).get("streams").isArray()).isTrue();
        assertThat(events.get(2).get("sessions").isArray()).isTrue();
        assertThat(events.get(2).get("timeMs").asLong()).isGreaterThan(events.get(0).get("timeMs").asLong());
    }

    @Test
    void theOpenApiDocumentDescribesEveryRoute() throws Exception {
        JsonNode doc = node.get("/api/v1/openapi.json").json();
        assertThat(doc.get("openapi").asText()).isEqualTo("3.1.0");
        JsonNode paths = doc.get("paths");
        assertThat(paths.fieldNames()).toIterable().contains("/api/v1/streams", "/api/v1/streams/{liveId}",
                "/api/v1/keys", "/api/v1/keys/{liveId}", "/api/v1/sessions", "/api/v1/sessions/{id}",
                "/api/v1/config", "/api/v1/events", "/api/v1/openapi.json", "/metrics", "/api/v1/nodes",
                "/api/v1/rooms", "/api/v1/films").doesNotContain("/");
        assertThat(paths.get("/api/v1/streams/{liveId}").fieldNames()).toIterable().containsExactlyInAnyOrder("get", "delete");
        JsonNode stop = paths.get("/api/v1/streams/{liveId}").get("delete");
        assertThat(stop.get("security").get(0).has("adminToken")).isTrue();
        assertThat(stop.get("responses").has("204")).isTrue();
        assertThat(stop.get("parameters").get(0).get("name").asText()).isEqualTo("liveId");
        JsonNode list = paths.get("/api/v1/streams").get("get").get("responses").get("200")
                .get("content").get("application/json").get("schema");
        assertThat(list.get("type").asText()).isEqualTo("array");
        assertThat(list.get("items").get("$ref").asText()).isEqualTo("#/components/schemas/StreamView");
        JsonNode streamView = doc.get("components").get("schemas").get("StreamView");
        assertThat(streamView.get("properties").fieldNames()).toIterable()
                .contains("liveId", "ssrc", "publisher", "protocol", "tracks", "bitrate", "readers", "delayMs");
        assertThat(streamView.get("properties").get("tracks").get("items").get("$ref").asText())
                .isEqualTo("#/components/schemas/TrackView");
        assertThat(doc.get("components").get("schemas").has("ErrorView")).isTrue();
        assertThat(doc.get("components").get("schemas").get("RoomSummaryView").get("properties").get("nodes")
                .get("items").get("$ref").asText()).isEqualTo("#/components/schemas/Host");
        assertThat(doc.get("components").get("schemas").get("SessionView").get("properties").get("retransmissions")
                .get("$ref").asText()).isEqualTo("#/components/schemas/RetransmissionView");
        assertThat(doc.get("components").get("schemas").get("SessionView").get("properties").get("rttMs")
                .get("type")).extracting(JsonNode::asText).containsExactly("number", "null");
    }

    @Test
    void theDashboardIsServedFromTheJar() throws Exception {
        TestNode.Answer page = node.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.raw().headers().firstValue("content-type")).hasValue("text/html; charset=utf-8");
        assertThat(page.body()).contains("/dashboard/dashboard.js").doesNotContain("http://", "https://");
        for (String asset : List.of("dashboard.js", "dashboard.css", "favicon.svg")) {
            TestNode.Answer a = node.get("/dashboard/" + asset);
            assertThat(a.status()).isEqualTo(200);
            assertThat(a.body()).isNotEmpty().doesNotContain("https://", "@import", "fonts.g");
        }
        assertThat(node.get("/dashboard/dashboard.js").body()).contains("/api/v1/events");
    }

    // ------------------------------------------------------------------------------------------------

    private HttpRequest.Builder withToken(String method, String path, String body, String token) {
        return HttpRequest.newBuilder(URI.create(node.base() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
    }

    private JsonNode get(String path) {
        try {
            return node.get(path).json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static JsonNode find(JsonNode array, String field, String value) {
        for (JsonNode n : array) {
            if (n.get(field).asText().equals(value)) {
                return n;
            }
        }
        throw new AssertionError("no " + field + "=" + value + " in " + array);
    }

    /** 50 packets a second of 160 bytes of PCMU, like a real phone. */
    private static void sendFor(RawRtspClient publisher, long durationMs) throws Exception {
        long t0 = System.nanoTime();
        int seq = 0;
        while (System.nanoTime() - t0 < TimeUnit.MILLISECONDS.toNanos(durationMs)) {
            publisher.sendRtp(seq, seq * 160L, 0x5107_1CE0, 160);
            seq++;
            Thread.sleep(20);
        }
    }

    static void eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(50);
        }
    }
}

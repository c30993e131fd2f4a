package io.sluice.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.systemtest.harness.Clip;
import io.sluice.systemtest.harness.ClusterProcess;
import io.sluice.systemtest.harness.FfmpegCommands;
import io.sluice.systemtest.harness.FrameMd5;
import io.sluice.systemtest.harness.PeerProcess;
import io.sluice.systemtest.harness.Peers;
import io.sluice.systemtest.harness.SystemTestExtension;
import io.sluice.systemtest.harness.SystemTestRun;
import io.sluice.systemtest.harness.TestClips;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Three media nodes and two load balancers, each its own process on loopback, in one cluster: viewers of one
 * film share a node, a new film goes to the least-loaded node, a switch from the wrong room is refused, ffmpeg
 * sent to a load balancer's RTSP port is redirected and plays the film frame-exact from its node,
 * a live stream's viewers beyond its origin's capacity are seated on another node, which pulls the stream from
 * the origin and serves it, a player that exits (film or live) has its seat freed within seconds by its node's
 * report, not by its lease, a node killed with {@code kill -9} disappears from the picture within 5 s and its
 * viewers are seated again on request, and killing one load balancer loses no seat.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class ClusterSystemTest {

    private static final Duration GONE_WITHIN = Duration.ofSeconds(5);
    /** A node reports every second: a player's end frees its seat with the next report. */
    private static final Duration FREED_WITHIN = Duration.ofSeconds(4);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final ObjectMapper json = new ObjectMapper();

    @Test
    void loadBalancersSeatViewersByRoomAndSurviveTheLossOfANodeAndOfALoadBalancer(SystemTestRun run) throws Exception {
        Clip clip = TestClips.h264Aac();
        String ffmpeg = Peers.ffmpeg();
        Path media = run.dir().resolve("media");
        Files.createDirectories(media);
        for (String film : List.of("a.mp4", "b.mp4", "c.mp4")) {
            Files.copy(clip.file(), media.resolve(film));
        }
        int clusterPort = 20_000 + ThreadLocalRandom.current().nextInt(10_000);
        String clusterName = "system-test-" + clusterPort;
        List<ClusterProcess> nodes = new ArrayList<>();
        for (String name : List.of("node-1", "node-2", "node-3")) {
            nodes.add(run.closeLater(ClusterProcess.node(name, run.dir(), media, clusterName, clusterPort, 10)));
        }
        ClusterProcess lb1 = run.closeLater(ClusterProcess.lb("lb-1", run.dir(), clusterName, clusterPort));
        ClusterProcess lb2 = run.closeLater(ClusterProcess.lb("lb-2", run.dir(), clusterName, clusterPort));
        try {
            // every node has reported, with its catalog scanned
            awaitJson(lb1, "/api/v1/lb/nodes", Duration.ofSeconds(30),
                    n -> n.size() == 3 && all(n, node -> node.get("films").asInt() == 3));

            // two viewers of one film share a node
            JsonNode v1 = assign(lb1, "{\"uid\":\"v1\",\"fid\":\"a.mp4\"}", 200);
            JsonNode v2 = assign(lb2, "{\"uid\":\"v2\",\"fid\":\"a.mp4\"}", 200);
            String nodeA = v1.get("node").asText();
            assertThat(v2.get("node").asText()).isEqualTo(nodeA);
            assertThat(v1.get("rtsp").asText()).endsWith("/vod/a.mp4?uid=v1");

            // a new film goes to the least-loaded node, which opens its room
            JsonNode v3 = assign(lb1, "{\"uid\":\"v3\",\"fid\":\"b.mp4\"}", 200);
            String nodeB = v3.get("node").asText();
            assertThat(nodeB).isNotEqualTo(nodeA);
            JsonNode v4 = assign(lb2, "{\"uid\":\"v4\",\"fid\":\"c.mp4\"}", 200);
            String nodeC = v4.get("node").asText();
            assertThat(nodeC).isNotIn(nodeA, nodeB);

            // a switch from a room the user is not in changes nothing
            JsonNode refused = assign(lb1, "{\"uid\":\"v1\",\"fid\":\"b.mp4\",\"from\":\"c.mp4\"}", 409);
            assertThat(refused.get("error").asText()).isEqualTo("conflict");
            assertThat(getJson(lb2, "/api/v1/lb/users/v1").get("node").asText()).isEqualTo(nodeA);
            assertThat(assign(lb2, "{\"uid\":\"v1\",\"fid\":\"a.mp4\",\"from\":\"a.mp4\"}", 200).get("changed")
                    .asBoolean()).isFalse();

            // plain players ask a load balancer over RTSP, are sent to the film's node and play it frame-exact:
            // ffmpeg, and GStreamer's rtspsrc where it is installed
            Path gstVideo = run.dir().resolve("redirected-gst.h264");
            PeerProcess gstPlayer = !Peers.hasGstLaunch() ? null : run.peer("gst-via-lb", List.of(Peers.gstLaunch(),
                    "-q", "-e", "rtspsrc", "location=rtsp://127.0.0.1:" + lb1.rtspPort() + "/vod/a.mp4?uid=g1",
                    "protocols=tcp", "latency=300", "name=src",
                    "src.", "!", "application/x-rtp,media=video", "!", "rtph264depay", "!", "h264parse", "!",
                    "video/x-h264,stream-format=byte-stream,alignment=au", "!", "filesink", "location=" + gstVideo,
                    "src.", "!", "application/x-rtp,media=audio", "!", "fakesink"), Duration.ofSeconds(40));
            Path frames = run.dir().resolve("redirected.framemd5");
            PeerProcess player = run.peer("ffmpeg-via-lb", List.of(ffmpeg, "-nostdin", "-loglevel", "warning",
                    "-rtsp_transport", "tcp", "-timeout", "10000000",
                    "-i", "rtsp://127.0.0.1:" + lb2.rtspPort() + "/vod/a.mp4?uid=p1",
                    "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", frames.toString()),
                    Duration.ofSeconds(40));
            JsonNode p1 = awaitJson(lb1, "/api/v1/lb/users/p1", Duration.ofSeconds(10), u -> u.has("node"));
            assertThat(p1.get("node").asText()).isEqualTo(nodeA);
            // the redirect carried the uid to the node, whose report names the player
            awaitJson(lb1, "/api/v1/lb/users/p1", Duration.ofSeconds(8), u -> u.path("playing").asBoolean());
            JsonNode g1 = gstPlayer == null ? null : awaitJson(lb2, "/api/v1/lb/users/g1", Duration.ofSeconds(8),
                    u -> u.path("playing").asBoolean());
            assertThat(g1 == null ? nodeA : g1.get("node").asText()).as("both players in one room").isEqualTo(nodeA);
            player.awaitSuccess();
            assertThat(FrameMd5.read(frames)).as("frames played through the redirect").isEqualTo(clip.videoMd5s());
            // the player ended its session: its seat goes with the node's next report, long before its lease
            Duration filmSeatFreed = awaitSeatFreed(lb2, "p1");
            if (gstPlayer != null) {
                // it ends by itself at the film's BYE; its TEARDOWN can race the node's close, then it exits 1
                assertThat(gstPlayer.awaitExit()).as("rtspsrc through the redirect\n%s", gstPlayer.report(20))
                        .isIn(0, 1);
                assertThat(gstPlayer.killedAtDeadline()).as("rtspsrc ended at the BYE").isFalse();
                Path gstFrames = run.dir().resolve("redirected-gst.framemd5");
                run.peer("decode-gst", FfmpegCommands.decodeVideo(gstVideo, gstFrames.toString()),
                        Duration.ofSeconds(20)).awaitSuccess();
                assertThat(FrameMd5.read(gstFrames)).as("frames rtspsrc played through the redirect")
                        .isEqualTo(clip.videoMd5s());
                awaitSeatFreed(lb1, "g1");
            }

            // a live stream published on one node: viewers beyond its capacity go to another node, which pulls it
            ClusterProcess origin = processOf(nodes, lb1, nodeC);
            String code = createKey(origin, "cam");
            PeerProcess publisher = run.peer("publisher", List.of(ffmpeg, "-nostdin", "-loglevel", "warning", "-re",
                    "-stream_loop", "-1", "-i", clip.file().toString(), "-c", "copy", "-f", "rtsp", "-rtsp_transport",
                    "tcp", "rtsp://127.0.0.1:" + origin.rtspPort() + "/live/cam?key=" + code), Duration.ofSeconds(90));
            awaitJson(lb1, "/api/v1/lb/rooms", Duration.ofSeconds(20), rooms -> any(rooms,
                    r -> r.get("room").asText().equals("live/cam")));
            // v4's seat on the origin has no player: renewed now, it cannot run out by lease between the seats
            // that fill the origin and the player that must find it full
            assertThat(assign(lb1, "{\"uid\":\"v4\",\"fid\":\"c.mp4\"}", 200).get("node").asText()).isEqualTo(nodeC);
            String pulling = null;
            List<String> liveViewers = new ArrayList<>();
            for (int i = 0; i < 12 && pulling == null; i++) {
                liveViewers.add("w" + i);
                String node = assign(lb1, "{\"uid\":\"w" + i + "\",\"live\":\"cam\"}", 200).get("node").asText();
                if (!node.equals(nodeC)) {
                    pulling = node;
                }
            }
            assertThat(pulling).as("a viewer seated off the full origin").isNotNull();
            Path liveFrames = run.dir().resolve("live.framemd5");
            PeerProcess liveReader = run.peer("ffmpeg-live-via-lb", List.of(ffmpeg, "-nostdin", "-loglevel", "warning",
                    "-rtsp_transport", "tcp", "-timeout", "10000000",
                    "-i", "rtsp://127.0.0.1:" + lb2.rtspPort() + "/live/cam?uid=live-player", "-t", "6",
                    "-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", liveFrames.toString()),
                    Duration.ofSeconds(30));
            JsonNode livePlayer = awaitJson(lb1, "/api/v1/lb/users/live-player", Duration.ofSeconds(10),
                    u -> u.path("playing").asBoolean());
            assertThat(livePlayer.get("node").asText()).isEqualTo(pulling);
            liveReader.awaitSuccess();
            Duration liveSeatFreed = awaitSeatFreed(lb1, "live-player");
            List<String> live = FrameMd5.read(liveFrames);
            assertThat(live).as("frames of the pulled stream").hasSizeGreaterThan(50);
            assertThat(clip.videoMd5s()).containsAll(live);
            publisher.kill();
            liveViewers.add("live-player");
            for (String uid : liveViewers) {
                post(lb1, "/api/v1/lb/leave", "{\"uid\":\"" + uid + "\"}");
            }

            // kill -9 of the node serving a.mp4 (its room there is within its grace): gone from the picture
            // within 5 s, with its seats
            assertThat(assign(lb1, "{\"uid\":\"v1\",\"fid\":\"a.mp4\"}", 200).get("node").asText()).isEqualTo(nodeA);
            ClusterProcess killedNode = processOf(nodes, lb1, nodeA);
            long killedAtNs = System.nanoTime();
            killedNode.kill();
            awaitJson(lb1, "/api/v1/lb/nodes", GONE_WITHIN.plusSeconds(5), n -> !any(n, x -> x.get("node").asText().equals(nodeA)));
            Duration removal = Duration.ofNanos(System.nanoTime() - killedAtNs);
            assertThat(removal).as("time from kill -9 to removal").isLessThan(GONE_WITHIN);
            assertThat(status(lb1, "/api/v1/lb/users/v1")).isEqualTo(404);
            JsonNode again = assign(lb2, "{\"uid\":\"v1\",\"fid\":\"a.mp4\"}", 200);
            assertThat(again.get("node").asText()).isIn(nodeB, nodeC);
            assertThat(assign(lb1, "{\"uid\":\"v2\",\"fid\":\"a.mp4\"}", 200).get("node").asText())
                    .isEqualTo(again.get("node").asText());

            // killing one of two load balancers loses no seat
            assign(lb1, "{\"uid\":\"v3\",\"fid\":\"b.mp4\"}", 200);
            assign(lb1, "{\"uid\":\"v4\",\"fid\":\"c.mp4\"}", 200);
            Set<String> before = seats(getJson(lb2, "/api/v1/lb/users"));
            assertThat(before).contains("v1 vod/a.mp4 " + again.get("node").asText(), "v3 vod/b.mp4 " + nodeB,
                    "v4 vod/c.mp4 " + nodeC);
            lb1.kill();
            JsonNode after = awaitJson(lb2, "/api/v1/lb/users", Duration.ofSeconds(15), u -> u.isArray());
            assertThat(seats(after)).isEqualTo(before);
            assertThat(assign(lb2, "{\"uid\":\"v5\",\"fid\":\"b.mp4\"}", 200).get("node").asText()).isIn(nodeB, nodeC);
            System.out.println("cluster system test: node removed " + removal.toMillis() + " ms after kill -9; seats "
                    + "freed " + filmSeatFreed.toMillis() + " ms (film) and " + liveSeatFreed.toMillis()
                    + " ms (live) after their players exited");
        } catch (AssertionError | RuntimeException e) {
            StringBuilder reports = new StringBuilder(e.getMessage() == null ? "" : e.getMessage());
            for (ClusterProcess p : List.of(nodes.get(0), nodes.get(1), nodes.get(2), lb1, lb2)) {
                reports.append('\n').append(p.report(30));
            }
            throw new AssertionError(reports.toString(), e);
        }
    }

    /**
     * Waits for the seat of a user whose player has just exited to be gone, within {@link #FREED_WITHIN} and
     * before the lease it had then ran out (reports renew a playing seat's lease at half time, so it had
     * more than {@link #FREED_WITHIN} left): the node's report freed it, not its lease. Answers how long it took.
     */
    private Duration awaitSeatFreed(ClusterProcess lb, String uid) throws Exception {
        long exitedNs = System.nanoTime();
        long deadlineNs = exitedNs + FREED_WITHIN.toNanos();
        HttpResponse<String> seat = http.send(HttpRequest.newBuilder(uri(lb, "/api/v1/lb/users/" + uid))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        long leaseUntilMs = seat.statusCode() == 200 ? json.readTree(seat.body()).get("leaseUntilMs").asLong()
                : Long.MAX_VALUE;
        int status = seat.statusCode();
        while (status != 404 && System.nanoTime() < deadlineNs) {
            Thread.sleep(50);
            status = status(lb, "/api/v1/lb/users/" + uid);
        }
        Duration took = Duration.ofNanos(System.nanoTime() - exitedNs);
        assertThat(status).as("seat of %s %d ms after its player exited", uid, took.toMillis()).isEqualTo(404);
        assertThat(System.currentTimeMillis()).as("seat of %s freed before its lease ran out", uid)
                .isLessThan(leaseUntilMs);
        return took;
    }

    /** The process whose RTSP port the cluster lists for {@code nodeId}. */
    private ClusterProcess processOf(List<ClusterProcess> nodes, ClusterProcess lb, String nodeId) throws Exception {
        for (JsonNode n : getJson(lb, "/api/v1/lb/nodes")) {
            if (n.get("node").asText().equals(nodeId)) {
                String rtsp = n.get("rtsp").asText();
                for (ClusterProcess p : nodes) {
                    if (rtsp.endsWith(":" + p.rtspPort())) {
                        return p;
                    }
                }
            }
        }
        throw new AssertionError("no process for node " + nodeId);
    }

    private static Set<String> seats(JsonNode users) {
        Set<String> out = new TreeSet<>();
        users.forEach(u -> out.add(u.get("uid").asText() + " " + u.get("room").asText() + " " + u.get("node").asText()));
        return out;
    }

    private static boolean all(JsonNode array, Predicate<JsonNode> test) {
        for (JsonNode n : array) {
            if (!test.test(n)) {
                return false;
            }
        }
        return true;
    }

    private static boolean any(JsonNode array, Predicate<JsonNode> test) {
        return !all(array, test.negate());
    }

    private JsonNode assign(ClusterProcess lb, String body, int expectedStatus) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(lb, "/api/v1/lb/assign"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST %s to %s: %s", body, lb, r.body()).isEqualTo(expectedStatus);
        return json.readTree(r.body());
    }

    private int post(ClusterProcess p, String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(p, path)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.discarding())
                .statusCode();
    }

    /** Issues the publish key of a live stream on a node; its code. */
    private String createKey(ClusterProcess node, String liveId) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(node, "/api/v1/streams"))
                .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(
                        "{\"liveId\":\"" + liveId + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("POST /api/v1/streams: %s", r.body()).isIn(200, 201);
        return json.readTree(r.body()).get("liveCode").asText();
    }

    private JsonNode getJson(ClusterProcess lb, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(lb, path)).timeout(Duration.ofSeconds(10))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as("GET %s from %s: %s", path, lb, r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    private int status(ClusterProcess lb, String path) throws Exception {
        return http.send(HttpRequest.newBuilder(uri(lb, path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Polls a GET until its JSON passes {@code done}; failed calls (a cluster settling) are retried. */
    private JsonNode awaitJson(ClusterProcess lb, String path, Duration timeout, Predicate<JsonNode> done)
            throws Exception {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        String last = "nothing";
        while (System.nanoTime() < deadlineNs) {
            try {
                HttpResponse<String> r = http.send(HttpRequest.newBuilder(uri(lb, path))
                        .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
                last = r.statusCode() + " " + r.body();
                if (r.statusCode() == 200) {
                    JsonNode node = json.readTree(r.body());
                    if (done.test(node)) {
                        return node;
                    }
                }
            } catch (IOException e) {
                last = e.toString();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("GET " + path + " from " + lb + " did not get there within " + timeout + "; last: " + last);
    }

    private static URI uri(ClusterProcess p, String path) {
        return URI.create("http://127.0.0.1:" + p.httpPort() + path);
    }
}

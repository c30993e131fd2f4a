package io.sluice.cluster.lb;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.hz.ClusterMember;
import io.sluice.cluster.hz.ClusterSettings;
import io.sluice.cluster.seating.NodeReport;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.RoomLoad;
import io.sluice.cluster.seating.SeatingRules;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The load balancer's HTTP and RTSP endpoints over a one-member cluster fed with made-up node reports. */
@Timeout(60)
class LbServerTest {

    /** Smaller than the nodes' default, to show the setting is the one obeyed. */
    private static final int MAX_REQUEST_LINE = 512;
    private static ClusterMember member;
    private static LbServer lb;
    private static final HttpClient http = HttpClient.newHttpClient();
    private static final ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();

    @BeforeAll
    static void start() throws Exception {
        int port = 15_000 + ThreadLocalRandom.current().nextInt(20_000);
        member = ClusterMember.join(new ClusterSettings("lb-test-" + port, port, List.of("127.0.0.1")),
                SeatingRules.DEFAULT, "lb", System::currentTimeMillis);
        lb = LbServer.start(member, new LbServer.Settings("127.0.0.1", 0, 0, 65_536, 1, MAX_REQUEST_LINE, 8192));
        reporter.scheduleAtFixedRate(() -> {
            member.seating().report(new NodeReport("node-a", "rtsp://10.0.0.1:8554", 100, 0, 0, 0, 0,
                    List.of(new RoomLoad(RoomKey.live("cam"), 0, true)), 1, Set.of("films/a b.mp4", "b.mp4")));
            member.seating().report(new NodeReport("node-b", "rtsp://10.0.0.2:8554", 1, 0, 0, 0, 0, List.of(), 1,
                    Set.of("c.mp4")));
        }, 0, 500, TimeUnit.MILLISECONDS);
        Thread.sleep(300);
    }

    @AfterAll
    static void stop() {
        reporter.shutdownNow();
        lb.close();
        member.hazelcast().getLifecycleService().terminate();
    }

    private static HttpResponse<String> post(String path, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.httpPort() + path))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + lb.httpPort() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void assignSwitchConflictLeaveAndThePicture() throws Exception {
        HttpResponse<String> seated = post("/api/v1/lb/assign", "{\"uid\":7,\"fid\":\"films/a b.mp4\"}");
        assertThat(seated.statusCode()).isEqualTo(200);
        assertThat(seated.body()).contains("\"uid\":\"7\"", "\"fid\":\"films/a b.mp4\"", "\"node\":\"node-a\"",
                "\"rtsp\":\"rtsp://10.0.0.1:8554/vod/films/a%20b.mp4?uid=7\"", "\"room\":\"vod/films/a b.mp4\"",
                "\"changed\":true").doesNotContain("\"live\"");

        HttpResponse<String> wrong = post("/api/v1/lb/assign", "{\"uid\":\"7\",\"fid\":\"b.mp4\",\"from\":\"b.mp4\"}");
        assertThat(wrong.statusCode()).isEqualTo(409);
        assertThat(wrong.body()).contains("\"error\":\"conflict\"", "vod/films/a b.mp4");

        HttpResponse<String> switched = post("/api/v1/lb/assign",
                "{\"uid\":\"7\",\"live\":\"cam\",\"from\":\"films/a b.mp4\"}");
        assertThat(switched.statusCode()).isEqualTo(200);
        assertThat(switched.body()).contains("\"live\":\"cam\"", "\"rtsp\":\"rtsp://10.0.0.1:8554/live/cam?uid=7\"");

        assertThat(get("/api/v1/lb/users").body()).contains("\"uid\":\"7\"", "\"room\":\"live/cam\"");
        assertThat(get("/api/v1/lb/nodes").body()).contains("\"node\":\"node-a\"", "\"capacityViewers\":100", "\"films\":2");
        assertThat(get("/api/v1/lb/rooms").body()).contains("\"room\":\"live/cam\"", "\"room\":\"vod/films/a b.mp4\"");

        assertThat(post("/api/v1/lb/leave", "{\"uid\":\"7\"}").statusCode()).isEqualTo(200);
        assertThat(post("/api/v1/lb/leave", "{\"uid\":\"7\"}").statusCode()).isEqualTo(404);
        assertThat(get("/api/v1/lb/users/7").statusCode()).isEqualTo(404);
    }

    @Test
    void aFullClusterAnswers503AndChangesNothing() throws Exception {
        HttpResponse<String> first = post("/api/v1/lb/assign", "{\"uid\":\"f1\",\"fid\":\"c.mp4\"}");
        assertThat(first.statusCode()).isEqualTo(200);
        assertThat(first.body()).contains("\"node\":\"node-b\"");
        HttpResponse<String> full = post("/api/v1/lb/assign", "{\"uid\":\"f2\",\"fid\":\"c.mp4\"}");
        assertThat(full.statusCode()).isEqualTo(503);
        assertThat(full.body()).contains("\"error\":\"unavailable\"");
        assertThat(get("/api/v1/lb/users/f2").statusCode()).isEqualTo(404);
        post("/api/v1/lb/leave", "{\"uid\":\"f1\"}");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"uid\":\"u\",\"fid\":\"nope.mp4\"}|404",
            "{\"uid\":\"u\",\"live\":\"nobody\"}|404",
            "{\"uid\":\"u\",\"fid\":\"b.mp4\"|400",
            "[1,2]|400",
            "{\"fid\":\"b.mp4\"}|400",
            "{\"uid\":\"u\"}|400",
            "{\"uid\":\"u\",\"fid\":\"b.mp4\",\"live\":\"cam\"}|400",
            "{\"uid\":\"u\",\"fid\":\"b.mp4\",\"extra\":1}|400",
            "{\"uid\":1.5,\"fid\":\"b.mp4\"}|400",
            "{\"uid\":\"u\",\"fid\":7}|400",
            "{\"uid\":\"u\",\"fid\":\"b.mp4\"} x|400",
            "{\"uid\":\"u\",\"fid\":\"b.mp4\"}{}|400",
            "{\"uid\":\"v\",\"fid\":\"b.mp4\",\"uid\":\"u\"}|400",
    })
    void badRequestsAreRefusedWithoutASeat(String body, int status) throws Exception {
        assertThat(post("/api/v1/lb/assign", body).statusCode()).isEqualTo(status);
        assertThat(get("/api/v1/lb/users/u").statusCode()).isEqualTo(404);
    }

    @Test
    void overSizeUidAndFidAre400() throws Exception {
        String longUid = "u".repeat(SeatRequest.MAX_UID_LENGTH + 1);
        String longFid = "f".repeat(MAX_REQUEST_LINE + 1);
        assertThat(post("/api/v1/lb/assign", "{\"uid\":\"" + longUid + "\",\"fid\":\"b.mp4\"}").statusCode())
                .isEqualTo(400);
        assertThat(post("/api/v1/lb/assign", "{\"uid\":\"u\",\"fid\":\"" + longFid + "\"}").statusCode())
                .isEqualTo(400);
        assertThat(get("/api/v1/lb/users").body()).doesNotContain(longUid);
    }

    @Test
    void anRtspRequestLineOverTheSettingIs400() throws Exception {
        String path = "/vod/" + "f".repeat(MAX_REQUEST_LINE);
        List<String> answer = rtsp("DESCRIBE rtsp://127.0.0.1:" + lb.rtspPort() + path + "?uid=r9 RTSP/1.0\r\n"
                + "CSeq: 2\r\n\r\n");
        assertThat(answer.get(0)).isEqualTo("RTSP/1.0 400 Bad Request");
        assertThat(get("/api/v1/lb/users/r9").statusCode()).isEqualTo(404);
    }

    @Test
    void rtspPlayersAreRedirectedToTheirNode() throws Exception {
        List<String> answer = rtsp("DESCRIBE rtsp://127.0.0.1:" + lb.rtspPort() + "/vod/b.mp4?uid=r1 RTSP/1.0\r\n"
                + "CSeq: 3\r\nAccept: application/sdp\r\n\r\n");
        assertThat(answer.get(0)).isEqualTo("RTSP/1.0 302 Moved Temporarily");
        assertThat(answer).contains("cseq: 3", "location: rtsp://10.0.0.1:8554/vod/b.mp4?uid=r1");
        assertThat(get("/api/v1/lb/users/r1").body()).contains("\"room\":\"vod/b.mp4\"");

        List<String> anonymous = rtsp("DESCRIBE rtsp://127.0.0.1:" + lb.rtspPort() + "/live/cam RTSP/1.0\r\n"
                + "CSeq: 1\r\n\r\n");
        // the uid made for the connection travels in the node's URL, as a given one does
        assertThat(anonymous).anyMatch(h -> h.matches("location: rtsp://10\\.0\\.0\\.1:8554/live/cam\\?uid=rtsp-[0-9a-f-]{36}"));
        assertThat(get("/api/v1/lb/users").body()).contains("\"uid\":\"rtsp-");

        assertThat(rtsp("DESCRIBE rtsp://127.0.0.1:" + lb.rtspPort() + "/vod/nope.mp4 RTSP/1.0\r\nCSeq: 2\r\n\r\n")
                .get(0)).isEqualTo("RTSP/1.0 404 Not Found");
        assertThat(rtsp("DESCRIBE rtsp://127.0.0.1:" + lb.rtspPort() + "/other/x RTSP/1.0\r\nCSeq: 2\r\n\r\n")
                .get(0)).isEqualTo("RTSP/1.0 404 Not Found");
        post("/api/v1/lb/leave", "{\"uid\":\"r1\"}");
    }

    /** Sends one request and reads the answer's status line and headers. */
    private static List<String> rtsp(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", lb.rtspPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
            List<String> lines = new ArrayList<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                // header names are case-insensitive: compare them lower-cased
                int colon = line.indexOf(':');
                lines.add(lines.isEmpty() || colon < 0 ? line
                        : line.substring(0, colon).toLowerCase(java.util.Locale.ROOT) + line.substring(colon));
            }
            return lines;
        }
    }
}

package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import static io.sluice.api.ApiTest.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** {@code /api/v1/nodes} and {@code /rooms} of a node without a cluster: itself, a film room and a stream's room. */
class RoomsApiTest {

    @TempDir
    Path dir;

    @Test
    void aNodeAloneShowsItselfItsFilmRoomsAndItsStreams() throws Exception {
        assumeTrue(onPath("ffmpeg"), "no ffmpeg on the PATH (apt-get install ffmpeg)");
        Files.createDirectories(dir.resolve("media"));
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=160x120:rate=25", "-t", "20", "-c:v", "libx264", "-preset", "ultrafast", "-g", "25",
                "-pix_fmt", "yuv420p", dir.resolve("media").resolve("clip.mp4").toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertThat(ffmpeg.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ffmpeg.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();

        try (TestNode node = TestNode.start(dir)) {
            assertThat(json(node, "/api/v1/rooms")).isEmpty();
            eventually(() -> json(node, "/api/v1/films").size() == 1);
            String code = node.post("/api/v1/streams", "{\"liveId\":\"radio\"}").json().get("liveCode").asText();
            try (RawRtspClient viewer = RawRtspClient.playPath(node.rtspPort(), "/vod/clip.mp4");
                 RawRtspClient publisher = RawRtspClient.publish(node.rtspPort(), "radio", code)) {
                JsonNode rooms = json(node, "/api/v1/rooms");
                assertThat(rooms).hasSize(2);
                JsonNode film = rooms.get(0);
                assertThat(film.get("room").asText()).isEqualTo("vod/clip.mp4");
                assertThat(film.get("kind").asText()).isEqualTo("film");
                assertThat(film.get("viewers").asInt()).isEqualTo(1);
                assertThat(film.get("nodes").get(0).get("node").asText()).isEqualTo("local");
                assertThat(film.get("nodes").get(0).get("viewers").asInt()).isEqualTo(1);
                JsonNode stream = rooms.get(1);
                assertThat(stream.get("room").asText()).isEqualTo("live/radio");
                assertThat(stream.get("kind").asText()).isEqualTo("live");
                assertThat(stream.get("viewers").asInt()).isZero();
                assertThat(stream.get("nodes").get(0).get("origin").asBoolean()).isTrue();

                JsonNode nodes = json(node, "/api/v1/nodes");
                assertThat(nodes).hasSize(1);
                JsonNode self = nodes.get(0);
                assertThat(self.get("node").asText()).isEqualTo("local");
                assertThat(self.get("self").asBoolean()).isTrue();
                assertThat(self.get("rtsp").asText()).isEqualTo("rtsp://127.0.0.1:" + node.rtspPort());
                assertThat(self.get("sessions").asInt()).isEqualTo(2);
                assertThat(self.get("rooms").asInt()).isEqualTo(2);
                assertThat(self.get("films").asInt()).isEqualTo(1);
                assertThat(self.get("capacityViewers").asInt()).isEqualTo(10_000);
                assertThat(self.get("load").asDouble()).isEqualTo(2 / 10_000.0);
                eventually(() -> metrics(node).contains("sluice_rooms{kind=\"film\"} 1.0"));
                // The film's viewer is a session like a live reader, with the packets it was sent.
                eventually(() -> {
                    for (JsonNode s : json(node, "/api/v1/sessions")) {
                        if (s.get("path").asText().equals("vod/clip.mp4")) {
                            long packets = s.get("packets").asLong();
                            return packets > 0 && s.get("bytes").asLong() > 12 * packets;
                        }
                    }
                    return false;
                });
                // And its bytes are the node's output: in /metrics under the film's path, and in the bitrate out.
                eventually(() -> metrics(node).contains(
                        "sluice_readers{path=\"vod/clip.mp4\",protocol=\"film\"} 1.0"));
                eventually(() -> metricValue(metrics(node),
                        "sluice_sent_packets_total{path=\"vod/clip.mp4\",protocol=\"film\"}") > 0);
                eventually(() -> json(node, "/api/v1/node").get("bitrateOut").asLong() > 0);
            }
        }
    }

    private static JsonNode json(TestNode node, String path) {
        try {
            return node.get(path).json();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static String metrics(TestNode node) {
        try {
            return node.get("/metrics").body();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    /** The value of one series of a Prometheus text exposition, or -1 when it is not there. */
    private static double metricValue(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return Double.parseDouble(line.substring(series.length() + 1).trim());
            }
        }
        return -1;
    }

    private static boolean onPath(String program) {
        for (String d : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, program))) {
                return true;
            }
        }
        return false;
    }
}

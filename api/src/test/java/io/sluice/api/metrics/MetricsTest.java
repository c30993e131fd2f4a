package io.sluice.api.metrics;

import io.sluice.api.TestNodes;
import io.sluice.api.ServingNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.testing.LoopbackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MetricsTest {

    /** Labels a Sluice metric may carry: nothing that grows with the number of viewers. */
    private static final Set<String> SLUICE_LABELS = Set.of("path", "protocol", "role", "direction", "kind");

    @TempDir
    Path dir;

    @Test
    void metricsParseAndCountAPublishedStream() throws Exception {
        NodeConfig.Builder b = LoopbackConfig.builder(dir);
        try (ServingNode serving = ServingNode.start(b.build(), new ServingNode.HttpSettings("127.0.0.1", 0, 4096, null, true))) {
            String code = serving.node().keys().create("radio").liveCode();
            try (TestNodes.Publisher publisher = TestNodes.publish(serving.node().rtspPort(), "radio", code)) {
                for (int seq = 0; seq < 100; seq++) {
                    if (seq != 50) {
                        publisher.sendRtp(seq, seq * 160L, 7, 160);
                    }
                }
                Map<String, PrometheusTextParser.Family> families = null;
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (System.nanoTime() < deadline) {
                    families = PrometheusTextParser.parse(scrape(serving, "/metrics"));
                    if (value(families, "sluice_received_packets_total", "radio") == 99) {
                        break;
                    }
                    Thread.sleep(200);
                }
                assertThat(value(families, "sluice_received_packets_total", "radio")).isEqualTo(99);
                assertThat(value(families, "sluice_received_bytes_total", "radio")).isEqualTo(99 * 172);
                assertThat(families.get("sluice_received_bytes_total").type()).isEqualTo("counter");
                assertThat(value(families, "sluice_readers", "radio")).isZero();
                assertThat(families.get("sluice_packets_lost").samples())
                        .anySatisfy(s -> {
                            assertThat(s.labels()).containsEntry("direction", "in").containsEntry("path", "radio");
                            assertThat(s.value()).isEqualTo(1);
                        });
                assertThat(families.get("sluice_streams").samples())
                        .allSatisfy(s -> assertThat(s.value()).isEqualTo(s.labels().get("protocol").equals("rtsp") ? 1 : 0))
                        .extracting(s -> s.labels().get("protocol")).containsExactlyInAnyOrder("rtsp", "native", "origin");
                assertThat(families.get("sluice_rooms").samples())
                        .allSatisfy(s -> assertThat(s.value()).isEqualTo(s.labels().get("kind").equals("live") ? 1 : 0))
                        .hasSize(2);
                assertThat(families.get("sluice_sessions").samples())
                        .anySatisfy(s -> {
                            assertThat(s.labels()).containsEntry("role", "publisher");
                            assertThat(s.value()).isEqualTo(1);
                        });
                assertThat(families).containsKeys("sluice_jvm_memory_used_bytes", "sluice_jvm_threads_live_threads",
                        "sluice_process_uptime_seconds", "sluice_reader_drops_total", "sluice_sent_bytes_total",
                        "sluice_auth_failures_total", "sluice_rtsp_connections",
                        "sluice_retransmissions_requested_total", "sluice_retransmissions_sent_total",
                        "sluice_native_retransmissions_requested_total", "sluice_native_retransmissions_sent_total",
                        "sluice_room_viewers");
                assertThat(families.keySet()).allSatisfy(name -> assertThat(name).startsWith("sluice_"));
                families.values().stream()
                        .filter(f -> !f.name().startsWith("sluice_jvm") && !f.name().startsWith("sluice_process")
                                && !f.name().startsWith("sluice_system"))
                        .flatMap(f -> f.samples().stream())
                        .forEach(s -> assertThat(SLUICE_LABELS).as(s.name()).containsAll(s.labels().keySet()));
            }
            TestNodes.awaitNoStreams(serving.node());
        }
    }

    private static double value(Map<String, PrometheusTextParser.Family> families, String name, String path) {
        PrometheusTextParser.Family f = families.get(name);
        if (f == null) {
            return -1;
        }
        return f.samples().stream().filter(s -> path.equals(s.labels().get("path"))).mapToDouble(
                PrometheusTextParser.Sample::value).findFirst().orElse(-1);
    }

    private static String scrape(ServingNode serving, String path) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serving.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(r.headers().firstValue("content-type")).hasValue("text/plain; version=0.0.4; charset=utf-8");
        return r.body();
    }

    // The parser itself must reject what Prometheus rejects, or the test above proves nothing.

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("1bad 1\n"),
                Arguments.of("m{l=\"v\"} one\n"),
                Arguments.of("m{l=v} 1\n"),
                Arguments.of("m{l=\"a\\x\"} 1\n"),
                Arguments.of("m{1l=\"a\"} 1\n"),
                Arguments.of("m 1\nm 2\n"),
                Arguments.of("a 1\nb 1\na 2\n"),
                Arguments.of("# TYPE m counter\n# TYPE m gauge\nm 1\n"),
                Arguments.of("m 1\n# TYPE m counter\n"),
                Arguments.of("# TYPE m bogus\nm 1\n"),
                Arguments.of("m 1"));
    }

    @ParameterizedTest
    @MethodSource("invalid")
    void theParserRejectsBrokenExpositions(String text) {
        assertThatThrownBy(() -> PrometheusTextParser.parse(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theParserReadsAValidExposition() {
        Map<String, PrometheusTextParser.Family> f = PrometheusTextParser.parse("""
                # HELP h_seconds a histogram\\nwith a newline
                # TYPE h_seconds histogram
                h_seconds_bucket{le="0.5"} 1
                h_seconds_bucket{le="+Inf"} 2
                h_seconds_sum 1.5
                h_seconds_count 2
                # TYPE up gauge
                up{job="a\\"b",path="x"} +Inf 1700000000000
                plain NaN
                """);
        assertThat(f.get("h_seconds").samples()).hasSize(4);
        assertThat(f.get("up").samples().get(0).labels()).containsEntry("job", "a\"b");
        assertThat(f.get("up").samples().get(0).value()).isInfinite();
        assertThat(f.get("plain").type()).isEqualTo("untyped");
    }
}

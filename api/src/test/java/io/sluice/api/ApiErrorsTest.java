package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;
import static org.assertj.core.api.Assertions.assertThat;

/** Every refusal is JSON {"error","detail"} with the right status. One node serves all cases: none changes it. */
class ApiErrorsTest {

    @TempDir
    static Path dir;
    static TestNode node;

    @BeforeAll
    static void start() throws Exception {
        node = TestNode.start(dir);
    }

    @AfterAll
    static void stop() {
        node.close();
    }

    static Stream<Arguments> badCalls() {
        return Stream.of(
                Arguments.of("GET", "/api/v1/nothing", null, 404, "not_found"),
                Arguments.of("PUT", "/api/v1/streams", "{}", 405, "method_not_allowed"),
                Arguments.of("POST", "/api/v1/streams", "", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{not json", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{\"liveId\":\"cam\",\"extra\":1}", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{\"liveId\":\"../etc\"}", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "null", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{\"liveId\":\"cam\"} trailing", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{\"liveId\":\"dup1\",\"liveId\":\"dup2\"}", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{\"liveId\":5}", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{\"liveId\":true}", 400, "bad_request"),
                Arguments.of("POST", "/api/v1/streams", "{\"liveId\":\"" + "x".repeat(5000) + "\"}", 413, "too_large"),
                Arguments.of("GET", "/api/v1/streams/nobody", null, 404, "not_found"),
                Arguments.of("DELETE", "/api/v1/streams/nobody", null, 404, "not_found"),
                Arguments.of("GET", "/api/v1/keys/nobody", null, 404, "not_found"),
                Arguments.of("DELETE", "/api/v1/keys/nobody", null, 404, "not_found"),
                Arguments.of("DELETE", "/api/v1/sessions/0123456789abcdef", null, 404, "not_found"),
                Arguments.of("DELETE", "/api/v1/sessions/native-pull-123", null, 404, "not_found"),
                Arguments.of("DELETE", "/api/v1/sessions/native-pull-x", null, 404, "not_found"),
                Arguments.of("DELETE", "/api/v1/sessions/native-42", null, 404, "not_found"),
                Arguments.of("PATCH", "/api/v1/config", "[1]", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"no-such-key\":1}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"max-sessions\":\"many\"}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"max-sessions\":0}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"reader-catch-up-speed\":0}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"rtsp-nack\":\"no\"}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"frame-hold\":\"5ms\"}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"frame-hold\":101}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"retransmission-history\":9223372036854775807}", 400,
                        "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"rtx-user-agents\":\"GStreamer\"}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"rtx-user-agents\":[1]}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"data-dir\":\"/tmp\"}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"native-max-pullers\":0}", 400, "bad_request"),
                Arguments.of("PATCH", "/api/v1/config", "{\"native-describe-wait\":\"3s\"}", 400, "bad_request"),
                Arguments.of("GET", "/dashboard/secret.txt", null, 404, "not_found"));
    }

    @ParameterizedTest(name = "{0} {1} -> {3}")
    @MethodSource("badCalls")
    void errorsAreJsonWithTheirStatus(String method, String path, String body, int status, String error) throws Exception {
        HttpRequest.Builder r = HttpRequest.newBuilder(URI.create(node.base() + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        TestNode.Answer a = node.send(r);
        assertThat(a.status()).isEqualTo(status);
        assertThat(a.raw().headers().firstValue("content-type")).hasValue("application/json");
        assertThat(a.json().get("error").asText()).isEqualTo(error);
        assertThat(a.json().get("detail").asText()).isNotBlank();
        if (status == 405) {
            assertThat(a.raw().headers().firstValue("allow").orElseThrow()).contains("GET").contains("POST");
        }
    }

    /** Sent over a plain socket: {@link URI} refuses to build these paths at all. */
    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({"GET, /api/v1/streams/%ZZ", "DELETE, /api/v1/sessions/%E0%A4%A", "GET, /api/v1/keys/cam%"})
    void aMalformedEscapeInThePathIsABadRequest(String method, String path) throws Exception {
        try (Socket s = new Socket("127.0.0.1", node.serving.httpPort())) {
            s.setSoTimeout(10_000);
            s.getOutputStream().write((method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(answer).startsWith("HTTP/1.1 400 ");
            JsonNode body = TestNode.JSON.readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
            assertThat(body.get("error").asText()).isEqualTo("bad_request");
            assertThat(body.get("detail").asText()).contains("malformed escape");
        }
    }

    @Test
    void aPathVariableIsDecodedOnce() throws Exception {
        TestNode.Answer a = node.get("/api/v1/keys/cam%2541");
        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().get("detail").asText()).isEqualTo("no key for cam%41");
    }

}

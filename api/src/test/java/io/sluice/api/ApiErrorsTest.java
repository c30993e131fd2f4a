package io.sluice.api;

import java.net.URI;
import java.net.http.HttpRequest;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
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
                Arguments.of("PATCH", "/api/v1/config", "{\"data-dir\":\"/tmp\"}", 400, "bad_request"),
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

}

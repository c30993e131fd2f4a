package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.node.NodeConfig;
import io.sluice.node.testing.LoopbackConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Consumer;

/** A ServingNode on free loopback ports with a data directory of its own, and an HTTP client for it. */
final class TestNode implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    /** One answer: status, body, and the body as JSON when it is JSON. */
    record Answer(int status, String body, HttpResponse<String> raw) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + body, e);
            }
        }
    }

    final ServingNode serving;
    final Path dataDir;
    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private TestNode(ServingNode serving, Path dataDir) {
        this.serving = serving;
        this.dataDir = dataDir;
    }

    static TestNode start(Path dataDir) throws Exception {
        return start(dataDir, null, true, b -> { });
    }

    static TestNode start(Path dataDir, String token, boolean loopbackTrusted, Consumer<NodeConfig.Builder> tweak)
            throws Exception {
        NodeConfig.Builder b = LoopbackConfig.builder(dataDir);
        tweak.accept(b);
        ServingNode serving = ServingNode.start(b.build(),
                new ServingNode.HttpSettings("127.0.0.1", 0, 4096, token, loopbackTrusted));
        return new TestNode(serving, dataDir);
    }

    String base() {
        return "http://127.0.0.1:" + serving.httpPort();
    }

    int rtspPort() {
        return serving.node().rtspPort();
    }

    Answer get(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).GET());
    }

    Answer delete(String path) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).DELETE());
    }

    Answer post(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path)).POST(HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer patch(String path, String body) throws Exception {
        return send(HttpRequest.newBuilder(URI.create(base() + path))
                .method("PATCH", HttpRequest.BodyPublishers.ofString(body)));
    }

    Answer send(HttpRequest.Builder request) throws Exception {
        HttpResponse<String> r = client.send(request.timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
        return new Answer(r.statusCode(), r.body(), r);
    }

    HttpClient client() {
        return client;
    }

    @Override
    public void close() {
        try {
            TestNodes.awaitNoStreams(serving.node());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        serving.close();
    }
}

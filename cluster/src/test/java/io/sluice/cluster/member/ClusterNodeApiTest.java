package io.sluice.cluster.member;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.ServingNode;
import io.sluice.cluster.hz.ClusterSettings;
import io.sluice.cluster.seating.NodeReport;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.RoomLoad;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.node.NodeConfig;
import io.sluice.node.testing.LoopbackConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import static org.assertj.core.api.Assertions.assertThat;

/** A node's own API once it has joined a cluster, as {@code sluice serve --cluster} wires it: the cluster's nodes and rooms. */
@Timeout(90)
class ClusterNodeApiTest {

    private final HttpClient http = HttpClient.newHttpClient();
    private final ObjectMapper json = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void aJoinedNodeShowsEveryNodeAndRoomOfTheCluster() throws Exception {
        NodeConfig.Builder b = LoopbackConfig.builder(dir);
        int port = 15_000 + ThreadLocalRandom.current().nextInt(20_000);
        try (ServingNode serving = ServingNode.start(b.build(),
                new ServingNode.HttpSettings("127.0.0.1", 0, 4096, "token", true))) {
            assertThat(get(serving, "/api/v1/nodes")).singleElement()
                    .satisfies(n -> assertThat(n.get("node").asText()).isEqualTo("local"));
            try (ClusterNode cluster = ClusterNode.join(serving.node(),
                    new ClusterSettings("node-api-test-" + port, port, List.of("127.0.0.1")), SeatingRules.DEFAULT,
                    new NodeAgent.Capacity(50, 0), "127.0.0.1")) {
                serving.showCluster(new SeatingPicture(cluster.member().seating(), cluster.member().localId()));
                cluster.member().seating().report(new NodeReport("node-b", "rtsp://10.0.0.2:8554", 100, 0, 3, 0, 0,
                        List.of(new RoomLoad(RoomKey.live("cam"), 3, true)), 1, Set.of("a.mp4")));
                String self = cluster.member().localId();

                JsonNode nodes = await(serving, "/api/v1/nodes", n -> n.size() == 2);
                JsonNode mine = find(nodes, self);
                assertThat(mine.get("self").asBoolean()).isTrue();
                assertThat(mine.get("rtsp").asText()).isEqualTo("rtsp://127.0.0.1:" + serving.node().rtspPort());
                assertThat(mine.get("capacityViewers").asInt()).isEqualTo(50);
                JsonNode other = find(nodes, "node-b");
                assertThat(other.get("self").asBoolean()).isFalse();
                assertThat(other.get("sessions").asInt()).isEqualTo(3);
                assertThat(other.get("films").asInt()).isEqualTo(1);

                JsonNode room = await(serving, "/api/v1/rooms", r -> r.size() == 1).get(0);
                assertThat(room.get("room").asText()).isEqualTo("live/cam");
                assertThat(room.get("kind").asText()).isEqualTo("live");
                assertThat(room.get("viewers").asInt()).isEqualTo(3);
                assertThat(room.get("nodes").get(0).get("node").asText()).isEqualTo("node-b");
                assertThat(room.get("nodes").get(0).get("origin").asBoolean()).isTrue();
            }
        }
    }

    private JsonNode get(ServingNode serving, String path) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + serving.httpPort() + path)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return json.readTree(r.body());
    }

    /** The answer once it satisfies {@code ready}; node reports arrive once a second. */
    private JsonNode await(ServingNode serving, String path, Predicate<JsonNode> ready) throws Exception {
        long deadlineNs = System.nanoTime() + 20_000_000_000L;
        JsonNode answer = get(serving, path);
        while (!ready.test(answer)) {
            assertThat(System.nanoTime() - deadlineNs).as("%s never ready: %s", path, answer).isNegative();
            Thread.sleep(100);
            answer = get(serving, path);
        }
        return answer;
    }

    private static JsonNode find(JsonNode nodes, String id) {
        for (JsonNode n : nodes) {
            if (n.get("node").asText().equals(id)) {
                return n;
            }
        }
        throw new AssertionError("no node " + id + " in " + nodes);
    }
}

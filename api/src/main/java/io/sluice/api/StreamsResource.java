package io.sluice.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.api.stats.NodeStats;
import io.sluice.api.stats.StreamSample;
import io.sluice.api.view.KeyView;
import io.sluice.api.view.StreamView;
import io.sluice.node.MediaNode;
import io.sluice.node.keys.StreamKey;
import io.sluice.node.keys.StreamKeyStore;
import java.util.List;

/** {@code /api/v1/streams}: the live streams; issue a stream's key; stop a stream. */
public final class StreamsResource {

    /** The body of {@code POST /api/v1/streams}. */
    public record CreateStream(String liveId) {
    }

    private final MediaNode node;
    private final NodeStats stats;
    private final JsonBodies bodies;

    public StreamsResource(MediaNode node, NodeStats stats, JsonBodies bodies) {
        this.node = node;
        this.stats = stats;
        this.bodies = bodies;
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/streams", "Every live stream (RTSP and native) with its tracks, "
                + "bitrates, readers, delay and retransmissions")
                .returns(Types.listOf(StreamView.class)), r -> ApiResponse.ok(stats.streamViews(stats.snapshot())));
        router.add(Endpoint.get("/api/v1/streams/{liveId}", "One live stream").returns(StreamView.class), this::one);
        router.add(Endpoint.post("/api/v1/streams", "Issue the publish key of a stream (idempotent)")
                .body(CreateStream.class).returns(201, KeyView.class), this::create);
        router.add(Endpoint.delete("/api/v1/streams/{liveId}", "Stop a stream: its publisher is disconnected (a "
                + "native pusher's data is no longer taken), its RTSP readers get RTCP BYE and its native pullers 121"),
                this::stop);
    }

    private ApiResponse one(ApiRequest request) {
        String liveId = request.variable("liveId");
        NodeStats.Snapshot snapshot = stats.snapshot();
        for (StreamSample s : snapshot.streams()) {
            if (s.stream().name().equals(liveId)) {
                return ApiResponse.ok(stats.streamView(snapshot, s));
            }
        }
        throw ApiException.notFound("nobody is publishing live/" + liveId);
    }

    private ApiResponse create(ApiRequest request) {
        CreateStream body = bodies.read(request, CreateStream.class);
        try {
            StreamKeyStore.requireValidLiveId(body.liveId());
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        StreamKey key = node.keys().create(body.liveId());
        return ApiResponse.created(keyView(node, request, key));
    }

    private ApiResponse stop(ApiRequest request) {
        String liveId = request.variable("liveId");
        if (!node.stopStream(liveId, "stopped through the API")) {
            throw ApiException.notFound("nobody is publishing live/" + liveId);
        }
        return ApiResponse.noContent();
    }

    /** A key with the URLs to use it, on the host name the caller reached this node by. */
    static KeyView keyView(MediaNode node, ApiRequest request, StreamKey key) {
        String base = "rtsp://" + hostOf(request.header(HttpHeaderNames.HOST)) + ":" + node.rtspPort() + "/live/"
                + key.liveId();
        return new KeyView(key.liveId(), key.liveCode(), base + "?key=" + key.liveCode(), base,
                node.paths().live(key.liveId()) != null);
    }

    static String hostOf(String hostHeader) {
        if (hostHeader == null || hostHeader.isBlank()) {
            return "127.0.0.1";
        }
        if (hostHeader.startsWith("[")) {
            int end = hostHeader.indexOf(']');
            return end < 0 ? hostHeader : hostHeader.substring(0, end + 1);
        }
        int colon = hostHeader.indexOf(':');
        return colon < 0 ? hostHeader : hostHeader.substring(0, colon);
    }

    static List<KeyView> keyViews(MediaNode node, ApiRequest request) {
        return node.keys().list().stream().map(k -> keyView(node, request, k)).toList();
    }
}

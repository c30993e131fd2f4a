package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.node.MediaNode;
import io.sluice.node.keys.StreamKey;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.node.live.LiveStream;
import io.sluice.node.live.LiveTrack;
import java.util.List;

/**
 * {@code /api/v1/streams}: issue a stream's publish key, and list the live streams. Issuing a key changes
 * the node, so it is accepted from loopback only until admin tokens exist.
 */
public final class StreamsResource {

    /** The body of {@code POST /api/v1/streams}. */
    public record CreateStream(String liveId) {
    }

    /** A live stream as the API shows it. */
    public record StreamView(String liveId, String state, String publisher, List<TrackView> tracks, int readers) {
    }

    /** One track of a live stream. */
    public record TrackView(int index, String media, String codec, int clockRate, long packets, long bytes) {
    }

    private final MediaNode node;
    private final ObjectMapper json;

    public StreamsResource(MediaNode node, ObjectMapper json) {
        this.node = node;
        this.json = json;
    }

    public void register(ApiRouter router) {
        router.add(HttpMethod.POST, "/api/v1/streams", this::create);
        router.add(HttpMethod.GET, "/api/v1/streams", this::list);
    }

    private ApiResponse create(ApiRequest request) {
        if (!request.fromLoopback()) {
            throw new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", "keys are issued from loopback only");
        }
        String liveId;
        try {
            JsonNode body = json.readTree(request.http().content().toString(java.nio.charset.StandardCharsets.UTF_8));
            JsonNode id = body == null ? null : body.get("liveId");
            if (id == null || !id.isTextual()) {
                throw ApiException.badRequest("body must be {\"liveId\":\"NAME\"}");
            }
            liveId = id.asText();
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw ApiException.badRequest("malformed JSON: " + e.getOriginalMessage());
        }
        try {
            StreamKeyStore.requireValidLiveId(liveId);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        StreamKey key = node.keys().create(liveId);
        return ApiResponse.created(key);
    }

    private ApiResponse list(ApiRequest request) {
        List<StreamView> views = node.paths().all().stream()
                .map(StreamsResource::view)
                .toList();
        return ApiResponse.ok(views);
    }

    private static StreamView view(LiveStream s) {
        List<TrackView> tracks = s.tracks().stream()
                .map((LiveTrack t) -> new TrackView(t.index(), t.media().type(), t.encodingName(), t.clockRate(),
                        t.packetsReceived(), t.bytesReceived()))
                .toList();
        return new StreamView(s.name(), s.state().name().toLowerCase(java.util.Locale.ROOT), s.publisherAddress(),
                tracks, s.readers().size());
    }
}

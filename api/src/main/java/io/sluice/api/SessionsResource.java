package io.sluice.api;

import io.sluice.api.stats.NodeStats;
import io.sluice.api.view.SessionView;
import io.sluice.node.MediaNode;

/** {@code /api/v1/sessions}: every client session with its counters; kick one. */
public final class SessionsResource {

    private final MediaNode node;
    private final NodeStats stats;

    public SessionsResource(MediaNode node, NodeStats stats) {
        this.node = node;
        this.stats = stats;
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/sessions", "Every RTSP session: address, path, state, bytes, loss over "
                + "2/10/60 s, jitter, round trip, drops").returns(Types.listOf(SessionView.class)),
                r -> ApiResponse.ok(stats.sessionViews(stats.snapshot())));
        router.add(Endpoint.delete("/api/v1/sessions/{id}", "Kick a session: a reader gets RTCP BYE, a publisher's "
                + "stream stops; the client is disconnected"), this::kick);
    }

    private ApiResponse kick(ApiRequest request) {
        String id = request.variable("id");
        if (!node.kickSession(id, "kicked through the API")) {
            throw ApiException.notFound("no session " + id);
        }
        return ApiResponse.noContent();
    }
}

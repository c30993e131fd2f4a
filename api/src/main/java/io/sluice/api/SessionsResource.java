package io.sluice.api;

import io.sluice.api.stats.NodeStats;
import io.sluice.api.view.SessionView;
import io.sluice.node.MediaNode;
import io.sluice.node.nativeproto.NativePushInfo;

/** {@code /api/v1/sessions}: every client session with its counters; kick one. */
public final class SessionsResource {

    private final MediaNode node;
    private final NodeStats stats;

    public SessionsResource(MediaNode node, NodeStats stats) {
        this.node = node;
        this.stats = stats;
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/sessions", "Every RTSP and native session: address, path, state, bytes, "
                + "loss over 2/10/60 s, jitter, round trip, drops, retransmissions")
                .returns(Types.listOf(SessionView.class)), r -> ApiResponse.ok(stats.sessionViews(stats.snapshot())));
        router.add(Endpoint.delete("/api/v1/sessions/{id}", "Kick a session: an RTSP reader gets RTCP BYE, a native "
                + "puller 121 for each stream it pulls; a publisher's stream stops; the client is disconnected "
                + "(a native one is forgotten)"), this::kick);
    }

    private ApiResponse kick(ApiRequest request) {
        String id = request.variable("id");
        if (!kick(id)) {
            throw ApiException.notFound("no session " + id);
        }
        return ApiResponse.noContent();
    }

    private boolean kick(String id) {
        String reason = "kicked through the API";
        if (id.startsWith(NodeStats.NATIVE_PULLER_PREFIX)) {
            return node.nativeServer().kickPuller(id.substring(NodeStats.NATIVE_PULLER_PREFIX.length()));
        }
        if (id.startsWith(NodeStats.NATIVE_PREFIX)) {
            // A pusher's session id is its stream's publisher session id; it has no connection to close.
            for (NativePushInfo push : node.nativeServer().pushes()) {
                if (id.equals(NodeStats.NATIVE_PREFIX + push.ssrc())) {
                    return node.stopStream(push.liveId(), reason);
                }
            }
            return false;
        }
        return node.kickSession(id, reason);
    }
}

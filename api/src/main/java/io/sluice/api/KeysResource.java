package io.sluice.api;

import io.sluice.api.view.KeyView;
import io.sluice.node.MediaNode;
import io.sluice.node.keys.StreamKey;

/**
 * {@code /api/v1/keys}: the publish keys. Reading them needs admin rights too, since a key is a
 * credential. Revoking a key stops the stream if it is being published.
 */
public final class KeysResource {

    private final MediaNode node;

    public KeysResource(MediaNode node) {
        this.node = node;
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/keys", "Every publish key").adminOnly()
                .returns(Types.listOf(KeyView.class)), r -> ApiResponse.ok(StreamsResource.keyViews(node, r)));
        router.add(Endpoint.get("/api/v1/keys/{liveId}", "One publish key").adminOnly().returns(KeyView.class),
                this::one);
        router.add(Endpoint.delete("/api/v1/keys/{liveId}", "Revoke a key; a publisher using it is stopped"),
                this::revoke);
    }

    private ApiResponse one(ApiRequest request) {
        String liveId = request.variable("liveId");
        StreamKey key = node.keys().find(liveId)
                .orElseThrow(() -> ApiException.notFound("no key for " + liveId));
        return ApiResponse.ok(StreamsResource.keyView(node, request, key));
    }

    private ApiResponse revoke(ApiRequest request) {
        String liveId = request.variable("liveId");
        if (!node.keys().revoke(liveId)) {
            throw ApiException.notFound("no key for " + liveId);
        }
        node.stopStream(liveId, "key revoked");
        return ApiResponse.noContent();
    }
}

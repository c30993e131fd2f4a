package io.sluice.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/**
 * What a route answers. Exactly one kind: a JSON body ({@code json}, null for an empty body), raw bytes
 * with their content type, or an event stream that the server keeps open and hands to {@code events}.
 */
public record ApiResponse(HttpResponseStatus status, Object json, byte[] bytes, String contentType, EventHub events) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(HttpResponseStatus.OK, body, null, null, null);
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(HttpResponseStatus.CREATED, body, null, null, null);
    }

    public static ApiResponse noContent() {
        return new ApiResponse(HttpResponseStatus.NO_CONTENT, null, null, null, null);
    }

    public static ApiResponse bytes(String contentType, byte[] bytes) {
        return new ApiResponse(HttpResponseStatus.OK, null, bytes, contentType, null);
    }

    /** Server-sent events: the connection stays open and receives what {@code hub} publishes. */
    public static ApiResponse eventStream(EventHub hub) {
        return new ApiResponse(HttpResponseStatus.OK, null, null, "text/event-stream", hub);
    }
}

package io.sluice.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/** What a route answers: a status and a body that is written as JSON (null for none). */
public record ApiResponse(HttpResponseStatus status, Object body) {

    public static ApiResponse ok(Object body) {
        return new ApiResponse(HttpResponseStatus.OK, body);
    }

    public static ApiResponse created(Object body) {
        return new ApiResponse(HttpResponseStatus.CREATED, body);
    }
}

package io.sluice.api;

import io.netty.handler.codec.http.HttpResponseStatus;

/** An API call that cannot be answered as asked: becomes {@code {"error":..,"detail":..}} with its status. */
public final class ApiException extends RuntimeException {
    private final HttpResponseStatus status;
    private final String error;

    public ApiException(HttpResponseStatus status, String error, String detail) {
        super(detail);
        this.status = status;
        this.error = error;
    }

    public HttpResponseStatus status() {
        return status;
    }

    public String error() {
        return error;
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpResponseStatus.BAD_REQUEST, "bad_request", detail);
    }

    public static ApiException notFound(String detail) {
        return new ApiException(HttpResponseStatus.NOT_FOUND, "not_found", detail);
    }

    public static ApiException unauthorized(String detail) {
        return new ApiException(HttpResponseStatus.UNAUTHORIZED, "unauthorized", detail);
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpResponseStatus.FORBIDDEN, "forbidden", detail);
    }

    public static ApiException unavailable(String detail) {
        return new ApiException(HttpResponseStatus.SERVICE_UNAVAILABLE, "unavailable", detail);
    }
}

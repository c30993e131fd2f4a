package io.sluice.rtsp.client;

import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;

/**
 * A response as plain values, for callers that do not want to own a reference-counted
 * {@link FullHttpResponse}: what the convenience methods of {@link RtspClient} complete with.
 *
 * @param status  the status
 * @param headers a copy of the headers
 * @param body    the body as UTF-8 text, empty when there is none
 */
public record RtspResponse(HttpResponseStatus status, HttpHeaders headers, String body) {

    /** Copies a response; the caller still owns (and releases) {@code response}. */
    public static RtspResponse of(FullHttpResponse response) {
        return new RtspResponse(response.status(), response.headers().copy(),
                response.content().toString(StandardCharsets.UTF_8));
    }

    /** True for 2xx. */
    public boolean isSuccess() {
        return status.code() >= 200 && status.code() < 300;
    }
}

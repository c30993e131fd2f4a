package io.sluice.rtsp.session;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.util.Objects;

/**
 * A request that cannot be served, carrying the RTSP status to answer with (455 Method Not Valid
 * In This State, 454 Session Not Found, 461 Unsupported Transport, ...). Thrown by the session
 * state machine and the server's handlers, and by the client when a server answered with an error.
 */
public final class RtspStatusException extends Exception {

    private final transient HttpResponseStatus status;

    public RtspStatusException(HttpResponseStatus status, String message) {
        super(message);
        this.status = Objects.requireNonNull(status, "status");
    }

    /** The status to answer with, or the one the server answered with. */
    public HttpResponseStatus status() {
        return status;
    }

    @Override
    public String toString() {
        return "RtspStatusException(" + status + "): " + getMessage();
    }
}

package io.sluice.systemtest.harness;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One RTSP response as read off the wire.
 *
 * @param headers every header's values by lower-case name, in arrival order
 */
public record RtspResponse(int status, String reason, Map<String, List<String>> headers, String body) {

    /** All values of header {@code name} (case-insensitive). */
    public List<String> headers(String name) {
        return headers.getOrDefault(name.toLowerCase(java.util.Locale.ROOT), List.of());
    }

    public Optional<String> header(String name) {
        List<String> values = headers(name);
        return values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }

    /** The session id of the Session header, without {@code ;timeout=}. */
    public Optional<String> session() {
        return header("Session").map(value -> value.split(";", 2)[0].trim());
    }

    @Override
    public String toString() {
        return "RTSP " + status + " " + reason + " " + headers;
    }
}

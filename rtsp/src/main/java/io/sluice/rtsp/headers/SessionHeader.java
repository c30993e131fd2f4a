package io.sluice.rtsp.headers;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code Session} header (RFC 2326 section 12.37), immutable.
 *
 * <pre>
 * Session    = "Session" ":" session-id [ ";" "timeout" "=" delta-seconds ]
 * session-id = 1*( ALPHA | DIGIT | safe )        e.g.  Session: 4E5F1A2B;timeout=60
 * </pre>
 *
 * Parsing is lenient where peers differ: spaces around {@code ;} and {@code =} and unknown
 * parameters are accepted (and unknown parameters dropped).
 */
public final class SessionHeader {

    private final String id;
    private final Integer timeoutSeconds;

    private SessionHeader(String id, Integer timeoutSeconds) {
        this.id = id;
        this.timeoutSeconds = timeoutSeconds;
    }

    /** A session header; {@code timeoutSeconds} null leaves the parameter out (the RFC default is 60). */
    public static SessionHeader of(String id, Integer timeoutSeconds) {
        if (id == null || id.isEmpty() || !isSessionId(id)) {
            throw new IllegalArgumentException("bad session id: " + id);
        }
        if (timeoutSeconds != null && timeoutSeconds <= 0) {
            throw new IllegalArgumentException("session timeout must be positive: " + timeoutSeconds);
        }
        return new SessionHeader(id, timeoutSeconds);
    }

    /** Parses a header value. */
    public static SessionHeader parse(String value) {
        String[] parts = value.split(";");
        String id = parts[0].trim();
        if (id.isEmpty() || !isSessionId(id)) {
            throw new IllegalArgumentException("bad session id in Session: " + value);
        }
        Integer timeout = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            if (eq > 0 && part.substring(0, eq).trim().toLowerCase(Locale.ROOT).equals("timeout")) {
                String seconds = part.substring(eq + 1).trim();
                try {
                    timeout = Integer.parseInt(seconds);
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad timeout in Session: " + value, e);
                }
                if (timeout <= 0) {
                    throw new IllegalArgumentException("bad timeout in Session: " + value);
                }
            }
        }
        return new SessionHeader(id, timeout);
    }

    private static boolean isSessionId(String id) {
        for (int i = 0; i < id.length(); i++) {
            char c = id.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == ';' || c == ',' || c == '"') {
                return false;
            }
        }
        return true;
    }

    /** The session identifier. */
    public String id() {
        return id;
    }

    /** The timeout in seconds, or null when the header has none (the RFC default is 60). */
    public Integer timeoutSeconds() {
        return timeoutSeconds;
    }

    @Override
    public String toString() {
        return timeoutSeconds == null ? id : id + ";timeout=" + timeoutSeconds;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionHeader s && id.equals(s.id) && Objects.equals(timeoutSeconds, s.timeoutSeconds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(id, timeoutSeconds);
    }
}

package io.sluice.node.rtsp;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A request URL cut into what the server routes on: the path segments, the query parameters and the
 * control suffix that names a track.
 *
 * <p>Clients build SETUP URLs by appending the track's control to the base URL, query and all, so
 * ffmpeg publishing to {@code rtsp://h/live/cam?key=K} sets up {@code rtsp://h/live/cam?key=K/streamid=0}.
 * A slash inside the query therefore starts the control suffix, as in gortsplib.
 *
 * @param segments decoded path segments, without empty ones
 * @param query    the query without its control suffix, or null
 * @param control  the control suffix found in the query, or null
 */
public record RtspUrl(List<String> segments, String query, String control) {

    /** A viewer's uid longer than this is refused: no load balancer makes one. */
    public static final int MAX_UID_LENGTH = 128;

    /** Parses an absolute {@code rtsp://} URL or an absolute path; throws IllegalArgumentException when neither. */
    public static RtspUrl parse(String uri) {
        String rest;
        int scheme = uri.indexOf("://");
        if (scheme > 0) {
            int slash = uri.indexOf('/', scheme + 3);
            int question = uri.indexOf('?', scheme + 3);
            int pathStart = slash < 0 ? question : (question < 0 ? slash : Math.min(slash, question));
            rest = pathStart < 0 ? "/" : uri.substring(pathStart);
        } else if (uri.startsWith("/")) {
            rest = uri;
        } else {
            throw new IllegalArgumentException("not an RTSP URL: " + uri);
        }
        String path = rest;
        String query = null;
        String control = null;
        int q = rest.indexOf('?');
        if (q >= 0) {
            path = rest.substring(0, q);
            query = rest.substring(q + 1);
            int slash = query.lastIndexOf('/');
            if (slash >= 0) {
                control = query.substring(slash + 1);
                query = query.substring(0, slash);
            }
        }
        List<String> segments = new ArrayList<>();
        for (String s : path.split("/")) {
            if (!s.isEmpty()) {
                segments.add(URLDecoder.decode(s, StandardCharsets.UTF_8));
            }
        }
        return new RtspUrl(Collections.unmodifiableList(segments), query, control == null || control.isEmpty() ? null : control);
    }

    /** The value of a query parameter, or null. */
    public String queryParameter(String name) {
        if (query == null) {
            return null;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = eq < 0 ? pair : pair.substring(0, eq);
            if (key.equals(name)) {
                return eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            }
        }
        return null;
    }

    /**
     * The viewer's uid of {@code ?uid=U}, which a load balancer puts in the URLs it hands out so that the node
     * can report that user's player; null when absent. Throws IllegalArgumentException for an empty uid, one over
     * {@link #MAX_UID_LENGTH} characters, or one holding control characters.
     */
    public String uid() {
        String uid = queryParameter("uid");
        if (uid == null) {
            return null;
        }
        if (uid.isEmpty() || uid.length() > MAX_UID_LENGTH) {
            throw new IllegalArgumentException("uid must be 1 to " + MAX_UID_LENGTH + " characters");
        }
        for (int i = 0; i < uid.length(); i++) {
            if (Character.isISOControl(uid.charAt(i))) {
                throw new IllegalArgumentException("uid must not hold control characters");
            }
        }
        return uid;
    }

    /** True for {@code /live/NAME[/...]}. */
    public boolean isLive() {
        return segments.size() >= 2 && segments.get(0).equals("live");
    }

    /** The live stream name of a {@code /live/NAME} URL. */
    public String liveName() {
        return segments.get(1);
    }

    /**
     * What names the track of a SETUP: the control suffix found in the query, else the path after
     * {@code /live/NAME/}, else null (the whole stream).
     */
    public String trackControl() {
        if (control != null) {
            return control;
        }
        if (isLive() && segments.size() > 2) {
            return String.join("/", segments.subList(2, segments.size()));
        }
        return null;
    }
}

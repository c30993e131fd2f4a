package io.sluice.cluster.seating;

import java.io.Serializable;
import java.util.Objects;

/**
 * What a viewer watches, and so which room it sits in: a film of the library ({@code vod/FID}) or a live
 * stream ({@code live/NAME}). Viewers of one room on one node share that node's packets.
 */
public record RoomKey(Kind kind, String name) implements Serializable, Comparable<RoomKey> {

    public enum Kind {
        FILM("vod"), LIVE("live");

        private final String prefix;

        Kind(String prefix) {
            this.prefix = prefix;
        }

        /** The first segment of the room's RTSP path. */
        public String prefix() {
            return prefix;
        }
    }

    public RoomKey {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(name, "name");
    }

    public static RoomKey film(String fid) {
        return new RoomKey(Kind.FILM, fid);
    }

    public static RoomKey live(String name) {
        return new RoomKey(Kind.LIVE, name);
    }

    /** {@code vod/FID} or {@code live/NAME}: the RTSP path on a node, and how the API names the room. */
    public String path() {
        return kind.prefix + "/" + name;
    }

    /** The inverse of {@link #path()}; null when the text names no room. */
    public static RoomKey parsePath(String path) {
        int slash = path.indexOf('/');
        if (slash <= 0 || slash == path.length() - 1) {
            return null;
        }
        String prefix = path.substring(0, slash);
        String name = path.substring(slash + 1);
        for (Kind k : Kind.values()) {
            if (k.prefix.equals(prefix)) {
                return new RoomKey(k, name);
            }
        }
        return null;
    }

    /**
     * The room's URL on a node: {@code rtspBase/vod/FID} with each path segment percent-encoded (a space
     * becomes {@code %20}, never {@code +}, which the node's URL decoder would read as a space).
     */
    public String url(String rtspBase) {
        StringBuilder b = new StringBuilder(rtspBase).append('/').append(kind.prefix);
        for (String segment : name.split("/", -1)) {
            b.append('/');
            encodeSegment(segment, b);
        }
        return b.toString();
    }

    /**
     * The room's URL on a node for one user: {@link #url(String)} with {@code ?uid=U}, the uid percent-encoded
     * whole (a slash too: in a query it would start a track control), so the node can tell when that user's
     * player ends.
     */
    public String url(String rtspBase, String uid) {
        StringBuilder b = new StringBuilder(url(rtspBase)).append("?uid=");
        encodeSegment(uid, b);
        return b.toString();
    }

    private static void encodeSegment(String segment, StringBuilder out) {
        for (byte c : segment.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                out.append((char) c);
            } else {
                out.append('%').append(Character.toUpperCase(Character.forDigit((c >> 4) & 0xF, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xF, 16)));
            }
        }
    }

    @Override
    public int compareTo(RoomKey o) {
        int c = kind.compareTo(o.kind);
        return c != 0 ? c : name.compareTo(o.name);
    }

    @Override
    public String toString() {
        return path();
    }
}

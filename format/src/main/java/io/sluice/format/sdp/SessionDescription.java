package io.sluice.format.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;

/**
 * A session description (RFC 4566), as carried in RTSP DESCRIBE answers and ANNOUNCE requests.
 * <pre>
 * v=0                                   protocol version
 * o=&lt;user&gt; &lt;sess-id&gt; &lt;sess-version&gt; IN IP4 &lt;address&gt;
 * s=&lt;session name&gt;
 * i=* u=* e=* p=*                       information, URI, e-mail, phone
 * c=* IN IP4 &lt;address&gt;               connection (session level)
 * b=*                                   bandwidth
 * t=&lt;start&gt; &lt;stop&gt;  r=*              timing and repeats, one or more
 * z=* k=*                               time zones, encryption key
 * a=*                                   session attributes
 * m=&lt;media&gt; ... (zero or more media sections, see {@link MediaDescription})
 * </pre>
 * Parsing accepts CRLF or LF line ends, skips blank lines and keeps lines of unknown types.
 * {@link #toString()} writes the lines in the order above with CRLF, lines of one type in the order
 * they were read or added. The model is mutable and not thread-safe.
 *
 * <table>
 * <caption>Limits that protect memory when parsing untrusted input</caption>
 * <tr><th>limit</th><th>value</th></tr>
 * <tr><td>{@link #MAX_LENGTH}</td><td>65536 characters of text</td></tr>
 * <tr><td>{@link #MAX_MEDIA}</td><td>64 media sections</td></tr>
 * </table>
 */
public final class SessionDescription {

    public static final int MAX_LENGTH = 64 * 1024;
    public static final int MAX_MEDIA = 64;

    private static final String LINE_ORDER = "vosiuepcbtzk";

    private final List<SdpLine> lines = new ArrayList<>();
    private final Attributes attributes = new Attributes();
    private final List<MediaDescription> media = new ArrayList<>();

    /**
     * An empty description holding the mandatory lines: {@code v=0}, {@code o=- 0 0 IN IP4 127.0.0.1},
     * {@code s=-} and {@code t=0 0}.
     */
    public SessionDescription() {
        this(true);
    }

    private SessionDescription(boolean withMandatoryLines) {
        if (withMandatoryLines) {
            lines.add(new SdpLine('v', "0"));
            lines.add(new SdpLine('o', "- 0 0 IN IP4 127.0.0.1"));
            lines.add(new SdpLine('s', "-"));
            lines.add(new SdpLine('t', "0 0"));
        }
    }

    /**
     * Reads a session description.
     *
     * @throws SdpParseException naming the line at fault: text longer than {@link #MAX_LENGTH},
     *         more than {@link #MAX_MEDIA} media sections, a first line other than {@code v=}, a line
     *         not of the form {@code <type>=<value>}, a malformed {@code m=} line
     */
    public static SessionDescription parse(String sdp) {
        Objects.requireNonNull(sdp, "sdp");
        if (sdp.length() > MAX_LENGTH) {
            throw new SdpParseException(0, "description is " + sdp.length()
                    + " characters long, more than the limit of " + MAX_LENGTH);
        }
        SessionDescription session = new SessionDescription(false);
        MediaDescription current = null;
        int lineNumber = 0;
        int start = 0;
        boolean sawVersion = false;
        while (start < sdp.length()) {
            int end = sdp.indexOf('\n', start);
            if (end < 0) {
                end = sdp.length();
            }
            lineNumber++;
            String line = sdp.substring(start, end > start && sdp.charAt(end - 1) == '\r' ? end - 1 : end);
            start = end + 1;
            if (line.isBlank()) {
                continue;
            }
            if (line.length() < 2 || line.charAt(1) != '=' || line.charAt(0) <= ' ') {
                throw new SdpParseException(lineNumber, "expected '<type>=<value>' but got '" + abbreviate(line) + "'");
            }
            char type = line.charAt(0);
            String value = line.substring(2);
            if (!sawVersion) {
                if (type != 'v') {
                    throw new SdpParseException(lineNumber, "a description must start with 'v=0' but starts with '"
                            + abbreviate(line) + "'");
                }
                sawVersion = true;
            }
            if (type == 'm') {
                if (session.media.size() == MAX_MEDIA) {
                    throw new SdpParseException(lineNumber, "more than " + MAX_MEDIA + " media sections");
                }
                current = MediaDescription.parseMediaLine(value, lineNumber);
                session.media.add(current);
            } else if (current != null) {
                current.addParsedLine(type, value);
            } else if (type == 'a') {
                session.attributes.addLine(value);
            } else {
                session.lines.add(new SdpLine(type, value));
            }
        }
        if (!sawVersion) {
            throw new SdpParseException(0, "empty description");
        }
        return session;
    }

    /** The media sections in order; mutable, add or remove sections here. */
    public List<MediaDescription> media() {
        return media;
    }

    /** The value of {@code v=}, {@code "0"} for every description in use. */
    public String version() {
        return line('v');
    }

    /** The value of {@code o=}, such as {@code "- 0 0 IN IP4 127.0.0.1"}, or null. */
    public String origin() {
        return line('o');
    }

    public void origin(String origin) {
        setSingleLine(lines, 'o', origin);
    }

    /** The value of {@code s=}, or null. */
    public String sessionName() {
        return line('s');
    }

    public void sessionName(String sessionName) {
        setSingleLine(lines, 's', sessionName);
    }

    /** The value of the session-level {@code c=} line, such as {@code "IN IP4 127.0.0.1"}, or null. */
    public String connection() {
        return line('c');
    }

    public void connection(String connection) {
        setSingleLine(lines, 'c', connection);
    }

    /** The value of the first {@code t=} line, such as {@code "0 0"}, or null. */
    public String timing() {
        return line('t');
    }

    /**
     * The first value of that session-level attribute: the text after the colon, {@code ""} for a
     * property attribute such as {@code a=recvonly}, null when absent.
     */
    public String attribute(String name) {
        return attributes.first(name);
    }

    /** Every value of that session-level attribute, in order; empty when absent. */
    public List<String> attributes(String name) {
        return attributes.all(name);
    }

    /** Replaces all session-level attributes of that name by one, or adds it. */
    public void setAttribute(String name, String value) {
        attributes.set(name, value);
    }

    public void addAttribute(String name, String value) {
        attributes.add(name, value);
    }

    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    /** The description as text, lines in RFC 4566 order, each ended by CRLF. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(512);
        appendInOrder(out, lines, LINE_ORDER);
        attributes.appendTo(out);
        for (MediaDescription m : media) {
            m.appendTo(out);
        }
        return out.toString();
    }

    private String line(char type) {
        for (SdpLine l : lines) {
            if (l.type() == type) {
                return l.value();
            }
        }
        return null;
    }

    /** Replaces the first line of that type (removing any others), adds one, or with null removes them. */
    static void setSingleLine(List<SdpLine> lines, char type, String value) {
        if (value != null && Attributes.containsLineBreak(value)) {
            throw new IllegalArgumentException("SDP value contains a line break: " + value);
        }
        int at = -1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).type() == type) {
                lines.remove(i);
                at = i;
            }
        }
        if (value == null) {
            return;
        }
        SdpLine line = new SdpLine(type, value);
        if (at < 0) {
            lines.add(line);
        } else {
            lines.add(at, line);
        }
    }

    /**
     * Writes the lines sorted by the position of their type in {@code order} (stable, so lines of one
     * type keep their order); {@code r=} ranks with {@code t=} because each repeat belongs to the
     * timing line before it; unknown types go after the known ones.
     */
    static void appendInOrder(StringBuilder out, List<SdpLine> lines, String order) {
        List<SdpLine> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingInt(l -> rank(l.type(), order)));
        for (SdpLine l : sorted) {
            out.append(l.type()).append('=').append(l.value()).append("\r\n");
        }
    }

    private static int rank(char type, String order) {
        int at = order.indexOf(type == 'r' ? 't' : type);
        return at < 0 ? order.length() : at;
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}

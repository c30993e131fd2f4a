package io.sluice.format.sdp;

import java.util.ArrayList;
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
public final class SessionDescription extends SdpSection {

    public static final int MAX_LENGTH = 64 * 1024;
    public static final int MAX_MEDIA = 64;

    private final List<MediaDescription> media = new ArrayList<>();

    /**
     * An empty description holding the mandatory lines: {@code v=0}, {@code o=- 0 0 IN IP4 127.0.0.1},
     * {@code s=-} and {@code t=0 0}.
     */
    public SessionDescription() {
        this(true);
    }

    private SessionDescription(boolean withMandatoryLines) {
        super("vosiuepcbtzk");
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
        setLine('o', origin);
    }

    /** The value of {@code s=}, or null. */
    public String sessionName() {
        return line('s');
    }

    public void sessionName(String sessionName) {
        setLine('s', sessionName);
    }

    /** The value of the session-level {@code c=} line, such as {@code "IN IP4 127.0.0.1"}, or null. */
    public String connection() {
        return line('c');
    }

    public void connection(String connection) {
        setLine('c', connection);
    }

    /** The value of the first {@code t=} line, such as {@code "0 0"}, or null. */
    public String timing() {
        return line('t');
    }

    /** The description as text, lines in RFC 4566 order, each ended by CRLF. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(512);
        appendLinesAndAttributes(out);
        for (MediaDescription m : media) {
            m.appendTo(out);
        }
        return out.toString();
    }

    private static String abbreviate(String line) {
        return line.length() <= 80 ? line : line.substring(0, 80) + "...";
    }
}

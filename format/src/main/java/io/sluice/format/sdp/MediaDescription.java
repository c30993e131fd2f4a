package io.sluice.format.sdp;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One media section of a session description (RFC 4566 section 5.14), from its {@code m=} line to
 * the next one:
 * <pre>
 * m=&lt;media&gt; &lt;port&gt;[/&lt;number of ports&gt;] &lt;proto&gt; &lt;fmt&gt; ...
 * i=  (media title)
 * c=  (connection information)
 * b=* (bandwidth lines)
 * k=  (encryption key)
 * a=* (attributes)
 * </pre>
 * Lines other than {@code m=} and {@code a=} (including unknown types) are kept as text in their
 * order and written back in the order above. The model is mutable and not thread-safe.
 */
public final class MediaDescription extends SdpSection {

    private String type;
    private int port;
    private int portCount;
    private String protocol;
    private final List<String> formats;

    /**
     * A media section without attributes.
     *
     * @param type     {@code "video"}, {@code "audio"}, {@code "application"}, ...
     * @param port     0..65535 (0 in RTSP descriptions, where SETUP negotiates ports)
     * @param protocol {@code "RTP/AVP"}, {@code "RTP/AVPF"}, ...
     * @param formats  payload types as strings, such as {@code List.of("96")}
     */
    public MediaDescription(String type, int port, String protocol, List<String> formats) {
        super("icbk");
        this.type = requireToken(type, "media type");
        port(port);
        protocol(protocol);
        this.formats = new ArrayList<>(formats);
        for (String f : this.formats) {
            requireToken(f, "format");
        }
    }

    /** Parses the text after {@code m=}; {@code lineNumber} is only for the error message. */
    static MediaDescription parseMediaLine(String value, int lineNumber) {
        String[] tokens = value.strip().split(" +");
        if (tokens.length < 3) {
            throw new SdpParseException(lineNumber,
                    "media line needs '<media> <port> <proto> <fmt> ...' but is 'm=" + value + "'");
        }
        int port;
        int portCount = 0;
        try {
            int slash = tokens[1].indexOf('/');
            if (slash < 0) {
                port = Integer.parseInt(tokens[1]);
            } else {
                port = Integer.parseInt(tokens[1].substring(0, slash));
                portCount = Integer.parseInt(tokens[1].substring(slash + 1));
            }
        } catch (NumberFormatException e) {
            throw new SdpParseException(lineNumber, "media port is not a number: '" + tokens[1] + "'");
        }
        if (port < 0 || port > 65535 || portCount < 0) {
            throw new SdpParseException(lineNumber, "media port out of range: '" + tokens[1] + "'");
        }
        List<String> formats = new ArrayList<>(tokens.length - 3);
        for (int i = 3; i < tokens.length; i++) {
            formats.add(tokens[i]);
        }
        MediaDescription media = new MediaDescription(tokens[0], port, tokens[2], formats);
        media.portCount = portCount;
        return media;
    }

    void addParsedLine(char lineType, String value) {
        if (lineType == 'a') {
            attributes.addLine(value);
        } else {
            lines.add(new SdpLine(lineType, value));
        }
    }

    /** {@code "video"}, {@code "audio"}, {@code "application"}, ... as written. */
    public String type() {
        return type;
    }

    public void type(String type) {
        this.type = requireToken(type, "media type");
    }

    public int port() {
        return port;
    }

    public void port(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range 0..65535: " + port);
        }
        this.port = port;
    }

    /** The {@code /<number of ports>} of the m= line, 0 when absent. */
    public int portCount() {
        return portCount;
    }

    public void portCount(int portCount) {
        if (portCount < 0) {
            throw new IllegalArgumentException("negative port count: " + portCount);
        }
        this.portCount = portCount;
    }

    /** {@code "RTP/AVP"}, {@code "RTP/AVPF"}, {@code "RTP/SAVP"}, ... as written. */
    public String protocol() {
        return protocol;
    }

    public void protocol(String protocol) {
        this.protocol = requireToken(protocol, "protocol");
    }

    /** The payload types of the m= line as strings, in order; mutable. */
    public List<String> formats() {
        return formats;
    }

    /** The value of the section-level {@code c=} line, such as {@code "IN IP4 0.0.0.0"}, or null. */
    public String connection() {
        return line('c');
    }

    public void connection(String connection) {
        setLine('c', connection);
    }

    /** The values of the {@code b=} lines, such as {@code "AS:128"}; unmodifiable. */
    public List<String> bandwidths() {
        List<String> values = new ArrayList<>();
        for (SdpLine l : lines) {
            if (l.type() == 'b') {
                values.add(l.value());
            }
        }
        return Collections.unmodifiableList(values);
    }

    /** The {@code a=control} value (RFC 2326 appendix C.1.1), or null. */
    public String control() {
        return attributes.first("control");
    }

    public void control(String control) {
        attributes.set("control", control);
    }

    /** The direction attribute ({@code sendrecv}, {@code sendonly}, {@code recvonly}, {@code inactive}), or null. */
    public String direction() {
        for (String d : new String[] {"sendrecv", "sendonly", "recvonly", "inactive"}) {
            if (attributes.first(d) != null) {
                return d;
            }
        }
        return null;
    }

    /** The mapping of the first payload type, null when there is none or it is not a number. */
    public RtpMap rtpMap() {
        if (formats.isEmpty()) {
            return null;
        }
        int payloadType = payloadTypeOrMinusOne(formats.get(0));
        return payloadType < 0 ? null : rtpMap(payloadType);
    }

    /**
     * The mapping of that payload type: its {@code a=rtpmap} line, else the RFC 3551 static
     * assignment (0 PCMU, 8 PCMA, 14 MPA, 26 JPEG, 32 MPV, 33 MP2T, ...), else null.
     *
     * @throws IllegalArgumentException when the rtpmap line of that type is malformed
     */
    public RtpMap rtpMap(int payloadType) {
        String prefix = payloadType + " ";
        for (String value : attributes.all("rtpmap")) {
            if (value.startsWith(prefix)) {
                return RtpMap.parse(value);
            }
        }
        return RtpMap.ofStaticPayloadType(payloadType);
    }

    /** Adds or replaces the {@code a=rtpmap} line of that mapping's payload type. */
    public void rtpMap(RtpMap rtpMap) {
        attributes.setWithPrefix("rtpmap", rtpMap.payloadType() + " ", rtpMap.attributeValue());
    }

    /**
     * The format parameters of that payload type (RFC 4566 section 6, {@code a=fmtp:<PT> k=v;k=v}),
     * keys lower-cased, keys and values stripped of surrounding blanks, in written order; a
     * parameter without {@code =} maps to {@code ""}. Empty when there is no fmtp line for it.
     */
    public Map<String, String> fmtp(int payloadType) {
        String value = fmtpValue(payloadType);
        Map<String, String> parameters = new LinkedHashMap<>();
        if (value == null) {
            return parameters;
        }
        for (String parameter : value.split(";")) {
            String p = parameter.strip();
            if (p.isEmpty()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq < 0) {
                parameters.put(p.toLowerCase(Locale.ROOT), "");
            } else {
                parameters.put(p.substring(0, eq).strip().toLowerCase(Locale.ROOT), p.substring(eq + 1).strip());
            }
        }
        return parameters;
    }

    /**
     * Adds or replaces the {@code a=fmtp} line of that payload type with these parameters written
     * as {@code k=v;k=v}; an empty map removes the line.
     */
    public void fmtp(int payloadType, Map<String, String> parameters) {
        String prefix = payloadType + " ";
        if (parameters.isEmpty()) {
            attributes.removeWithPrefix("fmtp", prefix);
            return;
        }
        StringBuilder value = new StringBuilder(prefix);
        boolean first = true;
        for (Map.Entry<String, String> e : parameters.entrySet()) {
            if (!first) {
                value.append(';');
            }
            first = false;
            value.append(e.getKey());
            if (!e.getValue().isEmpty()) {
                value.append('=').append(e.getValue());
            }
        }
        attributes.setWithPrefix("fmtp", prefix, value.toString());
    }

    private String fmtpValue(int payloadType) {
        String prefix = Integer.toString(payloadType);
        for (String value : attributes.all("fmtp")) {
            if (value.startsWith(prefix)
                    && (value.length() == prefix.length() || value.charAt(prefix.length()) == ' ')) {
                return value.substring(prefix.length()).strip();
            }
        }
        return null;
    }

    void appendTo(StringBuilder out) {
        out.append("m=").append(type).append(' ').append(port);
        if (portCount > 0) {
            out.append('/').append(portCount);
        }
        out.append(' ').append(protocol);
        for (String f : formats) {
            out.append(' ').append(f);
        }
        out.append("\r\n");
        appendLinesAndAttributes(out);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder(256);
        appendTo(out);
        return out.toString();
    }

    private static int payloadTypeOrMinusOne(String format) {
        if (format.isEmpty() || format.length() > 3) {
            return -1;
        }
        int value = 0;
        for (int i = 0; i < format.length(); i++) {
            char c = format.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value <= 127 ? value : -1;
    }

    private static String requireToken(String value, String what) {
        if (value == null || value.isEmpty() || value.indexOf(' ') >= 0 || Attributes.containsLineBreak(value)) {
            throw new IllegalArgumentException("invalid " + what + ": '" + value + "'");
        }
        return value;
    }
}

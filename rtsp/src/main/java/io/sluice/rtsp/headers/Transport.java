package io.sluice.rtsp.headers;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

/**
 * One alternative of the {@code Transport} header (RFC 2326 section 12.39), immutable.
 *
 * <pre>
 * Transport      = "Transport" ":" 1#transport-spec
 * transport-spec = transport-protocol/profile[/lower-transport] *parameter
 *                  e.g.  RTP/AVP/TCP;unicast;interleaved=0-1
 *                        RTP/AVP;unicast;client_port=5000-5001;server_port=8000-8001;ssrc=1A2B3C4D
 * parameter      = ( "unicast" | "multicast" )
 *                | ";" "destination" [ "=" address ] | ";" "source" "=" address
 *                | ";" "interleaved" "=" channel [ "-" channel ]
 *                | ";" "ttl" "=" ttl | ";" "client_port" "=" port [ "-" port ]
 *                | ";" "server_port" "=" port [ "-" port ] | ";" "ssrc" "=" 8*8(HEX)
 *                | ";" "mode" "=" [<">] 1#mode [<">]
 *                | any other ";" name [ "=" value ]    (kept as written, in order)
 * </pre>
 *
 * A single port or channel ({@code client_port=5000}) means that one and the next
 * ({@code 5000-5001}). Fields absent from the header stay absent when formatted again, so a
 * parsed value prints close to what the peer sent; {@link #lowerTransport()} and {@link #mode()}
 * report the RFC defaults ({@code UDP}, {@code PLAY}) when absent. Malformed values throw
 * {@link IllegalArgumentException} naming the parameter, which a server answers with 461
 * Unsupported Transport or 400.
 */
public final class Transport {

    /** Profile of plain RTP over UDP or TCP. */
    public static final String PROFILE_AVP = "AVP";
    /** Lower transport for RTP interleaved in the RTSP connection. */
    public static final String LOWER_TCP = "TCP";
    /** Lower transport by default. */
    public static final String LOWER_UDP = "UDP";
    /** Mode of a reader (the default). */
    public static final String MODE_PLAY = "PLAY";
    /** Mode of a publisher. */
    public static final String MODE_RECORD = "RECORD";

    private static final int MAX_PORT = 0xFFFF;
    private static final int MAX_CHANNEL = 0xFF;

    private final String protocol;
    private final String profile;
    private final String lowerTransport;
    private final Boolean multicast;
    private final String destination;
    private final String source;
    private final int[] interleaved;
    private final Integer ttl;
    private final int[] clientPort;
    private final int[] serverPort;
    private final Long ssrc;
    private final String mode;
    private final Map<String, String> otherParameters;

    private Transport(Builder b) {
        this.protocol = Objects.requireNonNull(b.protocol, "protocol");
        this.profile = Objects.requireNonNull(b.profile, "profile");
        this.lowerTransport = b.lowerTransport;
        this.multicast = b.multicast;
        this.destination = b.destination;
        this.source = b.source;
        this.interleaved = b.interleaved;
        this.ttl = b.ttl;
        this.clientPort = b.clientPort;
        this.serverPort = b.serverPort;
        this.ssrc = b.ssrc;
        this.mode = b.mode;
        this.otherParameters = Collections.unmodifiableMap(new LinkedHashMap<>(b.otherParameters));
    }

    /** A builder for {@code RTP/AVP}, nothing else set. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding every field of this transport. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.protocol = protocol;
        b.profile = profile;
        b.lowerTransport = lowerTransport;
        b.multicast = multicast;
        b.destination = destination;
        b.source = source;
        b.interleaved = interleaved;
        b.ttl = ttl;
        b.clientPort = clientPort;
        b.serverPort = serverPort;
        b.ssrc = ssrc;
        b.mode = mode;
        b.otherParameters.putAll(otherParameters);
        return b;
    }

    /**
     * Parses a whole header value: comma-separated alternatives, in the client's order of
     * preference. Commas inside quotes ({@code mode="PLAY,RECORD"}) do not separate.
     */
    public static List<Transport> parseList(String headerValue) {
        List<Transport> out = new ArrayList<>();
        for (String spec : HeaderTokens.split(headerValue, ',')) {
            if (!spec.isBlank()) {
                out.add(parse(spec));
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("empty Transport header");
        }
        return out;
    }

    /** Parses one transport-spec. */
    public static Transport parse(String spec) {
        List<String> parts = HeaderTokens.split(spec, ';');
        String[] protocolParts = parts.get(0).trim().split("/", -1);
        if (protocolParts.length < 2 || protocolParts.length > 3
                || Arrays.stream(protocolParts).anyMatch(String::isEmpty)) {
            throw new IllegalArgumentException("bad transport protocol/profile in Transport: " + spec);
        }
        Builder b = new Builder()
                .protocol(protocolParts[0].toUpperCase(Locale.ROOT))
                .profile(protocolParts[1].toUpperCase(Locale.ROOT));
        if (protocolParts.length == 3) {
            b.lowerTransport(protocolParts[2].toUpperCase(Locale.ROOT));
        }
        for (int i = 1; i < parts.size(); i++) {
            String part = parts.get(i).trim();
            if (part.isEmpty()) {
                continue;
            }
            int eq = part.indexOf('=');
            String name = (eq < 0 ? part : part.substring(0, eq)).trim();
            String rawValue = eq < 0 ? null : part.substring(eq + 1).trim();
            String value = rawValue == null ? null : HeaderTokens.unquote(rawValue);
            switch (name.toLowerCase(Locale.ROOT)) {
                case "unicast" -> b.multicast = false;
                case "multicast" -> b.multicast = true;
                case "destination" -> {
                    if (value == null) {
                        b.otherParameters.put(name, null);
                    } else {
                        b.destination(value);
                    }
                }
                case "source" -> b.source(required(name, value));
                case "interleaved" -> b.interleaved = pair(name, required(name, value), MAX_CHANNEL);
                case "ttl" -> b.ttl(number(name, required(name, value), 255));
                case "client_port" -> b.clientPort = pair(name, required(name, value), MAX_PORT);
                case "server_port" -> b.serverPort = pair(name, required(name, value), MAX_PORT);
                case "ssrc" -> b.ssrc(ssrc(required(name, value)));
                case "mode" -> b.mode(required(name, value));
                default -> b.otherParameters.put(name, rawValue);
            }
        }
        return b.build();
    }

    private static String required(String name, String value) {
        if (value == null || value.isEmpty()) {
            throw new IllegalArgumentException("Transport parameter " + name + " needs a value");
        }
        return value;
    }

    private static int number(String name, String value, int max) {
        int n;
        try {
            n = Integer.parseInt(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad " + name + " in Transport: " + value, e);
        }
        if (n < 0 || n > max) {
            throw new IllegalArgumentException(name + " out of range 0-" + max + " in Transport: " + value);
        }
        return n;
    }

    /** {@code a-b}, or {@code a} meaning {@code a-(a+1)}. */
    private static int[] pair(String name, String value, int max) {
        int dash = value.indexOf('-');
        if (dash < 0) {
            int first = number(name, value, max - 1);
            return new int[] {first, first + 1};
        }
        return new int[] {number(name, value.substring(0, dash), max), number(name, value.substring(dash + 1), max)};
    }

    private static long ssrc(String value) {
        String hex = value.trim();
        if (hex.isEmpty() || hex.length() > 8) {
            throw new IllegalArgumentException("bad ssrc in Transport (want up to 8 hex digits): " + value);
        }
        try {
            return Long.parseLong(hex, 16);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad ssrc in Transport (want up to 8 hex digits): " + value, e);
        }
    }

    /** {@code RTP}. */
    public String protocol() {
        return protocol;
    }

    /** {@code AVP}, {@code AVPF}, {@code SAVP}, {@code SAVPF}. */
    public String profile() {
        return profile;
    }

    /** {@code UDP} (also when absent, the RFC default) or {@code TCP}. */
    public String lowerTransport() {
        return lowerTransport == null ? LOWER_UDP : lowerTransport;
    }

    /** True for RTP interleaved in the RTSP connection. */
    public boolean isTcp() {
        return LOWER_TCP.equals(lowerTransport());
    }

    /**
     * True only when {@code multicast} is stated. The RFC makes multicast the default, but clients
     * that omit both words all mean unicast, so absence is read as unicast.
     */
    public boolean multicast() {
        return Boolean.TRUE.equals(multicast);
    }

    /** {@code {rtp, rtcp}} or null. */
    public int[] clientPort() {
        return clientPort == null ? null : clientPort.clone();
    }

    /** {@code {rtp, rtcp}} or null. */
    public int[] serverPort() {
        return serverPort == null ? null : serverPort.clone();
    }

    /** {@code {rtpChannel, rtcpChannel}} or null. */
    public int[] interleaved() {
        return interleaved == null ? null : interleaved.clone();
    }

    /** The destination address, or null. */
    public String destination() {
        return destination;
    }

    /** The source address, or null. */
    public String source() {
        return source;
    }

    /** The multicast time-to-live, or null. */
    public Integer ttl() {
        return ttl;
    }

    /** The 32-bit SSRC (written in hex on the wire), or null. */
    public Long ssrc() {
        return ssrc;
    }

    /** {@code PLAY} (also when absent) or {@code RECORD}, upper-cased. */
    public String mode() {
        return mode == null ? MODE_PLAY : mode;
    }

    /** True when the client publishes. */
    public boolean isRecord() {
        return MODE_RECORD.equals(mode());
    }

    /** Parameters this class does not model, name to raw value (null for a bare flag), in order. */
    public Map<String, String> otherParameters() {
        return otherParameters;
    }

    /** A copy with {@code server_port=rtp-rtcp}. */
    public Transport withServerPort(int rtp, int rtcp) {
        return toBuilder().serverPort(rtp, rtcp).build();
    }

    /** A copy with {@code client_port=rtp-rtcp}. */
    public Transport withClientPort(int rtp, int rtcp) {
        return toBuilder().clientPort(rtp, rtcp).build();
    }

    /** A copy with {@code interleaved=a-b}. */
    public Transport withInterleaved(int a, int b) {
        return toBuilder().interleaved(a, b).build();
    }

    /** A copy with {@code ssrc=}. */
    public Transport withSsrc(long ssrc) {
        return toBuilder().ssrc(ssrc).build();
    }

    /** A copy with {@code source=}. */
    public Transport withSource(String source) {
        return toBuilder().source(source).build();
    }

    /** A copy with {@code destination=}. */
    public Transport withDestination(String destination) {
        return toBuilder().destination(destination).build();
    }

    /** A copy with {@code mode=}. */
    public Transport withMode(String mode) {
        return toBuilder().mode(mode).build();
    }

    /** Formats a header value of several alternatives. */
    public static String formatList(List<Transport> transports) {
        StringBuilder sb = new StringBuilder();
        for (Transport t : transports) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append(t);
        }
        return sb.toString();
    }

    /** The transport-spec as sent on the wire. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(64).append(protocol).append('/').append(profile);
        if (lowerTransport != null) {
            sb.append('/').append(lowerTransport);
        }
        if (multicast != null) {
            sb.append(multicast ? ";multicast" : ";unicast");
        }
        if (destination != null) {
            sb.append(";destination=").append(destination);
        }
        if (source != null) {
            sb.append(";source=").append(source);
        }
        if (interleaved != null) {
            sb.append(";interleaved=").append(interleaved[0]).append('-').append(interleaved[1]);
        }
        if (ttl != null) {
            sb.append(";ttl=").append(ttl);
        }
        if (clientPort != null) {
            sb.append(";client_port=").append(clientPort[0]).append('-').append(clientPort[1]);
        }
        if (serverPort != null) {
            sb.append(";server_port=").append(serverPort[0]).append('-').append(serverPort[1]);
        }
        if (ssrc != null) {
            sb.append(";ssrc=").append(String.format("%08X", ssrc));
        }
        if (mode != null) {
            sb.append(";mode=").append(mode);
        }
        for (Map.Entry<String, String> e : otherParameters.entrySet()) {
            sb.append(';').append(e.getKey());
            if (e.getValue() != null) {
                sb.append('=').append(e.getValue());
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Transport t
                && protocol.equals(t.protocol) && profile.equals(t.profile)
                && Objects.equals(lowerTransport, t.lowerTransport) && Objects.equals(multicast, t.multicast)
                && Objects.equals(destination, t.destination) && Objects.equals(source, t.source)
                && Arrays.equals(interleaved, t.interleaved) && Objects.equals(ttl, t.ttl)
                && Arrays.equals(clientPort, t.clientPort) && Arrays.equals(serverPort, t.serverPort)
                && Objects.equals(ssrc, t.ssrc) && Objects.equals(mode, t.mode)
                && otherParameters.equals(t.otherParameters);
    }

    @Override
    public int hashCode() {
        return Objects.hash(protocol, profile, lowerTransport, multicast, destination, source,
                Arrays.hashCode(interleaved), ttl, Arrays.hashCode(clientPort), Arrays.hashCode(serverPort),
                ssrc, mode, otherParameters);
    }

    /** Builds a {@link Transport}; starts as {@code RTP/AVP} with nothing else set. */
    public static final class Builder {
        private String protocol = "RTP";
        private String profile = PROFILE_AVP;
        private String lowerTransport;
        private Boolean multicast;
        private String destination;
        private String source;
        private int[] interleaved;
        private Integer ttl;
        private int[] clientPort;
        private int[] serverPort;
        private Long ssrc;
        private String mode;
        private final Map<String, String> otherParameters = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder protocol(String protocol) {
            this.protocol = Objects.requireNonNull(protocol, "protocol");
            return this;
        }

        public Builder profile(String profile) {
            this.profile = Objects.requireNonNull(profile, "profile");
            return this;
        }

        /** {@code UDP}, {@code TCP}, or null to leave it out (meaning UDP). */
        public Builder lowerTransport(String lowerTransport) {
            this.lowerTransport = lowerTransport;
            return this;
        }

        public Builder unicast() {
            this.multicast = false;
            return this;
        }

        public Builder multicast() {
            this.multicast = true;
            return this;
        }

        public Builder destination(String destination) {
            this.destination = destination;
            return this;
        }

        public Builder source(String source) {
            this.source = source;
            return this;
        }

        public Builder interleaved(int rtpChannel, int rtcpChannel) {
            this.interleaved = checked(rtpChannel, rtcpChannel, MAX_CHANNEL, "interleaved");
            return this;
        }

        public Builder ttl(Integer ttl) {
            this.ttl = ttl;
            return this;
        }

        public Builder clientPort(int rtp, int rtcp) {
            this.clientPort = checked(rtp, rtcp, MAX_PORT, "client_port");
            return this;
        }

        public Builder serverPort(int rtp, int rtcp) {
            this.serverPort = checked(rtp, rtcp, MAX_PORT, "server_port");
            return this;
        }

        public Builder ssrc(long ssrc) {
            if (ssrc < 0 || ssrc > 0xFFFF_FFFFL) {
                throw new IllegalArgumentException("ssrc out of 32-bit range: " + ssrc);
            }
            this.ssrc = ssrc;
            return this;
        }

        /**
         * {@code PLAY}, {@code RECORD}, or null to leave it out. Upper-cased; the pre-RFC name
         * {@code receive} that some publishers still send is read as {@code RECORD}.
         */
        public Builder mode(String mode) {
            String upper = mode == null ? null : mode.trim().toUpperCase(Locale.ROOT);
            this.mode = "RECEIVE".equals(upper) ? MODE_RECORD : upper;
            return this;
        }

        /** Adds a parameter this class does not model; a null value writes a bare flag. */
        public Builder otherParameter(String name, String rawValue) {
            otherParameters.put(Objects.requireNonNull(name, "name"), rawValue);
            return this;
        }

        public Transport build() {
            return new Transport(this);
        }

        private static int[] checked(int a, int b, int max, String name) {
            if (a < 0 || a > max || b < 0 || b > max) {
                throw new IllegalArgumentException(name + " out of range 0-" + max + ": " + a + "-" + b);
            }
            return new int[] {a, b};
        }
    }
}

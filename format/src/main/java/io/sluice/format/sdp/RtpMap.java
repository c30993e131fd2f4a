package io.sluice.format.sdp;

import java.util.Locale;

/**
 * One {@code a=rtpmap} attribute (RFC 4566 section 6):
 * <pre>
 * a=rtpmap:&lt;payload type&gt; &lt;encoding name&gt;/&lt;clock rate&gt;[/&lt;encoding parameters&gt;]
 * a=rtpmap:96 H264/90000
 * a=rtpmap:97 MPEG4-GENERIC/44100/2
 * </pre>
 * For audio the encoding parameters are the channel count, which defaults to one when omitted; the
 * record then holds 1, and {@link #attributeValue()} leaves a count of 1 out again.
 *
 * @param payloadType   0..127
 * @param encodingName  as written (compare case-insensitively: {@code h264} and {@code H264} are the same)
 * @param clockRate     RTP timestamp rate in Hz
 * @param channels      audio channel count; 1 when not given
 */
public record RtpMap(int payloadType, String encodingName, int clockRate, int channels) {

    public RtpMap {
        if (payloadType < 0 || payloadType > 127) {
            throw new IllegalArgumentException("payload type out of range 0..127: " + payloadType);
        }
        if (encodingName == null || encodingName.isEmpty()) {
            throw new IllegalArgumentException("missing encoding name");
        }
        if (clockRate <= 0) {
            throw new IllegalArgumentException("clock rate must be positive: " + clockRate);
        }
        if (channels <= 0) {
            throw new IllegalArgumentException("channel count must be positive: " + channels);
        }
    }

    /**
     * Parses the value of an rtpmap attribute, the text after {@code a=rtpmap:}, such as
     * {@code "96 H264/90000"}.
     *
     * @throws IllegalArgumentException naming what is wrong with the value
     */
    public static RtpMap parse(String attributeValue) {
        String v = attributeValue.strip();
        int space = v.indexOf(' ');
        if (space < 0) {
            throw new IllegalArgumentException("rtpmap without encoding: '" + attributeValue + "'");
        }
        int payloadType = parseNumber(v.substring(0, space), "payload type", attributeValue);
        String[] parts = v.substring(space + 1).strip().split("/", -1);
        if (parts.length < 2 || parts.length > 3 || parts[0].isEmpty()) {
            throw new IllegalArgumentException("rtpmap encoding is not name/rate[/channels]: '" + attributeValue + "'");
        }
        int clockRate = parseNumber(parts[1], "clock rate", attributeValue);
        int channels = parts.length == 3 ? parseNumber(parts[2], "channel count", attributeValue) : 1;
        try {
            return new RtpMap(payloadType, parts[0], clockRate, channels);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("rtpmap '" + attributeValue + "': " + e.getMessage(), e);
        }
    }

    /**
     * The mapping RFC 3551 section 6 assigns to a static payload type, used when a media section
     * lists such a type without an rtpmap line; null for dynamic or unassigned types.
     */
    public static RtpMap ofStaticPayloadType(int payloadType) {
        return switch (payloadType) {
            case 0 -> new RtpMap(0, "PCMU", 8000, 1);
            case 3 -> new RtpMap(3, "GSM", 8000, 1);
            case 4 -> new RtpMap(4, "G723", 8000, 1);
            case 5 -> new RtpMap(5, "DVI4", 8000, 1);
            case 6 -> new RtpMap(6, "DVI4", 16000, 1);
            case 7 -> new RtpMap(7, "LPC", 8000, 1);
            case 8 -> new RtpMap(8, "PCMA", 8000, 1);
            case 9 -> new RtpMap(9, "G722", 8000, 1);
            case 10 -> new RtpMap(10, "L16", 44100, 2);
            case 11 -> new RtpMap(11, "L16", 44100, 1);
            case 12 -> new RtpMap(12, "QCELP", 8000, 1);
            case 13 -> new RtpMap(13, "CN", 8000, 1);
            case 14 -> new RtpMap(14, "MPA", 90000, 1);
            case 15 -> new RtpMap(15, "G728", 8000, 1);
            case 16 -> new RtpMap(16, "DVI4", 11025, 1);
            case 17 -> new RtpMap(17, "DVI4", 22050, 1);
            case 18 -> new RtpMap(18, "G729", 8000, 1);
            case 25 -> new RtpMap(25, "CelB", 90000, 1);
            case 26 -> new RtpMap(26, "JPEG", 90000, 1);
            case 28 -> new RtpMap(28, "nv", 90000, 1);
            case 31 -> new RtpMap(31, "H261", 90000, 1);
            case 32 -> new RtpMap(32, "MPV", 90000, 1);
            case 33 -> new RtpMap(33, "MP2T", 90000, 1);
            case 34 -> new RtpMap(34, "H263", 90000, 1);
            default -> null;
        };
    }

    /** True when the encoding name matches, ignoring case. */
    public boolean isEncoding(String name) {
        return encodingName.equalsIgnoreCase(name);
    }

    /** The encoding name in upper case, the form the payload format registries use. */
    public String upperCaseEncodingName() {
        return encodingName.toUpperCase(Locale.ROOT);
    }

    /** The text of the attribute value, inverse of {@link #parse}: {@code "97 MPEG4-GENERIC/44100/2"}. */
    public String attributeValue() {
        String base = payloadType + " " + encodingName + "/" + clockRate;
        return channels == 1 ? base : base + "/" + channels;
    }

    private static int parseNumber(String text, String what, String attributeValue) {
        try {
            return Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rtpmap " + what + " is not a number: '" + attributeValue + "'", e);
        }
    }
}

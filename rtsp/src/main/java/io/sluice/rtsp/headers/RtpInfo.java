package io.sluice.rtsp.headers;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The {@code RTP-Info} header (RFC 2326 section 12.33), immutable: for each track of a PLAY
 * response, the sequence number and RTP timestamp of the first packet sent after it.
 *
 * <pre>
 * RTP-Info     = "RTP-Info" ":" 1#stream-url 1*parameter
 * stream-url   = "url" "=" url
 * parameter    = ";" "seq" "=" 1*DIGIT | ";" "rtptime" "=" 1*DIGIT
 *   e.g.  RTP-Info: url=rtsp://h/live/a/trackID=0;seq=4563;rtptime=2890844526,
 *                   url=rtsp://h/live/a/trackID=1;seq=1297;rtptime=95376
 * </pre>
 *
 * URLs may contain commas and semicolons, so an entry ends only where the next {@code url=}
 * begins, and a {@code ;} that is not followed by {@code seq=}, {@code rtptime=} or {@code ssrc=}
 * stays in the URL. The {@code ssrc=} that RTSP 2.0 servers add is skipped.
 */
public final class RtpInfo {

    /** One track: its URL and, when known, the first sequence number and RTP timestamp. */
    public record Entry(String url, Integer seq, Long rtpTime) {
        public Entry {
            Objects.requireNonNull(url, "url");
            if (seq != null && (seq < 0 || seq > 0xFFFF)) {
                throw new IllegalArgumentException("seq out of 16-bit range: " + seq);
            }
            if (rtpTime != null && (rtpTime < 0 || rtpTime > 0xFFFF_FFFFL)) {
                throw new IllegalArgumentException("rtptime out of 32-bit range: " + rtpTime);
            }
        }
    }

    private final List<Entry> entries;

    private RtpInfo(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The header for these entries, in order. */
    public static RtpInfo of(List<Entry> entries) {
        if (entries.isEmpty()) {
            throw new IllegalArgumentException("RTP-Info needs at least one entry");
        }
        return new RtpInfo(entries);
    }

    /** The entries in header order. */
    public List<Entry> entries() {
        return entries;
    }

    /** Parses a header value. */
    public static RtpInfo parse(String value) {
        List<Entry> entries = new ArrayList<>();
        for (String part : splitEntries(value)) {
            entries.add(parseEntry(part.trim(), value));
        }
        return of(entries);
    }

    /** Splits before every {@code url=} that follows a comma. */
    private static List<String> splitEntries(String value) {
        List<String> out = new ArrayList<>();
        String lower = value.toLowerCase(Locale.ROOT);
        int start = 0;
        for (int comma = value.indexOf(','); comma >= 0; comma = value.indexOf(',', comma + 1)) {
            int next = comma + 1;
            while (next < value.length() && Character.isWhitespace(value.charAt(next))) {
                next++;
            }
            if (lower.startsWith("url=", next)) {
                out.add(value.substring(start, comma));
                start = next;
            }
        }
        out.add(value.substring(start));
        return out;
    }

    private static Entry parseEntry(String entry, String header) {
        if (!entry.toLowerCase(Locale.ROOT).startsWith("url=")) {
            throw new IllegalArgumentException("RTP-Info entry without url=: " + header);
        }
        String[] parts = entry.substring(4).split(";", -1);
        StringBuilder url = new StringBuilder(parts[0]);
        Integer seq = null;
        Long rtpTime = null;
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].trim();
            int eq = part.indexOf('=');
            String name = eq > 0 ? part.substring(0, eq).trim().toLowerCase(Locale.ROOT) : "";
            if (!name.equals("seq") && !name.equals("rtptime") && !name.equals("ssrc")) {
                // Not a parameter of RTP-Info: a ';' that belongs to the URL.
                url.append(';').append(parts[i]);
                continue;
            }
            String v = part.substring(eq + 1).trim();
            try {
                if (name.equals("seq")) {
                    seq = Integer.parseInt(v);
                } else if (name.equals("rtptime")) {
                    rtpTime = Long.parseLong(v);
                }
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("bad " + name + " in RTP-Info: " + header, e);
            }
        }
        String u = HeaderTokens.unquote(url.toString().trim());
        if (u.isEmpty()) {
            throw new IllegalArgumentException("empty url in RTP-Info: " + header);
        }
        return new Entry(u, seq, rtpTime);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        for (Entry e : entries) {
            if (!sb.isEmpty()) {
                sb.append(',');
            }
            sb.append("url=").append(e.url());
            if (e.seq() != null) {
                sb.append(";seq=").append(e.seq());
            }
            if (e.rtpTime() != null) {
                sb.append(";rtptime=").append(e.rtpTime());
            }
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RtpInfo r && entries.equals(r.entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }
}

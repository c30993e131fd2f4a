package io.sluice.rtsp.headers;

import java.util.Locale;
import java.util.Objects;

/**
 * The {@code Range} header (RFC 2326 section 12.29) in normal play time (section 3.6), immutable.
 *
 * <pre>
 * Range       = "Range" ":" ranges-specifier [ ";" "time" "=" utc-time ]
 * npt-range   = "npt" "=" ( npt-time "-" [ npt-time ] ) | ( "-" npt-time )
 * npt-time    = "now" | npt-sec | npt-hhmmss
 * npt-sec     = 1*DIGIT [ "." *DIGIT ]                        e.g.  npt=10.5-
 * npt-hhmmss  = npt-hh ":" npt-mm ":" npt-ss [ "." *DIGIT ]    e.g.  npt=00:01:02.5-
 * </pre>
 *
 * {@code clock=} (UTC) and {@code smpte=} ranges throw {@link UnsupportedUnitException}, which a
 * server answers with 457 Invalid Range or 501; the {@code ;time=} parameter is ignored. Times are
 * formatted with millisecond precision like ffmpeg and live555 do ({@code npt=0.000-}).
 */
public final class Range {

    private static final String NPT = "npt";
    private static final String NOW = "now";

    private final Double startSeconds;
    private final boolean startIsNow;
    private final Double endSeconds;

    private Range(Double startSeconds, boolean startIsNow, Double endSeconds) {
        this.startSeconds = startSeconds;
        this.startIsNow = startIsNow;
        this.endSeconds = endSeconds;
    }

    /** {@code npt=start-end}; {@code end} null for an open range. */
    public static Range npt(double start, Double end) {
        checkTime(start);
        if (end != null) {
            checkTime(end);
        }
        checkOrder(start, end, "npt=" + start + "-" + end);
        return new Range(start, false, end);
    }

    /** {@code npt=now-}: live, from the current moment. */
    public static Range nowOpen() {
        return new Range(null, true, null);
    }

    /** A range that ends before it starts names no time at all (RFC 2326 answers it with 457). */
    private static void checkOrder(Double start, Double end, String range) {
        if (start != null && end != null && end < start) {
            throw new IllegalArgumentException("npt range ends before it starts: " + range);
        }
    }

    private static void checkTime(double seconds) {
        if (!(seconds >= 0) || Double.isInfinite(seconds)) {
            throw new IllegalArgumentException("npt time must be a finite number >= 0: " + seconds);
        }
    }

    /** Parses a header value. */
    public static Range parse(String value) {
        String spec = value.split(";", 2)[0].trim();
        int eq = spec.indexOf('=');
        if (eq < 0) {
            throw new IllegalArgumentException("bad Range (no unit=): " + value);
        }
        String unit = spec.substring(0, eq).trim().toLowerCase(Locale.ROOT);
        if (!unit.equals(NPT)) {
            if (unit.equals("clock") || unit.startsWith("smpte")) {
                throw new UnsupportedUnitException(unit, value);
            }
            throw new IllegalArgumentException("unknown Range unit '" + unit + "': " + value);
        }
        String times = spec.substring(eq + 1).trim();
        int dash = times.indexOf('-');
        if (dash < 0) {
            throw new IllegalArgumentException("bad npt range (no '-'): " + value);
        }
        String start = times.substring(0, dash).trim();
        String end = times.substring(dash + 1).trim();
        if (start.isEmpty() && end.isEmpty()) {
            throw new IllegalArgumentException("bad npt range (no time): " + value);
        }
        boolean now = start.equalsIgnoreCase(NOW);
        Double startSeconds = start.isEmpty() || now ? null : nptTime(start, value);
        Double endSeconds = end.isEmpty() ? null : nptTime(end, value);
        checkOrder(startSeconds, endSeconds, value);
        return new Range(startSeconds, now, endSeconds);
    }

    /** npt-sec or npt-hhmmss to seconds. */
    private static double nptTime(String time, String header) {
        String[] hms = time.split(":", -1);
        if (hms.length != 1 && hms.length != 3) {
            throw new IllegalArgumentException("bad npt time '" + time + "' in Range: " + header);
        }
        double seconds = 0;
        for (int i = 0; i < hms.length; i++) {
            String field = hms[i];
            boolean last = i == hms.length - 1;
            if (!field.matches(last ? "[0-9]+(\\.[0-9]*)?" : "[0-9]+")) {
                throw new IllegalArgumentException("bad npt time '" + time + "' in Range: " + header);
            }
            double v = Double.parseDouble(field);
            if (hms.length == 3 && i > 0 && v >= 60) {
                throw new IllegalArgumentException("npt minutes or seconds over 59 in Range: " + header);
            }
            seconds = seconds * 60 + v;
        }
        return seconds;
    }

    /** Start in seconds; null when the start is {@code now} or absent ({@code npt=-20}). */
    public Double startSeconds() {
        return startSeconds;
    }

    /** True for {@code npt=now-...}. */
    public boolean startIsNow() {
        return startIsNow;
    }

    /** End in seconds; null for an open range. */
    public Double endSeconds() {
        return endSeconds;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("npt=");
        if (startIsNow) {
            sb.append(NOW);
        } else if (startSeconds != null) {
            sb.append(String.format(Locale.ROOT, "%.3f", startSeconds));
        }
        sb.append('-');
        if (endSeconds != null) {
            sb.append(String.format(Locale.ROOT, "%.3f", endSeconds));
        }
        return sb.toString();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Range r && startIsNow == r.startIsNow
                && Objects.equals(startSeconds, r.startSeconds) && Objects.equals(endSeconds, r.endSeconds);
    }

    @Override
    public int hashCode() {
        return Objects.hash(startSeconds, startIsNow, endSeconds);
    }

    /** A Range in a unit other than npt ({@code clock}, {@code smpte}), which Sluice does not serve. */
    public static final class UnsupportedUnitException extends IllegalArgumentException {

        private final String unit;

        UnsupportedUnitException(String unit, String header) {
            super("Range unit '" + unit + "' is not supported, only npt: " + header);
            this.unit = unit;
        }

        /** The unit as sent, lower-cased. */
        public String unit() {
            return unit;
        }
    }
}

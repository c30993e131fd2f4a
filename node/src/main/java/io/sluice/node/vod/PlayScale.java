package io.sluice.node.vod;

import io.sluice.node.vod.room.FilmViewer;

/**
 * The {@code Scale} header of a film's PLAY (RFC 2326 section 12.34): {@code Scale: 2} asks for twice the
 * normal speed. The node fast-forwards at whole speeds from 2 to {@link FilmViewer#MAX_SCALE} and answers
 * the speed it applies, the nearest it can do; it does not play backwards or in slow motion.
 */
public final class PlayScale {

    private PlayScale() {
    }

    /**
     * The whole speed to ask the viewer for: 1 when the header is absent, else the value rounded and capped
     * at {@link FilmViewer#MAX_SCALE}; slow motion becomes 1.
     *
     * @throws IllegalArgumentException for a value that is not a number, zero or negative (reverse play)
     */
    public static int parse(String header) {
        if (header == null) {
            return 1;
        }
        double scale;
        try {
            scale = Double.parseDouble(header.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("Scale " + header + " is not a number");
        }
        if (!(scale > 0) || Double.isInfinite(scale)) {
            throw new IllegalArgumentException("Scale " + header + ": only forward play is served (0 < Scale <= "
                    + FilmViewer.MAX_SCALE + ")");
        }
        return (int) Math.clamp(Math.round(scale), 1, FilmViewer.MAX_SCALE);
    }

    /** The answer's header value for an applied speed. */
    public static String format(int scale) {
        return scale + ".000";
    }
}

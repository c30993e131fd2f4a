package io.sluice.node.vod;

/** A film id that names no film of the library (RTSP answers 404). */
public final class FilmNotFoundException extends Exception {

    private static final long serialVersionUID = 1L;

    public FilmNotFoundException(String fid, String why) {
        super("film '" + fid + "': " + why);
    }
}

package io.sluice.node.vod.media;

/** A film that opened but holds nothing the node can stream (RTSP answers 415). */
public final class UnsupportedFilmException extends Exception {

    private static final long serialVersionUID = 1L;

    public UnsupportedFilmException(String message) {
        super(message);
    }
}

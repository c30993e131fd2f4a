package io.sluice.node.vod.demux;

import java.io.IOException;

/** FFmpeg could not open or read a film: not media, truncated, or gone. */
public final class DemuxException extends IOException {

    private static final long serialVersionUID = 1L;

    public DemuxException(String message) {
        super(message);
    }
}

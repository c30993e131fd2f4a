package io.sluice.node.vod.demux;

import java.util.List;

/**
 * What opening a film tells: its container, length, first timestamp and streams.
 *
 * @param container  FFmpeg's demuxer name, such as "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm"
 * @param durationUs the film's length in microseconds, 0 when the container does not say
 * @param startUs    the container's first timestamp in microseconds (MPEG-TS rarely starts at 0)
 * @param title      the container's title tag, or null
 * @param streams    every stream, in container order
 */
public record FilmProbe(String container, long durationUs, long startUs, String title, List<StreamInfo> streams) {

    public FilmProbe {
        streams = List.copyOf(streams);
    }
}

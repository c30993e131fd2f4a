package io.sluice.node.vod;

import java.util.List;

/**
 * A film of the library as the API lists it.
 *
 * @param fid             the film's id: its path relative to the media directory ({@code /vod/FID})
 * @param title           the container's title, else the file name without extension
 * @param durationSeconds the film's length
 * @param codecs          every stream's codec, FFmpeg's names
 * @param sizeBytes       the file's size
 * @param viewers         viewers playing it on this node now
 */
public record FilmSummary(String fid, String title, double durationSeconds, List<String> codecs, long sizeBytes,
                          int viewers) {

    public FilmSummary {
        codecs = List.copyOf(codecs);
    }
}

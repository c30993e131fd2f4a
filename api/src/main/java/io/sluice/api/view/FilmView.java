package io.sluice.api.view;

import java.util.List;

/**
 * A film of the node's library.
 *
 * @param fid             the film's id: its path under the media directory
 * @param durationSeconds its length
 * @param codecs          every stream's codec (FFmpeg's names)
 * @param viewers         viewers playing it on this node now
 * @param playUrl         where to play it, as the caller reached this node
 */
public record FilmView(String fid, String title, double durationSeconds, List<String> codecs, long sizeBytes,
                       int viewers, String playUrl) {
}

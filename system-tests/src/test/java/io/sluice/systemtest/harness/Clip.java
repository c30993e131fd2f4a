package io.sluice.systemtest.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

/**
 * A test clip and what a reader of it must see.
 *
 * @param file          the media file
 * @param videoMd5s     md5 of every decoded video frame, in presentation order
 * @param keyframeMd5s  md5s of the frames that are keyframes in the source
 * @param frameRate     video frames per second
 */
public record Clip(Path file, List<String> videoMd5s, Set<String> keyframeMd5s, int frameRate) {

    /** The least number of frames an unbroken {@code seconds}-long read must hold: 90% of the nominal count. */
    public int minFrames(double seconds) {
        return (int) Math.floor(seconds * frameRate * 0.9);
    }
}

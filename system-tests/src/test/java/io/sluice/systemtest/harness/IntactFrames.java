package io.sluice.systemtest.harness;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * How much of a clip a reader on a lossy link decoded intact: of the source frames from the keyframe
 * where its stream began to the clip's end, those that the reader decoded to the source's md5.
 * A frame with a lost packet decodes to another md5 (corrupt or concealed), and so does every frame
 * predicted from it until the next keyframe: none of those count.
 *
 * <p>Where the stream began is the keyframe before the first frame decoded intact, or earlier when the
 * reader decoded more frames than the clip has from there (a reader whose whole first GOP decoded
 * corrupt began a GOP before its first intact frame): the readers read to the clip's end, so the frames
 * they decoded, intact or not, count back to where they began.
 *
 * @param firstFrame the source frame (a keyframe) where the count starts, or -1 if the reader decoded no
 *                   source frame at all
 * @param intact     source frames from {@code firstFrame} on that the reader decoded intact
 * @param expected   source frames from {@code firstFrame} to the clip's end
 */
public record IntactFrames(int firstFrame, int intact, int expected) {

    /** Measures {@code received} (decoded md5s, in any order, repeats allowed) against {@code clip}. */
    public static IntactFrames measure(Clip clip, List<String> received) {
        List<String> source = clip.videoMd5s();
        Set<String> got = new HashSet<>(received);
        int first = -1;
        for (int i = 0; i < source.size(); i++) {
            if (got.contains(source.get(i))) {
                first = i;
                break;
            }
        }
        if (first < 0) {
            return new IntactFrames(-1, 0, source.size());
        }
        first = Math.min(first, Math.max(source.size() - received.size(), 0));
        while (first > 0 && !clip.keyframeMd5s().contains(source.get(first))) {
            first--;
        }
        return count(source, got, first);
    }

    /**
     * Like {@link #measure}, from the keyframe after the one where the reader's stream began: without
     * its first GOP, which a reader joining a live stream gets from the server's GOP cache in a burst.
     */
    public static IntactFrames measureAfterFirstGop(Clip clip, List<String> received) {
        IntactFrames whole = measure(clip, received);
        List<String> source = clip.videoMd5s();
        int next = whole.firstFrame() + 1;
        while (next < source.size() && !clip.keyframeMd5s().contains(source.get(next))) {
            next++;
        }
        return whole.firstFrame() < 0 ? whole : count(source, new HashSet<>(received), next);
    }

    private static IntactFrames count(List<String> source, Set<String> got, int first) {
        int intact = 0;
        for (int i = first; i < source.size(); i++) {
            if (got.contains(source.get(i))) {
                intact++;
            }
        }
        return new IntactFrames(first, intact, source.size() - first);
    }

    /** {@code intact / expected}, 0..1. */
    public double share() {
        return expected == 0 ? 0 : (double) intact / expected;
    }

    @Override
    public String toString() {
        return String.format("%d/%d frames intact (%.1f%%) from source frame %d", intact, expected, 100 * share(), firstFrame);
    }
}

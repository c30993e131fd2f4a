package io.sluice.systemtest.harness;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Decoded frames as ffmpeg's framemd5 muxer lists them, and the comparison of a reader's frames
 * with the source's.
 *
 * <p>A testsrc2 clip has a distinct md5 for every frame, so a reader that lost, duplicated or
 * corrupted nothing received one unbroken run of the source's list. {@code -fps_mode passthrough}
 * matters: without it ffmpeg duplicates and drops frames to a constant rate whenever RTP timestamps
 * jitter, and a perfect stream would look broken.
 */
public final class FrameMd5 {

    /** A framemd5 data line: {@code stream, dts, pts, duration, size, hash[, side data...]}. */
    private static final int HASH_FIELD = 5;

    private FrameMd5() {
    }

    /** ffmpeg output options that write the first video stream's decoded frames as framemd5 lines to {@code target}. */
    public static List<String> videoOutput(String target) {
        return List.of("-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-flush_packets", "1", target);
    }

    /** ffmpeg output options that write the first audio stream's decoded frames as framemd5 lines to {@code target}. */
    public static List<String> audioOutput(String target) {
        return List.of("-map", "0:a:0", "-f", "framemd5", "-flush_packets", "1", target);
    }

    /** The md5s of a framemd5 file, in order. */
    public static List<String> read(Path framemd5) {
        return parse(LogFiles.lines(framemd5));
    }

    /** The md5s of framemd5 lines, in order; comment lines ({@code #...}) and blank lines are skipped. */
    public static List<String> parse(List<String> lines) {
        List<String> md5s = new ArrayList<>(lines.size());
        for (String line : lines) {
            String hash = hashOf(line);
            if (hash != null) {
                md5s.add(hash);
            }
        }
        return md5s;
    }

    /** The md5 of one framemd5 line, or null for a comment, blank or partial line. */
    public static String hashOf(String line) {
        if (line.isBlank() || line.startsWith("#")) {
            return null;
        }
        String[] fields = line.split(",");
        if (fields.length <= HASH_FIELD) {
            return null;
        }
        String hash = fields[HASH_FIELD].trim();
        return hash.length() == 32 ? hash : null;
    }

    /** x264's default B-frame depth in the test clips (3), plus the P-frame they precede on the wire. */
    private static final int CUT_TAIL_FRAMES = 4;

    /**
     * {@code received} without its last {@value #CUT_TAIL_FRAMES} frames. A recording stopped mid-stream
     * may end on a P-frame whose B-frames (earlier on screen, later on the wire) never arrived; decoded,
     * the tail then has a gap of up to three frames that is the cut's doing, not the server's.
     */
    public static List<String> withoutCutTail(List<String> received) {
        return received.subList(0, Math.max(0, received.size() - CUT_TAIL_FRAMES));
    }

    /**
     * Asserts that {@code received} is one contiguous run of {@code source} (its first frame found
     * in the source, each next frame the next source frame) of at least {@code minFrames} frames.
     * The message says where the run breaks.
     */
    public static void assertUnbrokenRun(List<String> source, List<String> received, int minFrames) {
        assertUnbrokenRun("reader", source, received, minFrames);
    }

    /** {@link #assertUnbrokenRun(List, List, int)} with {@code reader} named in the message. */
    public static void assertUnbrokenRun(String reader, List<String> source, List<String> received, int minFrames) {
        if (received.isEmpty()) {
            fail(reader + ": received no frames at all (expected at least %d)", minFrames);
        }
        int start = source.indexOf(received.get(0));
        if (start < 0) {
            fail(reader + ": the first received frame %s is not a source frame (received %d frames)", received.get(0), received.size());
        }
        for (int i = 1; i < received.size(); i++) {
            int expected = start + i;
            String got = received.get(i);
            if (expected >= source.size()) {
                fail(reader + ": received frame %d (%s) comes after the last source frame: the run started at source frame %d"
                        + " and the source has %d frames", i, got, start, source.size());
            }
            if (!source.get(expected).equals(got)) {
                int actual = source.indexOf(got);
                fail(reader + ": the run breaks at received frame %d of %d: expected source frame %d (%s), got %s;"
                        + " frames 0..%d were source frames %d..%d", i, received.size(), expected, source.get(expected),
                        actual < 0 ? got + ", which is no source frame (corrupt or concealed)" : "source frame " + actual
                                + (actual < expected ? " (repeated or rewound)" : " (" + (actual - expected) + " frames lost)"),
                        i - 1, start, expected - 1);
            }
        }
        if (received.size() < minFrames) {
            fail(reader + ": received an unbroken run of %d frames (source frames %d..%d), expected at least %d",
                    received.size(), start, start + received.size() - 1, minFrames);
        }
    }
}

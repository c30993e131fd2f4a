package io.sluice.node.vod;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/** Runs GStreamer's gst-launch-1.0 for the film tests, bounded by a kill timeout. */
final class Gst {

    private Gst() {
    }

    static boolean available() {
        try {
            return Ffmpeg.run(List.of("gst-launch-1.0", "--version"), 10).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A pipeline run to its end of stream ({@code -e} so a killed run still finishes its files). */
    static Ffmpeg.Run launch(List<String> pipeline, int timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("gst-launch-1.0", "-q", "-e"));
        cmd.addAll(pipeline);
        return Ffmpeg.run(cmd, timeoutSeconds);
    }
}

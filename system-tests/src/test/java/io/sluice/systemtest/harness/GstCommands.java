package io.sluice.systemtest.harness;

import java.nio.file.Path;
import java.util.List;

/** gst-launch-1.0 command lines. */
public final class GstCommands {

    private GstCommands() {
    }

    /**
     * Reads {@code url} with rtspsrc over {@code protocols} (tcp or udp) and writes the H.264 video,
     * depayloaded and parsed but not decoded, to a Matroska file; the audio goes to a fakesink.
     * {@code -e} turns SIGINT into EOS so the file is finished; {@code streamable=true} keeps it
     * readable even when the process has to be killed instead.
     */
    public static List<String> readH264ToMatroska(String url, String protocols, Path file) {
        return List.of(Peers.gstLaunch(), "-q", "-e",
                "rtspsrc", "location=" + url, "protocols=" + protocols, "latency=200", "name=src",
                "src.", "!", "application/x-rtp,media=video", "!", "rtph264depay", "!", "h264parse",
                "!", "matroskamux", "streamable=true", "!", "filesink", "location=" + file,
                "src.", "!", "application/x-rtp,media=audio", "!", "fakesink");
    }
}

package io.sluice.systemtest.harness;

import java.nio.file.Path;
import java.util.List;

/** gst-launch-1.0 command lines. */
public final class GstCommands {

    /**
     * The jitter buffer's latency for lossy reads (rtspsrc's default): how long a missing packet has to
     * come back. A joining reader's first packets are the server's GOP cache, up to a GOP old, and a
     * lost one of those must still be asked for and resent within it.
     */
    private static final int LOSSY_LATENCY_MS = 2000;

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

    /**
     * Reads {@code url} with rtspsrc over {@code protocols}, asking for RFC 4588 retransmission when
     * {@code retransmission} is set, and writes the depayloaded H.264 as an Annex B byte stream, one
     * access unit per buffer, to {@code file}; the audio goes to a fakesink. Not Matroska: when a
     * reader joins, the server sends the GOP cache in a burst, the jitter buffer skews those packets'
     * timestamps, and matroskamux drops access units whose timestamps go backwards, which would count
     * as loss. A byte stream keeps every access unit that was received.
     */
    public static List<String> readH264ToByteStream(String url, String protocols, boolean retransmission, Path file) {
        return List.of(Peers.gstLaunch(), "-q", "-e",
                "rtspsrc", "location=" + url, "protocols=" + protocols, "do-retransmission=" + retransmission,
                "latency=" + LOSSY_LATENCY_MS, "name=src",
                "src.", "!", "application/x-rtp,media=video", "!", "rtph264depay", "!", "h264parse",
                "!", "video/x-h264,stream-format=byte-stream,alignment=au", "!", "filesink", "location=" + file,
                "src.", "!", "application/x-rtp,media=audio", "!", "fakesink");
    }
}

package io.sluice.systemtest.harness;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** ffmpeg command lines for publishers and readers, each bounded so no peer can wait for ever. */
public final class FfmpegCommands {

    /** RTSP socket I/O timeout; ffmpeg 5.1's rtsp demuxer takes it in microseconds. */
    private static final String IO_TIMEOUT_US = "5000000";

    private FfmpegCommands() {
    }

    /** Publishes {@code clip} in real time ({@code -re}), streams copied, over RTSP with {@code transport} (udp or tcp). */
    public static List<String> publish(Clip clip, String url, String transport) {
        return List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-re", "-i", clip.file().toString(), "-map", "0", "-c", "copy",
                "-f", "rtsp", "-rtsp_transport", transport, url);
    }

    /**
     * Publishes {@code clip} {@code 1 + loops} times in a row, for tests whose checks must find the
     * stream still live however slow the machine is; only the first pass is a run of the clip's frames.
     */
    public static List<String> publishLooped(Clip clip, String url, String transport, int loops) {
        return List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-re", "-stream_loop", Integer.toString(loops), "-i", clip.file().toString(), "-map", "0",
                "-c", "copy", "-f", "rtsp", "-rtsp_transport", transport, url);
    }

    /**
     * Publishes an MPEG-TS clip as one MP2T RTP stream (RFC 2250): the mpegtsraw demuxer hands the
     * TS packets through as a single data stream, and {@code -compute_pcr 1} stamps them from the
     * PCR so that {@code -re} paces them in real time (without it the whole file goes at once).
     */
    public static List<String> publishMpegTs(Clip clip, String url, String transport) {
        return List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning",
                "-re", "-f", "mpegtsraw", "-compute_pcr", "1", "-i", clip.file().toString(), "-map", "0:d", "-c", "copy",
                "-f", "rtsp", "-rtsp_transport", transport, url);
    }

    /** Reads {@code url} over {@code transport} for {@code seconds} of media; video framemd5 lines to {@code target} ("-" for stdout). */
    public static List<String> readVideo(String url, String transport, double seconds, String target) {
        List<String> command = readerInput(url, transport);
        command.addAll(List.of("-t", Double.toString(seconds)));
        command.addAll(FrameMd5.videoOutput(target));
        return command;
    }

    /**
     * Like {@link #readVideo}, with ffmpeg's RTP reorder delay ({@code -max_delay}, 100 ms by default for
     * RTSP) set to {@code maxDelayUs}: how long a gap is held open for a retransmission.
     */
    public static List<String> readVideo(String url, String transport, long maxDelayUs, double seconds, String target) {
        List<String> command = readerInput(url, transport);
        command.addAll(command.indexOf("-i"), List.of("-max_delay", Long.toString(maxDelayUs)));
        command.addAll(List.of("-t", Double.toString(seconds)));
        command.addAll(FrameMd5.videoOutput(target));
        return command;
    }

    /** Like {@link #readVideo}, and the audio's decoded frames as framemd5 lines to {@code audioTarget}. */
    public static List<String> readVideoAndAudio(String url, String transport, double seconds, String videoTarget, String audioTarget) {
        List<String> command = readVideo(url, transport, seconds, videoTarget);
        command.addAll(List.of("-t", Double.toString(seconds)));
        command.addAll(FrameMd5.audioOutput(audioTarget));
        return command;
    }

    /** Decodes a recorded file's video to framemd5 lines in {@code target}. */
    public static List<String> decodeVideo(Path file, String target) {
        List<String> command = new ArrayList<>(List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-y",
                "-i", file.toString()));
        command.addAll(FrameMd5.videoOutput(target));
        return command;
    }

    private static List<String> readerInput(String url, String transport) {
        return new ArrayList<>(List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "warning", "-y",
                "-rtsp_transport", transport, "-timeout", IO_TIMEOUT_US, "-i", url));
    }
}

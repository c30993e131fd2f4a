package io.sluice.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The source clips, made once per test run under {@code target/clips} with ffmpeg's lavfi
 * sources: testsrc2 at 320x240 and 25 fps (a distinct picture every frame), a 2 s GOP with no
 * scene-cut keyframes so keyframes sit exactly at 0, 2, 4 ... s, and a sine tone for audio.
 */
public final class TestClips {

    public static final int FRAME_RATE = 25;
    public static final int GOP_FRAMES = 50;
    public static final int SECONDS = 10;

    private static final Pattern SHOWINFO_KEYFRAME = Pattern.compile("\\bn:\\s*(\\d+)\\b.*\\biskey:1\\b");
    private static final Map<String, Clip> MADE = new HashMap<>();

    private TestClips() {
    }

    /** H.264 (libx264) + AAC in MP4: the clip ffmpeg publishes with {@code -c copy -f rtsp}. */
    public static synchronized Clip h264Aac() {
        return clip("h264-aac.mp4", List.of(
                "-map", "0:v", "-map", "1:a",
                "-c:v", "libx264", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-c:a", "aac", "-b:a", "64k", "-movflags", "+faststart"), "libx264", "aac");
    }

    /**
     * The frames of {@link #h264Aac()} in Matroska, which GStreamer's demuxer reads from a pipe
     * (MP4 needs seeking), for {@link GstRtspServerPeer}.
     */
    public static synchronized Clip h264AacMatroska() {
        return remux(h264Aac(), "h264-aac.mkv", List.of());
    }

    /** The frames of {@link #h264Aac()} in MPEG-TS, published as one MP2T RTP stream (RFC 2250). */
    public static synchronized Clip h264AacMpegTs() {
        return remux(h264Aac(), "h264-aac.ts", List.of("-f", "mpegts"));
    }

    /** H.265 (libx265) + Opus in Matroska. */
    public static synchronized Clip h265Opus() {
        return clip("h265-opus.mkv", List.of(
                "-map", "0:v", "-map", "1:a",
                "-c:v", "libx265", "-preset", "veryfast", "-pix_fmt", "yuv420p",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0",
                "-x265-params", "log-level=error:scenecut=0:open-gop=0",
                "-c:a", "libopus", "-b:a", "64k"), "libx265", "libopus");
    }

    private static Clip clip(String name, List<String> encode, String... encoders) {
        Clip made = MADE.get(name);
        if (made != null) {
            return made;
        }
        Peers.requireEncoders(encoders);
        List<String> command = new ArrayList<>(List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=" + FRAME_RATE,
                "-f", "lavfi", "-i", "sine=frequency=1000:sample_rate=48000",
                "-t", Integer.toString(SECONDS)));
        command.addAll(encode);
        return produce(name, command);
    }

    private static Clip remux(Clip source, String name, List<String> format) {
        Clip made = MADE.get(name);
        if (made != null) {
            return made;
        }
        List<String> command = new ArrayList<>(List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "error", "-y",
                "-i", source.file().toString(), "-map", "0", "-c", "copy"));
        command.addAll(format);
        return produce(name, command);
    }

    /** Runs {@code command} with a temporary output file appended, moves it to {@code name}, then lists its frames. */
    private static Clip produce(String name, List<String> command) {
        Path dir = dir();
        Path file = dir.resolve(name);
        Path partial = dir.resolve("partial-" + name);
        List<String> withOutput = new ArrayList<>(command);
        withOutput.add(partial.toString());
        PeerProcess.start("make-" + name, withOutput, dir, Duration.ofSeconds(120)).awaitSuccess();
        try {
            Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Clip clip = describe(file, dir);
        MADE.put(name, clip);
        return clip;
    }

    /** Decodes {@code file} once: framemd5 for the frame list, showinfo (same frame order) for which are keyframes. */
    private static Clip describe(Path file, Path dir) {
        String name = file.getFileName().toString();
        Path md5File = dir.resolve(name + ".framemd5");
        List<String> command = new ArrayList<>(List.of(Peers.ffmpeg(), "-hide_banner", "-nostdin", "-loglevel", "info", "-y",
                "-i", file.toString(), "-vf", "showinfo"));
        command.addAll(FrameMd5.videoOutput(md5File.toString()));
        PeerProcess decode = PeerProcess.start("describe-" + name, command, dir, Duration.ofSeconds(120));
        decode.awaitSuccess();
        List<String> md5s = FrameMd5.read(md5File);
        Set<String> keyframes = new LinkedHashSet<>();
        for (String line : LogFiles.lines(decode.stderrFile())) {
            Matcher m = SHOWINFO_KEYFRAME.matcher(line);
            if (m.find()) {
                keyframes.add(md5s.get(Integer.parseInt(m.group(1))));
            }
        }
        if (md5s.size() < SECONDS * FRAME_RATE || keyframes.isEmpty()
                || md5s.size() != new LinkedHashSet<>(md5s).size()) {
            throw new IllegalStateException(file + " decodes to " + md5s.size() + " frames (" + keyframes.size()
                    + " keyframes, " + new LinkedHashSet<>(md5s).size() + " distinct): not a usable test clip");
        }
        return new Clip(file, List.copyOf(md5s), Set.copyOf(keyframes), FRAME_RATE);
    }

    private static Path dir() {
        Path dir = Path.of(System.getProperty("sluice.systemtest.clips", "target/clips")).toAbsolutePath();
        try {
            return Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

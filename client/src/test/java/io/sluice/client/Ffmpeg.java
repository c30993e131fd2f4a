package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** ffmpeg as a peer of the tests: test clips, publishers, readers, and decoded frames as framemd5 lists. */
final class Ffmpeg {

    private Ffmpeg() {
    }

    static boolean available() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "ffmpeg"))) {
                return true;
            }
        }
        return false;
    }

    /** Starts ffmpeg with {@code args}, its output going to {@code log}. */
    static Process start(Path log, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-nostdin", "-loglevel", "error"));
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** Runs ffmpeg to the end (at most {@code timeoutS}) and asserts that it succeeded. */
    static void run(Path log, int timeoutS, String... args) throws IOException, InterruptedException {
        Process p = start(log, args);
        boolean done = p.waitFor(timeoutS, TimeUnit.SECONDS);
        if (!done) {
            p.destroyForcibly();
        }
        assertThat(done).as("ffmpeg finished within " + timeoutS + " s").isTrue();
        assertThat(p.exitValue()).as("ffmpeg failed: " + Files.readString(log)).isZero();
    }

    /**
     * A testsrc2 clip of H.264 (a keyframe every second, no B-frames) and AAC, {@code seconds} long, as MP4;
     * its frames all differ, so a reader's frame list must be one unbroken run of the clip's.
     */
    static Path clip(Path dir, int seconds) throws IOException, InterruptedException {
        Path mp4 = dir.resolve("clip.mp4");
        run(dir.resolve("clip.log"), 60, "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-f", "lavfi",
                "-i", "sine=frequency=440:sample_rate=48000", "-t", String.valueOf(seconds), "-c:v", "libx264",
                "-preset", "veryfast", "-g", "25", "-bf", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k",
                mp4.toString());
        return mp4;
    }

    /**
     * A testsrc2 film of H.264 with B-frames (x264's default of 3, so decoding and presentation order differ)
     * and a keyframe every second, and AAC, {@code seconds} long; every frame differs.
     */
    static Path film(Path file, int seconds) throws IOException, InterruptedException {
        run(file.resolveSibling(file.getFileName() + ".log"), 60, "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=25", "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t",
                String.valueOf(seconds), "-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-keyint_min", "25",
                "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", "aac", "-b:a", "64k", file.toString());
        return file;
    }

    /** A testsrc2 clip of video alone, encoded with {@code codecArgs}, straight to MPEG-TS as {@code NAME.ts}. */
    static Path videoOnlyTs(Path dir, String name, int seconds, List<String> codecArgs)
            throws IOException, InterruptedException {
        Path ts = dir.resolve(name + ".ts");
        List<String> args = new ArrayList<>(List.of("-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25", "-t",
                String.valueOf(seconds)));
        args.addAll(codecArgs);
        args.addAll(List.of("-pix_fmt", "yuv420p", "-f", "mpegts", ts.toString()));
        run(dir.resolve(name + ".log"), 60, args.toArray(new String[0]));
        return ts;
    }

    /** The clip remuxed to MPEG-TS, as a native pusher sends it. */
    static Path toTs(Path mp4) throws IOException, InterruptedException {
        Path ts = mp4.resolveSibling("clip.ts");
        run(mp4.resolveSibling("ts.log"), 60, "-i", mp4.toString(), "-c", "copy", "-f", "mpegts", ts.toString());
        return ts;
    }

    /** The md5 of every decoded video frame of {@code input}, in output order. */
    static List<String> frameMd5s(Path dir, String input) throws IOException, InterruptedException {
        Path out = Files.createTempFile(dir, "frames", ".md5");
        run(dir.resolve("framemd5.log"), 60, "-i", input, "-map", "0:v:0", "-fps_mode", "passthrough", "-f",
                "framemd5", "-y", out.toString());
        return parse(out);
    }

    static List<String> parse(Path framemd5) throws IOException {
        List<String> md5s = new ArrayList<>();
        for (String line : Files.readAllLines(framemd5)) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length > 5 && fields[5].trim().length() == 32) {
                md5s.add(fields[5].trim());
            }
        }
        return md5s;
    }

    /** Asserts that {@code received} is one unbroken run of {@code source} of at least {@code minFrames}. */
    static void assertUnbrokenRun(List<String> source, List<String> received, int minFrames) {
        assertThat(received).as("decoded frames").hasSizeGreaterThanOrEqualTo(minFrames);
        int start = source.indexOf(received.get(0));
        assertThat(start).as("the first frame is one of the source's").isGreaterThanOrEqualTo(0);
        assertThat(start + received.size()).as("no more frames than the source has from there")
                .isLessThanOrEqualTo(source.size());
        for (int i = 0; i < received.size(); i++) {
            assertThat(received.get(i)).as("frame " + i + " of the run (source frame " + (start + i) + ")")
                    .isEqualTo(source.get(start + i));
        }
    }
}

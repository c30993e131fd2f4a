package io.sluice.node.vod;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs the ffmpeg and ffprobe commands of the film tests, each bounded by a kill timeout. */
final class Ffmpeg {

    /** What a bounded run printed and how long it took. */
    record Run(int exitCode, List<String> stdout, String stderr, long elapsedMs) {
    }

    private Ffmpeg() {
    }

    static boolean available() {
        try {
            return run(List.of("ffmpeg", "-hide_banner", "-version"), 10).exitCode() == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /** A test clip: {@code seconds} of testsrc2 at 320x240, 25 fps, a keyframe every second, with a tone. */
    static void makeClip(Path file, int seconds, String audioCodec) throws IOException {
        Run r = run(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=320x240:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000",
                "-t", Integer.toString(seconds), "-c:v", "libx264", "-preset", "veryfast", "-g", "25",
                "-keyint_min", "25", "-sc_threshold", "0", "-pix_fmt", "yuv420p", "-c:a", audioCodec,
                file.toString()), 60);
        if (r.exitCode() != 0) {
            throw new IOException("ffmpeg could not make " + file + ": " + r.stderr());
        }
    }

    /** The md5 of every decoded video frame, in order (framemd5 without the timestamps). */
    static List<String> frameMd5(List<String> inputArgs, int timeoutSeconds) throws IOException {
        Run r = frameMd5Run(inputArgs, timeoutSeconds);
        return r.stdout();
    }

    static Run frameMd5Run(List<String> inputArgs, int timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"));
        cmd.addAll(inputArgs);
        cmd.addAll(List.of("-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"));
        Run r = run(cmd, timeoutSeconds);
        List<String> md5s = new ArrayList<>();
        for (String line : r.stdout()) {
            if (!line.startsWith("#") && !line.isBlank()) {
                String[] cols = line.split(",");
                md5s.add(cols[cols.length - 1].strip());
            }
        }
        return new Run(r.exitCode(), md5s, r.stderr(), r.elapsedMs());
    }

    /** The timestamp of every decoded video frame, in the frame rate's time base, in order. */
    static List<Long> framePts(List<String> inputArgs, int timeoutSeconds) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin"));
        cmd.addAll(inputArgs);
        cmd.addAll(List.of("-map", "0:v:0", "-fps_mode", "passthrough", "-f", "framemd5", "-"));
        List<Long> pts = new ArrayList<>();
        for (String line : run(cmd, timeoutSeconds).stdout()) {
            if (!line.startsWith("#") && !line.isBlank()) {
                pts.add(Long.parseLong(line.split(",")[1].strip()));
            }
        }
        return pts;
    }

    /** Packets of every stream of a file, as FFmpeg's demuxer reads them. */
    static long packetCount(Path file) throws IOException {
        Run r = run(List.of("ffprobe", "-v", "error", "-count_packets", "-show_entries", "stream=nb_read_packets",
                "-of", "csv=p=0", file.toString()), 30);
        long sum = 0;
        for (String line : r.stdout()) {
            if (!line.isBlank()) {
                sum += Long.parseLong(line.strip().replace(",", ""));
            }
        }
        return sum;
    }

    static Run run(List<String> command, int timeoutSeconds) throws IOException {
        long startNs = System.nanoTime();
        Process p = new ProcessBuilder(command).start();
        StringBuilder err = new StringBuilder();
        Thread errReader = Thread.ofVirtual().start(() -> drain(p.getErrorStream(), err));
        List<String> out = new ArrayList<>();
        StringBuilder outText = new StringBuilder();
        Thread outReader = Thread.ofVirtual().start(() -> drain(p.getInputStream(), outText));
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            outReader.join(5000);
            errReader.join(5000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        long elapsedMs = (System.nanoTime() - startNs) / 1_000_000;
        out.addAll(outText.toString().lines().toList());
        int code = p.isAlive() ? -1 : p.exitValue();
        return new Run(code, out, err.toString(), elapsedMs);
    }

    private static void drain(InputStream in, StringBuilder into) {
        try (in) {
            String text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            synchronized (into) {
                into.append(text);
            }
        } catch (IOException ignored) {
            // the process is gone
        }
    }
}

package io.sluice.systemtest.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * Finds the peer programs. A machine without one makes the tests that need it skip, with the
 * reason, through JUnit assumptions: a missing peer must never look like a passing test.
 */
public final class Peers {

    /** Debian's python3, which has gi; a pyenv python3 earlier on PATH does not. */
    private static final Path SYSTEM_PYTHON = Path.of("/usr/bin/python3");
    private static final List<String> GST_READER_ELEMENTS =
            List.of("rtspsrc", "rtph264depay", "h264parse", "matroskamux", "filesink", "fakesink");

    private Peers() {
    }

    /** ffmpeg on PATH, else the program shipped in org.bytedeco:ffmpeg's linux-x86_64-gpl jar; skips if neither runs. */
    public static String ffmpeg() {
        Located ffmpeg = Ffmpeg.LOCATED;
        assumeTrue(ffmpeg.path != null, ffmpeg.problem);
        return ffmpeg.path;
    }

    /** Skips unless the ffmpeg found has all {@code encoders} (for example libx265, libopus). */
    public static void requireEncoders(String... encoders) {
        String listing = Ffmpeg.ENCODERS;
        for (String encoder : encoders) {
            assumeTrue(listing.contains(" " + encoder + " "), "ffmpeg " + ffmpeg() + " has no encoder " + encoder);
        }
    }

    /** gst-launch-1.0 on PATH with the elements the readers use; skips otherwise. */
    public static String gstLaunch() {
        Located gst = Gstreamer.LOCATED;
        assumeTrue(gst.path != null, gst.problem);
        return gst.path;
    }

    /** True when {@link #gstLaunch()} would not skip: for a test where GStreamer is one step among others. */
    public static boolean hasGstLaunch() {
        return Gstreamer.LOCATED.path != null;
    }

    /** /usr/bin/python3 able to import GStreamer's RTSP server through gi; skips otherwise. */
    public static String pythonWithGstRtspServer() {
        Located python = GstPython.LOCATED;
        assumeTrue(python.path != null, python.problem);
        return python.path;
    }

    private record Located(String path, String problem) {
        static Located found(String path) {
            return new Located(path, null);
        }

        static Located missing(String problem) {
            return new Located(null, problem);
        }
    }

    private static final class Ffmpeg {
        static final Located LOCATED = locate();
        static final String ENCODERS = LOCATED.path == null ? "" : run(List.of(LOCATED.path, "-hide_banner", "-encoders")).orElse("");

        private static Located locate() {
            Optional<Path> onPath = onPath("ffmpeg");
            if (onPath.isPresent() && run(List.of(onPath.get().toString(), "-version")).isPresent()) {
                return Located.found(onPath.get().toString());
            }
            String bundled;
            try {
                // The gpl build (it has libx264/libx265) is the only one on the test classpath.
                System.setProperty("org.bytedeco.javacpp.platform.extension", "-gpl");
                bundled = org.bytedeco.javacpp.Loader.load(org.bytedeco.ffmpeg.ffmpeg.class);
            } catch (Throwable e) {
                return Located.missing("no ffmpeg on PATH and the org.bytedeco:ffmpeg program did not load: " + e);
            }
            if (bundled != null && run(List.of(bundled, "-version")).isPresent()) {
                return Located.found(bundled);
            }
            return Located.missing("no ffmpeg on PATH and the org.bytedeco:ffmpeg program " + bundled + " does not run");
        }
    }

    private static final class Gstreamer {
        static final Located LOCATED = locate();

        private static Located locate() {
            Optional<Path> launch = onPath("gst-launch-1.0");
            Optional<Path> inspect = onPath("gst-inspect-1.0");
            if (launch.isEmpty() || inspect.isEmpty()) {
                return Located.missing("gst-launch-1.0 or gst-inspect-1.0 is not on PATH");
            }
            for (String element : GST_READER_ELEMENTS) {
                if (run(List.of(inspect.get().toString(), "--exists", element)).isEmpty()) {
                    return Located.missing("GStreamer has no element " + element + " (good/bad plugins missing?)");
                }
            }
            return Located.found(launch.get().toString());
        }
    }

    private static final class GstPython {
        static final Located LOCATED = locate();

        private static Located locate() {
            if (!Files.isExecutable(SYSTEM_PYTHON)) {
                return Located.missing(SYSTEM_PYTHON + " does not exist");
            }
            String probe = "import gi; gi.require_version('Gst', '1.0'); gi.require_version('GstRtspServer', '1.0');"
                    + " from gi.repository import Gst, GstRtspServer";
            if (run(List.of(SYSTEM_PYTHON.toString(), "-c", probe)).isEmpty()) {
                return Located.missing(SYSTEM_PYTHON + " cannot import gi's GstRtspServer (gir1.2-gst-rtsp-server-1.0 missing?)");
            }
            return Located.found(SYSTEM_PYTHON.toString());
        }
    }

    /** {@code program} in a directory of PATH, if it is there and executable. */
    static Optional<Path> onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, program);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** Runs a short probe command; its output when it exits with 0 within 20 s, else empty. */
    private static Optional<String> run(List<String> command) {
        Path output = null;
        try {
            output = Files.createTempFile("sluice-peer-probe", ".out");
            Process process = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true)
                    .redirectOutput(output.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                return Optional.empty();
            }
            return process.exitValue() == 0 ? Optional.of(Files.readString(output, StandardCharsets.ISO_8859_1)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}

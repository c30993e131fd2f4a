package io.sluice.bench.vodload;

import io.sluice.bench.load.Processes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * GStreamer's RTSP server (gst-rtsp-server through Debian's {@code /usr/bin/python3} and gi) serving the same
 * folder with one pipeline per viewer, see {@code gst_rtsp_vod.py}. Each viewer's pipeline opens and demuxes
 * the file, so its demuxers are its viewers.
 */
final class GstFilmServer extends FilmServer {

    private static final String SCRIPT = "gst_rtsp_vod.py";

    private final int rtspPort;

    private GstFilmServer(Path log, int rtspPort) {
        super(log);
        this.rtspPort = rtspPort;
    }

    static GstFilmServer start(Path dir, Path media, int rtspPort) throws IOException, InterruptedException {
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = GstFilmServer.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT + " missing from the benchmark jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        GstFilmServer s = new GstFilmServer(dir.resolve("gstreamer.log"), rtspPort);
        Files.deleteIfExists(s.log);
        s.process = Processes.start(List.of("/usr/bin/python3", "-u", script.toString(), "--port",
                Integer.toString(rtspPort), "--media-dir", media.toString()), dir, s.log, Map.of());
        s.awaitRtspPort(30_000);
        return s;
    }

    @Override
    String name() {
        return "GStreamer";
    }

    @Override
    int rtspPort() {
        return rtspPort;
    }

    @Override
    boolean isJvm() {
        return false;
    }

    @Override
    long demuxersOpened(long logOffset) {
        return -1;
    }
}

package io.sluice.bench.vodload;

import io.sluice.bench.common.GstRtspServer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * GStreamer's RTSP server serving the same folder with one pipeline per viewer, see
 * {@code gst_rtsp_server.py --media-dir}. Each viewer's pipeline opens and demuxes the file, so its
 * demuxers are its viewers.
 */
final class GstFilmServer extends FilmServer {

    private GstFilmServer(Path log, int rtspPort) {
        super("GStreamer", false, rtspPort, log);
    }

    static GstFilmServer start(Path dir, Path media, int rtspPort) throws IOException, InterruptedException {
        GstFilmServer s = new GstFilmServer(dir.resolve("gstreamer.log"), rtspPort);
        s.launch(GstRtspServer.command(dir, rtspPort, List.of("--media-dir", media.toString())), dir, 30_000);
        return s;
    }

    @Override
    long demuxersOpened(long logOffset) {
        return -1;
    }
}

package io.sluice.bench.common;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

/**
 * GStreamer's RTSP server, the side-by-side peer of the load benchmarks: {@code gst_rtsp_server.py}
 * (gst-rtsp-server through Debian's {@code /usr/bin/python3} and gi), copied out of the benchmark jar
 * into the run's folder and started there.
 */
public final class GstRtspServer {

    private static final String SCRIPT = "gst_rtsp_server.py";

    private GstRtspServer() {
    }

    /**
     * The command line of the script in {@code dir} (written there first) listening on {@code rtspPort},
     * with the mode's {@code arguments}: {@code --udp-port P --caps C} relays a live stream,
     * {@code --media-dir D} serves films.
     */
    public static List<String> command(Path dir, int rtspPort, List<String> arguments) throws IOException {
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = GstRtspServer.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT + " missing from the benchmark jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", "-u", script.toString(),
                "--port", Integer.toString(rtspPort)));
        cmd.addAll(arguments);
        return cmd;
    }
}

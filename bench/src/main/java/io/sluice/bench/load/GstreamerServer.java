package io.sluice.bench.load;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * GStreamer's RTSP server (gst-rtsp-server through Debian's {@code /usr/bin/python3} and gi) relaying the
 * same RTP stream, sent by the load generator to its {@code udpsrc}; see {@code gst_rtsp_relay.py}.
 */
final class GstreamerServer extends ServerUnderTest {

    private static final String SCRIPT = "gst_rtsp_relay.py";

    private final int rtspPort;
    private final int udpPort;

    private GstreamerServer(Path dir, int rtspPort, int udpPort) {
        super(dir);
        this.rtspPort = rtspPort;
        this.udpPort = udpPort;
    }

    static GstreamerServer start(Path dir, int rtspPort, int udpPort, RtpCapture capture)
            throws IOException, InterruptedException {
        Path script = dir.resolve(SCRIPT);
        try (InputStream in = GstreamerServer.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IOException("resource " + SCRIPT + " missing from the benchmark jar");
            }
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
        }
        GstreamerServer s = new GstreamerServer(dir, rtspPort, udpPort);
        s.process = Processes.start(List.of("/usr/bin/python3", "-u", script.toString(),
                "--port", Integer.toString(rtspPort), "--udp-port", Integer.toString(udpPort),
                "--caps", capture.gstCaps()), dir, dir.resolve("gstreamer.log"), Map.of());
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
    ReplayPublisher publish(RtpCapture capture, SendTimes sendTimes) throws IOException {
        DatagramChannel[] pair = UdpPorts.bindPair(1 << 20);
        pair[0].configureBlocking(true);
        UdpPorts.closeQuietly(pair[1]);
        ReplayPublisher p = new ReplayPublisher(capture, pair[0], new InetSocketAddress(HOST, udpPort), null, null,
                sendTimes);
        p.start();
        return p;
    }
}

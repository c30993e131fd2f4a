package io.sluice.bench.load;

import io.sluice.bench.common.GstRtspServer;
import io.sluice.bench.common.UdpPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Path;
import java.util.List;

/**
 * GStreamer's RTSP server relaying the same RTP stream, sent by the load generator to its {@code udpsrc};
 * see {@code gst_rtsp_server.py}.
 */
final class GstreamerServer extends ServerUnderTest {

    private final int udpPort;

    private GstreamerServer(Path log, int rtspPort, int udpPort) {
        super("GStreamer", false, rtspPort, log);
        this.udpPort = udpPort;
    }

    static GstreamerServer start(Path dir, int rtspPort, int udpPort, RtpCapture capture)
            throws IOException, InterruptedException {
        GstreamerServer s = new GstreamerServer(dir.resolve("gstreamer.log"), rtspPort, udpPort);
        s.launch(GstRtspServer.command(dir, rtspPort,
                List.of("--udp-port", Integer.toString(udpPort), "--caps", capture.gstCaps())), dir, 30_000);
        return s;
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

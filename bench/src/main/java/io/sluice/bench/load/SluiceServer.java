package io.sluice.bench.load;

import io.sluice.bench.common.RtspControl;
import io.sluice.bench.common.SluiceServe;
import io.sluice.bench.common.UdpPorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * {@code sluice serve} as a child JVM, run from the built application ({@code app/target/sluice-app.jar} and
 * {@code app/target/lib}) exactly as {@code ./sluice} runs it, with the benchmark's extra {@code serve}
 * options if any. The stream is published the way ffmpeg publishes over UDP: key from
 * {@code POST /api/v1/streams}, then ANNOUNCE, SETUP with {@code client_port}, RECORD; the packets then go
 * to the node's shared RTP port.
 */
final class SluiceServer extends ServerUnderTest {

    private final int portOffset;
    private RtspControl publisherControl;

    private SluiceServer(Path log, int portOffset) {
        super("Sluice", true, SluiceServe.rtspPort(portOffset), log);
        this.portOffset = portOffset;
    }

    static SluiceServer start(Path dir, Path appTarget, int portOffset, List<String> serveOptions)
            throws IOException, InterruptedException {
        SluiceServer s = new SluiceServer(dir.resolve("sluice.log"), portOffset);
        s.launch(SluiceServe.command(SluiceServe.appClassPath(appTarget), List.of(), portOffset,
                Files.createDirectories(dir.resolve("sluice-data")), Files.createDirectories(dir.resolve("sluice-media")),
                "warn", serveOptions), dir, 30_000);
        return s;
    }

    @Override
    ReplayPublisher publish(RtpCapture capture, SendTimes sendTimes) throws IOException {
        String key = SluiceServe.createKey(portOffset, "bench");
        String base = "rtsp://" + HOST + ":" + rtspPort() + "/live/bench?key=" + key;
        DatagramChannel[] pair = UdpPorts.bindPair(1 << 20);
        pair[0].configureBlocking(true);
        pair[1].configureBlocking(true);
        int clientRtp = ((InetSocketAddress) pair[0].getLocalAddress()).getPort();
        publisherControl = RtspControl.connect(HOST, rtspPort(), 10_000);
        RtspControl.Response announce = publisherControl.request("ANNOUNCE", base, capture.announceSdp())
                .requireOk("ANNOUNCE");
        String session = RtspControl.sessionId(announce);
        RtspControl.Response setup = publisherControl.request("SETUP", base + "/streamid=0", null,
                "Transport: RTP/AVP/UDP;unicast;client_port=" + clientRtp + "-" + (clientRtp + 1) + ";mode=record",
                "Session: " + session).requireOk("SETUP");
        int[] serverPorts = RtspControl.transportPorts(setup, "server_port");
        publisherControl.request("RECORD", base, null, "Session: " + session, "Range: npt=0.000-")
                .requireOk("RECORD");
        ReplayPublisher p = new ReplayPublisher(capture, pair[0], new InetSocketAddress(HOST, serverPorts[0]),
                pair[1], new InetSocketAddress(HOST, serverPorts[1]), sendTimes);
        p.start();
        return p;
    }

    @Override
    public void close() {
        UdpPorts.closeQuietly(publisherControl);
        super.close();
    }
}

package io.sluice.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice serve} as a child JVM, run from the built application ({@code app/target/sluice-app.jar} and
 * {@code app/target/lib}) exactly as {@code ./sluice} runs it, plus the benchmark's JVM options. The stream
 * is published the way ffmpeg publishes over UDP: key from {@code POST /api/v1/streams}, then ANNOUNCE, SETUP
 * with {@code client_port}, RECORD; the packets then go to the node's shared RTP port.
 */
final class SluiceServer extends ServerUnderTest {

    private static final Pattern LIVE_CODE = Pattern.compile("\"liveCode\"\\s*:\\s*\"([^\"]+)\"");

    private final int portOffset;
    private RtspControl publisherControl;

    private SluiceServer(Path dir, int portOffset) {
        super(dir);
        this.portOffset = portOffset;
    }

    static SluiceServer start(Path dir, Path appTarget, int portOffset, List<String> jvmOptions)
            throws IOException, InterruptedException {
        Path jar = appTarget.resolve("sluice-app.jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("no " + jar + ": build the application first (./mvnw -q -B install -DskipTests)");
        }
        SluiceServer s = new SluiceServer(dir, portOffset);
        Path data = Files.createDirectories(dir.resolve("sluice-data"));
        Path media = Files.createDirectories(dir.resolve("sluice-media"));
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("--enable-native-access=ALL-UNNAMED");
        cmd.addAll(jvmOptions);
        cmd.addAll(List.of("-cp", jar + ":" + appTarget.resolve("lib") + "/*", "io.sluice.app.SluiceCommand", "serve",
                "--bind-address", HOST, "--port-offset", Integer.toString(portOffset),
                "--data-dir", data.toString(), "--media-dir", media.toString(), "--log-level", "warn"));
        s.process = Processes.start(cmd, dir, dir.resolve("sluice.log"), Map.of());
        s.awaitRtspPort(30_000);
        return s;
    }

    @Override
    String name() {
        return "Sluice";
    }

    @Override
    int rtspPort() {
        return 8554 + portOffset;
    }

    @Override
    boolean isJvm() {
        return true;
    }

    @Override
    ReplayPublisher publish(RtpCapture capture, SendTimes sendTimes) throws IOException {
        String key = createKey();
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

    private String createKey() throws IOException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest post = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + (8080 + portOffset) + "/api/v1/streams"))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"liveId\":\"bench\"}"))
                .build();
        try {
            HttpResponse<String> r = http.send(post, HttpResponse.BodyHandlers.ofString());
            Matcher m = LIVE_CODE.matcher(r.body());
            if (r.statusCode() / 100 != 2 || !m.find()) {
                throw new IOException("POST /api/v1/streams answered " + r.statusCode() + " " + r.body());
            }
            return m.group(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while creating the stream key", e);
        }
    }

    @Override
    public void close() {
        UdpPorts.closeQuietly(publisherControl);
        super.close();
    }
}

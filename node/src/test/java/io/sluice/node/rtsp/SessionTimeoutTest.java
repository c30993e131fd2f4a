package io.sluice.node.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.keys.StreamKey;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.node.testing.LoopbackConfig;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A UDP session that shows no sign of life for the session timeout is closed, by an injected clock. */
class SessionTimeoutTest {

    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=t\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:streamid=0\r\n";

    @TempDir
    Path dir;

    /** One request on an open connection; answers the status code. */
    private static int request(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        String status = in.readLine();
        int length = 0;
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.skip(length);
        return Integer.parseInt(status.split(" ")[1]);
    }

    private static int describe(int port) throws IOException {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            return request(s, "DESCRIBE rtsp://127.0.0.1:" + port + "/live/cam RTSP/1.0\r\nCSeq: 1\r\n\r\n");
        }
    }

    @Test
    void aSilentUdpPublisherIsClosedAfterTheTimeoutAndItsPathFreed() throws Exception {
        AtomicLong clockNs = new AtomicLong();
        NodeConfig.Builder b = LoopbackConfig.builder(dir);
        b.sessionTimeout = Duration.ofSeconds(60);
        StreamKeyStore keys = StreamKeyStore.open(b.dataDir);
        StreamKey key = keys.create("cam");
        try (MediaNode node = MediaNode.start(b.build(), keys, clockNs::get);
             Socket publisher = new Socket("127.0.0.1", node.rtspPort())) {
            publisher.setSoTimeout(5000);
            String base = "rtsp://127.0.0.1:" + node.rtspPort() + "/live/cam?key=" + key.liveCode();
            assertThat(request(publisher, "ANNOUNCE " + base + " RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\n"
                    + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP)).isEqualTo(200);
            String session = node.rtspSessions().get(0).id();
            assertThat(request(publisher, "SETUP " + base + "/streamid=0 RTSP/1.0\r\nCSeq: 2\r\nSession: " + session
                    + "\r\nTransport: RTP/AVP/UDP;unicast;client_port=40000-40001;mode=record\r\n\r\n")).isEqualTo(200);
            assertThat(request(publisher, "RECORD " + base + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session
                    + "\r\n\r\n")).isEqualTo(200);
            assertThat(describe(node.rtspPort())).isEqualTo(200);

            clockNs.set(Duration.ofSeconds(59).toNanos());
            Thread.sleep(1500);   // the sweeper runs every second
            assertThat(node.sessionCount()).as("59 s of silence is within the timeout").isEqualTo(1);

            clockNs.set(Duration.ofSeconds(61).toNanos());
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (node.sessionCount() > 0 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(node.sessionCount()).as("61 s of silence").isZero();
            assertThat(node.counters().sessionTimeouts.sum()).isEqualTo(1);
            assertThat(describe(node.rtspPort())).as("the path is free again").isEqualTo(404);
        }
    }
}

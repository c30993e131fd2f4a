package io.sluice.systemtest;

import io.sluice.systemtest.harness.Clip;
import io.sluice.systemtest.harness.FfmpegCommands;
import io.sluice.systemtest.harness.FrameMd5;
import io.sluice.systemtest.harness.PeerProcess;
import io.sluice.systemtest.harness.RtspConnection;
import io.sluice.systemtest.harness.RtspResponse;
import io.sluice.systemtest.harness.SluiceServerProcess;
import io.sluice.systemtest.harness.StreamKey;
import io.sluice.systemtest.harness.StreamProbe;
import io.sluice.systemtest.harness.SystemTestExtension;
import io.sluice.systemtest.harness.SystemTestRun;
import io.sluice.systemtest.harness.TestClips;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Malformed, hostile and out-of-order input on raw sockets, while ffmpeg publishes a live stream
 * and an ffmpeg reader reads it: each bad input gets its status code or is dropped, the server
 * stays up, and the concurrent reader still receives an unbroken run of frames.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BadInputTest {

    private static final double READ_SECONDS = 7;
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(3);
    private static final int MAX_REQUEST_LINE = 4096;
    private static final int MAX_HEADERS = 8192;
    private static final String SDP = String.join("\r\n",
            "v=0", "o=- 0 0 IN IP4 127.0.0.1", "s=intruder", "c=IN IP4 127.0.0.1", "t=0 0",
            "m=video 0 RTP/AVP 96", "a=rtpmap:96 H264/90000", "a=fmtp:96 packetization-mode=1", "a=control:streamid=0", "");

    private final Random random = new Random(20251122);
    private SluiceServerProcess server;
    private String url;
    private StreamKey key;

    @Test
    void badInputIsAnsweredOrDroppedWhileAReaderKeepsItsUnbrokenRun(SystemTestRun run) throws Exception {
        Clip clip = TestClips.h264Aac();
        server = run.server();
        key = server.createKey("target");
        url = server.liveUrl(key.liveId());
        // Three passes of the clip: the checks below need the stream live even on a slow, busy machine.
        PeerProcess publisher = run.peer("publisher-tcp",
                FfmpegCommands.publishLooped(clip, server.publishUrl(key), "tcp", 2), Duration.ofSeconds(45));
        StreamProbe.awaitDescribable(server.rtspPort(), url, Duration.ofSeconds(10));
        Path frames = run.dir().resolve("reader-udp.framemd5");
        PeerProcess reader = run.peer("reader-udp", FfmpegCommands.readVideo(url, "udp", READ_SECONDS, frames.toString()),
                Duration.ofSeconds(25));

        SoftAssertions softly = new SoftAssertions();
        check(softly, "garbage bytes", this::garbage);
        check(softly, "truncated request, then close", this::truncatedRequest);
        check(softly, "oversize request line", this::oversizeRequestLine);
        check(softly, "oversize headers", this::oversizeHeaders);
        check(softly, "unknown method", this::unknownMethod);
        check(softly, "$ frames on unset channels", this::interleavedOnUnsetChannels);
        check(softly, "$ frame with a bad length", this::interleavedWithBadLength);
        check(softly, "RTP and RTCP from an unknown address", s -> strayDatagrams());
        check(softly, "wrong or missing key", this::wrongKey);
        check(softly, "second publisher", this::secondPublisher);
        check(softly, "PLAY before SETUP", this::playBeforeSetup);
        check(softly, "RECORD in a play session, $ on an unset channel of a session", this::recordInPlaySession);
        check(softly, "unknown transport", this::unknownTransport);
        check(softly, "reading a missing path", this::missingPath);
        // Keep it up while the reader reads; the answers were checked once above.
        while (reader.isAlive()) {
            noise();
        }

        reader.awaitSuccess();
        FrameMd5.assertUnbrokenRun("ffmpeg reader during the bad input", clip.videoMd5s(), FrameMd5.read(frames),
                clip.minFrames(READ_SECONDS));
        softly.assertThat(server.isAlive()).as("server alive after all bad input").isTrue();
        softly.assertAll();
        Publishers.assertStillPublishingOrDone(publisher);
    }

    private interface Case {
        void run(SoftAssertions softly) throws Exception;
    }

    /** Runs one case; an exception is that case's failure, and every case ends by checking the server still answers. */
    private void check(SoftAssertions softly, String name, Case check) {
        try {
            check.run(softly);
        } catch (Exception | AssertionError e) {
            softly.fail(name + ": " + e);
        }
        try (RtspConnection rtsp = open()) {
            softly.assertThat(rtsp.request("OPTIONS", "*", Map.of()).status()).as("OPTIONS answered after: " + name).isEqualTo(200);
        } catch (Exception e) {
            softly.fail("after " + name + " the server no longer answers OPTIONS: " + e);
        }
    }

    private RtspConnection open() {
        return RtspConnection.open(server.rtspPort(), READ_TIMEOUT);
    }

    /** Status 400, then the server closes the connection. */
    private void expect400AndClose(SoftAssertions softly, String name, RtspConnection rtsp) throws IOException {
        RtspResponse response = rtsp.readResponse();
        softly.assertThat(response.status()).as(name + ": status").isEqualTo(400);
        softly.assertThat(rtsp.awaitClosedByServer(READ_TIMEOUT)).as(name + ": connection closed after the 400").isTrue();
    }

    private void garbage(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            byte[] junk = new byte[600];
            random.nextBytes(junk);
            junk[0] = 0x16; // a TLS record header, not '$' (interleaved data) and no RTSP method
            rtsp.write(junk);
            rtsp.write("\r\n\r\n");
            expect400AndClose(softly, "garbage", rtsp);
        }
    }

    private void truncatedRequest(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            rtsp.write("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\nAcce");
            rtsp.shutdownOutput();
            softly.assertThat(rtsp.awaitClosedByServer(READ_TIMEOUT)).as("truncated request: server closes after the client's FIN")
                    .isTrue();
        }
    }

    private void oversizeRequestLine(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            rtsp.write("DESCRIBE " + url + "/" + "a".repeat(MAX_REQUEST_LINE) + " RTSP/1.0\r\nCSeq: 1\r\n\r\n");
            expect400AndClose(softly, "oversize request line", rtsp);
        }
    }

    private void oversizeHeaders(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            StringBuilder request = new StringBuilder("DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n");
            for (int i = 0; request.length() <= MAX_HEADERS + 1000; i++) {
                request.append("X-Padding-").append(i).append(": ").append("b".repeat(1000)).append("\r\n");
            }
            rtsp.write(request.append("\r\n").toString());
            expect400AndClose(softly, "oversize headers", rtsp);
        }
    }

    private void unknownMethod(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            softly.assertThat(rtsp.request("FROBNICATE", url, Map.of()).status()).as("unknown method").isEqualTo(501);
        }
    }

    private void interleavedOnUnsetChannels(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            rtsp.write(new byte[] {'$', 7, 0, 4, 1, 2, 3, 4});
            rtsp.write(new byte[] {'$', 0, 0, 0});
            softly.assertThat(rtsp.request("OPTIONS", "*", Map.of()).status())
                    .as("OPTIONS on the same connection after $ frames on channels no session set up").isEqualTo(200);
        }
    }

    private void interleavedWithBadLength(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            // Announces 65535 bytes, sends 100, then gives up: the server must not wait for ever or fall over.
            byte[] frame = new byte[104];
            frame[0] = '$';
            frame[1] = 1;
            frame[2] = (byte) 0xff;
            frame[3] = (byte) 0xff;
            rtsp.write(frame);
            rtsp.shutdownOutput();
            softly.assertThat(rtsp.awaitClosedByServer(READ_TIMEOUT)).as("truncated $ frame: server closes after the client's FIN")
                    .isTrue();
        }
    }

    private void strayDatagrams() throws IOException {
        try (DatagramSocket socket = new DatagramSocket()) {
            InetAddress loopback = InetAddress.getLoopbackAddress();
            for (int i = 0; i < 50; i++) {
                byte[] packet = new byte[i % 5 == 0 ? i % 3 : 200 + random.nextInt(1000)];
                random.nextBytes(packet);
                if (packet.length >= 12 && i % 2 == 0) {
                    packet[0] = (byte) 0x80; // RTP version 2, payload type 96 like the published video
                    packet[1] = (byte) (i % 4 == 0 ? 0xe0 : 0x60);
                }
                socket.send(new DatagramPacket(packet, packet.length, loopback, server.rtpPort()));
                byte[] rtcp = new byte[] {(byte) 0x81, (byte) 200, 0x00, (byte) 0xff, 1, 2, 3, 4}; // SR claiming 1 KB
                socket.send(new DatagramPacket(rtcp, rtcp.length, loopback, server.rtcpPort()));
            }
        }
    }

    private void wrongKey(SoftAssertions softly) throws IOException {
        for (String target : List.of(server.liveUrl("intruded") + "?key=wrong", server.liveUrl(key.liveId()) + "?key=wrong",
                server.liveUrl("intruded"))) {
            try (RtspConnection rtsp = open()) {
                RtspResponse response = rtsp.request("ANNOUNCE", target, Map.of("Content-Type", "application/sdp"), SDP);
                softly.assertThat(response.status()).as("ANNOUNCE " + target).isEqualTo(401);
                List<String> challenges = response.headers("WWW-Authenticate");
                softly.assertThat(challenges).as("challenges for ANNOUNCE " + target)
                        .anySatisfy(c -> softly.assertThat(c).startsWithIgnoringCase("Basic"))
                        .anySatisfy(c -> softly.assertThat(c).startsWithIgnoringCase("Digest"));
            }
        }
    }

    /** The path already has ffmpeg as its publisher: a second one with the right key is refused at ANNOUNCE, SETUP or RECORD. */
    private void secondPublisher(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            String publishUrl = server.publishUrl(key);
            RtspResponse response = rtsp.request("ANNOUNCE", publishUrl, Map.of("Content-Type", "application/sdp"), SDP);
            if (response.status() == 200) {
                response = rtsp.request("SETUP", publishUrl + "/streamid=0",
                        Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record"));
            }
            if (response.status() == 200) {
                response = rtsp.request("RECORD", publishUrl, Map.of("Session", response.session().orElse("")));
            }
            softly.assertThat(response.status()).as("second publisher on a live path").isEqualTo(403);
        }
    }

    private void playBeforeSetup(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            softly.assertThat(rtsp.request("DESCRIBE", url, Map.of("Accept", "application/sdp")).status())
                    .as("DESCRIBE of the live path").isEqualTo(200);
            softly.assertThat(rtsp.request("PLAY", url, Map.of("Range", "npt=0.000-")).status()).as("PLAY before SETUP").isEqualTo(455);
        }
    }

    private void recordInPlaySession(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            RtspResponse describe = rtsp.request("DESCRIBE", url, Map.of("Accept", "application/sdp"));
            RtspResponse setup = rtsp.request("SETUP", firstTrackUrl(describe),
                    Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"));
            softly.assertThat(setup.status()).as("SETUP of a reader over TCP").isEqualTo(200);
            String session = setup.session().orElse("");
            rtsp.write(new byte[] {'$', 9, 0, 3, 1, 2, 3});
            softly.assertThat(rtsp.request("RECORD", url, Map.of("Session", session)).status())
                    .as("RECORD in a session set up for playing").isEqualTo(455);
            String elsewhere = url.replaceFirst("/live/[^/?]+", "/live/elsewhere");
            softly.assertThat(rtsp.request("PLAY", elsewhere, Map.of("Session", session)).status())
                    .as("PLAY of another path on this session").isEqualTo(400);
            softly.assertThat(rtsp.request("PAUSE", elsewhere, Map.of("Session", session)).status())
                    .as("PAUSE of another path on this session").isEqualTo(400);
            softly.assertThat(rtsp.request("TEARDOWN", url, Map.of("Session", session)).status())
                    .as("TEARDOWN after $ on an unset channel and a refused RECORD").isEqualTo(200);
        }
    }

    private void unknownTransport(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            RtspResponse describe = rtsp.request("DESCRIBE", url, Map.of("Accept", "application/sdp"));
            softly.assertThat(rtsp.request("SETUP", firstTrackUrl(describe), Map.of("Transport", "RAW/RAW/UDP;unicast;client_port=5000-5001"))
                    .status()).as("SETUP with an unsupported transport").isEqualTo(461);
        }
    }

    private void missingPath(SoftAssertions softly) throws IOException {
        try (RtspConnection rtsp = open()) {
            softly.assertThat(rtsp.request("DESCRIBE", server.liveUrl("nobody-publishes-this"), Map.of("Accept", "application/sdp"))
                    .status()).as("DESCRIBE of a path without a publisher").isEqualTo(404);
        }
    }

    /** The same kinds of bad input again, answers unchecked: they only need to not disturb the reader. */
    private void noise() throws IOException {
        SoftAssertions ignored = new SoftAssertions();
        for (Case c : List.<Case>of(this::garbage, this::oversizeRequestLine, this::interleavedWithBadLength,
                s -> strayDatagrams(), this::wrongKey, this::secondPublisher)) {
            try {
                c.run(ignored);
            } catch (Exception e) {
                // Only the concurrent reader's frames count here.
            }
        }
    }

    /** The absolute control URL of the first media in a DESCRIBE answer. */
    private String firstTrackUrl(RtspResponse describe) {
        String base = describe.header("Content-Base").orElse(url + "/");
        String sdp = describe.body();
        int media = sdp.indexOf("m=");
        String control = null;
        for (String line : sdp.substring(Math.max(media, 0)).split("\r?\n")) {
            if (line.startsWith("a=control:")) {
                control = line.substring("a=control:".length()).trim();
                break;
            }
        }
        if (control == null || control.equals("*")) {
            return url;
        }
        if (control.startsWith("rtsp://")) {
            return control;
        }
        return (base.endsWith("/") ? base : base + "/") + control;
    }
}

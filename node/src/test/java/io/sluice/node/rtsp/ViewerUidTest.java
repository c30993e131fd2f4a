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
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reader's session keeps the uid its URL named ({@code ?uid=}, as a load balancer's URLs carry it), from the
 * SETUP itself or, since players set tracks up at the Content-Base without the query, from the connection's
 * DESCRIBE of the same stream; the node lists it with the session so that the cluster can tell that user's end.
 */
@Timeout(30)
class ViewerUidTest {

    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=t\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:streamid=0\r\n";

    @TempDir
    Path dir;

    /** One request on an open connection: the status code and the headers, names lower-cased. */
    private static Map<String, String> request(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.UTF_8));
        out.flush();
        BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
        Map<String, String> answer = new TreeMap<>();
        answer.put("status", in.readLine().split(" ")[1]);
        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
            int colon = line.indexOf(':');
            answer.put(line.substring(0, colon).toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
        }
        in.skip(Integer.parseInt(answer.getOrDefault("content-length", "0")));
        return answer;
    }

    private static String setup(String url, int cseq) {
        return "SETUP " + url + " RTSP/1.0\r\nCSeq: " + cseq
                + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n";
    }

    private static String describe(String url, int cseq) {
        return "DESCRIBE " + url + " RTSP/1.0\r\nCSeq: " + cseq + "\r\n\r\n";
    }

    @Test
    void aReaderSessionKeepsTheUidOfItsSetupOrOfItsDescribe() throws Exception {
        NodeConfig.Builder b = LoopbackConfig.builder(dir);
        b.sessionTimeout = Duration.ofSeconds(60);
        StreamKeyStore keys = StreamKeyStore.open(b.dataDir);
        StreamKey key = keys.create("cam");
        try (MediaNode node = MediaNode.start(b.build(), keys, System::nanoTime);
             Socket publisher = new Socket("127.0.0.1", node.rtspPort());
             Socket described = new Socket("127.0.0.1", node.rtspPort());
             Socket direct = new Socket("127.0.0.1", node.rtspPort());
             Socket anonymous = new Socket("127.0.0.1", node.rtspPort());
             Socket elsewhere = new Socket("127.0.0.1", node.rtspPort())) {
            for (Socket s : new Socket[] {publisher, described, direct, anonymous, elsewhere}) {
                s.setSoTimeout(5000);
            }
            String cam = "rtsp://127.0.0.1:" + node.rtspPort() + "/live/cam";
            String publish = cam + "?key=" + key.liveCode();
            request(publisher, "ANNOUNCE " + publish + " RTSP/1.0\r\nCSeq: 1\r\nContent-Type: application/sdp\r\n"
                    + "Content-Length: " + SDP.length() + "\r\n\r\n" + SDP);
            String session = node.rtspSessions().get(0).id();
            assertThat(request(publisher, "SETUP " + publish + "/streamid=0 RTSP/1.0\r\nCSeq: 2\r\nSession: " + session
                    + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n")).containsEntry("status", "200");
            assertThat(request(publisher, "RECORD " + publish + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session
                    + "\r\n\r\n")).containsEntry("status", "200");

            // as ffmpeg does after a redirect: DESCRIBE with the uid, SETUP at the Content-Base without it
            Map<String, String> describedAnswer = request(described, describe(cam + "?uid=seat%2F7%20x", 1));
            assertThat(describedAnswer).containsEntry("status", "200").containsEntry("content-base", cam + "/");
            assertThat(request(described, setup(describedAnswer.get("content-base") + "trackID=0", 2)))
                    .containsEntry("status", "200");
            // a player that keeps the query: the control after it
            assertThat(request(direct, setup(cam + "?uid=u2/trackID=0", 1))).containsEntry("status", "200");
            assertThat(request(anonymous, setup(cam + "/trackID=0", 1))).containsEntry("status", "200");
            // a uid given for another stream does not follow the connection to this one
            assertThat(request(elsewhere, describe(cam + "2?uid=u3", 1))).containsEntry("status", "404");
            assertThat(request(elsewhere, setup(cam + "/trackID=0", 2))).containsEntry("status", "200");
            // a uid no load balancer makes is refused
            String tooLong = "u".repeat(RtspUrl.MAX_UID_LENGTH + 1);
            assertThat(request(anonymous, describe(cam + "?uid=" + tooLong, 2))).containsEntry("status", "400");
            assertThat(request(anonymous, describe(cam + "?uid=a%01b", 3))).containsEntry("status", "400");

            Map<String, String> uids = node.rtspSessions().stream().filter(s -> s.role().equals("reader"))
                    .collect(Collectors.toMap(s -> s.remote().getPort() + "", s -> String.valueOf(s.uid())));
            assertThat(uids).containsOnly(
                    Map.entry(described.getLocalPort() + "", "seat/7 x"),
                    Map.entry(direct.getLocalPort() + "", "u2"),
                    Map.entry(anonymous.getLocalPort() + "", "null"),
                    Map.entry(elsewhere.getLocalPort() + "", "null"));
            assertThat(node.rtspSessions()).filteredOn(s -> s.role().equals("publisher")).extracting(RtspSessionInfo::uid)
                    .containsOnlyNulls();
        }
    }
}

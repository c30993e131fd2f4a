package io.sluice.node.rtsp;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.keys.StreamKey;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.node.testing.LoopbackConfig;
import io.sluice.rtp.RtpPacket;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A TCP reader that stops reading never slows the publisher or another reader, and is closed after the
 * stall limit. Real sockets on loopback; the publisher pushes 1200-byte H.264 packets over TCP as fast
 * as a bounded loop allows, so the stuck reader's buffers fill within seconds.
 */
class StuckReaderTest {

    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=t\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:streamid=0\r\n";
    private static final int PACKETS = 14_000;
    private static final int PAYLOAD = 1200;

    @TempDir
    Path dir;

    /** Writes a request and reads the response head (and skips its body) from a raw stream; answers the status. */
    private static int request(Socket socket, String request) throws IOException {
        return Integer.parseInt(exchange(socket, request).split(" ")[1]);
    }

    /** Writes a request and answers the response head (its body skipped). */
    private static String exchange(Socket socket, String request) throws IOException {
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in a response");
            }
            head.append((char) b);
        }
        int length = 0;
        for (String line : head.toString().split("\r\n")) {
            if (line.toLowerCase().startsWith("content-length:")) {
                length = Integer.parseInt(line.substring(15).trim());
            }
        }
        in.readNBytes(length);
        return head.toString();
    }

    /** The session id in a response head's Session header. */
    private static String sessionIn(String head) {
        for (String line : head.split("\r\n")) {
            if (line.toLowerCase().startsWith("session:")) {
                return line.substring(8).trim().split(";")[0];
            }
        }
        throw new AssertionError("no Session header in " + head);
    }

    /** DESCRIBE, SETUP interleaved 0-1, PLAY. */
    private static void play(Socket socket, MediaNode node) throws IOException {
        String url = "rtsp://127.0.0.1:" + node.rtspPort() + "/live/cam";
        assertThat(request(socket, "DESCRIBE " + url + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")).isEqualTo(200);
        String setup = exchange(socket, "SETUP " + url + "/trackID=0 RTSP/1.0\r\nCSeq: 2\r\n"
                + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n\r\n");
        assertThat(setup).startsWith("RTSP/1.0 200");
        String session = sessionIn(setup);
        assertThat(request(socket, "PLAY " + url + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session + "\r\n\r\n"))
                .isEqualTo(200);
    }

    @Test
    void aStuckTcpReaderIsDroppedAndClosedWhileThePublisherAndAnotherReaderGoOn() throws Exception {
        NodeConfig.Builder b = LoopbackConfig.builder(dir);
        b.readerQueueHighBytes = 256 * 1024;
        b.readerQueueLowBytes = 128 * 1024;
        b.readerStallTimeout = Duration.ofSeconds(2);
        b.frameHold = Duration.ZERO;
        StreamKeyStore keys = StreamKeyStore.open(b.dataDir);
        StreamKey key = keys.create("cam");
        try (MediaNode node = MediaNode.start(b.build(), keys, System::nanoTime);
             Socket publisher = new Socket("127.0.0.1", node.rtspPort());
             Socket good = new Socket("127.0.0.1", node.rtspPort());
             Socket stuck = new Socket()) {
            publisher.setSoTimeout(5000);
            good.setSoTimeout(5000);
            String base = "rtsp://127.0.0.1:" + node.rtspPort() + "/live/cam?key=" + key.liveCode();
            String announce = exchange(publisher, "ANNOUNCE " + base + " RTSP/1.0\r\nCSeq: 1\r\n"
                    + "Content-Type: application/sdp\r\nContent-Length: " + SDP.length() + "\r\n\r\n" + SDP);
            assertThat(announce).startsWith("RTSP/1.0 200");
            String session = sessionIn(announce);
            assertThat(request(publisher, "SETUP " + base + "/streamid=0 RTSP/1.0\r\nCSeq: 2\r\nSession: " + session
                    + "\r\nTransport: RTP/AVP/TCP;unicast;interleaved=0-1;mode=record\r\n\r\n")).isEqualTo(200);
            assertThat(request(publisher, "RECORD " + base + " RTSP/1.0\r\nCSeq: 3\r\nSession: " + session
                    + "\r\n\r\n")).isEqualTo(200);

            OutputStream pub = publisher.getOutputStream();
            // A keyframe first, so readers have something to start on.
            pub.write(frame(0));
            pub.flush();
            play(good, node);
            stuck.setReceiveBufferSize(4096);
            stuck.connect(new InetSocketAddress("127.0.0.1", node.rtspPort()));
            stuck.setSoTimeout(5000);
            play(stuck, node);

            List<Integer> received = new ArrayList<>();
            AtomicBoolean stop = new AtomicBoolean();
            Thread reader = new Thread(() -> readAll(good, received, stop), "good-reader");
            reader.start();

            long startNs = System.nanoTime();
            long slowestWriteNs = 0;
            for (int seq = 1; seq < PACKETS; seq++) {
                long t = System.nanoTime();
                pub.write(frame(seq));
                slowestWriteNs = Math.max(slowestWriteNs, System.nanoTime() - t);
                if (seq % 10 == 0) {
                    Thread.sleep(5);   // about 2000 packets (2.4 MB) a second for 7 s: far more than the stuck
                                       // reader's socket and queue hold, an easy pace for the good reader
                }
            }
            pub.flush();
            long sendMs = (System.nanoTime() - startNs) / 1_000_000;
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (node.rtspSessions().size() > 2 && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            assertThat(node.rtspSessions()).as("the stuck reader's session was closed").hasSize(2);
            while (receivedCount(received) < PACKETS && System.nanoTime() < deadline) {
                Thread.sleep(50);
            }
            stop.set(true);
            good.close();
            reader.join(5000);

            assertThat(slowestWriteNs / 1_000_000).as("the publisher never waited on the node (ms)").isLessThan(1000);
            assertThat(sendMs).isLessThan(30_000);
            synchronized (received) {
                assertThat(received).as("the good reader got every packet, in order").hasSize(PACKETS);
                for (int i = 0; i < received.size(); i++) {
                    assertThat(received.get(i)).isEqualTo(i);
                }
            }
        }
    }

    private static int receivedCount(List<Integer> received) {
        synchronized (received) {
            return received.size();
        }
    }

    /** One RTP packet in a {@code $} frame: an IDR slice every 50 packets, else a non-IDR slice. */
    private static byte[] frame(int seq) {
        ByteBuf rtp = Unpooled.buffer(12 + PAYLOAD);
        try {
            RtpPacket.writeHeader(rtp, true, 96, seq & 0xFFFF, 3600L * seq, 0x5151);
            rtp.writeByte(seq % 50 == 0 ? 0x65 : 0x41).writeZero(PAYLOAD - 1);
            byte[] out = new byte[4 + rtp.readableBytes()];
            out[0] = '$';
            out[1] = 0;
            out[2] = (byte) (rtp.readableBytes() >> 8);
            out[3] = (byte) rtp.readableBytes();
            rtp.getBytes(0, out, 4, rtp.readableBytes());
            return out;
        } finally {
            rtp.release();
        }
    }

    /** Reads $ frames until told to stop; records the RTP sequence numbers of channel 0. */
    private static void readAll(Socket socket, List<Integer> received, AtomicBoolean stop) {
        try {
            DataInputStream in = new DataInputStream(new java.io.BufferedInputStream(socket.getInputStream()));
            while (!stop.get()) {
                int first = in.readUnsignedByte();
                if (first != '$') {
                    continue;   // an RTSP message (none expected after PLAY)
                }
                int channel = in.readUnsignedByte();
                byte[] data = new byte[in.readUnsignedShort()];
                in.readFully(data);
                if (channel == 0) {
                    synchronized (received) {
                        received.add(((data[2] & 0xFF) << 8) | (data[3] & 0xFF));
                    }
                }
            }
        } catch (IOException closed) {
            // the test closed the socket
        }
    }
}

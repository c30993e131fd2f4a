package io.sluice.node.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.format.h264.SpropParameterSets;
import io.sluice.format.mpegts.TsMuxer;
import io.sluice.format.mpegts.TsPacket;
import io.sluice.format.mpegts.TsStreamType;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What an RTSP DESCRIBE of a native push answers: its tracks once the pushed TS shows them (waiting a
 * bounded time for that, then 503), the TS itself as MP2T with {@code ?format=mp2t}, 404 once it ended.
 */
class NativeRtspDescribeTest {

    private static final byte[] SPS = HexFormat.of().parseHex("6742c01e95a0");
    private static final byte[] PPS = HexFormat.of().parseHex("68ce3c80");

    record Answer(int status, Map<String, String> headers, String body) {
    }

    @Test
    void tracksOnceTheTsShowsThemTheTsOnRequestAnd503Or404Otherwise() throws Exception {
        try (NativeTestNode node = NativeTestNode.start(l -> l.describeWait = Duration.ofMillis(300));
             RawPeer pusher = new RawPeer(node.pushAddress())) {
            String code = node.node.keys().create("cam").liveCode();
            int ssrc = NativeWireTest.auth(pusher, "cam", code);
            int port = node.node.rtspPort();

            long startNs = System.nanoTime();
            assertThat(describe(port, "/live/cam").status()).as("no PMT yet").isEqualTo(503);
            assertThat(System.nanoTime() - startNs).as("after the wait")
                    .isGreaterThanOrEqualTo(TimeUnit.MILLISECONDS.toNanos(300));

            Answer ts = describe(port, "/live/cam?format=mp2t");
            assertThat(ts.status()).isEqualTo(200);
            assertThat(ts.body()).contains("a=rtpmap:33 MP2T/90000");
            assertThat(ts.headers()).containsEntry("content-base",
                    "rtsp://127.0.0.1:" + port + "/live/cam?format=mp2t/");

            push(pusher, ssrc);
            Answer tracks = describe(port, "/live/cam");
            assertThat(tracks.status()).isEqualTo(200);
            assertThat(tracks.body()).contains("H264/90000")
                    .contains("sprop-parameter-sets=" + SpropParameterSets.format(List.of(SPS, PPS)))
                    .doesNotContain("MP2T");
            assertThat(tracks.headers()).containsEntry("content-base", "rtsp://127.0.0.1:" + port + "/live/cam/");

            pusher.send(122, 0, "cam");
            pusher.expect(123, 3000);
            assertThat(describe(port, "/live/cam").status()).isEqualTo(404);
        }
    }

    @Test
    void aDescribeBeforeThePmtIsAnsweredWhenTheTracksAreKnown() throws Exception {
        try (NativeTestNode node = NativeTestNode.start(l -> l.describeWait = Duration.ofSeconds(10));
             RawPeer pusher = new RawPeer(node.pushAddress())) {
            String code = node.node.keys().create("cam").liveCode();
            int ssrc = NativeWireTest.auth(pusher, "cam", code);
            int port = node.node.rtspPort();
            CompletableFuture<Answer> waiting = CompletableFuture.supplyAsync(() -> describe(port, "/live/cam"));
            Thread.sleep(200);
            assertThat(waiting).as("the DESCRIBE waits for the tracks").isNotDone();
            long pushedNs = System.nanoTime();
            push(pusher, ssrc);
            Answer answer = waiting.get(10, TimeUnit.SECONDS);
            assertThat(answer.status()).isEqualTo(200);
            assertThat(answer.body()).contains("H264/90000");
            assertThat(System.nanoTime() - pushedNs).as("answered when described, not at the end of the wait")
                    .isLessThan(TimeUnit.SECONDS.toNanos(5));
        }
    }

    /** Two pictures of H.264 (an IDR with its parameter sets, then a P) as stream data. */
    private static void push(RawPeer pusher, int ssrc) {
        ByteBuf ts = Unpooled.buffer();
        try (TsMuxer muxer = new TsMuxer(TsStreamType.H264, null, ByteBufAllocator.DEFAULT)) {
            muxer.parameterSets(List.of(SPS, PPS));
            muxer.writeVideo(90_000, 90_000, List.of(Unpooled.wrappedBuffer(new byte[] {0x65, 1, 2, 3})), ts);
            muxer.writeVideo(93_600, 93_600, List.of(Unpooled.wrappedBuffer(new byte[] {0x41, 4, 5, 6})), ts);
            int seq = 0;
            while (ts.isReadable()) {
                byte[] chunk = new byte[Math.min(7 * TsPacket.SIZE, ts.readableBytes())];
                ts.readBytes(chunk);
                pusher.send(RawPeer.datagram(33, false, seq++, ssrc, chunk));
            }
        } finally {
            ts.release();
        }
    }

    private static Answer describe(int port, String path) {
        try (Socket s = new Socket("127.0.0.1", port)) {
            s.setSoTimeout(15_000);
            s.getOutputStream().write(("DESCRIBE rtsp://127.0.0.1:" + port + path + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            int status = Integer.parseInt(in.readLine().split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                int colon = line.indexOf(':');
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
            char[] body = new char[Integer.parseInt(headers.getOrDefault("content-length", "0"))];
            int read = 0;
            while (read < body.length) {
                read += in.read(body, read, body.length - read);
            }
            return new Answer(status, headers, new String(body));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}

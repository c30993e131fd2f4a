package io.sluice.node.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.node.nativeproto.RawPeer.Message;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A film pulled with datagrams written from the wire table and the film controls of protocol.md (no Sluice
 * codec on the client side): 112 with an SSRC or null, data after 99, pause (124) with no data after its
 * answer, a repeated request answered without acting, resume (125) with the next sequence number,
 * retransmission from the film's history, bad controls refused or counted, 121 at the film's end.
 * Skipped without ffmpeg (which makes the film).
 */
class FilmWireTest {

    private static final String FILM = "vod/clip.mp4";
    private static NativeTestNode node;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(ffmpegAvailable(), "ffmpeg is not installed");
        node = NativeTestNode.start(l -> { });
        Path clip = node.node.config().mediaDir().resolve("clip.mp4");
        Process p = new ProcessBuilder("ffmpeg", "-hide_banner", "-loglevel", "error", "-f", "lavfi", "-i",
                "testsrc2=size=160x120:rate=25", "-t", "3", "-c:v", "libx264", "-preset", "veryfast", "-g", "25",
                "-pix_fmt", "yuv420p", clip.toString()).redirectErrorStream(true).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getInputStream().readAllBytes())).isZero();
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void pullPauseResumeRetransmitAndEnd() {
        NativeCounters counters = node.counters();
        long malformed = counters.malformed.sum();
        long refused = counters.filmControlsRefused.sum();
        try (RawPeer puller = new RawPeer(node.pullAddress())) {
            int clientId = NativeWireTest.clientId(puller);
            puller.send(RawPeer.datagram(111, true, 0, clientId, RawPeer.text(FILM + "#vod/none.mp4")));
            Map<String, String> answers = new HashMap<>();
            for (int i = 0; i < 2; i++) {
                String[] entry = puller.expect(112, 10_000).text().split("#");
                answers.put(entry[0], entry[1]);
            }
            assertThat(answers).containsEntry("vod/none.mp4", "null").containsKey(FILM);
            int ssrc = Integer.parseInt(answers.get(FILM));
            puller.expectNone(33, 300);

            puller.send(99, clientId, FILM);
            List<Message> data = new ArrayList<>();
            while (data.size() < 30) {
                Message m = puller.expect(33, 5000);
                assertThat(m.ssrc()).isEqualTo(ssrc);
                assertThat(m.payload().length % 188).isZero();
                for (int at = 0; at < m.payload().length; at += 188) {
                    assertThat(m.payload()[at]).as("TS sync byte").isEqualTo((byte) 0x47);
                }
                data.add(m);
            }

            puller.send(RawPeer.datagram(124, false, 7, clientId, RawPeer.text(FILM)));
            Message paused = until(puller, 126, data);
            assertThat(paused.seq()).as("answers request 7").isEqualTo(7);
            assertThat(paused.ssrc()).isEqualTo(ssrc);
            assertThat(paused.text()).startsWith(FILM + "#paused#");
            puller.expectNone(33, 700);
            puller.send(RawPeer.datagram(124, false, 7, clientId, RawPeer.text(FILM)));
            assertThat(puller.expect(126, 3000).text()).as("a repeat is answered the same").isEqualTo(paused.text());

            puller.send(RawPeer.datagram(124, false, 8, clientId, RawPeer.text("vod/other.mp4")));
            Message stranger = puller.expect(126, 3000);
            assertThat(stranger.ssrc()).isZero();
            assertThat(stranger.text()).isEqualTo("vod/other.mp4#refused#0");
            puller.send(RawPeer.datagram(125, false, 9, clientId, RawPeer.text(FILM + "#12s")));
            puller.send(RawPeer.datagram(124, false, 10, clientId, RawPeer.text("")));
            puller.expectNone(126, 300);
            assertThat(counters.malformed.sum() - malformed).isEqualTo(2);
            assertThat(counters.filmControlsRefused.sum() - refused).isEqualTo(1);

            int lastSeq = data.get(data.size() - 1).seq();
            puller.send(RawPeer.datagram(125, false, 11, clientId, RawPeer.text(FILM)));
            Message resumed = puller.expect(126, 3000);
            assertThat(resumed.seq()).isEqualTo(11);
            assertThat(resumed.text()).isEqualTo(paused.text().replace("#paused#", "#playing#"));
            Message next = puller.expect(33, 3000);
            assertThat(next.seq()).as("no gap across the pause").isEqualTo((lastSeq + 1) & 0xFFFF);

            // The history keeps the last second: the packet before the pause has aged out, the one after has not.
            ByteBuffer request = ByteBuffer.allocate(4).putShort((short) next.seq()).putShort((short) 0);
            puller.send(RawPeer.datagram(120, false, 0, ssrc, request.array()));
            Message again = until(puller, 33, new ArrayList<>(), m -> m.seq() == next.seq());
            assertThat(again.payload()).as("resent from the film's history").isEqualTo(next.payload());

            assertThat(puller.expect(121, 10_000).text()).as("the end of the film").isEqualTo(FILM);
            assertThat(node.node.nativeServer().pullers()).singleElement()
                    .satisfies(p -> assertThat(p.pulling()).isEmpty())
                    .satisfies(p -> assertThat(p.waiting()).containsExactly("vod/none.mp4"));
            puller.send(RawPeer.datagram(124, false, 12, clientId, RawPeer.text(FILM)));
            assertThat(puller.expect(126, 3000).text()).as("a film that ended is no longer pulled")
                    .isEqualTo(FILM + "#refused#0");
        }
    }

    /**
     * Controls before the 99: a pause holds the film once acknowledged, a position is where it starts. The
     * first video PES then carries PTS = 1 s + 2 s (the keyframe at 2 s) in 90 kHz.
     */
    @Test
    void controlsBeforeTheAcknowledgementApplyWhenItComes() {
        try (RawPeer puller = new RawPeer(node.pullAddress())) {
            int clientId = NativeWireTest.clientId(puller);
            puller.send(RawPeer.datagram(111, true, 0, clientId, RawPeer.text(FILM)));
            int ssrc = Integer.parseInt(puller.expect(112, 10_000).text().split("#")[1]);
            puller.send(RawPeer.datagram(124, false, 1, clientId, RawPeer.text(FILM)));
            assertThat(puller.expect(126, 3000).text()).isEqualTo(FILM + "#paused#0");
            puller.send(99, clientId, FILM);
            puller.expectNone(33, 500);
            puller.send(RawPeer.datagram(125, false, 2, clientId, RawPeer.text(FILM + "#2000")));
            Message playing = puller.expect(126, 3000);
            assertThat(playing.ssrc()).isEqualTo(ssrc);
            assertThat(playing.text()).isEqualTo(FILM + "#playing#2000");
            assertThat(firstVideoPts(puller.expect(33, 5000).payload())).isEqualTo(270_000);
            puller.send(117, clientId, "");
            puller.expect(118, 3000);
        }
    }

    /** The PTS of the first video PES (PID 0x100) of a stream-data payload, or -1. */
    private static long firstVideoPts(byte[] ts) {
        for (int at = 0; at + 188 <= ts.length; at += 188) {
            int pid = (ts[at + 1] & 0x1F) << 8 | ts[at + 2] & 0xFF;
            boolean unitStart = (ts[at + 1] & 0x40) != 0;
            if (pid != 0x100 || !unitStart) {
                continue;
            }
            int p = at + 4;
            if ((ts[at + 3] & 0x20) != 0) {
                p += 1 + (ts[p] & 0xFF);
            }
            // 00 00 01 E0, PES length (2), flags (2), header length (1), then the 5 bytes of the PTS.
            int b = p + 9;
            return ((long) (ts[b] >> 1 & 0x07) << 30) | (ts[b + 1] & 0xFF) << 22 | (ts[b + 2] & 0xFE) << 14
                    | (ts[b + 3] & 0xFF) << 7 | (ts[b + 4] & 0xFF) >> 1;
        }
        return -1;
    }

    /** The next datagram of type {@code pt}, collecting the stream data that comes before it. */
    private static Message until(RawPeer puller, int pt, List<Message> data) {
        return until(puller, pt, data, m -> true);
    }

    private static Message until(RawPeer puller, int pt, List<Message> data,
                                 java.util.function.Predicate<Message> which) {
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline) {
            Message m = puller.receive(1000);
            if (m != null && m.pt() == pt && which.test(m)) {
                return m;
            }
            if (m != null && m.pt() == 33) {
                data.add(m);
            }
        }
        throw new AssertionError("no PT " + pt);
    }

    private static boolean ffmpegAvailable() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, "ffmpeg"))) {
                return true;
            }
        }
        return false;
    }
}

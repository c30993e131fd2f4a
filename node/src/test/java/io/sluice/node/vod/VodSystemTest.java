package io.sluice.node.vod;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.vod.room.FilmRoom;
import io.sluice.node.vod.room.FilmViewer;
import io.sluice.node.vod.room.RoomListener;
import io.netty.buffer.ByteBuf;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.rtcp.RtcpPacket;
import io.sluice.rtp.rtcp.RtcpPacketType;
import io.sluice.rtsp.client.RtspClient;
import io.sluice.rtsp.client.RtspResponse;
import io.sluice.rtsp.headers.Range;
import io.sluice.rtsp.headers.RtpInfo;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.DatagramSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The film library end to end: a media node in this JVM serves clips made with ffmpeg, and ffmpeg
 * processes read them over RTSP, decoding every frame. Skipped when ffmpeg is not installed.
 */
class VodSystemTest {

    private static final int CLIP_SECONDS = 6;
    private static final int FFMPEG_TIMEOUT_SECONDS = 40;

    @TempDir
    static Path dir;
    static Path media;
    static MediaNode node;
    static List<String> mp4Frames;
    static List<String> mkvFrames;

    @BeforeAll
    static void start() throws Exception {
        assumeTrue(Ffmpeg.available(), "ffmpeg is not installed");
        media = Files.createDirectories(dir.resolve("media"));
        Files.createDirectories(media.resolve("films"));
        Ffmpeg.makeClip(media.resolve("films/clip.mp4"), CLIP_SECONDS, "aac");
        Ffmpeg.makeClip(media.resolve("clip.mkv"), CLIP_SECONDS, "libopus");
        Ffmpeg.makeClip(media.resolve("seek.mp4"), CLIP_SECONDS, "aac");
        Files.writeString(media.resolve("notmedia.mp4"), "this is not a film\n".repeat(100));
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.copy(media.resolve("clip.mkv"), outside.resolve("secret.mkv"));
        Files.createSymbolicLink(media.resolve("link.mkv"), outside.resolve("secret.mkv"));
        mp4Frames = Ffmpeg.frameMd5(List.of("-i", media.resolve("films/clip.mp4").toString()), 60);
        mkvFrames = Ffmpeg.frameMd5(List.of("-i", media.resolve("clip.mkv").toString()), 60);
        assertThat(mp4Frames).hasSize(CLIP_SECONDS * 25).doesNotHaveDuplicates();
        assertThat(mkvFrames).hasSize(CLIP_SECONDS * 25);

        NodeConfig.Builder b = NodeConfig.builder();
        b.bindAddress = "127.0.0.1";
        b.rtspPort = 0;
        b.rtpPort = freeUdpPortPair();
        b.dataDir = dir.resolve("data");
        b.mediaDir = media;
        b.vodRoomGrace = Duration.ofSeconds(20);
        b.nativePushPort = 0;
        b.nativePullPort = 0;
        node = MediaNode.start(b.build());
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!node.films().catalog().scanned() && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(node.films().catalog().scanned()).isTrue();
        // The first RTSP requests of a JVM load and compile the codec; timed tests should not pay for that.
        for (String fid : List.of("films/clip.mp4", "clip.mkv", "seek.mp4")) {
            assertThat(describeStatus("/vod/" + fid)).isEqualTo(200);
        }
    }

    @AfterAll
    static void stop() {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void everyFrameOverUdpAndTcpInRealTimeAndOneDemuxPerFilm() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<String> sessions = new CopyOnWriteArrayList<>();
        List<Long> sessionMs = new CopyOnWriteArrayList<>();
        RoomListener timer = new RoomListener() {
            @Override
            public void viewerLeft(FilmRoom room, FilmViewer viewer) {
                long ms = (System.nanoTime() - viewer.playingSinceNs()) / 1_000_000;
                sessionMs.add(ms);
                sessions.add(room.fid() + " " + viewer.transportKind() + " " + ms + " ms, held "
                        + viewer.heldNs() / 1_000_000 + " ms, late " + viewer.lateNs() / 1_000_000 + " ms");
            }
        };
        node.films().rooms().addListener(timer);
        try {
            List<CompletableFuture<Ffmpeg.Run>> mp4 = new ArrayList<>();
            for (String transport : List.of("udp", "tcp", "udp", "tcp", "udp")) {
                mp4.add(read(pool, "films/clip.mp4", transport, List.of()));
            }
            CompletableFuture<Ffmpeg.Run> mkvUdp = read(pool, "clip.mkv", "udp", List.of());
            CompletableFuture<Ffmpeg.Run> mkvTcp = read(pool, "clip.mkv", "tcp", List.of());
            for (CompletableFuture<Ffmpeg.Run> f : mp4) {
                assertPlayedWhole(f.get(), mp4Frames);
            }
            assertPlayedWhole(mkvUdp.get(), mkvFrames);
            assertPlayedWhole(mkvTcp.get(), mkvFrames);
        } finally {
            pool.shutdownNow();
            node.films().rooms().removeListener(timer);
            System.out.println("VIEWERS " + sessions);
        }
        // From the PLAY answer to BYE on the node: the pacing. ffmpeg's start-up, seven at once on two cores, is not.
        assertThat(sessionMs).as("viewers: %s", sessions).hasSize(7)
                .allSatisfy(ms -> assertThat(ms).isBetween(CLIP_SECONDS * 900L, CLIP_SECONDS * 1100L));
        FilmRoom room = node.films().rooms().room("films/clip.mp4");
        assertThat(room).as("the room stays open for the grace period").isNotNull();
        assertThat(room.demuxersOpened()).as("five viewers, one demuxer").isEqualTo(1);
        assertThat(room.packetsDemuxed()).as("every packet of the file read once")
                .isEqualTo(Ffmpeg.packetCount(media.resolve("films/clip.mp4")));
    }

    /**
     * ffmpeg's {@code -ss 3.5} on RTSP sends PLAY with {@code Range: npt=3.5-}; the node starts at the keyframe
     * before it (3.0 s, frame 75). Without accurate seeking ffmpeg shows every frame from there, and with
     * {@code -copyts} their timestamps, which must be the file's (frame N at N/25 s). ffmpeg labels the very
     * first frame after the seek 0 whatever the server sends, so timestamps are checked from the second on.
     */
    @Test
    void seekStartsOnTheKeyframeWithRightTimestamps() throws Exception {
        List<String> all = Ffmpeg.frameMd5(List.of("-i", media.resolve("seek.mp4").toString()), 60);
        for (String transport : List.of("tcp", "udp")) {
            Ffmpeg.Run run = Ffmpeg.frameMd5Run(List.of("-rtsp_transport", transport, "-timeout", "5000000",
                    "-noaccurate_seek", "-ss", "3.5", "-copyts", "-i", url("seek.mp4")), FFMPEG_TIMEOUT_SECONDS);
            assertThat(run.stdout()).as("frames after a seek over %s (%s)", transport, run.stderr())
                    .isEqualTo(all.subList(75, all.size()));
            List<Long> pts = Ffmpeg.framePts(List.of("-rtsp_transport", transport, "-timeout", "5000000",
                    "-noaccurate_seek", "-ss", "3.5", "-copyts", "-i", url("seek.mp4")), FFMPEG_TIMEOUT_SECONDS);
            assertThat(pts.subList(1, pts.size())).as("timestamps in frames of 1/25 s over %s", transport)
                    .isEqualTo(java.util.stream.LongStream.range(76, all.size()).boxed().toList());
        }
    }

    /**
     * The project's own client: PLAY from 2.5 s starts at the keyframe at 2 s and says so; PAUSE stops the
     * packets before its answer; PLAY resumes with the next sequence number and timestamp, no gap.
     */
    @Test
    void pauseAndResumeContinueWithoutAGap() throws Exception {
        record Packet(int seq, long timestamp) {
        }
        List<Packet> video = new CopyOnWriteArrayList<>();
        RtspClient.Listener listener = (channel, data) -> {
            if (channel == 0) {
                video.add(new Packet(RtpPacket.sequenceNumber(data), RtpPacket.timestamp(data)));
            }
        };
        try (RtspClient client = RtspClient.connect(null, URI.create(url("seek.mp4")), listener).get(10, SECONDS)) {
            client.describe().get(10, SECONDS);
            client.setupTcp("trackID=0", 0).get(10, SECONDS);
            client.setupTcp("trackID=1", 2).get(10, SECONDS);
            RtspResponse play = client.play(Range.npt(2.5, null)).get(10, SECONDS);
            assertThat(play.headers().get("Range")).as("the keyframe before 2.5 s").startsWith("npt=2.000-6.0");
            RtpInfo.Entry videoStart = RtpInfo.parse(play.headers().get("RTP-Info")).entries().get(0);
            Thread.sleep(1000);
            client.pause().get(10, SECONDS);
            int atPause = video.size();
            Thread.sleep(700);
            assertThat(video).as("nothing after the PAUSE answer").hasSize(atPause);
            Packet last = video.get(atPause - 1);
            RtspResponse resume = client.play(null).get(10, SECONDS);
            RtpInfo.Entry videoResume = RtpInfo.parse(resume.headers().get("RTP-Info")).entries().get(0);
            Thread.sleep(500);
            client.teardown().get(10, SECONDS);

            assertThat(video.get(0).seq()).isEqualTo(videoStart.seq());
            assertThat(video.get(0).timestamp()).as("the first packet is the keyframe RTP-Info names")
                    .isEqualTo(videoStart.rtpTime());
            assertThat(atPause).as("about a second of video, 25 frames or more").isGreaterThan(25);
            assertThat(videoResume.seq()).isEqualTo((last.seq() + 1) & 0xFFFF);
            Packet next = video.get(atPause);
            assertThat(next.seq()).as("resumes with the next sequence number").isEqualTo((last.seq() + 1) & 0xFFFF);
            // Every frame from the keyframe on arrived once, across the pause: the distinct timestamps step by
            // one frame (3600 ticks at 25 fps), but for the last few, still held back by B-frame reordering.
            List<Long> frames = video.stream().map(p -> (p.timestamp() - videoStart.rtpTime()) & 0xFFFFFFFFL)
                    .distinct().sorted().toList();
            assertThat(frames.subList(0, frames.size() - 4))
                    .isEqualTo(java.util.stream.LongStream.range(0, frames.size() - 4).map(i -> i * 3600).boxed()
                            .toList());
            for (int i = 1; i < video.size(); i++) {
                assertThat(video.get(i).seq()).isEqualTo((video.get(i - 1).seq() + 1) & 0xFFFF);
            }
        }
    }

    /**
     * The end of the film is a BYE, not a hang-up: the session and its connection stay for the player's
     * TEARDOWN (closing first turned GStreamer's clean end into "Could not send message"), and a PLAY
     * after the end starts the film again with the sequence numbers running on.
     */
    @Test
    void endOfFilmSendsByeAndKeepsTheSessionForTeardownOrReplay() throws Exception {
        List<Integer> videoSeqs = new CopyOnWriteArrayList<>();
        CountDownLatch bye = new CountDownLatch(1);
        RtspClient.Listener listener = (channel, data) -> {
            if (channel == 0) {
                videoSeqs.add(RtpPacket.sequenceNumber(data));
            } else if (channel == 1 && containsRtcpBye(data)) {
                bye.countDown();
            }
        };
        try (RtspClient client = RtspClient.connect(null, URI.create(url("seek.mp4")), listener).get(10, SECONDS)) {
            client.describe().get(10, SECONDS);
            client.setupTcp("trackID=0", 0).get(10, SECONDS);
            client.play(Range.npt(5.0, null)).get(10, SECONDS);
            assertThat(bye.await(10, SECONDS)).as("BYE at the end of the film").isTrue();
            Thread.sleep(300);
            int atEnd = videoSeqs.size();
            assertThat(atEnd).isPositive();

            RtspResponse replay = client.play(Range.npt(0.0, null)).get(10, SECONDS);
            assertThat(replay.status().code()).as("PLAY after the end").isEqualTo(200);
            assertThat(replay.headers().get("Range")).startsWith("npt=0.000-");
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (videoSeqs.size() == atEnd && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(videoSeqs.size()).as("the film plays again").isGreaterThan(atEnd);
            assertThat(videoSeqs.get(atEnd)).as("sequence numbers run on")
                    .isEqualTo((videoSeqs.get(atEnd - 1) + 1) & 0xFFFF);
            assertThat(client.teardown().get(10, SECONDS).status().code()).isEqualTo(200);
        }
    }

    private static boolean containsRtcpBye(ByteBuf compound) {
        if (!RtcpPacket.isValidCompound(compound)) {
            return false;
        }
        for (int off = compound.readerIndex(); off < compound.writerIndex(); off += RtcpPacket.packetLength(compound, off)) {
            if (RtcpPacket.packetType(compound, off) == RtcpPacketType.BYE) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code Scale: 2} and {@code Scale: 4} with the project's client: only the keyframe of each second arrives
     * (IDR slices and parameter sets, no other slice, no audio), one every 1/Scale seconds, with timestamps a
     * second of media apart and sequence numbers without a gap; the answer says the scale applied.
     */
    @Test
    void fastForwardSendsOnlyKeyframesAtTheScaledRate() throws Exception {
        for (int scale : new int[] {2, 4}) {
            record Packet(long arrivedNs, int seq, long timestamp, int nalType) {
            }
            List<Packet> video = new CopyOnWriteArrayList<>();
            List<Integer> audio = new CopyOnWriteArrayList<>();
            RtspClient.Listener listener = (channel, data) -> {
                if (channel == 0) {
                    video.add(new Packet(System.nanoTime(), RtpPacket.sequenceNumber(data), RtpPacket.timestamp(data),
                            h264NalType(data)));
                } else if (channel == 2) {
                    audio.add(RtpPacket.sequenceNumber(data));
                }
            };
            try (RtspClient client = RtspClient.connect(null, URI.create(url("seek.mp4")), listener)
                    .get(10, SECONDS)) {
                client.describe().get(10, SECONDS);
                client.setupTcp("trackID=0", 0).get(10, SECONDS);
                client.setupTcp("trackID=1", 2).get(10, SECONDS);
                RtspResponse play = playScaled(client, Integer.toString(scale));
                assertThat(play.status().code()).isEqualTo(200);
                assertThat(play.headers().get("Scale")).isEqualTo(scale + ".000");
                assertThat(play.headers().get("Range")).startsWith("npt=0.000-6.0");
                long start = RtpInfo.parse(play.headers().get("RTP-Info")).entries().get(0).rtpTime();
                long deadline = System.nanoTime() + 10_000_000_000L;
                while (video.stream().map(Packet::timestamp).distinct().count() < CLIP_SECONDS
                        && System.nanoTime() < deadline) {
                    Thread.sleep(20);
                }
                Thread.sleep(300);
                client.teardown().get(10, SECONDS);
            }
            assertThat(audio).as("no audio while fast-forwarding").isEmpty();
            assertThat(video).extracting(Packet::nalType).as("IDR slices, parameter sets and SEI only")
                    .allSatisfy(type -> assertThat(type).isIn(5, 6, 7, 8));
            for (int i = 1; i < video.size(); i++) {
                assertThat(video.get(i).seq()).isEqualTo((video.get(i - 1).seq() + 1) & 0xFFFF);
            }
            List<Packet> firsts = new ArrayList<>();
            for (Packet p : video) {
                if (firsts.isEmpty() || firsts.get(firsts.size() - 1).timestamp() != p.timestamp()) {
                    firsts.add(p);
                }
            }
            assertThat(firsts).as("one keyframe per second of the film").hasSize(CLIP_SECONDS);
            for (int i = 1; i < firsts.size(); i++) {
                assertThat((firsts.get(i).timestamp() - firsts.get(i - 1).timestamp()) & 0xFFFFFFFFL)
                        .as("a second of media between keyframes").isEqualTo(90_000);
                if (i == 1) {
                    // The first keyframe leaves at once, already the send lead (200 ms) ahead of its time.
                    continue;
                }
                long gapMs = (firsts.get(i).arrivedNs() - firsts.get(i - 1).arrivedNs()) / 1_000_000;
                assertThat(gapMs).as("keyframes every 1/%d s at Scale %d", scale, scale)
                        .isBetween(1000L / scale - 60, 1000L / scale + 60);
            }
        }
    }

    @Test
    void reversePlayAnswers456AndTooFastAnswersTheFastestScale() throws Exception {
        try (RtspClient client = RtspClient.connect(null, URI.create(url("seek.mp4")), (channel, data) -> { })
                .get(10, SECONDS)) {
            client.describe().get(10, SECONDS);
            client.setupTcp("trackID=0", 0).get(10, SECONDS);
            assertThat(playScaled(client, "-2").status().code()).isEqualTo(456);
            assertThat(playScaled(client, "fast").status().code()).isEqualTo(456);
            RtspResponse play = playScaled(client, "16");
            assertThat(play.status().code()).isEqualTo(200);
            assertThat(play.headers().get("Scale")).isEqualTo("8.000");
            client.teardown().get(10, SECONDS);
        }
    }

    private static RtspResponse playScaled(RtspClient client, String scale) throws Exception {
        FullHttpResponse response = client.request(RtspMethods.PLAY, client.contentBase(),
                new DefaultHttpHeaders().set("Scale", scale), null).get(10, SECONDS);
        try {
            return RtspResponse.of(response);
        } finally {
            response.release();
        }
    }

    /** The H.264 NAL unit type an RTP packet carries: of a single NAL, a STAP-A's first, or a FU-A's. */
    private static int h264NalType(io.netty.buffer.ByteBuf rtp) {
        int payload = rtp.readerIndex() + RtpPacket.headerLength(rtp);
        int type = rtp.getByte(payload) & 0x1F;
        return switch (type) {
            case 24 -> rtp.getByte(payload + 3) & 0x1F;
            case 28 -> rtp.getByte(payload + 1) & 0x1F;
            default -> type;
        };
    }

    /**
     * GStreamer's rtspsrc over TCP and over UDP: the H.264 it depayloads, written as Annex B access units,
     * decodes to every frame of the file in order. rtspsrc ends at the node's BYE.
     */
    @Test
    void gstreamerPlaysEveryFrameOverTcpAndUdp() throws Exception {
        assumeTrue(Gst.available(), "gst-launch-1.0 is not installed");
        List<String> all = Ffmpeg.frameMd5(List.of("-i", media.resolve("seek.mp4").toString()), 60);
        for (String transport : List.of("tcp", "udp")) {
            Path out = dir.resolve("gst-" + transport + ".h264");
            Ffmpeg.Run run = Gst.launch(List.of("rtspsrc", "location=" + url("seek.mp4"), "protocols=" + transport,
                    "latency=300", "!", "rtph264depay", "!", "h264parse", "!",
                    "video/x-h264,stream-format=byte-stream,alignment=au", "!", "filesink", "location=" + out),
                    FFMPEG_TIMEOUT_SECONDS);
            List<String> frames = Ffmpeg.frameMd5(List.of("-i", out.toString()), 60);
            assertThat(frames).as("frames GStreamer got over %s (exit %d, %d ms: %s)", transport, run.exitCode(),
                    run.elapsedMs(), run.stderr()).isEqualTo(all);
            // It must end by itself at the BYE, not at the timeout; on a busy machine its TEARDOWN can race
            // the server's close after the BYE, and gst-launch then exits 1 with every frame written.
            assertThat(run.exitCode()).as("rtspsrc ends at the BYE").isIn(0, 1);
            assertThat(run.elapsedMs()).as("ended before the timeout").isLessThan(FFMPEG_TIMEOUT_SECONDS * 1000L);
        }
    }

    /**
     * The MKV film's mono Opus track. RFC 7587 declares every Opus stream {@code opus/48000/2}; the node adds
     * {@code sprop-stereo=0}. Its payloads are the file's packets byte for byte. GStreamer honours
     * sprop-stereo and decodes mono samples equal to the file's once the decoder's pre-skip is dropped (it is
     * in the file's OpusHead, which RTP does not carry). ffmpeg 5.1 follows the rtpmap and decodes the one
     * channel twice, each copy equal to the file's but in the first frame (pre-skip) and the last (end trim):
     * what looked like wrong Opus frames was these three receiver-side differences.
     */
    @Test
    void opusPacketsAreTheFilesAndDecodeToItsSamples() throws Exception {
        Path film = media.resolve("clip.mkv");
        List<String> ffmpeg = List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin");
        List<String> rtsp = List.of("-timeout", "5000000", "-i", url("clip.mkv"), "-map", "0:a:0");
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try {
            CompletableFuture<Ffmpeg.Run> packets = CompletableFuture.supplyAsync(() -> run(concat(ffmpeg,
                    List.of("-rtsp_transport", "tcp"), rtsp, List.of("-c", "copy", "-f", "framemd5", "-"))), pool);
            CompletableFuture<Ffmpeg.Run> decoded = CompletableFuture.supplyAsync(() -> run(concat(ffmpeg,
                    List.of("-rtsp_transport", "udp"), rtsp, List.of("-af", "pan=mono|c0=c0", "-f", "framemd5", "-"))),
                    pool);
            Path gstPcm = dir.resolve("opus-rtsp.raw");
            CompletableFuture<Ffmpeg.Run> gst = Gst.available()
                    ? CompletableFuture.supplyAsync(() -> {
                        try {
                            return Gst.launch(List.of("rtspsrc", "location=" + url("clip.mkv"), "protocols=tcp", "!",
                                    "application/x-rtp,media=audio", "!", "rtpopusdepay", "!", "opusdec", "!",
                                    "audio/x-raw,format=S16LE", "!", "filesink", "location=" + gstPcm),
                                    FFMPEG_TIMEOUT_SECONDS);
                        } catch (IOException e) {
                            throw new IllegalStateException(e);
                        }
                    }, pool)
                    : null;

            List<String> filePackets = md5Column(run(concat(ffmpeg, List.of("-i", film.toString(), "-map", "0:a:0",
                    "-c", "copy", "-f", "framemd5", "-"))));
            assertThat(filePackets).hasSizeGreaterThan(250);
            assertThat(md5Column(packets.get())).as("Opus payloads over TCP").isEqualTo(filePackets);

            List<String> fileFrames = md5Column(run(concat(ffmpeg, List.of("-i", film.toString(), "-map", "0:a:0",
                    "-f", "framemd5", "-"))));
            List<String> rtspFrames = md5Column(decoded.get());
            assertThat(rtspFrames).as("decoded by ffmpeg over UDP").hasSameSizeAs(fileFrames);
            assertThat(rtspFrames.subList(1, rtspFrames.size() - 1))
                    .isEqualTo(fileFrames.subList(1, fileFrames.size() - 1))
                    .doesNotContain(rtspFrames.get(0));

            if (gst != null) {
                Path filePcm = dir.resolve("opus-file.raw");
                Ffmpeg.Run local = Gst.launch(List.of("filesrc", "location=" + film, "!", "matroskademux", "!",
                        "opusdec", "!", "audio/x-raw,format=S16LE,channels=1", "!", "filesink", "location=" + filePcm),
                        FFMPEG_TIMEOUT_SECONDS);
                Ffmpeg.Run remote = gst.get();
                assertThat(remote.exitCode()).as("GStreamer decodes mono (%s)", remote.stderr()).isZero();
                assertThat(local.exitCode()).isZero();
                byte[] fromFile = Files.readAllBytes(filePcm);
                byte[] fromRtsp = Files.readAllBytes(gstPcm);
                int preSkipBytes = 2 * opusPreSkip(node.films().film("clip.mkv").get().probe().streams().stream()
                        .filter(st -> st.codec().equals("opus")).findFirst().orElseThrow().extradata());
                assertThat(preSkipBytes).isPositive();
                int frameBytes = 2 * 960;
                int n = Math.min(fromFile.length, fromRtsp.length - preSkipBytes) - frameBytes;
                assertThat(n).as("nearly the film's %d samples", fromFile.length / 2).isGreaterThan(fromFile.length * 9 / 10);
                assertThat(java.util.Arrays.equals(fromFile, 0, n, fromRtsp, preSkipBytes, preSkipBytes + n))
                        .as("GStreamer's mono samples, file vs RTSP after the pre-skip").isTrue();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** The pre-skip of an OpusHead (RFC 7845 section 5.1): samples at 48 kHz, little-endian at byte 10. */
    private static int opusPreSkip(byte[] opusHead) {
        return (opusHead[10] & 0xFF) | (opusHead[11] & 0xFF) << 8;
    }

    @SafeVarargs
    private static List<String> concat(List<String>... parts) {
        List<String> all = new ArrayList<>();
        for (List<String> p : parts) {
            all.addAll(p);
        }
        return all;
    }

    private static Ffmpeg.Run run(List<String> command) {
        try {
            return Ffmpeg.run(command, FFMPEG_TIMEOUT_SECONDS);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The hash column of a framemd5 listing (side data, which RTSP input adds to some packets, follows it). */
    private static List<String> md5Column(Ffmpeg.Run run) {
        List<String> md5s = new ArrayList<>();
        for (String line : run.stdout()) {
            if (!line.startsWith("#") && !line.isBlank()) {
                md5s.add(line.split(",")[5].strip());
            }
        }
        return md5s;
    }

    @Test
    void pathsOutsideTheLibraryAnswer404AndNonMedia415() throws Exception {
        assertThat(describeStatus("/vod/../outside/secret.mkv")).isEqualTo(404);
        assertThat(describeStatus("/vod/%2e%2e/outside/secret.mkv")).isEqualTo(404);
        assertThat(describeStatus("/vod/link.mkv")).isEqualTo(404);
        assertThat(describeStatus("/vod/" + dir.resolve("outside/secret.mkv"))).isEqualTo(404);
        assertThat(describeStatus("/vod/missing.mp4")).isEqualTo(404);
        assertThat(describeStatus("/vod/notmedia.mp4")).isEqualTo(415);
        assertThat(describeStatus("/vod/clip.mkv")).isEqualTo(200);
    }

    private static void assertPlayedWhole(Ffmpeg.Run run, List<String> reference) {
        assertThat(run.stdout()).as("decoded frames (%s)", run.stderr()).isEqualTo(reference);
        assertThat(run.elapsedMs()).as("ffmpeg's whole run").isBetween(CLIP_SECONDS * 900L, CLIP_SECONDS * 3000L);
    }

    private static CompletableFuture<Ffmpeg.Run> read(ExecutorService pool, String fid, String transport,
                                                      List<String> before) {
        return CompletableFuture.supplyAsync(() -> {
            List<String> args = new ArrayList<>(List.of("-rtsp_transport", transport, "-timeout", "5000000"));
            args.addAll(before);
            args.addAll(List.of("-i", url(fid)));
            try {
                return Ffmpeg.frameMd5Run(args, FFMPEG_TIMEOUT_SECONDS);
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }, pool);
    }

    private static String url(String fid) {
        return "rtsp://127.0.0.1:" + node.rtspPort() + "/vod/" + fid;
    }

    private static int describeStatus(String path) throws IOException {
        try (Socket s = new Socket("127.0.0.1", node.rtspPort())) {
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(("DESCRIBE rtsp://127.0.0.1:" + node.rtspPort() + path + " RTSP/1.0\r\nCSeq: 1\r\n\r\n")
                    .getBytes(StandardCharsets.UTF_8));
            out.flush();
            BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
            String status = in.readLine();
            return Integer.parseInt(status.split(" ")[1]);
        }
    }

    private static int freeUdpPortPair() throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int port;
            try (DatagramSocket probe = new DatagramSocket(0)) {
                port = probe.getLocalPort() & ~1;
            }
            try (DatagramSocket a = new DatagramSocket(port); DatagramSocket b = new DatagramSocket(port + 1)) {
                return port;
            } catch (IOException taken) {
                // try another pair
            }
        }
        throw new IOException("no free UDP port pair");
    }
}

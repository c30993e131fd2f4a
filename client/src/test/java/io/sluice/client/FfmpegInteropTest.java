package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.node.live.LiveStream;
import io.sluice.node.live.LiveTrack;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream, every protocol, checked by decoded frames: a TS pushed natively comes out identical to
 * native pullers (as TS) and to ffmpeg RTSP readers over TCP and UDP and GStreamer's rtspsrc (as H.264 and
 * AAC tracks); an ffmpeg RTSP publish of H.264 + AAC comes out of the
 * Java MPEG-TS bridge identical to native pullers. Skipped without ffmpeg.
 */
class FfmpegInteropTest {

    private static final Logger log = LoggerFactory.getLogger(FfmpegInteropTest.class);
    private static final int CLIP_SECONDS = 6;

    @TempDir
    static Path dir;
    private static Path mp4;
    private static Path ts;
    private static List<String> source;
    private static TestNode node;

    @BeforeAll
    static void prepare() throws Exception {
        assumeTrue(Ffmpeg.available(), "ffmpeg is not installed");
        mp4 = Ffmpeg.clip(dir, CLIP_SECONDS);
        ts = Ffmpeg.toTs(mp4);
        source = Ffmpeg.frameMd5s(dir, mp4.toString());
        assertThat(source).hasSize(CLIP_SECONDS * 25).doesNotHaveDuplicates();
        node = TestNode.start(l -> { });
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @Test
    void aNativePushReachesNativePullersAsTsAndFfmpegRtspReadersAsTracksFrameForFrame() throws Exception {
        PulledTs pulled = new PulledTs();
        EventLog pullEvents = pulled.events;
        Path tcpMd5 = dir.resolve("rtsp-tcp.md5");
        Path udpMd5 = dir.resolve("rtsp-udp.md5");
        try (PushStreamClient push = authenticatedPusher("pushed");
             PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), pullEvents)) {
            pull.pullStreamStart();
            pull.pullStreamData(List.of("pushed"));
            pullEvents.await(NativeEvent.PullStreamReqSuccess.class, 5000);
            pullEvents.awaitCondition(() -> node.node.nativeServer().pullers().get(0).pulling().contains("pushed")
                    && node.node.paths().find("pushed").readers().size() == 1, 10_000, "the native puller");
            byte[] bytes = Files.readAllBytes(ts);
            int chunk = PushStreamClient.MAX_DATA_PER_DATAGRAM;
            // The readers come while the push is under way: DESCRIBE waits for the tracks, and the GOP cache
            // starts them on the first keyframe.
            Thread pusher = Thread.ofVirtual().start(() -> pushInRealTime(push, "pushed", bytes, CLIP_SECONDS));
            Process tcpReader = rtspReader("pushed", "tcp", tcpMd5);
            Process udpReader = rtspReader("pushed", "udp", udpMd5);
            Path gstRecording = dir.resolve("gst.h264");
            Process gstReader = gstAvailable() ? gstReader(gstRecording) : null;
            try {
                pusher.join(TimeUnit.SECONDS.toMillis(CLIP_SECONDS + 10));
                int expected = (bytes.length + chunk - 1) / chunk;
                pullEvents.awaitCondition(() -> pull.statistics().delivered() >= expected, 5000, "every datagram");
                LiveStream tracks = node.node.paths().find("pushed").presentation().getNow(null);
                assertThat(tracks).as("the push is presented as its tracks").isNotNull();
                assertThat(tracks.tracks()).extracting(LiveTrack::encodingName)
                        .containsExactly("H264", "MPEG4-GENERIC");
                assertThat(tracks.readers()).as("every RTSP reader reads the tracks").hasSize(gstReader == null ? 2 : 3);
                Thread.sleep(500);
                push.stopPush(List.of("pushed"));
                pullEvents.await(NativeEvent.StreamStop.class, 5000);
                assertThat(tcpReader.waitFor(20, TimeUnit.SECONDS)).as("the TCP reader ends with the stream").isTrue();
                assertThat(udpReader.waitFor(20, TimeUnit.SECONDS)).as("the UDP reader ends with the stream").isTrue();
                if (gstReader != null) {
                    assertThat(gstReader.waitFor(20, TimeUnit.SECONDS)).as("rtspsrc ends with the stream").isTrue();
                }
            } finally {
                tcpReader.destroyForcibly();
                udpReader.destroyForcibly();
                if (gstReader != null) {
                    gstReader.destroyForcibly();
                }
            }
            Path pulledTs = pulled.writeTo(dir.resolve("pulled.ts"));
            assertThat(Files.readAllBytes(pulledTs)).as("the pulled bytes are the pushed bytes").isEqualTo(Files.readAllBytes(ts));
            List<String> pulledFrames = Ffmpeg.frameMd5s(dir, pulledTs.toString());
            Ffmpeg.assertUnbrokenRun(source, pulledFrames, source.size());
            List<String> tcpFrames = Ffmpeg.parse(tcpMd5);
            List<String> udpFrames = Ffmpeg.parse(udpMd5);
            log.info("native push: puller decoded {} of {} frames, ffmpeg RTSP readers {} (TCP) and {} (UDP)",
                    pulledFrames.size(), source.size(), tcpFrames.size(), udpFrames.size());
            Ffmpeg.assertUnbrokenRun(source, tcpFrames, source.size());
            Ffmpeg.assertUnbrokenRun(source, udpFrames, source.size());
            if (gstReader != null) {
                List<String> gstFrames = Ffmpeg.frameMd5s(dir, gstRecording.toString());
                log.info("native push: GStreamer rtspsrc (TCP) decoded {} of {} frames", gstFrames.size(), source.size());
                Ffmpeg.assertUnbrokenRun(source, gstFrames, source.size());
            } else {
                log.info("native push: gst-launch-1.0 is not installed, no GStreamer reader");
            }
        }
    }

    private static boolean gstAvailable() {
        for (String d : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(d, "gst-launch-1.0"))) {
                return true;
            }
        }
        return false;
    }

    /**
     * GStreamer's rtspsrc over TCP writing the depayloaded H.264 as a byte stream (a container would drop
     * access units whose timestamps the GOP-cache burst skewed); it ends at the BYE. Its jitter buffer waits
     * 2 s: with less, a loaded machine's late packets of the burst count as lost and it drops their frames.
     */
    private static Process gstReader(Path recording) throws Exception {
        return new ProcessBuilder("gst-launch-1.0", "-q", "-e", "rtspsrc", "location=" + node.rtspUrl("pushed"),
                "protocols=tcp", "latency=2000", "name=src", "src.", "!", "application/x-rtp,media=video", "!",
                "rtph264depay", "!", "h264parse", "!", "video/x-h264,stream-format=byte-stream,alignment=au", "!",
                "filesink", "location=" + recording, "src.", "!", "application/x-rtp,media=audio", "!", "fakesink")
                .redirectErrorStream(true).redirectOutput(dir.resolve("gst-reader.log").toFile()).start();
    }

    /** A 3 s video-only TS straight from ffmpeg: which encoder, with which options, and the RTP track it makes. */
    record VideoOnly(String name, String liveId, String encodingName, List<String> codecArgs) {
        @Override
        public String toString() {
            return name;
        }
    }

    static List<VideoOnly> videoOnly() {
        return List.of(
                new VideoOnly("H.265", "hevc", "H265", List.of("-c:v", "libx265", "-preset", "veryfast",
                        "-x265-params", "keyint=25:min-keyint=25:bframes=0:log-level=error")),
                new VideoOnly("H.264 with B-frames (PTS out of decoding order)", "bframes", "H264",
                        List.of("-c:v", "libx264", "-preset", "veryfast", "-g", "25", "-bf", "2")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("videoOnly")
    void aVideoOnlyPushIsReadOverRtspFrameForFrame(VideoOnly c) throws Exception {
        Path clip = Ffmpeg.videoOnlyTs(dir, c.liveId(), 3, c.codecArgs());
        List<String> clipFrames = Ffmpeg.frameMd5s(dir, clip.toString());
        assertThat(clipFrames).hasSize(3 * 25).doesNotHaveDuplicates();
        Path md5 = dir.resolve("rtsp-" + c.liveId() + ".md5");
        try (PushStreamClient push = authenticatedPusher(c.liveId())) {
            byte[] bytes = Files.readAllBytes(clip);
            Thread pusher = Thread.ofVirtual().start(() -> pushInRealTime(push, c.liveId(), bytes, 3));
            Process reader = rtspReader(c.liveId(), "tcp", md5);
            try {
                pusher.join(TimeUnit.SECONDS.toMillis(3 + 10));
                LiveStream tracks = node.node.paths().find(c.liveId()).presentation().getNow(null);
                assertThat(tracks.tracks()).extracting(LiveTrack::encodingName).containsExactly(c.encodingName());
                Thread.sleep(500);
                push.stopPush(List.of(c.liveId()));
                assertThat(reader.waitFor(20, TimeUnit.SECONDS)).as("the reader ends with the stream").isTrue();
            } finally {
                reader.destroyForcibly();
            }
        }
        List<String> frames = Ffmpeg.parse(md5);
        log.info("native {} push: ffmpeg RTSP reader decoded {} of {} frames", c, frames.size(), clipFrames.size());
        Ffmpeg.assertUnbrokenRun(clipFrames, frames, clipFrames.size());
    }

    /** An ffmpeg RTSP reader of a pushed stream writing the md5 of every video frame it decodes. */
    private static Process rtspReader(String liveId, String transport, Path md5) throws Exception {
        return Ffmpeg.start(dir.resolve("rtsp-" + liveId + "-" + transport + "-reader.log"), "-rtsp_transport",
                transport, "-timeout", "10000000", "-i", node.rtspUrl(liveId), "-map", "0:v:0", "-fps_mode",
                "passthrough", "-f", "framemd5", "-y", md5.toString());
    }

    /** Pushes the TS at the speed of its media ({@code seconds} long), as a live source would. */
    private static void pushInRealTime(PushStreamClient push, String liveId, byte[] bytes, int seconds) {
        int chunk = PushStreamClient.MAX_DATA_PER_DATAGRAM;
        long startNs = System.nanoTime();
        long durationNs = TimeUnit.SECONDS.toNanos(seconds);
        try {
            for (int from = 0; from < bytes.length; from += chunk) {
                long waitNs = startNs + durationNs * from / bytes.length - System.nanoTime();
                if (waitNs > 0) {
                    TimeUnit.NANOSECONDS.sleep(waitNs);
                }
                push.pushStreamData(liveId, java.util.Arrays.copyOfRange(bytes, from,
                        Math.min(bytes.length, from + chunk)));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void anFfmpegRtspPublishIsPulledNativelyAsMpegTsFrameForFrame() throws Exception {
        String code = node.key("published");
        PulledTs pulled = new PulledTs();
        EventLog pullEvents = pulled.events;
        try (PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), pullEvents)) {
            pull.pullStreamStart();
            pull.pullStreamData(List.of("published"));
            assertThat(pullEvents.await(NativeEvent.NoStream.class, 5000).liveIds()).containsExactly("published");
            Process publisher = Ffmpeg.start(dir.resolve("publisher.log"), "-re", "-i", mp4.toString(), "-c", "copy",
                    "-f", "rtsp", "-rtsp_transport", "tcp", node.rtspUrl("published") + "?key=" + code);
            try {
                pullEvents.await(NativeEvent.PullStreamReqSuccess.class, 10_000);
                assertThat(publisher.waitFor(30, TimeUnit.SECONDS)).as("the publisher finishes").isTrue();
                assertThat(publisher.exitValue()).as(Files.readString(dir.resolve("publisher.log"))).isZero();
                pullEvents.await(NativeEvent.StreamStop.class, 5000);
            } finally {
                publisher.destroyForcibly();
            }
            Path pulledTs = pulled.writeTo(dir.resolve("bridged.ts"));
            List<String> frames = Ffmpeg.frameMd5s(dir, pulledTs.toString());
            log.info("RTSP publish: native puller decoded {} of {} frames ({} bytes of TS), lost {}", frames.size(),
                    source.size(), Files.size(pulledTs), pull.statistics().lost());
            Ffmpeg.assertUnbrokenRun(source, frames, source.size() - 3 * 25);
        }
    }

    /**
     * A native puller that joins a running TS push between keyframes starts on the cached keyframe before it
     * (ffmpeg's muxer sets the random access indicator and writes PAT and PMT before every keyframe): the
     * first frame it decodes is at least half a second older than its join, where without a GOP cache it would
     * be the next keyframe after it, and the rest is an unbroken run to the end.
     */
    @Test
    void aPullerJoiningARunningPushStartsOnTheCachedKeyframe() throws Exception {
        PulledTs pulled = new PulledTs();
        EventLog pullEvents = pulled.events;
        long joinFrame;
        try (PushStreamClient push = authenticatedPusher("joined");
             PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), pullEvents)) {
            byte[] bytes = Files.readAllBytes(ts);
            long startNs = System.nanoTime();
            Thread pusher = Thread.ofVirtual().start(() -> pushInRealTime(push, "joined", bytes, CLIP_SECONDS));
            Thread.sleep(3_400);   // between the keyframes at 3 s and 4 s
            pull.pullStreamStart();
            pull.pullStreamData(List.of("joined"));
            pullEvents.await(NativeEvent.PullStreamReqSuccess.class, 5000);
            joinFrame = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - startNs) * 25 / 1000;
            pusher.join(TimeUnit.SECONDS.toMillis(CLIP_SECONDS + 10));
            Thread.sleep(500);
            push.stopPush(List.of("joined"));
            pullEvents.await(NativeEvent.StreamStop.class, 5000);
        }
        Path pulledTs = pulled.writeTo(dir.resolve("joined.ts"));
        List<String> frames = Ffmpeg.frameMd5s(dir, pulledTs.toString());
        int first = source.indexOf(frames.get(0));
        log.info("late native puller joined at source frame {}, decoded from frame {} ({} frames)", joinFrame, first,
                frames.size());
        assertThat(first).as("its first frame, joined at frame " + joinFrame).isLessThanOrEqualTo((int) joinFrame - 12);
        Ffmpeg.assertUnbrokenRun(source, frames, source.size() - first);
    }

    /** A push client authenticated for {@code liveId} with a key the node made for it. */
    private static PushStreamClient authenticatedPusher(String liveId) throws Exception {
        String code = node.key(liveId);
        EventLog events = new EventLog();
        PushStreamClient push = new PushStreamClient("127.0.0.1", 0, node.push(), events);
        try {
            push.auth(liveId, code);
            events.await(NativeEvent.AuthRsp.class, NativeEvent.AuthRsp::accepted, 5000);
            return push;
        } catch (Exception | AssertionError e) {
            push.close();
            throw e;
        }
    }

    /** What a pull client delivers, every data payload appended in order: the TS it pulled. */
    private static final class PulledTs {
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final EventLog events = new EventLog(d -> {
            synchronized (bytes) {
                bytes.writeBytes(d.data());
            }
        });

        Path writeTo(Path file) throws java.io.IOException {
            synchronized (bytes) {
                Files.write(file, bytes.toByteArray());
            }
            return file;
        }
    }
}

package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One stream, every protocol, checked by decoded frames: a TS pushed natively comes out identical to
 * native pullers and to an ffmpeg RTSP reader; an ffmpeg RTSP publish of H.264 + AAC comes out of the
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
    void aNativePushReachesNativePullersAndAnFfmpegRtspReaderFrameForFrame() throws Exception {
        String code = node.key("pushed");
        EventLog pushEvents = new EventLog();
        ByteArrayOutputStream pulled = new ByteArrayOutputStream();
        EventLog pullEvents = new EventLog(d -> {
            synchronized (pulled) {
                pulled.writeBytes(d.data());
            }
        });
        Path rtspMd5 = dir.resolve("rtsp.md5");
        try (PushStreamClient push = new PushStreamClient("127.0.0.1", 0, node.push(), pushEvents);
             PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), pullEvents)) {
            push.auth("pushed", code);
            pushEvents.await(NativeEvent.AuthRsp.class, NativeEvent.AuthRsp::accepted, 5000);
            pull.pullStreamStart();
            pull.pullStreamData(List.of("pushed"));
            pullEvents.await(NativeEvent.PullStreamReqSuccess.class, 5000);
            Process reader = Ffmpeg.start(dir.resolve("rtsp-reader.log"), "-rtsp_transport", "tcp", "-timeout",
                    "10000000", "-i", node.rtspUrl("pushed"), "-map", "0:v:0", "-fps_mode", "passthrough", "-f",
                    "framemd5", "-y", rtspMd5.toString());
            try {
                pullEvents.awaitCondition(() -> node.node.sessionCount() > 0
                        && node.node.nativeServer().pullers().get(0).pulling().contains("pushed")
                        && node.node.paths().find("pushed").readers().size() == 2, 10_000, "both readers");
                Thread.sleep(300);
                byte[] bytes = Files.readAllBytes(ts);
                int chunk = PushStreamClient.MAX_DATA_PER_DATAGRAM;
                long startNs = System.nanoTime();
                long durationNs = TimeUnit.SECONDS.toNanos(CLIP_SECONDS);
                for (int from = 0; from < bytes.length; from += chunk) {
                    long dueNs = startNs + durationNs * from / bytes.length;
                    long waitNs = dueNs - System.nanoTime();
                    if (waitNs > 0) {
                        TimeUnit.NANOSECONDS.sleep(waitNs);
                    }
                    push.pushStreamData("pushed", java.util.Arrays.copyOfRange(bytes, from,
                            Math.min(bytes.length, from + chunk)));
                }
                int expected = (bytes.length + chunk - 1) / chunk;
                pullEvents.awaitCondition(() -> pull.statistics().delivered() >= expected, 5000, "every datagram");
                Thread.sleep(500);
                push.stopPush(List.of("pushed"));
                pullEvents.await(NativeEvent.StreamStop.class, 5000);
                assertThat(reader.waitFor(20, TimeUnit.SECONDS)).as("the RTSP reader ends with the stream").isTrue();
            } finally {
                reader.destroyForcibly();
            }
            Path pulledTs = dir.resolve("pulled.ts");
            synchronized (pulled) {
                Files.write(pulledTs, pulled.toByteArray());
            }
            assertThat(Files.readAllBytes(pulledTs)).as("the pulled bytes are the pushed bytes").isEqualTo(Files.readAllBytes(ts));
            List<String> pulledFrames = Ffmpeg.frameMd5s(dir, pulledTs.toString());
            Ffmpeg.assertUnbrokenRun(source, pulledFrames, source.size());
            List<String> rtspFrames = Ffmpeg.parse(rtspMd5);
            log.info("native push: puller decoded {} of {} frames, ffmpeg RTSP reader {}", pulledFrames.size(),
                    source.size(), rtspFrames.size());
            Ffmpeg.assertUnbrokenRun(source, rtspFrames, source.size() - 2 * 25);
        }
    }

    @Test
    void anFfmpegRtspPublishIsPulledNativelyAsMpegTsFrameForFrame() throws Exception {
        String code = node.key("published");
        ByteArrayOutputStream pulled = new ByteArrayOutputStream();
        EventLog pullEvents = new EventLog(d -> {
            synchronized (pulled) {
                pulled.writeBytes(d.data());
            }
        });
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
            Path pulledTs = dir.resolve("bridged.ts");
            synchronized (pulled) {
                Files.write(pulledTs, pulled.toByteArray());
            }
            List<String> frames = Ffmpeg.frameMd5s(dir, pulledTs.toString());
            log.info("RTSP publish: native puller decoded {} of {} frames ({} bytes of TS), lost {}", frames.size(),
                    source.size(), Files.size(pulledTs), pull.statistics().lost());
            Ffmpeg.assertUnbrokenRun(source, frames, source.size() - 3 * 25);
        }
    }
}

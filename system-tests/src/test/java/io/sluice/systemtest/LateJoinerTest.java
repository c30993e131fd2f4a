package io.sluice.systemtest;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.systemtest.harness.Clip;
import io.sluice.systemtest.harness.FfmpegCommands;
import io.sluice.systemtest.harness.FrameMd5;
import io.sluice.systemtest.harness.PeerProcess;
import io.sluice.systemtest.harness.SluiceServerProcess;
import io.sluice.systemtest.harness.StreamKey;
import io.sluice.systemtest.harness.StreamProbe;
import io.sluice.systemtest.harness.SystemTestExtension;
import io.sluice.systemtest.harness.SystemTestRun;
import io.sluice.systemtest.harness.TestClips;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A reader joining a 2 s GOP stream half-way between keyframes starts at once from the GOP cache:
 * its first decoded frame comes within 1 s of its process start, and it is a source keyframe
 * (a server without a GOP cache makes it wait up to 2 s for the next keyframe). Over TCP the cache goes at
 * once; over UDP at reader-catch-up-speed times real time, which must still fill ffmpeg's probe in time.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LateJoinerTest {

    private static final long JOIN_AFTER_MS = 2500;
    private static final double READ_SECONDS = 3;
    private static final long FIRST_FRAME_WITHIN_MS = 1000;

    @ParameterizedTest(name = "over {0}")
    @ValueSource(strings = {"tcp", "udp"})
    void lateReaderStartsOnACachedKeyframeWithinOneSecond(String transport, SystemTestRun run)
            throws InterruptedException {
        Clip clip = TestClips.h264Aac();
        SluiceServerProcess server = run.server();
        StreamKey key = server.createKey("late");
        String url = server.liveUrl(key.liveId());

        PeerProcess publisher = run.peer("publisher-tcp", FfmpegCommands.publish(clip, server.publishUrl(key), "tcp"),
                Duration.ofSeconds(30));
        StreamProbe.awaitDescribable(server.rtspPort(), url, Duration.ofSeconds(10));
        // Readable means the publisher is recording; ffmpeg's own start and RTSP set-up add about half a second,
        // so the reader's PLAY lands mid-way between the keyframes at 2 s and 4 s.
        Thread.sleep(JOIN_AFTER_MS);
        AtomicLong firstFrameNs = new AtomicLong();
        PeerProcess reader = run.peer("late-reader-" + transport, FfmpegCommands.readVideo(url, transport, READ_SECONDS, "-"),
                Duration.ofSeconds(20), line -> {
                    if (FrameMd5.hashOf(line) != null) {
                        firstFrameNs.compareAndSet(0, System.nanoTime());
                    }
                });
        reader.awaitSuccess();

        List<String> frames = FrameMd5.read(reader.stdoutFile());
        FrameMd5.assertUnbrokenRun("late reader", clip.videoMd5s(), frames, clip.minFrames(READ_SECONDS));
        assertThat(clip.keyframeMd5s()).as("the late reader's first frame (source frame %d) is a source keyframe",
                clip.videoMd5s().indexOf(frames.get(0))).contains(frames.get(0));
        long firstFrameMs = TimeUnit.NANOSECONDS.toMillis(firstFrameNs.get() - reader.startNs());
        System.out.printf("late reader over %s: first decoded frame %d ms after its start%n", transport, firstFrameMs);
        assertThat(firstFrameMs).as("ms from the late reader's process start to its first decoded frame")
                .isLessThanOrEqualTo(FIRST_FRAME_WITHIN_MS);
        Publishers.assertStillPublishingOrDone(publisher);
    }
}

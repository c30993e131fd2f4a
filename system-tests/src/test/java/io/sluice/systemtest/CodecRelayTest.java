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
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/** Codecs beyond H.264 + AAC relayed through Sluice, checked by what a reader decodes. */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CodecRelayTest {

    private static final double READ_SECONDS = 6;
    /** libopus writes 20 ms frames, and ffmpeg's decoder outputs one frame for each. */
    private static final int OPUS_FRAMES_PER_SECOND = 50;

    @Test
    void h265AndOpusArriveIntact(SystemTestRun run) {
        Clip clip = TestClips.h265Opus();
        SluiceServerProcess server = run.server();
        StreamKey key = server.createKey("hevc");
        String url = server.liveUrl(key.liveId());

        PeerProcess publisher = run.peer("publisher-tcp", FfmpegCommands.publish(clip, server.publishUrl(key), "tcp"),
                Duration.ofSeconds(30));
        StreamProbe.awaitDescribable(server.rtspPort(), url, Duration.ofSeconds(10));
        Path video = run.dir().resolve("reader-video.framemd5");
        Path audio = run.dir().resolve("reader-audio.framemd5");
        run.peer("reader-tcp", FfmpegCommands.readVideoAndAudio(url, "tcp", READ_SECONDS, video.toString(), audio.toString()),
                Duration.ofSeconds(20)).awaitSuccess();

        FrameMd5.assertUnbrokenRun("H.265 reader", clip.videoMd5s(), FrameMd5.read(video), clip.minFrames(READ_SECONDS));
        // Opus decoding depends on decoder state, so a joining reader's samples differ from the file's:
        // count the decoded frames instead of comparing them.
        assertThat(FrameMd5.read(audio)).as("decoded Opus frames in %s s", READ_SECONDS)
                .hasSizeGreaterThanOrEqualTo((int) (READ_SECONDS * OPUS_FRAMES_PER_SECOND * 0.8));
        Publishers.assertStillPublishingOrDone(publisher);
    }

    @Test
    void mpegTsRelaysAsOneMp2tStream(SystemTestRun run) {
        Clip clip = TestClips.h264AacMpegTs();
        SluiceServerProcess server = run.server();
        StreamKey key = server.createKey("ts");
        String url = server.liveUrl(key.liveId());

        PeerProcess publisher = run.peer("publisher-mp2t-tcp", FfmpegCommands.publishMpegTs(clip, server.publishUrl(key), "tcp"),
                Duration.ofSeconds(30));
        StreamProbe.awaitDescribable(server.rtspPort(), url, Duration.ofSeconds(10));
        Path video = run.dir().resolve("reader-udp.framemd5");
        run.peer("reader-udp", FfmpegCommands.readVideo(url, "udp", READ_SECONDS, video.toString()), Duration.ofSeconds(20))
                .awaitSuccess();

        FrameMd5.assertUnbrokenRun("MP2T reader over udp", clip.videoMd5s(), FrameMd5.read(video), clip.minFrames(READ_SECONDS));
        Publishers.assertStillPublishingOrDone(publisher);
    }
}

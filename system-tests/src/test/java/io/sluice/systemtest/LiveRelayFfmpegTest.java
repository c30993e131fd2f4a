package io.sluice.systemtest;

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
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * ffmpeg publishes the H.264 + AAC clip to Sluice in real time with {@code -c copy}; an ffmpeg
 * reader started as soon as the stream is readable decodes an unbroken run of the clip's frames,
 * for every pairing of publisher and reader transport.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveRelayFfmpegTest {

    private static final double READ_SECONDS = 6;

    @ParameterizedTest(name = "publisher {0}, reader {1}")
    @CsvSource({"tcp, tcp", "tcp, udp", "udp, tcp", "udp, udp"})
    void readerDecodesAnUnbrokenRunOfThePublishedFrames(String publisherTransport, String readerTransport, SystemTestRun run) {
        Clip clip = TestClips.h264Aac();
        SluiceServerProcess server = run.server();
        StreamKey key = server.createKey("relay");
        String url = server.liveUrl(key.liveId());

        PeerProcess publisher = run.peer("publisher-" + publisherTransport,
                FfmpegCommands.publish(clip, server.publishUrl(key), publisherTransport), Duration.ofSeconds(30));
        StreamProbe.awaitDescribable(server.rtspPort(), url, Duration.ofSeconds(10));
        String frames = run.dir().resolve("reader-" + readerTransport + ".framemd5").toString();
        PeerProcess reader = run.peer("reader-" + readerTransport,
                FfmpegCommands.readVideo(url, readerTransport, READ_SECONDS, frames), Duration.ofSeconds(20));

        reader.awaitSuccess();
        FrameMd5.assertUnbrokenRun("ffmpeg reader over " + readerTransport, clip.videoMd5s(),
                FrameMd5.read(run.dir().resolve(frames)), clip.minFrames(READ_SECONDS));
        Publishers.assertStillPublishingOrDone(publisher);
    }
}

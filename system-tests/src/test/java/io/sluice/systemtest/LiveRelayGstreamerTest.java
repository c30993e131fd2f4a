package io.sluice.systemtest;

import io.sluice.systemtest.harness.Clip;
import io.sluice.systemtest.harness.FfmpegCommands;
import io.sluice.systemtest.harness.FrameMd5;
import io.sluice.systemtest.harness.GstCommands;
import io.sluice.systemtest.harness.PeerProcess;
import io.sluice.systemtest.harness.Peers;
import io.sluice.systemtest.harness.SluiceServerProcess;
import io.sluice.systemtest.harness.StreamKey;
import io.sluice.systemtest.harness.StreamProbe;
import io.sluice.systemtest.harness.SystemTestExtension;
import io.sluice.systemtest.harness.SystemTestRun;
import io.sluice.systemtest.harness.TestClips;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * ffmpeg publishes the H.264 + AAC clip; GStreamer's rtspsrc reads it over TCP or UDP and records
 * the depayloaded H.264 to Matroska; decoding that file gives an unbroken run of the clip's frames.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LiveRelayGstreamerTest {

    private static final long READ_MS = 6000;
    /** The jitter buffer's latency and the access units that EOS cuts off at the end. */
    private static final double MARGIN_SECONDS = 1;

    @ParameterizedTest(name = "rtspsrc protocols={0}")
    @ValueSource(strings = {"tcp", "udp"})
    void rtspsrcRecordsAnUnbrokenRunOfThePublishedFrames(String protocols, SystemTestRun run) throws InterruptedException {
        Peers.gstLaunch();
        Clip clip = TestClips.h264Aac();
        SluiceServerProcess server = run.server();
        StreamKey key = server.createKey("gst");
        String url = server.liveUrl(key.liveId());

        PeerProcess publisher = run.peer("publisher-tcp", FfmpegCommands.publish(clip, server.publishUrl(key), "tcp"),
                Duration.ofSeconds(30));
        StreamProbe.awaitDescribable(server.rtspPort(), url, Duration.ofSeconds(10));
        Path recording = run.dir().resolve("gst-" + protocols + ".mkv");
        PeerProcess reader = run.peer("gst-" + protocols, GstCommands.readH264ToMatroska(url, protocols, recording),
                Duration.ofSeconds(30));
        reader.awaitOutputFile(recording, Duration.ofSeconds(10));
        Thread.sleep(READ_MS);
        reader.interrupt();
        reader.awaitExit();

        String frames = run.dir().resolve("gst-" + protocols + ".framemd5").toString();
        run.peer("decode-gst-" + protocols, FfmpegCommands.decodeVideo(recording, frames), Duration.ofSeconds(20)).awaitSuccess();
        FrameMd5.assertUnbrokenRun("rtspsrc over " + protocols, clip.videoMd5s(),
                FrameMd5.withoutCutTail(FrameMd5.read(Path.of(frames))),
                clip.minFrames(READ_MS / 1000.0 - MARGIN_SECONDS));
        Publishers.assertStillPublishingOrDone(publisher);
    }
}

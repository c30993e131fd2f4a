package io.sluice.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Validates the harness against a known-good server, GStreamer's own, each reader getting its own
 * playback from the start: ffmpeg readers over TCP and UDP and a GStreamer reader each receive an
 * unbroken run of the clip's frames from its first keyframe, and a reader's time to first frame is
 * measured from its stdout. If this fails, a Sluice failure in the other tests means nothing.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GstRtspServerPeerTest {

    private static final long GST_READ_MS = 5000;

    @Test
    void ffmpegAndGstreamerReadersGetUnbrokenRunsFromGstreamersServer(SystemTestRun run) throws Exception {
        Clip clip = TestClips.h264AacMatroska();
        assertThat(clip.videoMd5s()).isEqualTo(TestClips.h264Aac().videoMd5s());
        Peers.gstLaunch();
        GstRtspServerPeer server = run.gstRtspServer(clip, GstRtspServerPeer.H264_AAC_MATROSKA,
                GstRtspServerPeer.Playback.PER_READER, Duration.ofSeconds(40));

        PeerProcess tcpReader = run.peer("ffmpeg-tcp", FfmpegCommands.readVideo(server.url(), "tcp", 6,
                run.dir().resolve("ffmpeg-tcp.framemd5").toString()), Duration.ofSeconds(20));
        AtomicLong firstFrameNs = new AtomicLong();
        PeerProcess udpReader = run.peer("ffmpeg-udp", FfmpegCommands.readVideo(server.url(), "udp", 4, "-"),
                Duration.ofSeconds(20), line -> {
                    if (FrameMd5.hashOf(line) != null) {
                        firstFrameNs.compareAndSet(0, System.nanoTime());
                    }
                });
        PeerProcess gstReader = run.peer("gst-tcp", GstCommands.readH264ToMatroska(server.url(), "tcp",
                run.dir().resolve("gst-tcp.mkv")), Duration.ofSeconds(30));
        gstReader.awaitOutputFile(run.dir().resolve("gst-tcp.mkv"), Duration.ofSeconds(10));
        Thread.sleep(GST_READ_MS);
        gstReader.interrupt();

        tcpReader.awaitSuccess();
        udpReader.awaitSuccess();
        gstReader.awaitExit();
        run.peer("decode-gst-tcp", FfmpegCommands.decodeVideo(run.dir().resolve("gst-tcp.mkv"),
                run.dir().resolve("gst-tcp.framemd5").toString()), Duration.ofSeconds(20)).awaitSuccess();

        List<String> tcp = FrameMd5.read(run.dir().resolve("ffmpeg-tcp.framemd5"));
        FrameMd5.assertUnbrokenRun("ffmpeg tcp", clip.videoMd5s(), tcp, clip.minFrames(6));
        List<String> udp = FrameMd5.read(udpReader.stdoutFile());
        FrameMd5.assertUnbrokenRun("ffmpeg udp", clip.videoMd5s(), udp, clip.minFrames(4));
        assertThat(List.of(tcp.get(0), udp.get(0))).as("first frames").containsOnly(clip.videoMd5s().get(0));
        assertThat(clip.keyframeMd5s()).contains(udp.get(0));
        assertThat(TimeUnit.NANOSECONDS.toMillis(firstFrameNs.get() - udpReader.startNs()))
                .as("ms from the udp reader's start to its first frame on stdout").isBetween(20L, 2500L);
        // 5 s from the first bytes of the recording, less the jitter buffer's latency and the cut tail.
        FrameMd5.assertUnbrokenRun("gst tcp", clip.videoMd5s(),
                FrameMd5.withoutCutTail(FrameMd5.read(run.dir().resolve("gst-tcp.framemd5"))), clip.minFrames(4));
    }
}

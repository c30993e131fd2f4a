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
 * Validates the harness against a known-good server, GStreamer's own: ffmpeg readers over TCP and
 * UDP and a GStreamer reader each receive an unbroken run of the clip's frames, a reader joining
 * mid-stream starts on a source keyframe, and its time to first frame is measured from stdout.
 * If this fails, a Sluice failure in the other tests means nothing.
 */
@ExtendWith(SystemTestExtension.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class GstRtspServerPeerTest {

    @Test
    void ffmpegAndGstreamerReadersGetUnbrokenRunsFromGstreamersServer(SystemTestRun run) throws Exception {
        Clip clip = TestClips.h264AacMatroska();
        assertThat(clip.videoMd5s()).isEqualTo(TestClips.h264Aac().videoMd5s());
        String gstLaunch = Peers.gstLaunch();
        GstRtspServerPeer server = run.gstRtspServer(clip, GstRtspServerPeer.H264_AAC_MATROSKA, Duration.ofSeconds(40));
        assertThat(gstLaunch).isNotEmpty();

        PeerProcess tcpReader = run.peer("ffmpeg-tcp", FfmpegCommands.readVideo(server.url(), "tcp", 6,
                run.dir().resolve("ffmpeg-tcp.framemd5").toString()), Duration.ofSeconds(20));
        // The first PLAY starts the shared media; a reader whose PLAY comes later waits for the next keyframe.
        Thread.sleep(1000);
        PeerProcess gstReader = run.peer("gst-tcp", GstCommands.readH264ToMatroska(server.url(), "tcp",
                run.dir().resolve("gst-tcp.mkv")), Duration.ofSeconds(20));
        Thread.sleep(2000);
        AtomicLong firstFrameNs = new AtomicLong();
        PeerProcess lateReader = run.peer("ffmpeg-udp-late", FfmpegCommands.readVideo(server.url(), "udp", 4, "-"),
                Duration.ofSeconds(20), line -> {
                    if (FrameMd5.hashOf(line) != null) {
                        firstFrameNs.compareAndSet(0, System.nanoTime());
                    }
                });
        Thread.sleep(3000);
        gstReader.interrupt();

        tcpReader.awaitSuccess();
        lateReader.awaitSuccess();
        gstReader.awaitExit();
        PeerProcess decode = run.peer("decode-gst-tcp", FfmpegCommands.decodeVideo(run.dir().resolve("gst-tcp.mkv"),
                run.dir().resolve("gst-tcp.framemd5").toString()), Duration.ofSeconds(20));
        decode.awaitSuccess();

        FrameMd5.assertUnbrokenRun("ffmpeg tcp", clip.videoMd5s(), FrameMd5.read(run.dir().resolve("ffmpeg-tcp.framemd5")),
                clip.minFrames(6));
        // GStreamer's server keeps no GOP: a reader joining 3 s in waits for the keyframe at 4 s.
        List<String> late = FrameMd5.read(lateReader.stdoutFile());
        FrameMd5.assertUnbrokenRun("late ffmpeg udp", clip.videoMd5s(), late, clip.minFrames(3));
        assertThat(clip.keyframeMd5s()).contains(late.get(0));
        assertThat(firstFrameNs.get()).isPositive();
        long firstFrameMs = TimeUnit.NANOSECONDS.toMillis(firstFrameNs.get() - lateReader.startNs());
        assertThat(firstFrameMs).as("time to first frame of a reader joining 1 s before a keyframe").isBetween(100L, 2500L);
        // Joining at 1 s it starts on the keyframe at 2 s and is stopped at 6 s.
        FrameMd5.assertUnbrokenRun("gst tcp", clip.videoMd5s(), FrameMd5.read(run.dir().resolve("gst-tcp.framemd5")),
                clip.minFrames(3.5));
    }
}

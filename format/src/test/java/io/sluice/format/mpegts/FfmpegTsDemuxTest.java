package io.sluice.format.mpegts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.format.aac.AdtsHeader;
import io.sluice.format.h264.AnnexB;
import io.sluice.format.h264.H264NalUnit;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Demuxes a transport stream that ffmpeg writes in the test: two seconds of H.264 at 25 fps and AAC. */
class FfmpegTsDemuxTest {

    @TempDir
    Path dir;

    private static boolean ffmpegAvailable() {
        for (String p : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
            if (Files.isExecutable(Path.of(p, "ffmpeg"))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void demuxesEveryFrameOfAnFfmpegFile() throws Exception {
        assumeTrue(ffmpegAvailable(), "ffmpeg is not installed");
        Path file = dir.resolve("clip.ts");
        Process p = new ProcessBuilder("ffmpeg", "-v", "error", "-f", "lavfi", "-i", "testsrc2=size=160x120:rate=25",
                "-f", "lavfi", "-i", "sine=frequency=440:sample_rate=48000", "-t", "2", "-c:v", "libx264",
                "-g", "25", "-bf", "0", "-c:a", "aac", "-f", "mpegts", file.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("ffmpeg.log").toFile()).start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(Files.readString(dir.resolve("ffmpeg.log"))).isZero();

        List<Long> videoPts = new ArrayList<>();
        List<Boolean> keyframes = new ArrayList<>();
        int[] audioFrames = {0};
        TsDemuxer.Listener listener = new TsDemuxer.Listener() {
            @Override
            public void program(List<TsElementaryStream> streams) {
                assertThat(streams).extracting(TsElementaryStream::streamType)
                        .containsExactly(TsStreamType.H264, TsStreamType.AAC_ADTS);
            }

            @Override
            public void pes(TsElementaryStream stream, long pts, long dts, boolean randomAccess, ByteBuf data) {
                if (stream.streamType() == TsStreamType.H264) {
                    videoPts.add(pts);
                    List<ByteBuf> units = new ArrayList<>();
                    AnnexB.read(data, units);
                    boolean idr = units.stream()
                            .anyMatch(u -> H264NalUnit.type(u.getByte(u.readerIndex())) == H264NalUnit.IDR);
                    keyframes.add(idr);
                    assertThat(randomAccess).isEqualTo(idr);
                } else {
                    ByteBuf frames = data.duplicate();
                    while (frames.isReadable()) {
                        AdtsHeader h = AdtsHeader.parse(frames);
                        frames.skipBytes(h.frameLength());
                        audioFrames[0]++;
                    }
                }
            }
        };
        ByteBuf ts = Unpooled.wrappedBuffer(Files.readAllBytes(file));
        try (TsDemuxer demuxer = new TsDemuxer(ByteBufAllocator.DEFAULT, 1 << 20, listener)) {
            demuxer.feed(ts);
            demuxer.flush();
            assertThat(demuxer.continuityErrors()).isZero();
            assertThat(demuxer.crcErrors()).isZero();
            assertThat(demuxer.droppedPes()).isZero();
        } finally {
            ts.release();
        }
        assertThat(videoPts).hasSize(50);
        for (int i = 1; i < videoPts.size(); i++) {
            assertThat(videoPts.get(i) - videoPts.get(i - 1)).isEqualTo(3600);
        }
        assertThat(keyframes.get(0)).isTrue();
        assertThat(keyframes.stream().filter(k -> k).count()).isEqualTo(2);
        // 2 s at 48 kHz in 1024-sample frames, give or take ffmpeg's priming frame.
        assertThat(audioFrames[0]).isBetween(93, 96);
    }
}

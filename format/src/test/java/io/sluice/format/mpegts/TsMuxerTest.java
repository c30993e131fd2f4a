package io.sluice.format.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.format.TestBuffers;
import io.sluice.format.aac.AdtsHeader;
import io.sluice.format.aac.AudioSpecificConfig;
import io.sluice.format.h264.AnnexB;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mux then demux: what goes in comes out, with the additions the muxer promises. */
class TsMuxerTest {

    private static final byte[] SPS = TestBuffers.hex("6742c01e95a0");
    private static final byte[] PPS = TestBuffers.hex("68ce3c80");

    record Pes(int pid, long pts, long dts, boolean randomAccess, byte[] data) {
    }

    /** Collects what a demuxer hands over. */
    static final class Recorder implements TsDemuxer.Listener {
        final List<List<TsElementaryStream>> programs = new ArrayList<>();
        final List<Pes> pes = new ArrayList<>();

        @Override
        public void program(List<TsElementaryStream> streams) {
            programs.add(streams);
        }

        @Override
        public void pes(TsElementaryStream stream, long pts, long dts, boolean randomAccess, ByteBuf data) {
            pes.add(new Pes(stream.pid(), pts, dts, randomAccess, ByteBufUtil.getBytes(data)));
        }
    }

    private static List<ByteBuf> nals(byte[]... units) {
        List<ByteBuf> out = new ArrayList<>();
        for (byte[] u : units) {
            out.add(Unpooled.wrappedBuffer(u));
        }
        return out;
    }

    private static List<String> nalHex(byte[] annexB) {
        List<ByteBuf> units = new ArrayList<>();
        AnnexB.read(Unpooled.wrappedBuffer(annexB), units);
        List<String> hex = new ArrayList<>();
        units.forEach(u -> hex.add(ByteBufUtil.hexDump(u)));
        return hex;
    }

    @Test
    void h264AndAacRoundTripWithAudParameterSetsPcrAndContinuity() {
        byte[] idr = TestBuffers.concat(new byte[] {0x65}, TestBuffers.counting(1, 1000));
        byte[] slice = TestBuffers.concat(new byte[] {0x41}, TestBuffers.counting(7, 300));
        byte[] aac = TestBuffers.counting(9, 200);
        AudioSpecificConfig config = AudioSpecificConfig.of(2, 48_000, 2);
        ByteBuf ts = Unpooled.buffer();
        Recorder recorder = new Recorder();
        try (TsMuxer muxer = new TsMuxer(TsStreamType.H264, config, ByteBufAllocator.DEFAULT);
             TsDemuxer demuxer = new TsDemuxer(ByteBufAllocator.DEFAULT, 1 << 20, recorder)) {
            muxer.parameterSets(List.of(SPS, PPS));
            assertThat(muxer.writeVideo(180_000, 180_000, nals(idr), ts)).isTrue();
            muxer.writeAudio(180_000, Unpooled.wrappedBuffer(aac), ts);
            assertThat(muxer.writeVideo(183_600, 183_600, nals(slice), ts)).isFalse();
            assertThat(muxer.writeVideo(187_200, 183_600 + 1800, nals(SPS, PPS, idr), ts)).isTrue();
            assertThat(ts.readableBytes() % TsPacket.SIZE).isZero();
            demuxer.feed(ts);
            demuxer.flush();
            assertThat(demuxer.continuityErrors()).isZero();
            assertThat(demuxer.crcErrors()).isZero();
            assertThat(demuxer.syncErrors()).isZero();
        }
        try {
            assertThat(recorder.programs).containsExactly(List.of(new TsElementaryStream(0x100, TsStreamType.H264),
                    new TsElementaryStream(0x101, TsStreamType.AAC_ADTS)));
            Map<Integer, List<Pes>> byPid = new HashMap<>();
            recorder.pes.forEach(p -> byPid.computeIfAbsent(p.pid(), k -> new ArrayList<>()).add(p));
            List<Pes> video = byPid.get(0x100);
            assertThat(video).extracting(Pes::pts).containsExactly(180_000L, 183_600L, 187_200L);
            assertThat(video).extracting(Pes::dts).containsExactly(180_000L, 183_600L, 185_400L);
            assertThat(video).extracting(Pes::randomAccess).containsExactly(true, false, true);
            String aud = "09f0";
            assertThat(nalHex(video.get(0).data())).containsExactly(aud, "6742c01e95a0", "68ce3c80",
                    ByteBufUtil.hexDump(idr));
            assertThat(nalHex(video.get(1).data())).containsExactly(aud, ByteBufUtil.hexDump(slice));
            // In-band parameter sets are not repeated.
            assertThat(nalHex(video.get(2).data())).containsExactly(aud, "6742c01e95a0", "68ce3c80",
                    ByteBufUtil.hexDump(idr));
            Pes audio = byPid.get(0x101).get(0);
            assertThat(audio.pts()).isEqualTo(180_000);
            ByteBuf adts = Unpooled.wrappedBuffer(audio.data());
            AdtsHeader header = AdtsHeader.parse(adts);
            assertThat(header.audioSpecificConfig()).isEqualTo(config);
            assertThat(header.payloadLength()).isEqualTo(200);
            assertThat(ByteBufUtil.getBytes(adts, 7, 200)).isEqualTo(aac);
            // PAT and PMT before each keyframe; the PCR on the first video packet, 100 ms behind the DTS.
            assertThat(TsPacket.pid(ts, 0)).isEqualTo(0);
            assertThat(TsPacket.pid(ts, 188)).isEqualTo(0x1000);
            assertThat(TsPacket.pcr(ts, 376)).isEqualTo((180_000 - 9_000) * 300L);
        } finally {
            ts.release();
        }
    }

    @Test
    void h265KeyframesGetVpsSpsPpsAfterTheAud() {
        byte[] vps = TestBuffers.hex("40010c01ffff");
        byte[] sps = TestBuffers.hex("42010101600c");
        byte[] pps = TestBuffers.hex("4401c172b4");
        byte[] idr = TestBuffers.concat(TestBuffers.hex("2601"), TestBuffers.counting(0, 400));
        byte[] trail = TestBuffers.concat(TestBuffers.hex("0201"), TestBuffers.counting(3, 50));
        ByteBuf ts = Unpooled.buffer();
        Recorder recorder = new Recorder();
        try (TsMuxer muxer = new TsMuxer(TsStreamType.H265, null, ByteBufAllocator.DEFAULT);
             TsDemuxer demuxer = new TsDemuxer(ByteBufAllocator.DEFAULT, 1 << 20, recorder)) {
            muxer.parameterSets(List.of(vps, sps, pps));
            muxer.writeVideo(9000, 9000, nals(idr), ts);
            muxer.writeVideo(12600, 12600, nals(trail), ts);
            demuxer.feed(ts);
            demuxer.flush();
        } finally {
            ts.release();
        }
        assertThat(recorder.programs.get(0)).containsExactly(new TsElementaryStream(0x100, TsStreamType.H265));
        assertThat(nalHex(recorder.pes.get(0).data()))
                .containsExactly("460150", "40010c01ffff", "42010101600c", "4401c172b4", ByteBufUtil.hexDump(idr));
        assertThat(nalHex(recorder.pes.get(1).data())).containsExactly("460150", ByteBufUtil.hexDump(trail));
    }

    @Test
    void aLostTsPacketDropsItsPesAndIsCounted() {
        byte[] idr = TestBuffers.concat(new byte[] {0x65}, TestBuffers.counting(1, 1000));
        ByteBuf ts = Unpooled.buffer();
        Recorder recorder = new Recorder();
        try (TsMuxer muxer = new TsMuxer(TsStreamType.H264, null, ByteBufAllocator.DEFAULT);
             TsDemuxer demuxer = new TsDemuxer(ByteBufAllocator.DEFAULT, 1 << 20, recorder)) {
            muxer.parameterSets(List.of(SPS, PPS));
            muxer.writeVideo(0, 0, nals(idr), ts);
            muxer.writeVideo(3600, 3600, nals(idr), ts);
            int packets = ts.readableBytes() / TsPacket.SIZE;
            ByteBuf damaged = Unpooled.buffer();
            // Packets 0-1 are PAT/PMT, 2.. the first picture: lose its third packet.
            damaged.writeBytes(ts, 0, 4 * TsPacket.SIZE);
            damaged.writeBytes(ts, 5 * TsPacket.SIZE, (packets - 5) * TsPacket.SIZE);
            damaged.writeByte(0x47);
            demuxer.feed(damaged);
            demuxer.flush();
            damaged.release();
            assertThat(demuxer.continuityErrors()).isEqualTo(1);
            assertThat(demuxer.droppedPes()).isEqualTo(1);
            assertThat(demuxer.syncErrors()).isEqualTo(1);
        } finally {
            ts.release();
        }
        assertThat(recorder.pes).extracting(Pes::pts).containsExactly(3600L);
    }
}

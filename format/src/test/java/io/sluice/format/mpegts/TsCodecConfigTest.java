package io.sluice.format.mpegts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.format.PayloadFormatException;
import io.sluice.format.TestBuffers;
import io.sluice.format.aac.AdtsHeader;
import io.sluice.format.aac.AudioSpecificConfig;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** What a stream's PES packets tell about its configuration, per codec; literal Annex B and ADTS bytes. */
class TsCodecConfigTest {

    /**
     * @param pes       the elementary stream data of successive PES packets
     * @param keyframes what each PES answers
     * @param complete  whether the config is complete after each
     * @param extradata the extradata at the end, hex
     */
    record Case(String name, int streamType, List<String> pes, List<Boolean> keyframes, List<Boolean> complete,
                String extradata) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String aud = "0000000109f0";
        String sps = "000000016742c01e95a0";
        String pps = "0000000168ce3c80";
        String h265Aud = "00000001460150";
        String vps = "0000000140010c01ffff";
        String h265Sps = "0000000142010101600c";
        String h265Pps = "000000014401c172b4";
        String adts = adts(AudioSpecificConfig.of(2, 44_100, 1), 4) + "01020304";
        return Stream.of(
                new Case("H.264: a P-slice, then SPS PPS IDR", TsStreamType.H264,
                        List.of(aud + "00000141aa", aud + sps + pps + "0000000165bb"),
                        List.of(false, true), List.of(false, true), sps + pps),
                new Case("H.264: an IDR without its parameter sets is a keyframe, but not enough",
                        TsStreamType.H264, List.of("0000000165cc"), List.of(true), List.of(false), ""),
                new Case("H.264: a new SPS replaces the old", TsStreamType.H264,
                        List.of(sps + pps + "0000000165bb", "000000016742c01f" + "0000000165bb"),
                        List.of(true, true), List.of(true, true), "000000016742c01f" + pps),
                new Case("H.265: VPS SPS PPS CRA", TsStreamType.H265,
                        List.of(h265Aud + vps + h265Sps + h265Pps + "000000012a01dd"),
                        List.of(true), List.of(true), vps + h265Sps + h265Pps),
                new Case("H.265: SPS and PPS without the VPS are not enough", TsStreamType.H265,
                        List.of(h265Sps + h265Pps + "000000012601dd"), List.of(true), List.of(false),
                        h265Sps + h265Pps),
                new Case("AAC: the config of the ADTS header", TsStreamType.AAC_ADTS, List.of(adts),
                        List.of(false), List.of(true), AudioSpecificConfig.of(2, 44_100, 1).hex()));
    }

    private static String adts(AudioSpecificConfig config, int payloadLength) {
        ByteBuf b = Unpooled.buffer();
        AdtsHeader.write(config, payloadLength, b);
        String hex = io.netty.buffer.ByteBufUtil.hexDump(b);
        b.release();
        return hex;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void learnsTheConfigurationInBand(Case c) {
        TsCodecConfig config = TsCodecConfig.of(new TsElementaryStream(0x100, c.streamType()));
        assertThat(config.isVideo()).isEqualTo(TsStreamType.isVideo(c.streamType()));
        for (int i = 0; i < c.pes().size(); i++) {
            ByteBuf pes = Unpooled.wrappedBuffer(TestBuffers.hex(c.pes().get(i)));
            assertThat(config.onPes(pes)).as("keyframe, PES " + i).isEqualTo(c.keyframes().get(i));
            assertThat(pes.readerIndex()).as("indices untouched").isZero();
            assertThat(config.complete()).as("complete after PES " + i).isEqualTo(c.complete().get(i));
        }
        assertThat(TestBuffers.hex(config.extradata())).isEqualTo(c.extradata());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("unsupported")
    void otherCodecsHaveNoConfig(int streamType) {
        assertThat(TsCodecConfig.of(new TsElementaryStream(0x100, streamType))).isNull();
    }

    static Stream<Integer> unsupported() {
        // MPEG-2 video, MPEG-1 audio, AC-3, private data
        return Stream.of(0x02, 0x03, 0x81, 0x06);
    }

    @org.junit.jupiter.api.Test
    void dataThatIsNeitherAnnexBNorAdtsIsRefused() {
        TsCodecConfig video = TsCodecConfig.of(new TsElementaryStream(0x100, TsStreamType.H264));
        TsCodecConfig audio = TsCodecConfig.of(new TsElementaryStream(0x101, TsStreamType.AAC_ADTS));
        ByteBuf garbage = Unpooled.wrappedBuffer(TestBuffers.hex("12345678"));
        assertThatThrownBy(() -> video.onPes(garbage)).isInstanceOf(PayloadFormatException.class);
        assertThatThrownBy(() -> audio.onPes(garbage)).isInstanceOf(PayloadFormatException.class);
        assertThat(video.complete()).isFalse();
        assertThat(audio.complete()).isFalse();
    }
}

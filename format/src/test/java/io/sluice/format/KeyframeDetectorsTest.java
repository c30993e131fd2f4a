package io.sluice.format;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;

class KeyframeDetectorsTest {

    record Case(String name, String hex, boolean keyframe) {
    }

    static final List<Case> H264 = List.of(
            new Case("IDR slice", "65888400", true),
            new Case("SPS", "6764001facd9", true),
            new Case("PPS alone", "68ebe3cb", false),
            new Case("non-IDR slice", "419a2410", false),
            new Case("SEI", "0605ffff", false),
            new Case("STAP-A of SPS and PPS", "18" + "0004" + "6764001f" + "0003" + "68ebe3", true),
            new Case("STAP-A of AUD and IDR", "18" + "0002" + "09f0" + "0003" + "658884", true),
            new Case("STAP-A of SEI and slice", "18" + "0002" + "0605" + "0002" + "419a", false),
            new Case("STAP-A with truncated second unit size", "18" + "0002" + "0605" + "00", false),
            new Case("STAP-B of IDR", "19" + "0000" + "0003" + "658884", true),
            new Case("MTAP16 with IDR second", "1a" + "0000" + "0002" + "00" + "0000" + "419a"
                    + "0003" + "01" + "0000" + "658884", true),
            new Case("MTAP24 of slice", "1b" + "0000" + "0002" + "00" + "000000" + "419a", false),
            new Case("FU-A start of IDR", "7c85" + "88840000", true),
            new Case("FU-A middle of IDR", "7c05" + "88840000", false),
            new Case("FU-A end of IDR", "7c45" + "88840000", false),
            new Case("FU-A start of slice", "5c81" + "9a24", false),
            new Case("FU-A without header", "7c", false),
            new Case("FU-B start of IDR", "7d85" + "0000" + "8884", true),
            new Case("empty", "", false));

    static final List<Case> H265 = List.of(
            new Case("IDR_W_RADL", "2601af08", true),
            new Case("IDR_N_LP", "2801af08", true),
            new Case("CRA", "2a01af08", true),
            new Case("BLA_W_LP", "2001af08", true),
            new Case("VPS", "40010c01", true),
            new Case("SPS", "42010101", true),
            new Case("PPS", "4401c173", true),
            new Case("TRAIL_R", "0201d008", false),
            new Case("prefix SEI", "4e0105ff", false),
            new Case("AP of VPS/SPS/PPS", "6001" + "0004" + "40010c01" + "0004" + "42010101" + "0003" + "4401c1", true),
            new Case("AP of AUD and TRAIL_R", "6001" + "0003" + "460150" + "0003" + "0201d0", false),
            new Case("FU start of IDR", "6201" + "93" + "af08", true),
            new Case("FU middle of IDR", "6201" + "13" + "af08", false),
            new Case("FU start of TRAIL_R", "6201" + "81" + "d008", false),
            new Case("FU without header", "6201", false),
            new Case("one byte", "26", false));

    @Test
    void detectsH264RandomAccessPoints() {
        check(KeyframeDetectors.forEncoding("H264"), H264);
    }

    @Test
    void detectsH265RandomAccessPoints() {
        check(KeyframeDetectors.forEncoding("H265"), H265);
    }

    @Test
    void namesAreCaseInsensitiveAndOthersHaveNoDetector() {
        assertThat(KeyframeDetectors.forEncoding("h264")).isSameAs(KeyframeDetectors.forEncoding("H264"));
        assertThat(KeyframeDetectors.forEncoding("h265")).isSameAs(KeyframeDetectors.forEncoding("H265"));
        assertThat(KeyframeDetectors.forEncoding("MPEG4-GENERIC")).isNull();
        assertThat(KeyframeDetectors.forEncoding("opus")).isNull();
        assertThat(KeyframeDetectors.forEncoding("PCMU")).isNull();
        assertThat(KeyframeDetectors.forEncoding(null)).isNull();
    }

    @Test
    void looksOnlyAtTheReadableRegion() {
        KeyframeDetector h264 = KeyframeDetectors.forEncoding("H264");
        ByteBuf packet = Unpooled.wrappedBuffer(HexFormat.of().parseHex("80e0000100000000000000006588840041"));
        try {
            packet.setIndex(12, 16);
            assertThat(h264.isKeyframe(packet)).isTrue();
            assertThat(packet.readerIndex()).isEqualTo(12);
            assertThat(packet.writerIndex()).isEqualTo(16);
            packet.setIndex(16, 17);
            assertThat(h264.isKeyframe(packet)).isFalse();
        } finally {
            packet.release();
        }
    }

    private static void check(KeyframeDetector detector, List<Case> cases) {
        for (Case c : cases) {
            ByteBuf payload = Unpooled.wrappedBuffer(HexFormat.of().parseHex(c.hex));
            try {
                assertThat(detector.isKeyframe(payload)).as(c.name).isEqualTo(c.keyframe);
                assertThat(payload.readerIndex()).as(c.name).isZero();
            } finally {
                payload.release();
            }
        }
    }
}

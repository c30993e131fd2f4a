package io.sluice.format.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RtpMapTest {

    record Case(String text, RtpMap rtpMap) {
    }

    static final List<Case> CASES = List.of(
            new Case("96 H264/90000", new RtpMap(96, "H264", 90000, 1)),
            new Case("97 MPEG4-GENERIC/44100/2", new RtpMap(97, "MPEG4-GENERIC", 44100, 2)),
            new Case("111 opus/48000/2", new RtpMap(111, "opus", 48000, 2)),
            new Case("0 PCMU/8000", new RtpMap(0, "PCMU", 8000, 1)));

    @Test
    void roundTrips() {
        for (Case c : CASES) {
            assertThat(RtpMap.parse(c.text)).as(c.text).isEqualTo(c.rtpMap);
            assertThat(c.rtpMap.attributeValue()).as(c.text).isEqualTo(c.text);
        }
    }

    @Test
    void toleratesExtraBlanksAndExplicitSingleChannel() {
        assertThat(RtpMap.parse(" 8  PCMA/8000/1 ")).isEqualTo(new RtpMap(8, "PCMA", 8000, 1));
        assertThat(RtpMap.parse("96 h264/90000").isEncoding("H264")).isTrue();
    }

    @Test
    void rejectsMalformedValues() {
        assertThatThrownBy(() -> RtpMap.parse("96")).hasMessageContaining("without encoding");
        assertThatThrownBy(() -> RtpMap.parse("96 H264")).hasMessageContaining("name/rate");
        assertThatThrownBy(() -> RtpMap.parse("x H264/90000")).hasMessageContaining("payload type is not a number");
        assertThatThrownBy(() -> RtpMap.parse("96 H264/fast")).hasMessageContaining("clock rate is not a number");
        assertThatThrownBy(() -> RtpMap.parse("200 H264/90000")).hasMessageContaining("out of range");
        assertThatThrownBy(() -> RtpMap.parse("96 H264/0")).hasMessageContaining("clock rate must be positive");
    }
}

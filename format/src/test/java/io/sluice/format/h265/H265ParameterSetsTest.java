package io.sluice.format.h265;

import static io.sluice.format.TestBuffers.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.format.PayloadFormatException;
import io.sluice.format.TestBuffers;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class H265ParameterSetsTest {

    static final String SPROP_VPS = "QAEMAf//AWAAAAMAkAAAAwAAAwA/ugJA";
    static final String SPROP_SPS = "QgEBAWAAAAMAkAAAAwAAAwA/oAUCAXHy5bpKTC8BAQAAAwABAAADAA8I";
    static final String SPROP_PPS = "RAHAc8GJ";

    @Test
    void spropParametersRoundTripThroughFmtp() {
        Map<String, String> fmtp = new LinkedHashMap<>();
        fmtp.put("sprop-vps", SPROP_VPS);
        fmtp.put("sprop-sps", SPROP_SPS);
        fmtp.put("sprop-pps", SPROP_PPS);

        H265SpropParameterSets sets = H265SpropParameterSets.fromFmtp(fmtp);

        assertThat(sets.isComplete()).isTrue();
        assertThat(H265NalUnit.type(sets.vps().get(0)[0])).isEqualTo(H265NalUnit.VPS);
        assertThat(H265NalUnit.type(sets.sps().get(0)[0])).isEqualTo(H265NalUnit.SPS);
        assertThat(hex(sets.pps().get(0))).isEqualTo("4401c073c189");
        Map<String, String> written = new LinkedHashMap<>();
        sets.toFmtp(written);
        assertThat(written).containsExactlyEntriesOf(fmtp);
    }

    @Test
    void missingOrBadSpropParameters() {
        assertThat(H265SpropParameterSets.fromFmtp(Map.of("sprop-pps", SPROP_PPS)).isComplete()).isFalse();
        assertThatThrownBy(() -> H265SpropParameterSets.fromFmtp(Map.of("sprop-sps", "***")))
                .hasMessageStartingWith("sprop-sps: parameter set 1 is not base64");
    }

    @Test
    void hvcCRoundTrips() {
        byte[] vps = java.util.Base64.getDecoder().decode(SPROP_VPS);
        byte[] sps = java.util.Base64.getDecoder().decode(SPROP_SPS);
        byte[] pps = java.util.Base64.getDecoder().decode(SPROP_PPS);
        String header = "01 01 60000000 900000000000 5d f000 fc fd f8 f8 0000 0f 03";
        byte[] record = TestBuffers.concat(hex(header.replace(" ", "")),
                hex("a0 0001".replace(" ", "")), hex(String.format("%04x", vps.length)), vps,
                hex("a1 0001".replace(" ", "")), hex(String.format("%04x", sps.length)), sps,
                hex("22 0001".replace(" ", "")), hex(String.format("%04x", pps.length)), pps);

        HevcDecoderConfigurationRecord parsed = HevcDecoderConfigurationRecord.parse(record);

        assertThat(parsed.lengthSize()).isEqualTo(4);
        assertThat(parsed.generalProfileIdc()).isEqualTo(1);
        assertThat(parsed.generalTierFlag()).isFalse();
        assertThat(parsed.generalLevelIdc()).isEqualTo(0x5d);
        assertThat(parsed.arrays()).extracting(HevcDecoderConfigurationRecord.NalUnitArray::complete)
                .containsExactly(true, true, false);
        assertThat(parsed.videoParameterSets()).singleElement().satisfies(v -> assertThat(v).isEqualTo(vps));
        assertThat(parsed.sequenceParameterSets()).singleElement().satisfies(s -> assertThat(s).isEqualTo(sps));
        assertThat(parsed.pictureParameterSets()).singleElement().satisfies(p -> assertThat(p).isEqualTo(pps));
        assertThat(parsed.encode()).isEqualTo(record);
    }

    @Test
    void hvcCRejectsTruncation() {
        String header = "01 01 60000000 900000000000 5d f000 fc fd f8 f8 0000 0f";
        assertThatThrownBy(() -> HevcDecoderConfigurationRecord.parse(hex(header.replace(" ", ""))))
                .isInstanceOf(PayloadFormatException.class).hasMessage("hvcC record of 22 bytes is too short");
        assertThatThrownBy(() -> HevcDecoderConfigurationRecord.parse(hex((header + "01 a0 0001 0010 4001").replace(" ", ""))))
                .hasMessage("hvcC NAL unit 1 of array 1 (16 bytes) runs past the end of the record");
        assertThatThrownBy(() -> HevcDecoderConfigurationRecord.parse(hex((header + "02 a0 0000").replace(" ", ""))))
                .hasMessage("hvcC record ends in the header of array 2");
        assertThatThrownBy(() -> HevcDecoderConfigurationRecord.parse(hex(("02" + header.substring(2) + "00").replace(" ", ""))))
                .hasMessage("hvcC configurationVersion is 2, not 1");
    }
}

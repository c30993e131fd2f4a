package io.sluice.format.h264;

import static io.sluice.format.TestBuffers.bytes;
import static io.sluice.format.TestBuffers.hex;
import static io.sluice.format.TestBuffers.wrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.PayloadFormatException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class H264ContainerFormatsTest {

    /** The parameter sets ffmpeg 5.1 put in its ANNOUNCE for a 640016 (High, level 2.2) stream. */
    static final String FFMPEG_SPROP = "Z2QAFqzZQKA/oQAAAwABAAADADIPFi2W,aOvjyyLA";
    static final String FFMPEG_SPS = "67640016acd940a03fa100000300010000030032 0f162d96".replace(" ", "");
    static final String FFMPEG_PPS = "68ebe3cb22c0";

    record AvccCase(int lengthSize, List<String> nalUnits, String sample) {
    }

    static final List<AvccCase> AVCC = List.of(
            new AvccCase(4, List.of("0910", "6588840021"), "00000002 0910 00000005 6588840021"),
            new AvccCase(2, List.of("0910", "6588840021"), "0002 0910 0005 6588840021"),
            new AvccCase(1, List.of("419a"), "02 419a"),
            new AvccCase(3, List.of("419a"), "000002 419a"),
            new AvccCase(4, List.of(), ""));

    @Test
    void avccRoundTrips() {
        for (AvccCase c : AVCC) {
            List<ByteBuf> nals = new ArrayList<>();
            for (String n : c.nalUnits) {
                nals.add(wrap(hex(n)));
            }
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                AvccWriter writer = new AvccWriter(c.lengthSize);
                writer.write(nals, out);
                assertThat(hex(bytes(out))).as(c.sample).isEqualTo(c.sample.replace(" ", ""));
                assertThat(writer.length(nals)).isEqualTo(out.readableBytes());

                List<ByteBuf> read = new ArrayList<>();
                new AvccReader(c.lengthSize).read(out, read);
                assertThat(read.stream().map(b -> hex(bytes(b))).toList()).isEqualTo(c.nalUnits);
                assertThat(out.readerIndex()).isZero();
            } finally {
                out.release();
            }
        }
    }

    @Test
    void avccRejectsLengthsPastTheEnd() {
        List<ByteBuf> read = new ArrayList<>();
        assertThatThrownBy(() -> new AvccReader(4).read(wrap(hex("00000002 0910 00000009 6588")), read))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessage("AVCC NAL unit of 9 bytes runs past the end of the 12-byte sample");
        assertThat(read).isEmpty();
        assertThatThrownBy(() -> new AvccReader(4).read(wrap(hex("0000")), read))
                .hasMessage("AVCC sample truncated in a length field at byte 0");
        assertThatThrownBy(() -> new AvccWriter(1).write(List.of(wrap(new byte[256])), wrap(new byte[300]).clear()))
                .hasMessageContaining("does not fit a 1-byte length field");
        assertThatThrownBy(() -> new AvccReader(5)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void annexBReadsThreeAndFourByteStartCodesAndDropsTrailingZeros() {
        ByteBuf stream = wrap(hex("00 00 00 01 6764 00 00 01 68eb 0000 00 00 00 01 6588 00 01 99 00 00 01"));
        List<ByteBuf> nals = new ArrayList<>();
        AnnexB.read(stream, nals);
        assertThat(nals.stream().map(b -> hex(bytes(b))).toList()).containsExactly("6764", "68eb", "6588000199");
        assertThat(stream.readerIndex()).isZero();
    }

    @Test
    void annexBRoundTrips() {
        List<ByteBuf> nals = List.of(wrap(hex(FFMPEG_SPS)), wrap(hex(FFMPEG_PPS)), wrap(hex("658884")));
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            AnnexB.write(nals, out);
            List<ByteBuf> read = new ArrayList<>();
            AnnexB.read(out, read);
            assertThat(read.stream().map(b -> hex(bytes(b))).toList()).containsExactly(FFMPEG_SPS, FFMPEG_PPS, "658884");
        } finally {
            out.release();
        }
    }

    @Test
    void annexBRejectsDataWithoutStartCode() {
        assertThatThrownBy(() -> AnnexB.read(wrap(hex("6764001f")), new ArrayList<>()))
                .isInstanceOf(PayloadFormatException.class).hasMessage("Annex B data without a start code");
        assertThatThrownBy(() -> AnnexB.read(wrap(hex("ff 000001 6764")), new ArrayList<>()))
                .hasMessage("Annex B data does not start with a start code");
        List<ByteBuf> none = new ArrayList<>();
        AnnexB.read(wrap(new byte[0]), none);
        assertThat(none).isEmpty();
    }

    @Test
    void spropParameterSetsOfFfmpeg() {
        List<byte[]> sets = SpropParameterSets.parse(FFMPEG_SPROP);
        assertThat(sets.stream().map(io.sluice.format.TestBuffers::hex).toList()).containsExactly(FFMPEG_SPS, FFMPEG_PPS);
        assertThat(SpropParameterSets.format(sets)).isEqualTo(FFMPEG_SPROP);
        assertThat(SpropParameterSets.profileLevelId(sets.get(0))).isEqualTo("640016");
        assertThatThrownBy(() -> SpropParameterSets.parse("Z2QA,!!!"))
                .hasMessageStartingWith("parameter set 2 is not base64");
        assertThatThrownBy(() -> SpropParameterSets.profileLevelId(hex(FFMPEG_PPS)))
                .hasMessage("not an H.264 SPS NAL unit");
    }

    @Test
    void avcDecoderConfigurationRecordRoundTrips() {
        String sps = FFMPEG_SPS;
        String pps = FFMPEG_PPS;
        byte[] record = hex("01 640016 ff e1 0018" + sps + "01 0006" + pps + "fdf8f800");

        AvcDecoderConfigurationRecord parsed = AvcDecoderConfigurationRecord.parse(record);

        assertThat(parsed.lengthSize()).isEqualTo(4);
        assertThat(parsed.profileIndication()).isEqualTo(0x64);
        assertThat(parsed.levelIndication()).isEqualTo(0x16);
        assertThat(parsed.profileLevelId()).isEqualTo("640016");
        assertThat(parsed.sequenceParameterSets().stream().map(io.sluice.format.TestBuffers::hex).toList())
                .containsExactly(sps);
        assertThat(parsed.pictureParameterSets().stream().map(io.sluice.format.TestBuffers::hex).toList())
                .containsExactly(pps);
        assertThat(parsed.encode()).isEqualTo(record);

        AvcDecoderConfigurationRecord built = AvcDecoderConfigurationRecord.of(List.of(hex(sps)), List.of(hex(pps)), 4);
        assertThat(hex(built.encode())).isEqualTo(hex(record).replace("fdf8f800", ""));
    }

    @Test
    void avcDecoderConfigurationRecordRejectsTruncation() {
        assertThatThrownBy(() -> AvcDecoderConfigurationRecord.parse(hex("01 640016 ff e1 0018 6764")))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessage("avcC SPS 1 of 24 bytes runs past the end of the record");
        assertThatThrownBy(() -> AvcDecoderConfigurationRecord.parse(hex("02 640016 ff e1 0000")))
                .hasMessage("avcC configurationVersion is 2, not 1");
        assertThatThrownBy(() -> AvcDecoderConfigurationRecord.parse(hex("01 640016 ff e0")))
                .hasMessage("avcC record of 6 bytes is too short");
        assertThatThrownBy(() -> AvcDecoderConfigurationRecord.parse(hex("01 640016 ff e0 01 00")))
                .hasMessage("avcC record ends in the length of PPS 1");
    }
}

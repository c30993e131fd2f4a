package io.sluice.format.aac;

import static io.sluice.format.TestBuffers.direct;
import static io.sluice.format.TestBuffers.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.PayloadFormatException;
import io.sluice.format.TestBuffers;
import java.util.List;
import org.junit.jupiter.api.Test;

class AudioSpecificConfigTest {

    record ConfigCase(String hex, int objectType, int samplingRate, int channels, int samplesPerFrame) {
    }

    static final List<ConfigCase> CONFIGS = List.of(
            new ConfigCase("1210", 2, 44100, 2, 1024),
            new ConfigCase("1190", 2, 48000, 2, 1024),
            new ConfigCase("1208", 2, 44100, 1, 1024),
            new ConfigCase("1588", 2, 8000, 1, 1024),
            new ConfigCase("0A10", 1, 44100, 2, 1024));

    @Test
    void parsesAndBuildsTheShortForms() {
        for (ConfigCase c : CONFIGS) {
            AudioSpecificConfig parsed = AudioSpecificConfig.parseHex(c.hex);
            assertThat(parsed.objectType()).as(c.hex).isEqualTo(c.objectType);
            assertThat(parsed.samplingRate()).as(c.hex).isEqualTo(c.samplingRate);
            assertThat(parsed.channelConfiguration()).as(c.hex).isEqualTo(c.channels);
            assertThat(parsed.samplesPerFrame()).as(c.hex).isEqualTo(c.samplesPerFrame);
            AudioSpecificConfig built = AudioSpecificConfig.of(c.objectType, c.samplingRate, c.channels);
            assertThat(built.hex()).as(c.hex).isEqualTo(c.hex);
            assertThat(built).isEqualTo(parsed);
        }
    }

    @Test
    void keepsTheSbrSyncExtensionOfFfmpegsConfig() {
        AudioSpecificConfig config = AudioSpecificConfig.parseHex("121056E500");
        assertThat(config.objectType()).isEqualTo(AudioSpecificConfig.AAC_LC);
        assertThat(config.samplingRate()).isEqualTo(44100);
        assertThat(config.channelCount()).isEqualTo(2);
        assertThat(config.hex()).isEqualTo("121056E500");
        assertThat(config.bytes()).isEqualTo(hex("121056e500"));
    }

    @Test
    void readsExplicitSbrAndExplicitRatesAndShortFrames() {
        AudioSpecificConfig heAac = AudioSpecificConfig.parseHex("2B118800");
        assertThat(heAac.objectType()).isEqualTo(2);
        assertThat(heAac.samplingRate()).isEqualTo(24000);
        assertThat(heAac.channelConfiguration()).isEqualTo(2);

        AudioSpecificConfig explicit = AudioSpecificConfig.of(2, 50000, 2);
        assertThat(explicit.hex()).isEqualTo("178061A810");
        AudioSpecificConfig reread = AudioSpecificConfig.parse(explicit.bytes());
        assertThat(reread.samplingRate()).isEqualTo(50000);
        assertThat(reread.samplingFrequencyIndex()).isEqualTo(-1);

        assertThat(AudioSpecificConfig.parseHex("1214").samplesPerFrame()).isEqualTo(960);
        assertThat(AudioSpecificConfig.parseHex("13B8").channelCount()).isEqualTo(8);
    }

    @Test
    void rejectsBrokenConfigs() {
        assertThatThrownBy(() -> AudioSpecificConfig.parseHex("12"))
                .isInstanceOf(PayloadFormatException.class)
                .hasMessage("AudioSpecificConfig of 1 bytes ends inside a field at bit 5");
        assertThatThrownBy(() -> AudioSpecificConfig.parseHex("1690"))
                .hasMessage("reserved sampling frequency index 13");
        assertThatThrownBy(() -> AudioSpecificConfig.parseHex("zz")).hasMessage("AAC config is not hex: 'zz'");
        assertThatThrownBy(() -> AudioSpecificConfig.of(5, 44100, 2)).hasMessage("unsupported audio object type 5");
    }

    record AdtsCase(String config, int payloadLength, String header) {
    }

    static final List<AdtsCase> ADTS = List.of(
            new AdtsCase("1210", 100, "fff150800d7ffc"),
            new AdtsCase("1190", 371, "fff14c802f5ffc"),
            new AdtsCase("1588", 8184, "fff16c43fffffc"),
            new AdtsCase("0A10", 0, "fff1108000fffc"));

    @Test
    void adtsHeadersRoundTrip() {
        for (AdtsCase c : ADTS) {
            AudioSpecificConfig config = AudioSpecificConfig.parseHex(c.config);
            ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
            try {
                AdtsHeader.write(config, c.payloadLength, out);
                assertThat(TestBuffers.hex(TestBuffers.bytes(out))).as(c.config).isEqualTo(c.header);

                AdtsHeader parsed = AdtsHeader.parse(out);
                assertThat(out.readerIndex()).isZero();
                assertThat(parsed.payloadLength()).as(c.config).isEqualTo(c.payloadLength);
                assertThat(parsed.frameLength()).isEqualTo(c.payloadLength + AdtsHeader.LENGTH);
                assertThat(parsed.headerLength()).isEqualTo(AdtsHeader.LENGTH);
                assertThat(parsed.rawDataBlocks()).isEqualTo(1);
                assertThat(parsed.audioSpecificConfig()).as(c.config).isEqualTo(config);
            } finally {
                out.release();
            }
        }
    }

    @Test
    void adtsParsesACrcHeaderAndRejectsGarbage() {
        ByteBuf withCrc = direct(hex("fff0508012 9ffc 1234"));
        ByteBuf layerOne = direct(hex("fff2508012 9ffc"));
        ByteBuf noSync = direct(hex("0ff1508012 9ffc"));
        ByteBuf shortLength = direct(hex("fff1508000 5ffc"));
        ByteBuf tooShort = direct(hex("fff150"));
        try {
            AdtsHeader crc = AdtsHeader.parse(withCrc);
            assertThat(crc.headerLength()).isEqualTo(9);
            assertThat(crc.frameLength()).isEqualTo(148);
            assertThat(crc.payloadLength()).isEqualTo(139);
            assertThatThrownBy(() -> AdtsHeader.parse(noSync))
                    .isInstanceOf(PayloadFormatException.class).hasMessage("no ADTS sync word: 0ff1");
            assertThatThrownBy(() -> AdtsHeader.parse(layerOne)).hasMessage("ADTS layer is 1, not 0");
            assertThatThrownBy(() -> AdtsHeader.parse(shortLength))
                    .hasMessage("ADTS frame length 2 is shorter than its header");
            assertThatThrownBy(() -> AdtsHeader.parse(tooShort)).hasMessage("ADTS header needs 7 bytes, 3 readable");
            assertThatThrownBy(() -> AdtsHeader.write(AudioSpecificConfig.of(2, 44100, 2), 8185,
                    ByteBufAllocator.DEFAULT.heapBuffer(0, 0))).hasMessage("AAC frame of 8185 bytes does not fit ADTS");
        } finally {
            withCrc.release();
            noSync.release();
            layerOne.release();
            shortLength.release();
            tooShort.release();
        }
    }
}

package io.sluice.format.aac;

import io.sluice.format.PayloadFormatException;
import java.util.HexFormat;

/**
 * The MPEG-4 AudioSpecificConfig (ISO/IEC 14496-3 section 1.6.2.1), carried in MP4's {@code esds}
 * box and, as hex, in the SDP {@code config} parameter of RFC 3640.
 * <pre>
 * +-----------+-----------+-----------+--------------------------------+
 * | objectType| freqIndex | channels  | GASpecificConfig ...           |
 * | 5 bits    | 4 bits    | 4 bits    | frameLengthFlag (1) ...        |
 * +-----------+-----------+-----------+--------------------------------+
 *   objectType 31: 6 more bits, type = 32 + value
 *   freqIndex 15: a 24-bit sampling frequency follows
 *   objectType 5 (SBR) or 29 (PS): extension freqIndex (4 [+24]) and the core objectType (5) follow
 *
 * config=1210   00010 0100 0010 0 00   AAC LC, 44100 Hz, 2 channels, 1024 samples per frame
 * </pre>
 * Bits after the fields read here (extensions such as the {@code 0x2b7} SBR sync) are kept in
 * {@link #bytes()}, so a config read from a file is written back unchanged.
 */
public final class AudioSpecificConfig {

    public static final int AAC_MAIN = 1;
    public static final int AAC_LC = 2;
    public static final int SBR = 5;
    public static final int PS = 29;

    private static final int[] SAMPLING_FREQUENCIES = {
        96000, 88200, 64000, 48000, 44100, 32000, 24000, 22050, 16000, 12000, 11025, 8000, 7350,
    };
    private static final int EXPLICIT_FREQUENCY_INDEX = 15;
    private static final int ESCAPE_OBJECT_TYPE = 31;

    private final byte[] bytes;
    private final int objectType;
    private final int samplingFrequencyIndex;
    private final int samplingRate;
    private final int channelConfiguration;
    private final boolean shortFrames;

    private AudioSpecificConfig(byte[] bytes, int objectType, int samplingFrequencyIndex, int samplingRate,
            int channelConfiguration, boolean shortFrames) {
        this.bytes = bytes;
        this.objectType = objectType;
        this.samplingFrequencyIndex = samplingFrequencyIndex;
        this.samplingRate = samplingRate;
        this.channelConfiguration = channelConfiguration;
        this.shortFrames = shortFrames;
    }

    /**
     * Reads a config.
     *
     * @throws PayloadFormatException when it is truncated or uses a reserved sampling frequency index
     */
    public static AudioSpecificConfig parse(byte[] config) {
        BitReader in = new BitReader(config, "AudioSpecificConfig");
        int objectType = readObjectType(in);
        int frequencyIndex = in.read(4);
        int samplingRate = readSamplingFrequency(in, frequencyIndex);
        int channelConfiguration = in.read(4);
        if (objectType == SBR || objectType == PS) {
            readSamplingFrequency(in, in.read(4));
            objectType = readObjectType(in);
        }
        boolean shortFrames = false;
        if (hasGaSpecificConfig(objectType)) {
            shortFrames = in.read(1) == 1;
        }
        return new AudioSpecificConfig(config.clone(), objectType,
                frequencyIndex == EXPLICIT_FREQUENCY_INDEX ? -1 : frequencyIndex, samplingRate, channelConfiguration,
                shortFrames);
    }

    /**
     * Reads the hex form of the SDP {@code config} parameter, such as {@code "1210"}, any case.
     *
     * @throws IllegalArgumentException when it is not hex
     */
    public static AudioSpecificConfig parseHex(String hex) {
        byte[] config;
        try {
            config = HexFormat.of().parseHex(hex.strip());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("AAC config is not hex: '" + hex + "'", e);
        }
        return parse(config);
    }

    /**
     * The shortest config for an object type (1..30), sampling rate and channel configuration
     * (0..15), with 1024-sample frames.
     */
    public static AudioSpecificConfig of(int objectType, int samplingRate, int channelConfiguration) {
        if (objectType < 1 || objectType >= ESCAPE_OBJECT_TYPE || objectType == SBR || objectType == PS) {
            throw new IllegalArgumentException("unsupported audio object type " + objectType);
        }
        if (channelConfiguration < 0 || channelConfiguration > 15) {
            throw new IllegalArgumentException("channel configuration out of range 0..15: " + channelConfiguration);
        }
        int index = frequencyIndex(samplingRate);
        long bits;
        int bitCount;
        if (index >= 0) {
            bits = ((long) objectType << 11) | ((long) index << 7) | ((long) channelConfiguration << 3);
            bitCount = 16;
        } else {
            bits = ((long) objectType << 35) | ((long) EXPLICIT_FREQUENCY_INDEX << 31) | ((long) samplingRate << 7)
                    | ((long) channelConfiguration << 3);
            bitCount = 40;
        }
        byte[] config = new byte[bitCount / 8];
        for (int i = 0; i < config.length; i++) {
            config[i] = (byte) (bits >> (bitCount - 8 * (i + 1)));
        }
        return new AudioSpecificConfig(config, objectType, index, samplingRate, channelConfiguration, false);
    }

    /** The config bytes (a copy). */
    public byte[] bytes() {
        return bytes.clone();
    }

    /** Upper-case hex, as ffmpeg writes the SDP {@code config} parameter. */
    public String hex() {
        return HexFormat.of().withUpperCase().formatHex(bytes);
    }

    /** The core audio object type (2 = AAC LC); for explicit SBR/PS signalling, the type underneath. */
    public int objectType() {
        return objectType;
    }

    /** The index into the standard frequency table, -1 when the rate is written out explicitly. */
    public int samplingFrequencyIndex() {
        return samplingFrequencyIndex;
    }

    /** The core sampling rate in Hz, the RTP clock rate of RFC 3640 streams. */
    public int samplingRate() {
        return samplingRate;
    }

    /** 0 (defined in the stream), 1..6 that many channels, 7 eight channels (7.1). */
    public int channelConfiguration() {
        return channelConfiguration;
    }

    /** Channels for the configuration: 1..6 as is, 7 is 8 (7.1); 0 when the stream defines them. */
    public int channelCount() {
        return channelConfiguration == 7 ? 8 : channelConfiguration <= 6 ? channelConfiguration : 0;
    }

    /** Samples per frame and channel: 960 when frameLengthFlag is set, else 1024. */
    public int samplesPerFrame() {
        return shortFrames ? 960 : 1024;
    }

    /** The index of a rate in the standard table, or -1. */
    static int frequencyIndex(int samplingRate) {
        for (int i = 0; i < SAMPLING_FREQUENCIES.length; i++) {
            if (SAMPLING_FREQUENCIES[i] == samplingRate) {
                return i;
            }
        }
        return -1;
    }

    /** The rate of an index of the standard table (0..12). */
    static int samplingFrequency(int index) {
        if (index < 0 || index >= SAMPLING_FREQUENCIES.length) {
            throw new PayloadFormatException("reserved sampling frequency index " + index);
        }
        return SAMPLING_FREQUENCIES[index];
    }

    private static int readObjectType(BitReader in) {
        int type = in.read(5);
        return type == ESCAPE_OBJECT_TYPE ? 32 + in.read(6) : type;
    }

    private static int readSamplingFrequency(BitReader in, int index) {
        return index == EXPLICIT_FREQUENCY_INDEX ? in.read(24) : samplingFrequency(index);
    }

    private static boolean hasGaSpecificConfig(int objectType) {
        return switch (objectType) {
            case 1, 2, 3, 4, 6, 7, 17, 19, 20, 21, 22, 23 -> true;
            default -> false;
        };
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AudioSpecificConfig other && java.util.Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return java.util.Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return "AudioSpecificConfig[" + hex() + ": type " + objectType + ", " + samplingRate + " Hz, channels "
                + channelConfiguration + "]";
    }
}

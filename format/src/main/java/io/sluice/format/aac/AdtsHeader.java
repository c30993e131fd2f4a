package io.sluice.format.aac;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadFormatException;

/**
 * The ADTS frame header (ISO/IEC 14496-3 section 1.A.2.2), which MPEG-TS and raw {@code .aac}
 * streams put before every AAC frame; MP4 and RTP carry frames without it.
 * <pre>
 * AAAAAAAA AAAABCCD EEFFFFGH HHIJKLMM MMMMMMMM MMMOOOOO OOOOOOPP (QQQQQQQQ QQQQQQQQ)
 *
 * A 12 syncword 0xFFF          G  1 private bit
 * B  1 ID (0 MPEG-4, 1 MPEG-2) H  3 channel configuration
 * C  2 layer, 0                I..L 4 original, home, copyright bits
 * D  1 protection absent       M 13 frame length, header included
 * E  2 object type - 1         O 11 buffer fullness (0x7FF: variable rate)
 * F  4 sampling freq. index    P  2 raw data blocks in frame - 1
 *                              Q 16 CRC, when protection absent is 0
 * </pre>
 *
 * @param objectType             audio object type, 1..4 (2 = AAC LC)
 * @param samplingFrequencyIndex 0..12
 * @param channelConfiguration   0..7
 * @param frameLength            the whole ADTS frame in bytes, header included
 * @param headerLength           7, or 9 with a CRC
 * @param rawDataBlocks          AAC frames in this ADTS frame, 1..4
 */
public record AdtsHeader(int objectType, int samplingFrequencyIndex, int channelConfiguration, int frameLength,
        int headerLength, int rawDataBlocks) {

    public static final int LENGTH = 7;
    public static final int LENGTH_WITH_CRC = 9;
    public static final int MAX_FRAME_LENGTH = 8191;

    private static final int SYNC_WORD = 0xFFF;
    private static final int BUFFER_FULLNESS_VBR = 0x7FF;

    /**
     * Writes a 7-byte header (no CRC, one raw data block) for a frame of {@code payloadLength} bytes.
     *
     * @throws IllegalArgumentException when the config cannot be expressed in ADTS (object type
     *         above 4, an explicit sampling rate, channel configuration above 7) or the frame is too long
     */
    public static void write(AudioSpecificConfig config, int payloadLength, ByteBuf out) {
        int objectType = config.objectType();
        if (objectType < 1 || objectType > 4) {
            throw new IllegalArgumentException("ADTS cannot carry audio object type " + objectType);
        }
        if (config.samplingFrequencyIndex() < 0) {
            throw new IllegalArgumentException("ADTS cannot carry the explicit sampling rate " + config.samplingRate());
        }
        if (config.channelConfiguration() > 7) {
            throw new IllegalArgumentException("ADTS cannot carry channel configuration " + config.channelConfiguration());
        }
        int frameLength = payloadLength + LENGTH;
        if (payloadLength < 0 || frameLength > MAX_FRAME_LENGTH) {
            throw new IllegalArgumentException("AAC frame of " + payloadLength + " bytes does not fit ADTS");
        }
        int channels = config.channelConfiguration();
        out.writeByte(0xFF);
        out.writeByte(0xF1);
        out.writeByte(((objectType - 1) << 6) | (config.samplingFrequencyIndex() << 2) | (channels >> 2));
        out.writeByte(((channels & 0x3) << 6) | (frameLength >> 11));
        out.writeByte((frameLength >> 3) & 0xFF);
        out.writeByte(((frameLength & 0x7) << 5) | (BUFFER_FULLNESS_VBR >> 6));
        out.writeByte((BUFFER_FULLNESS_VBR & 0x3F) << 2);
    }

    /**
     * Reads the header at the reader index; the indices do not move.
     *
     * @throws PayloadFormatException when fewer bytes than a header are readable, the sync word is
     *         missing, the layer is not 0 or the frame length is shorter than the header
     */
    public static AdtsHeader parse(ByteBuf in) {
        int start = in.readerIndex();
        if (in.readableBytes() < LENGTH) {
            throw new PayloadFormatException("ADTS header needs 7 bytes, " + in.readableBytes() + " readable");
        }
        long bits = in.getUnsignedInt(start) << 24 | in.getUnsignedMedium(start + 4);
        if ((bits >>> 44) != SYNC_WORD) {
            throw new PayloadFormatException(String.format("no ADTS sync word: %02x%02x",
                    in.getUnsignedByte(start), in.getUnsignedByte(start + 1)));
        }
        int layer = (int) (bits >>> 41) & 0x3;
        if (layer != 0) {
            throw new PayloadFormatException("ADTS layer is " + layer + ", not 0");
        }
        boolean protectionAbsent = ((bits >>> 40) & 1) == 1;
        int objectType = (int) ((bits >>> 38) & 0x3) + 1;
        int frequencyIndex = (int) (bits >>> 34) & 0xF;
        int channels = (int) (bits >>> 30) & 0x7;
        int frameLength = (int) (bits >>> 13) & 0x1FFF;
        int rawDataBlocks = (int) (bits & 0x3) + 1;
        int headerLength = protectionAbsent ? LENGTH : LENGTH_WITH_CRC;
        if (frameLength < headerLength) {
            throw new PayloadFormatException("ADTS frame length " + frameLength + " is shorter than its header");
        }
        AudioSpecificConfig.samplingFrequency(frequencyIndex);
        return new AdtsHeader(objectType, frequencyIndex, channels, frameLength, headerLength, rawDataBlocks);
    }

    /** The bytes after the header: the raw AAC data. */
    public int payloadLength() {
        return frameLength - headerLength;
    }

    /** The config this header describes, as an RFC 3640 stream or an MP4 track would carry it. */
    public AudioSpecificConfig audioSpecificConfig() {
        return AudioSpecificConfig.of(objectType, AudioSpecificConfig.samplingFrequency(samplingFrequencyIndex),
                channelConfiguration);
    }
}

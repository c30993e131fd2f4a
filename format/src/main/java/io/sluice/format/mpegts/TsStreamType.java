package io.sluice.format.mpegts;

/** The PMT {@code stream_type} values Sluice muxes and demuxes (ISO/IEC 13818-1 table 2-34). */
public final class TsStreamType {

    /** AAC audio with ADTS headers (ISO/IEC 13818-7). */
    public static final int AAC_ADTS = 0x0F;
    /** H.264 video in Annex B (ITU-T H.264). */
    public static final int H264 = 0x1B;
    /** H.265 video in Annex B (ITU-T H.265). */
    public static final int H265 = 0x24;

    private TsStreamType() {
    }

    public static boolean isVideo(int streamType) {
        return streamType == H264 || streamType == H265;
    }

    public static String name(int streamType) {
        return switch (streamType) {
            case AAC_ADTS -> "AAC";
            case H264 -> "H264";
            case H265 -> "H265";
            default -> String.format("0x%02x", streamType);
        };
    }
}

package io.sluice.format.h264;

/**
 * The one-byte H.264 NAL unit header (ITU-T H.264 section 7.3.1, RFC 6184 section 1.3) and the NAL
 * unit types of the video and of the RTP payload format.
 * <pre>
 * +---------------+
 * |0|1|2|3|4|5|6|7|
 * +-+-+-+-+-+-+-+-+
 * |F|NRI|  Type   |
 * +---------------+
 * </pre>
 * F: forbidden zero bit; NRI: nal_ref_idc; Type: 1..23 a single NAL unit, 24..29 RTP packet types.
 */
public final class H264NalUnit {

    public static final int SLICE = 1;
    public static final int IDR = 5;
    public static final int SEI = 6;
    public static final int SPS = 7;
    public static final int PPS = 8;
    public static final int AUD = 9;
    public static final int STAP_A = 24;
    public static final int STAP_B = 25;
    public static final int MTAP16 = 26;
    public static final int MTAP24 = 27;
    public static final int FU_A = 28;
    public static final int FU_B = 29;

    public static final int HEADER_SIZE = 1;
    public static final int TYPE_MASK = 0x1F;
    /** F and NRI bits, kept from the original header in FU indicators. */
    public static final int F_NRI_MASK = 0xE0;

    private H264NalUnit() {
    }

    /** The NAL unit type of a header byte. */
    public static int type(int headerByte) {
        return headerByte & TYPE_MASK;
    }
}

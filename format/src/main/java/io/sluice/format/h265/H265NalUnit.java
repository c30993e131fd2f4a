package io.sluice.format.h265;

/**
 * The two-byte H.265 NAL unit header (ITU-T H.265 section 7.3.1.2, RFC 7798 section 1.1.4) and the
 * NAL unit types of the video and of the RTP payload format.
 * <pre>
 * +---------------+---------------+
 * |0|1|2|3|4|5|6|7|0|1|2|3|4|5|6|7|
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |F|   Type    |  LayerId  | TID |
 * +-------------+-----------------+
 * </pre>
 * Types 16..21 are IRAP pictures (BLA, IDR, CRA), 32..34 parameter sets, 48 an aggregation packet,
 * 49 a fragmentation unit, 50 PACI.
 */
public final class H265NalUnit {

    public static final int HEADER_SIZE = 2;

    public static final int BLA_W_LP = 16;
    public static final int IDR_W_RADL = 19;
    public static final int IDR_N_LP = 20;
    public static final int CRA_NUT = 21;
    public static final int VPS = 32;
    public static final int SPS = 33;
    public static final int PPS = 34;
    public static final int AUD = 35;
    public static final int PREFIX_SEI = 39;
    public static final int AP = 48;
    public static final int FU = 49;
    public static final int PACI = 50;

    private H265NalUnit() {
    }

    /** The NAL unit type of the first header byte. */
    public static int type(int firstHeaderByte) {
        return (firstHeaderByte >> 1) & 0x3F;
    }

    /** True for IRAP pictures (16..21) and parameter sets (32..34): where decoding can start. */
    public static boolean isRandomAccess(int type) {
        return (type >= BLA_W_LP && type <= CRA_NUT) || (type >= VPS && type <= PPS);
    }
}

package io.sluice.rtp.rtcp;

/** RTCP packet types (RFC 3550 section 12.1, RFC 4585 section 6.1) and feedback message types (FMT). */
public final class RtcpPacketType {

    /** Sender Report. */
    public static final int SR = 200;
    /** Receiver Report. */
    public static final int RR = 201;
    /** Source Description. */
    public static final int SDES = 202;
    /** Goodbye. */
    public static final int BYE = 203;
    /** Application-defined. */
    public static final int APP = 204;
    /** Transport-layer feedback (RFC 4585). */
    public static final int RTPFB = 205;
    /** Payload-specific feedback (RFC 4585). */
    public static final int PSFB = 206;

    /** RTPFB: generic NACK (RFC 4585 section 6.2.1). */
    public static final int FMT_GENERIC_NACK = 1;
    /** PSFB: picture loss indication (RFC 4585 section 6.3.1). */
    public static final int FMT_PLI = 1;
    /** PSFB: full intra request (RFC 5104 section 4.3.1). */
    public static final int FMT_FIR = 4;

    private RtcpPacketType() {
    }
}

package io.sluice.api.view;

/**
 * Retransmissions of packets lost on the way, one direction.
 *
 * @param requested sequence numbers asked for again (an RTCP generic NACK, or the native request 120)
 * @param sent      packets sent again in answer (originals or RFC 4588 RTX)
 */
public record RetransmissionView(long requested, long sent) {

    public static final RetransmissionView NONE = new RetransmissionView(0, 0);
}

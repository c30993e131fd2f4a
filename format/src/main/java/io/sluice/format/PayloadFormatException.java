package io.sluice.format;

/**
 * A payload that breaks its format: an RTP payload or a container sample that is truncated, has a
 * packet type the format forbids, or a length field that runs past its end. A depacketizer that
 * throws it has ignored the packet and stays usable; the caller counts it and goes on.
 */
public final class PayloadFormatException extends IllegalArgumentException {

    public PayloadFormatException(String message) {
        super(message);
    }
}

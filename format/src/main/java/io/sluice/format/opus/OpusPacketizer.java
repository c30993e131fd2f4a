package io.sluice.format.opus;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadSink;

/**
 * Sends Opus packets as RTP payloads (RFC 7587 section 4.2): one Opus packet, unchanged, per RTP
 * packet, with no payload header.
 * <pre>
 * +----------+--------------------------------------+
 * |RTP header| Opus packet (TOC byte, frames ...)   |
 * +----------+--------------------------------------+
 * </pre>
 * The marker bit stays clear: continuous transmission has no talkspurt to mark. Payloads are
 * retained slices of the input (no copy).
 */
public final class OpusPacketizer {

    private final int maxPayloadSize;

    /** @param maxPayloadSize the largest payload allowed; Opus packets are never fragmented */
    public OpusPacketizer(int maxPayloadSize) {
        if (maxPayloadSize < 1) {
            throw new IllegalArgumentException("maxPayloadSize must be positive: " + maxPayloadSize);
        }
        this.maxPayloadSize = maxPayloadSize;
    }

    /**
     * Sends one Opus packet; its indices do not move and it stays owned by the caller.
     *
     * @throws IllegalArgumentException when it is empty or larger than the payload size
     */
    public void packetize(ByteBuf opusPacket, PayloadSink sink) {
        int length = opusPacket.readableBytes();
        if (length == 0 || length > maxPayloadSize) {
            throw new IllegalArgumentException("Opus packet of " + length + " bytes: RTP carries 1.." + maxPayloadSize);
        }
        sink.payload(opusPacket.retainedSlice(), false);
    }
}

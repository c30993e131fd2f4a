package io.sluice.format;

import io.netty.buffer.ByteBuf;

/**
 * Receives the RTP payloads a packetizer produces, in sending order. Ownership of {@code payload}
 * passes to the sink, which must release it (or hand it on).
 */
@FunctionalInterface
public interface PayloadSink {

    /**
     * @param payload the RTP payload (readerIndex..writerIndex), owned by the sink from now on
     * @param marker  the RTP marker bit: set on the last packet of an access unit (video) or of a
     *                packet's frames (audio)
     */
    void payload(ByteBuf payload, boolean marker);
}

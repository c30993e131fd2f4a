package io.sluice.format.opus;

import io.netty.buffer.ByteBuf;
import io.sluice.format.FrameSink;
import io.sluice.format.PayloadFormatException;

/**
 * Takes Opus packets out of RTP payloads (RFC 7587 section 4.2): the payload is one Opus packet.
 * <pre>
 * +----------+--------------------------------------+
 * |RTP header| Opus packet (TOC byte, frames ...)   |
 * +----------+--------------------------------------+
 * </pre>
 * Packets are passed on as retained slices of the payload (no copy); the caller keeps ownership of
 * the payload. Stateless.
 */
public final class OpusDepacketizer {

    /**
     * @param payload      the RTP payload (readerIndex..writerIndex), read but not consumed
     * @param rtpTimestamp the packet's RTP timestamp at 48 kHz
     * @throws PayloadFormatException for an empty payload or one whose TOC gives no valid duration
     */
    public void depacketize(ByteBuf payload, long rtpTimestamp, FrameSink sink) {
        OpusPacket.sampleCount(payload);
        sink.frame(rtpTimestamp, payload.retainedSlice());
    }
}

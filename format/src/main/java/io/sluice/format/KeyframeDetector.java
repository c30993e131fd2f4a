package io.sluice.format;

import io.netty.buffer.ByteBuf;

/**
 * Tells whether an RTP payload starts a random access point, where a decoder can begin: the GOP
 * cache of a stream keeps packets from the last such point so that a new reader starts at once.
 * Implementations are stateless and thread-safe.
 */
@FunctionalInterface
public interface KeyframeDetector {

    /**
     * @param rtpPayload the RTP payload region (readerIndex..writerIndex); neither its indices nor
     *                   its content change, and nothing is allocated
     * @return true when the payload starts a random access point
     */
    boolean isKeyframe(ByteBuf rtpPayload);
}

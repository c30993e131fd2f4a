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

    /**
     * Whether every stream of the format marks its random access points, so a new reader may wait for
     * one. A format where marking them is up to the muxer (MPEG-TS) answers false: a stream gets a GOP
     * cache only once it has shown a keyframe, and its readers never wait for one before.
     */
    default boolean alwaysMarked() {
        return true;
    }

    /**
     * How many packets before a keyframe belong with it: MPEG-TS muxers write PAT and PMT right before
     * a keyframe, and where a datagram boundary falls between them a reader starting at the keyframe's
     * datagram could not find its programs until the next PAT.
     */
    default int leadPackets() {
        return 0;
    }
}

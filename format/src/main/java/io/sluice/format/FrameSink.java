package io.sluice.format;

import io.netty.buffer.ByteBuf;

/** Receives the audio frames (access units) an audio depacketizer extracts. */
@FunctionalInterface
public interface FrameSink {

    /**
     * @param rtpTimestamp the RTP timestamp of this frame, 0..2^32-1
     * @param frame        the frame, owned by the sink from now on (release it)
     */
    void frame(long rtpTimestamp, ByteBuf frame);
}

package io.sluice.node.vod.media;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadSink;

/**
 * Turns one demuxed frame of a film (a sample, in its container's form) into the RTP payloads of its
 * track's payload format. One instance per reading thread: implementations reuse scratch state.
 */
public interface SamplePacketizer {

    /**
     * @param sample   the frame's bytes; read, not consumed, still owned by the caller
     * @param keyframe whether the container marks the frame as a random access point
     * @param sink     receives the payloads in sending order
     * @throws io.sluice.format.PayloadFormatException when the sample is malformed for its codec
     */
    void packetize(ByteBuf sample, boolean keyframe, PayloadSink sink);
}

package io.sluice.format;

import io.netty.buffer.ByteBuf;
import java.util.List;

/** Receives the access units (all NAL units of one picture) a video depacketizer completes. */
@FunctionalInterface
public interface AccessUnitSink {

    /**
     * @param rtpTimestamp the RTP timestamp shared by the access unit's packets, 0..2^32-1
     * @param nalUnits     the NAL units in decoding order, without start codes or length prefixes.
     *                     Each buffer is owned by the sink from now on and must be released; the
     *                     list itself is reused once this method returns, so keep the buffers, not it
     */
    void accessUnit(long rtpTimestamp, List<ByteBuf> nalUnits);
}

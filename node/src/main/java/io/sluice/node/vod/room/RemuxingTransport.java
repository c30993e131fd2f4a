package io.sluice.node.vod.room;

import io.netty.buffer.ByteBuf;
import io.sluice.node.live.ReaderTransport;

/**
 * A viewer's transport that re-muxes the film instead of sending its RTP as it is (MPEG-TS for native
 * pullers). It gets each packet's decoding time, which RTP does not carry and MPEG-TS needs for films
 * with B-frames, and it hears when the film has played to its end, which an RTP player learns from the
 * BYE. Called on the media loop.
 */
public interface RemuxingTransport extends ReaderTransport {

    /** For {@link #sendRtp(int, ByteBuf, long)}: the packet's decoding time is not known. */
    long DECODE_TIME_UNKNOWN = Long.MIN_VALUE;

    /** A packet whose decoding time is not known; a film viewer always gives it. */
    @Override
    default boolean sendRtp(int trackIndex, ByteBuf packet) {
        return sendRtp(trackIndex, packet, DECODE_TIME_UNKNOWN);
    }

    /**
     * Like {@link #sendRtp(int, ByteBuf)}, with the decoding time of the packet's frame in microseconds of
     * media time from the film's start (negative for frames decoded before the first one shows), or
     * {@link #DECODE_TIME_UNKNOWN}.
     */
    boolean sendRtp(int trackIndex, ByteBuf packet, long decodeUs);

    /** The film played to its end; the viewer stays, finished, until it is closed or played again. */
    void filmFinished();
}

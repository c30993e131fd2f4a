package io.sluice.node.vod.demux;

import io.netty.buffer.ByteBufAllocator;

/** Reads a film's frames in file order: what a room's demux thread pulls from. */
public interface FilmReader extends AutoCloseable {

    /** Moves to the keyframe at or before {@code mediaUs} microseconds after the film's start. */
    void seek(long mediaUs) throws DemuxException;

    /**
     * Fills {@code into} with the next frame, its bytes in a new buffer of {@code alloc}.
     *
     * @return false at the end of the film
     */
    boolean read(DemuxedPacket into, ByteBufAllocator alloc) throws DemuxException;

    @Override
    void close();
}

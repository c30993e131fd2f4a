package io.sluice.node.vod.room;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.node.vod.demux.DemuxException;
import io.sluice.node.vod.demux.FilmReader;
import io.sluice.node.vod.media.Film;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * What the rooms of a node share.
 *
 * @param cache          the GOP memory budget
 * @param mediaLoop      runs tasks on the media loop (and flushes what they sent)
 * @param scheduler      runs tasks later on the media loop
 * @param demuxThreads   starts a demux thread
 * @param opener         opens a film for reading
 * @param nanoClock      the node's monotonic clock
 * @param epochOffsetNs  wall-clock nanoseconds minus {@code nanoClock} (Sender Reports carry wall time)
 * @param alloc          allocator of GOP and packet buffers
 * @param graceNs        how long a room without viewers stays open
 * @param readAheadUs    how far ahead of its furthest viewer a demuxer reads
 * @param joinWindowUs   how far behind a position a running demuxer may be and still serve it
 * @param leadNs         how far ahead of its media time a packet is sent
 */
public record RoomContext(VodCache cache, Executor mediaLoop, VodScheduler scheduler, Executor demuxThreads,
                          Opener opener, LongSupplier nanoClock, long epochOffsetNs, ByteBufAllocator alloc,
                          long graceNs, long readAheadUs, long joinWindowUs, long leadNs) {

    /** Opens a film for reading, on a demux thread. */
    @FunctionalInterface
    public interface Opener {
        FilmReader open(Film film) throws DemuxException;
    }
}

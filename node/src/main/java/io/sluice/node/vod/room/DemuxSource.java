package io.sluice.node.vod.room;

import io.netty.buffer.ByteBuf;
import io.sluice.node.vod.demux.DemuxException;
import io.sluice.node.vod.demux.DemuxedPacket;
import io.sluice.node.vod.demux.FilmReader;
import io.sluice.node.vod.media.Film;
import io.sluice.node.vod.media.FilmTrack;
import io.sluice.node.vod.media.SamplePacketizer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One demuxer of a room, on its own thread: reads the film from a position, packetizes every frame and
 * hands finished GOPs to the room on the media loop. It reads ahead of the viewers it serves by a bounded
 * stretch ({@code readAheadUs}) and waits while the node's GOP cache is full.
 *
 * <p>GOPs are cut at a keyframe of the key track that falls in a later second of media time than the
 * GOP's start. The cuts are thus a property of the file, not of where reading began: a demuxer that
 * started elsewhere produces the same GOPs once it passes its first cut, so GOPs from two demuxers of
 * one film are interchangeable.
 */
final class DemuxSource implements Runnable {

    private static final Logger log = LoggerFactory.getLogger(DemuxSource.class);
    static final long CUT_GRID_US = 1_000_000;
    private static final int GOP_INITIAL_BYTES = 64 * 1024;
    private static final long PERMIT_POLL_MS = 50;

    final FilmRoom room;
    final long seekUs;
    /** Media loop: where the next GOP this source hands over starts, once it has handed one. */
    long nextStartUs;
    boolean emitted;
    boolean ended;
    private final Object gate = new Object();
    private volatile long limitUs;
    private volatile boolean stopped;

    DemuxSource(FilmRoom room, long seekUs, long limitUs) {
        this.room = room;
        this.seekUs = seekUs;
        this.limitUs = limitUs;
    }

    /** Media loop: the source may read GOPs that start up to {@code untilUs}. */
    void permit(long untilUs) {
        if (untilUs != limitUs) {
            limitUs = untilUs;
            synchronized (gate) {
                gate.notifyAll();
            }
        }
    }

    /** Any thread: the source stops at its next GOP boundary and closes its reader. */
    void stop() {
        stopped = true;
        synchronized (gate) {
            gate.notifyAll();
        }
    }

    boolean stopped() {
        return stopped;
    }

    @Override
    public void run() {
        Film film = room.film();
        String error = null;
        try (FilmReader reader = room.context().opener().open(film)) {
            if (seekUs > 0) {
                reader.seek(seekUs);
            }
            read(reader, film);
        } catch (DemuxException e) {
            error = e.getMessage();
            log.warn("film {}: cannot read from {} s: {}", film.fid(), seekUs / 1e6, error);
        } catch (RuntimeException e) {
            error = e.toString();
            log.warn("film {}: demuxer failed", film.fid(), e);
        }
        String reason = error;
        room.context().mediaLoop().execute(() -> room.onSourceEnd(this, reason));
    }

    private void read(FilmReader reader, Film film) {
        RoomContext context = room.context();
        int trackCount = film.tracks().size();
        SamplePacketizer[] packetizers = new SamplePacketizer[trackCount];
        for (FilmTrack t : film.tracks()) {
            packetizers[t.index()] = t.newPacketizer();
        }
        int keyTrack = film.keyTrack();
        long filmStartUs = film.probe().startUs();
        DemuxedPacket packet = new DemuxedPacket();
        GopBuilder builder = null;
        long firstUs = 0;
        long endUs = 0;
        boolean warned = false;
        while (!stopped) {
            boolean more;
            try {
                more = reader.read(packet, context.alloc());
            } catch (DemuxException e) {
                log.warn("film {}: read error after {} s, ending the film there: {}", film.fid(), endUs / 1e6,
                        e.getMessage());
                more = false;
            }
            if (!more) {
                if (builder != null && !builder.isEmpty()) {
                    hand(builder.build(room, endUs, true, firstUs));
                } else if (builder != null) {
                    builder.discard();
                }
                return;
            }
            ByteBuf data = packet.data();
            try {
                FilmTrack track = film.trackOfStream(packet.streamIndex());
                long pts = packet.pts() != DemuxedPacket.NO_TIMESTAMP ? packet.pts() : packet.dts();
                if (track == null || pts == DemuxedPacket.NO_TIMESTAMP) {
                    continue;
                }
                room.countDemuxed();
                long mediaUs = track.stream().toMicros(pts) - filmStartUs;
                long dueUs = packet.dts() == DemuxedPacket.NO_TIMESTAMP
                        ? mediaUs : track.stream().toMicros(packet.dts()) - filmStartUs;
                endUs = Math.max(endUs, mediaUs + track.stream().toMicros(packet.duration()));
                boolean onKeyTrack = track.index() == keyTrack;
                if (onKeyTrack && packet.keyframe()) {
                    if (builder != null && builder.keyed()
                            && Math.floorDiv(mediaUs, CUT_GRID_US) > Math.floorDiv(builder.startUs(), CUT_GRID_US)) {
                        hand(builder.build(room, mediaUs, false, firstUs));
                        builder = null;
                        if (!awaitPermit(mediaUs)) {
                            return;
                        }
                    }
                    if (builder == null) {
                        builder = new GopBuilder(context.alloc(), GOP_INITIAL_BYTES);
                        firstUs = mediaUs;
                    }
                    if (!builder.keyed()) {
                        builder.key(mediaUs, keyTrack);
                    }
                } else if (onKeyTrack && (builder == null || !builder.keyed())) {
                    // Frames before the first keyframe cannot be decoded by anyone.
                    continue;
                }
                if (builder == null) {
                    builder = new GopBuilder(context.alloc(), GOP_INITIAL_BYTES);
                    firstUs = mediaUs;
                }
                GopBuilder target = builder;
                int index = track.index();
                int payloadType = track.payloadType();
                long timestamp = track.ticks(mediaUs);
                try {
                    packetizers[index].packetize(data, packet.keyframe(), (payload, marker) -> {
                        try {
                            target.add(index, payloadType, marker, timestamp, dueUs, payload);
                        } finally {
                            payload.release();
                        }
                    });
                } catch (IllegalArgumentException e) {
                    if (!warned) {
                        warned = true;
                        log.warn("film {}: skipping a malformed {} frame at {} s (more are not logged): {}",
                                film.fid(), track.stream().codec(), mediaUs / 1e6, e.getMessage());
                    }
                }
            } finally {
                data.release();
            }
        }
        if (builder != null) {
            builder.discard();
        }
    }

    private void hand(Gop gop) {
        room.context().mediaLoop().execute(() -> room.onGop(this, gop));
    }

    /** Waits until the GOP starting at {@code startUs} may be read; false when the source was stopped. */
    private boolean awaitPermit(long startUs) {
        synchronized (gate) {
            while (!stopped && (startUs > limitUs || room.context().cache().full())) {
                try {
                    gate.wait(PERMIT_POLL_MS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
            }
        }
        return !stopped;
    }
}

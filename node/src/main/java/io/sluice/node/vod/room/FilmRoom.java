package io.sluice.node.vod.room;

import io.sluice.node.vod.media.Film;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The viewers of one film on this node and what they share: the film's GOPs, packetized once, in the
 * node's cache, and the demuxers that produce them. Each viewer has its own cursor; a viewer finds the
 * GOP it needs in the cache, or follows a demuxer that is reading at or a little before its position, or
 * gets a demuxer of its own (a seek far away). A room without viewers closes after a grace period.
 *
 * <p>Confined to the media loop; the counters are readable from any thread.
 */
public final class FilmRoom implements GopOwner {

    private static final Logger log = LoggerFactory.getLogger(FilmRoom.class);

    private final Film film;
    private final RoomContext context;
    private final FilmRooms registry;
    private final TreeMap<Long, Gop> gops = new TreeMap<>();
    private final List<FilmViewer> viewers = new ArrayList<>();
    private final List<DemuxSource> sources = new ArrayList<>();
    private final LongAdder packetsDemuxed = new LongAdder();
    private volatile int viewerCount;
    private volatile int demuxersOpened;
    private VodScheduler.Scheduled closeTimer;
    private boolean closed;

    FilmRoom(Film film, RoomContext context, FilmRooms registry) {
        this.film = film;
        this.context = context;
        this.registry = registry;
    }

    public Film film() {
        return film;
    }

    public String fid() {
        return film.fid();
    }

    /** Viewers now; any thread. */
    public int viewerCount() {
        return viewerCount;
    }

    /** Demuxers this room has opened since it opened; any thread. */
    public int demuxersOpened() {
        return demuxersOpened;
    }

    /** Frames read from the file since the room opened; any thread. */
    public long packetsDemuxed() {
        return packetsDemuxed.sum();
    }

    /** Media loop: the viewers now. */
    public List<FilmViewer> viewers() {
        return List.copyOf(viewers);
    }

    /** Media loop: the GOPs cached now. */
    public int cachedGops() {
        return gops.size();
    }

    public boolean isClosed() {
        return closed;
    }

    RoomContext context() {
        return context;
    }

    void countDemuxed() {
        packetsDemuxed.increment();
    }

    // ---------------------------------------------------------------------------------------------------
    // Viewers

    void join(FilmViewer viewer) {
        if (closeTimer != null) {
            closeTimer.cancel();
            closeTimer = null;
        }
        viewers.add(viewer);
        viewerCount = viewers.size();
        registry.fanOut().viewerJoined(this, viewer);
    }

    void leave(FilmViewer viewer) {
        if (!viewers.remove(viewer)) {
            return;
        }
        viewerCount = viewers.size();
        registry.fanOut().viewerLeft(this, viewer);
        updateSources();
        if (viewers.isEmpty() && !closed) {
            closeTimer = context.scheduler().schedule(this::closeIfIdle, context.graceNs());
        }
    }

    /** Finds the GOP the viewer wants (see {@link FilmViewer#wantUs}), now or once a demuxer reads it. */
    void find(FilmViewer viewer) {
        Gop gop = cached(viewer.wantUs, viewer.wantExact);
        if (gop != null) {
            viewer.onGop(gop);
            updateSources();
            return;
        }
        DemuxSource source = viewer.source;
        if (source == null || !covers(source, viewer.wantUs)) {
            source = null;
            for (DemuxSource s : sources) {
                if (covers(s, viewer.wantUs)) {
                    source = s;
                    break;
                }
            }
        }
        if (source == null) {
            source = new DemuxSource(this, viewer.wantUs, viewer.wantUs + context.readAheadUs());
            sources.add(source);
            demuxersOpened++;
            log.debug("film {}: demuxer {} opens at {} s", film.fid(), demuxersOpened, viewer.wantUs / 1e6);
            context.demuxThreads().execute(source);
        }
        viewer.source = source;
        updateSources();
    }

    private Gop cached(long wantUs, boolean exact) {
        if (exact) {
            Gop g = gops.get(wantUs);
            return g != null && !g.evicted ? g : null;
        }
        Map.Entry<Long, Gop> e = gops.floorEntry(wantUs);
        if (e == null) {
            return null;
        }
        Gop g = e.getValue();
        return !g.evicted && (wantUs < g.endUs || g.last) ? g : null;
    }

    private boolean covers(DemuxSource s, long wantUs) {
        if (s.ended || s.stopped()) {
            return false;
        }
        long position = s.emitted ? s.nextStartUs : s.seekUs;
        return position <= wantUs && wantUs - position <= context.joinWindowUs();
    }

    /** Lets each demuxer read ahead of the furthest viewer following it; stops those nobody follows. */
    private void updateSources() {
        for (int i = sources.size() - 1; i >= 0; i--) {
            DemuxSource s = sources.get(i);
            long furthest = Long.MIN_VALUE;
            for (FilmViewer v : viewers) {
                if (v.source == s) {
                    furthest = Math.max(furthest, v.positionUs());
                }
            }
            if (furthest == Long.MIN_VALUE) {
                s.stop();
                sources.remove(i);
            } else {
                s.permit(furthest + context.readAheadUs());
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------
    // Demuxers

    void onGop(DemuxSource source, Gop gop) {
        if (closed) {
            gop.release();
            return;
        }
        source.nextStartUs = gop.endUs;
        source.emitted = true;
        Gop existing = gops.get(gop.startUs);
        if (existing != null && !existing.evicted) {
            gop.release();
            gop = existing;
        } else {
            gops.put(gop.startUs, gop);
            context.cache().add(gop);
        }
        for (FilmViewer v : List.copyOf(viewers)) {
            if (v.waiting() && matches(v, source, gop)) {
                v.onGop(gop);
            }
        }
        updateSources();
    }

    private static boolean matches(FilmViewer v, DemuxSource source, Gop gop) {
        long want = v.wantUs;
        if (v.wantExact) {
            return gop.startUs == want || (v.source == source && gop.startUs > want);
        }
        return (gop.startUs <= want && (want < gop.endUs || gop.last)) || (v.source == source && gop.endUs > want);
    }

    void onSourceEnd(DemuxSource source, String error) {
        source.ended = true;
        sources.remove(source);
        for (FilmViewer v : List.copyOf(viewers)) {
            if (v.source == source) {
                v.source = null;
                if (v.waiting()) {
                    v.onUnavailable(error != null ? error : "no media at " + v.wantUs / 1e6 + " s");
                }
            }
        }
        updateSources();
    }

    @Override
    public void onEvicted(Gop gop) {
        gops.remove(gop.startUs, gop);
    }

    // ---------------------------------------------------------------------------------------------------
    // Closing

    private void closeIfIdle() {
        closeTimer = null;
        if (viewers.isEmpty()) {
            close();
        }
    }

    /** Stops the demuxers and frees the GOPs. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (DemuxSource s : sources) {
            s.stop();
        }
        sources.clear();
        for (Gop g : gops.values()) {
            context.cache().remove(g);
        }
        gops.clear();
        registry.onClosed(this);
        log.info("film {}: room closed ({} demuxers opened, {} frames read)", film.fid(), demuxersOpened,
                packetsDemuxed.sum());
    }
}

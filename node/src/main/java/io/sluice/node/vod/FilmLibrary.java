package io.sluice.node.vod;

import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.sluice.node.NodeConfig;
import io.sluice.node.live.ReaderTransport;
import io.sluice.node.udp.UdpMediaEndpoint;
import io.sluice.node.vod.demux.DemuxException;
import io.sluice.node.vod.demux.FfmpegDemuxer;
import io.sluice.node.vod.media.Film;
import io.sluice.node.vod.media.UnsupportedFilmException;
import io.sluice.node.vod.room.FilmRoom;
import io.sluice.node.vod.room.FilmRooms;
import io.sluice.node.vod.room.FilmViewer;
import io.sluice.node.vod.room.RoomContext;
import io.sluice.node.vod.room.VodCache;
import io.sluice.node.vod.room.VodScheduler;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The film library of a node: films under {@code --media-dir} served at {@code rtsp://HOST/vod/FID}. It
 * resolves and probes films (cached while the file is unchanged), keeps the catalog, and owns the rooms
 * that stream them. Probing and demuxing run on the library's own threads, never on an event loop.
 */
public final class FilmLibrary implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(FilmLibrary.class);
    /** RTP payload bytes per packet: 1400 + 12 + 8 + 20 fits a 1500-byte MTU with room for tunnels. */
    public static final int MAX_PAYLOAD_SIZE = 1400;
    private static final long READ_AHEAD_US = 3_000_000;
    private static final long JOIN_WINDOW_US = 10_000_000;

    private final FilmPaths paths;
    private final UdpMediaEndpoint udp;
    private final ByteBufAllocator alloc;
    private final ExecutorService probeThreads;
    private final ExecutorService demuxThreads;
    private final ScheduledExecutorService catalogThread;
    private final ConcurrentHashMap<String, Film> films = new ConcurrentHashMap<>();
    private final FilmCatalog catalog;
    private final FilmRooms rooms;
    private final VodCache cache;

    private FilmLibrary(NodeConfig config, UdpMediaEndpoint udp, LongSupplier nanoClock) {
        this.paths = new FilmPaths(config.mediaDir());
        this.udp = udp;
        this.alloc = ByteBufAllocator.DEFAULT;
        this.probeThreads = Executors.newFixedThreadPool(2, daemonThreads("sluice-vod-probe"));
        this.demuxThreads = Executors.newCachedThreadPool(daemonThreads("sluice-vod-demux"));
        this.catalogThread = Executors.newSingleThreadScheduledExecutor(daemonThreads("sluice-vod-catalog"));
        this.cache = new VodCache(config.vodCacheMaxBytes());
        EventLoop loop = udp.loop();
        VodScheduler scheduler = (task, delayNs) -> {
            // The endpoint flushes what the task sends at the end of the loop's turn.
            ScheduledFuture<?> f = loop.schedule(task, delayNs, TimeUnit.NANOSECONDS);
            return () -> f.cancel(false);
        };
        long epochOffsetNs = System.currentTimeMillis() * 1_000_000L - nanoClock.getAsLong();
        RoomContext context = new RoomContext(cache, udp::execute, scheduler, demuxThreads,
                film -> FfmpegDemuxer.open(film.file()), nanoClock, epochOffsetNs, alloc,
                config.vodRoomGrace().toNanos(), READ_AHEAD_US, JOIN_WINDOW_US, config.vodSendLead().toNanos());
        this.rooms = new FilmRooms(context);
        this.catalog = new FilmCatalog(paths, this::load, nanoClock);
        long rescanMs = config.vodLibraryRescan().toMillis();
        catalogThread.scheduleWithFixedDelay(this::scanQuietly, 0, rescanMs, TimeUnit.MILLISECONDS);
    }

    /** Starts the library: the first catalog scan begins at once in the background. */
    public static FilmLibrary start(NodeConfig config, UdpMediaEndpoint udp, LongSupplier nanoClock) {
        return new FilmLibrary(config, udp, nanoClock);
    }

    public FilmRooms rooms() {
        return rooms;
    }

    public VodCache cache() {
        return cache;
    }

    public FilmCatalog catalog() {
        return catalog;
    }

    /** The catalog with each film's viewers now, ordered by fid. */
    public List<FilmSummary> films() {
        List<FilmSummary> out = new ArrayList<>();
        for (Film f : catalog.films()) {
            out.add(new FilmSummary(f.fid(), f.title(), f.durationUs() / 1e6, f.codecs(), f.sizeBytes(),
                    rooms.viewers(f.fid())));
        }
        return out;
    }

    /**
     * The film a fid names, probed on a library thread unless known and unchanged. Completes
     * exceptionally with {@link FilmNotFoundException} (404) or {@link UnsupportedFilmException} (415).
     */
    public CompletableFuture<Film> film(String fid) {
        try {
            Path file = paths.resolve(fid);
            Film known = films.get(fid);
            if (known != null && unchanged(known, file)) {
                return CompletableFuture.completedFuture(known);
            }
        } catch (FilmNotFoundException e) {
            return CompletableFuture.failedFuture(e);
        }
        CompletableFuture<Film> result = new CompletableFuture<>();
        probeThreads.execute(() -> {
            try {
                result.complete(load(fid));
            } catch (Exception e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    /** Media loop: a new viewer of a film in its room (opened if needed). */
    public FilmViewer openViewer(Film film, String id, ReaderTransport transport, boolean[] subscribedTracks,
                                 FilmViewer.EndListener endListener) {
        FilmRoom room = rooms.open(film);
        return new FilmViewer(id, room, transport, subscribedTracks, endListener);
    }

    /** Runs a task on the media loop, where viewers and rooms live. */
    public void execute(Runnable task) {
        udp.execute(task);
    }

    /** Blocking: resolves and probes a film, caching the result while the file is unchanged. */
    Film load(String fid) throws FilmNotFoundException, UnsupportedFilmException {
        Path file = paths.resolve(fid);
        Film known = films.get(fid);
        if (known != null && unchanged(known, file)) {
            return known;
        }
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            throw new FilmNotFoundException(fid, "cannot read its attributes: " + e.getMessage());
        }
        Film film;
        try (FfmpegDemuxer demuxer = FfmpegDemuxer.open(file)) {
            film = Film.of(fid, file, attributes.size(), attributes.lastModifiedTime().toMillis(), demuxer.probe(),
                    MAX_PAYLOAD_SIZE, alloc);
        } catch (DemuxException e) {
            throw new UnsupportedFilmException("not a readable media file: " + e.getMessage());
        } catch (UnsupportedFilmException e) {
            throw new UnsupportedFilmException(fid + ": " + e.getMessage());
        }
        films.put(fid, film);
        return film;
    }

    private static boolean unchanged(Film film, Path file) {
        try {
            BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
            return a.size() == film.sizeBytes() && a.lastModifiedTime().toMillis() == film.modifiedMs();
        } catch (IOException e) {
            return false;
        }
    }

    private void scanQuietly() {
        try {
            catalog.scan();
        } catch (RuntimeException | LinkageError e) {
            log.warn("film library: scan failed", e);
        }
    }

    @Override
    public void close() {
        catalogThread.shutdownNow();
        probeThreads.shutdownNow();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        udp.execute(() -> {
            rooms.closeAll();
            closed.complete(null);
        });
        try {
            closed.get(2, TimeUnit.SECONDS);
        } catch (Exception e) {
            log.debug("film library: rooms did not close in time", e);
        }
        demuxThreads.shutdown();
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

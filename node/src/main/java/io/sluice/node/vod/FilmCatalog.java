package io.sluice.node.vod;

import io.sluice.node.vod.media.Film;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The index of the media directory: every media file (by extension) probed once, and again when its size
 * or modification time changes. A scan runs at start and then periodically on the library's background
 * thread; a long scan logs its progress. Files that are not media, or hold nothing streamable, are logged
 * once per change and left out.
 */
public final class FilmCatalog {

    /** Extensions of the containers FFmpeg reads that carry streamable codecs. */
    static final Set<String> MEDIA_EXTENSIONS = Set.of("mp4", "m4v", "mov", "m4a", "mkv", "mka", "webm", "ts",
            "m2ts", "mts", "flv", "mp3", "aac", "ogg", "opus");
    private static final long PROGRESS_INTERVAL_NS = 5_000_000_000L;

    /** Probes one file: the library's cached loader. */
    @FunctionalInterface
    interface Loader {
        Film load(String fid) throws Exception;
    }

    private record Known(long sizeBytes, long modifiedMs, Film film) {
    }

    private static final Logger log = LoggerFactory.getLogger(FilmCatalog.class);

    private final FilmPaths paths;
    private final Loader loader;
    private final LongSupplier nanoClock;
    private final ConcurrentHashMap<String, Known> known = new ConcurrentHashMap<>();
    private volatile boolean scanned;

    FilmCatalog(FilmPaths paths, Loader loader, LongSupplier nanoClock) {
        this.paths = paths;
        this.loader = loader;
        this.nanoClock = nanoClock;
    }

    /** The films indexed so far, by fid. */
    public List<Film> films() {
        List<Film> films = new ArrayList<>();
        for (Known k : known.values()) {
            if (k.film != null) {
                films.add(k.film);
            }
        }
        films.sort(Comparator.comparing(Film::fid));
        return films;
    }

    /** True once the first scan has finished. */
    public boolean scanned() {
        return scanned;
    }

    /** Walks the media directory and probes what is new or changed; blocking. */
    void scan() {
        long startNs = nanoClock.getAsLong();
        Map<String, BasicFileAttributes> files = list();
        known.keySet().retainAll(files.keySet());
        int done = 0;
        int probed = 0;
        int unplayable = 0;
        long lastProgressNs = startNs;
        for (Map.Entry<String, BasicFileAttributes> e : files.entrySet()) {
            String fid = e.getKey();
            long size = e.getValue().size();
            long modified = e.getValue().lastModifiedTime().toMillis();
            Known k = known.get(fid);
            if (k == null || k.sizeBytes != size || k.modifiedMs != modified) {
                Film film = null;
                try {
                    film = loader.load(fid);
                } catch (Exception ex) {
                    unplayable++;
                    log.warn("film library: {} is left out: {}", fid, ex.getMessage());
                }
                known.put(fid, new Known(size, modified, film));
                probed++;
            }
            done++;
            long nowNs = nanoClock.getAsLong();
            if (nowNs - lastProgressNs >= PROGRESS_INTERVAL_NS) {
                lastProgressNs = nowNs;
                log.info("film library: indexing {} of {} files", done, files.size());
            }
        }
        if (probed > 0 || !scanned) {
            log.info("film library {}: {} films, {} files probed, {} unplayable, in {} ms", paths.root(),
                    films().size(), probed, unplayable, (nanoClock.getAsLong() - startNs) / 1_000_000);
        }
        scanned = true;
    }

    private Map<String, BasicFileAttributes> list() {
        Map<String, BasicFileAttributes> files = new HashMap<>();
        Path root = paths.root();
        if (!Files.isDirectory(root)) {
            return files;
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return !dir.equals(root) && dir.getFileName().toString().startsWith(".")
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    // Links are not followed: a film reached through a link is served only if it resolves inside.
                    if (attrs.isRegularFile() && isMedia(file)) {
                        files.put(paths.fid(file), attrs);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            log.warn("film library: cannot list {}: {}", root, e.toString());
        }
        return files;
    }

    static boolean isMedia(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 && !name.startsWith(".")
                && MEDIA_EXTENSIONS.contains(name.substring(dot + 1).toLowerCase(Locale.ROOT));
    }
}

package io.sluice.node.vod;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.List;

/**
 * Turns a film id (the path of a film relative to the media directory, as in {@code /vod/ID}) into a
 * file, refusing everything that would leave the directory: absolute paths, {@code .} and {@code ..}
 * segments, empty segments, NUL and backslashes, and links whose target lies outside. The check runs on
 * the real paths, after links are followed, so a link planted inside the directory does not open a way
 * out of it.
 */
public final class FilmPaths {

    private final Path root;
    private final Path realRoot;

    /** @param mediaDir the media directory; it need not exist (then no film does) */
    public FilmPaths(Path mediaDir) {
        this.root = mediaDir.toAbsolutePath().normalize();
        Path real;
        try {
            real = root.toRealPath();
        } catch (IOException e) {
            real = root;
        }
        this.realRoot = real;
    }

    public Path root() {
        return root;
    }

    /** The film id of a file under the root: its relative path with forward slashes. */
    public String fid(Path file) {
        return root.relativize(file.toAbsolutePath().normalize()).toString().replace('\\', '/');
    }

    /** The film id of a {@code /vod/...} path's segments after {@code vod}. */
    public static String fid(List<String> segments) {
        return String.join("/", segments);
    }

    /**
     * The regular file a film id names, inside the media directory.
     *
     * @throws FilmNotFoundException when the id is malformed, leaves the directory or names no file
     */
    public Path resolve(String fid) throws FilmNotFoundException {
        if (fid == null || fid.isEmpty() || fid.startsWith("/") || fid.indexOf('\0') >= 0 || fid.indexOf('\\') >= 0) {
            throw new FilmNotFoundException(fid, "not a relative path");
        }
        for (String segment : fid.split("/", -1)) {
            if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
                throw new FilmNotFoundException(fid, "path segment '" + segment + "' is not allowed");
            }
        }
        Path file;
        try {
            file = root.resolve(fid).normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw new FilmNotFoundException(fid, "not a valid path");
        }
        if (!file.startsWith(root)) {
            throw new FilmNotFoundException(fid, "outside the media directory");
        }
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new FilmNotFoundException(fid, "no such file");
        }
        if (!real.startsWith(realRoot)) {
            throw new FilmNotFoundException(fid, "links outside the media directory");
        }
        if (!Files.isRegularFile(real, LinkOption.NOFOLLOW_LINKS)) {
            throw new FilmNotFoundException(fid, "not a regular file");
        }
        return real;
    }
}

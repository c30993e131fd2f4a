package io.sluice.bench.vodload;

import io.sluice.bench.common.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The benchmark's film, encoded once with ffmpeg: testsrc2 at 1280x720, 25 fps, H.264 at 2 Mbit/s with a
 * keyframe every second and no B-frames (so frames leave in presentation order and their timestamps measure
 * the send jitter directly), video only, MP4 with the index in front. A library of F films is F copies of it,
 * distinct files, so each is read on its own.
 */
final class FilmMaker {

    private FilmMaker() {
    }

    static Path film(Path workDir, int seconds) throws IOException, InterruptedException {
        Path film = workDir.resolve("film-" + seconds + "s.mp4");
        if (Files.isRegularFile(film) && Files.size(film) > 0) {
            return film;
        }
        Path partial = workDir.resolve("film-partial.mp4");
        Processes.runBounded(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-nostdin", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-b:v", "2M", "-maxrate", "2M", "-bufsize", "2M",
                "-g", "25", "-keyint_min", "25", "-sc_threshold", "0", "-bf", "0", "-pix_fmt", "yuv420p",
                "-movflags", "+faststart", partial.toString()), workDir, 600);
        Files.move(partial, film);
        return film;
    }

    /** A folder of {@code count} copies of the film, named {@link #name}(0..count-1). */
    static Path library(Path workDir, Path film, int count) throws IOException {
        Path dir = Files.createDirectories(workDir.resolve("media-" + count));
        for (int i = 0; i < count; i++) {
            Path copy = dir.resolve(name(i));
            if (!Files.isRegularFile(copy) || Files.size(copy) != Files.size(film)) {
                Files.copy(film, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    static String name(int index) {
        return String.format("film-%02d.mp4", index + 1);
    }
}

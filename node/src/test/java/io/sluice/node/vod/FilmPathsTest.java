package io.sluice.node.vod;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** No film id leads out of the media directory. */
class FilmPathsTest {

    @TempDir
    Path dir;
    Path media;
    FilmPaths paths;

    @BeforeEach
    void library() throws IOException {
        media = Files.createDirectories(dir.resolve("media"));
        Files.createDirectories(media.resolve("series/s01"));
        Files.writeString(media.resolve("series/s01/e01.mkv"), "film");
        Files.writeString(media.resolve("top.mp4"), "film");
        Path outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.mp4"), "secret");
        Files.createSymbolicLink(media.resolve("out.mp4"), outside.resolve("secret.mp4"));
        Files.createSymbolicLink(media.resolve("outdir"), outside);
        Files.createSymbolicLink(media.resolve("alias.mp4"), media.resolve("top.mp4"));
        paths = new FilmPaths(media);
    }

    @Test
    void resolvesFilmsInsideAndLinksThatStayInside() throws Exception {
        assertThat(paths.resolve("top.mp4")).isEqualTo(media.resolve("top.mp4").toRealPath());
        assertThat(paths.resolve("series/s01/e01.mkv")).isEqualTo(media.resolve("series/s01/e01.mkv").toRealPath());
        assertThat(paths.resolve("alias.mp4")).isEqualTo(media.resolve("top.mp4").toRealPath());
        assertThat(paths.fid(media.resolve("series/s01/e01.mkv"))).isEqualTo("series/s01/e01.mkv");
        assertThat(FilmPaths.fid(List.of("series", "s01", "e01.mkv"))).isEqualTo("series/s01/e01.mkv");
    }

    @ParameterizedTest
    @ValueSource(strings = {"../outside/secret.mp4", "series/../../outside/secret.mp4", "series/..", "./top.mp4",
        "/etc/passwd", "series//s01/e01.mkv", "series\\s01\\e01.mkv", "top.mp4\0.mkv", "out.mp4",
        "outdir/secret.mp4", "missing.mp4", "series", "series/s01/", ""})
    void refusesEverythingElse(String fid) {
        assertThatThrownBy(() -> paths.resolve(fid)).isInstanceOf(FilmNotFoundException.class);
    }

    @Test
    void aMissingMediaDirectoryHoldsNoFilms() {
        FilmPaths none = new FilmPaths(dir.resolve("nope"));
        assertThatThrownBy(() -> none.resolve("top.mp4")).isInstanceOf(FilmNotFoundException.class);
    }
}

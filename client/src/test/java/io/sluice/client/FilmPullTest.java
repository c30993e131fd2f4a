package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.sluice.node.nativeproto.NativeCounters;
import io.sluice.rtp.nativeproto.FilmControl.Playback;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Films of the library pulled natively with the SDK from a real node, checked by decoded frames: the
 * MPEG-TS of a film with B-frames decodes to the file's frames in one unbroken run, with the file's
 * timestamps; a pause stops the datagrams, a resume goes on with no frame missing or repeated; playing
 * runs at media speed; a seek starts on the keyframe. Skipped without ffmpeg.
 */
class FilmPullTest {

    private static final Logger log = LoggerFactory.getLogger(FilmPullTest.class);
    private static final int FILM_SECONDS = 6;
    private static final String FILM = "vod/films/film.mp4";

    private static TestNode node;
    private static Path dir;
    private static List<String[]> source;

    @BeforeAll
    static void prepare() throws Exception {
        assumeTrue(Ffmpeg.available(), "ffmpeg is not installed");
        node = TestNode.start(l -> l.filmControlsPerSecond = 20);
        dir = node.dir;
        Path film = Ffmpeg.film(Files.createDirectories(node.node.config().mediaDir().resolve("films"))
                .resolve("film.mp4"), FILM_SECONDS);
        source = frames(film.toString());
        assertThat(source).hasSize(FILM_SECONDS * 25);
        assertThat(source.stream().map(f -> f[1]).distinct().count()).isEqualTo(FILM_SECONDS * 25);
    }

    @AfterAll
    static void stop() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    /** Datagrams of one film as they arrived: bytes and arrival times. */
    private static final class Received {
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Long> arrivalsNs = new ArrayList<>();

        synchronized void add(byte[] data) {
            bytes.writeBytes(data);
            arrivalsNs.add(System.nanoTime());
        }

        synchronized int count() {
            return arrivalsNs.size();
        }

        synchronized List<Long> arrivals() {
            return List.copyOf(arrivalsNs);
        }

        synchronized byte[] all() {
            return bytes.toByteArray();
        }
    }

    @Test
    void aPausedAndResumedFilmDecodesToEveryFrameOnceAtMediaSpeed() throws Exception {
        Received received = new Received();
        EventLog events = new EventLog(d -> received.add(d.data()));
        long pauseNs = 1_500_000_000L;
        long startNs;
        long endNs;
        int atPause;
        List<Long> arrivals;
        try (PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), events)) {
            pull.pullStreamStart();
            pull.pullStreamData(List.of(FILM));
            assertThat(events.await(NativeEvent.PullStreamReqSuccess.class, 10_000).liveIds()).containsExactly(FILM);
            events.awaitCondition(() -> received.count() > 0, 10_000, "the first datagram");
            startNs = System.nanoTime();
            events.awaitCondition(() -> System.nanoTime() - startNs > 2_000_000_000L, 5_000, "two seconds of film");
            pull.pause(FILM);
            NativeEvent.FilmState paused = events.await(NativeEvent.FilmState.class,
                    s -> s.playback() == Playback.PAUSED, 5_000);
            long pausedNs = System.nanoTime();
            atPause = received.count();
            assertThat(paused.positionMs()).as("paused about 2.2 s in (two seconds and the send lead)")
                    .isBetween(1_800L, 2_800L);
            Thread.sleep(pauseNs / 1_000_000);
            assertThat(received.count()).as("no datagram while paused").isEqualTo(atPause);
            pull.resume(FILM);
            NativeEvent.FilmState resumed = events.await(NativeEvent.FilmState.class,
                    s -> s.playback() == Playback.PLAYING, 5_000);
            assertThat(resumed.positionMs()).as("resumed where it paused").isEqualTo(paused.positionMs());
            pauseNs = System.nanoTime() - pausedNs;
            events.await(NativeEvent.StreamStop.class, s -> s.liveId().equals(FILM), 15_000);
            endNs = System.nanoTime();
            assertThat(pull.statistics().lost()).isZero();
            arrivals = received.arrivals();
        }
        long playedMs = (arrivals.get(arrivals.size() - 1) - arrivals.get(0) - pauseNs) / 1_000_000;
        log.info("film pulled: {} datagrams, {} before the pause; {} ms of sending without the pause, end notice"
                + " {} ms after the start", arrivals.size(), atPause, playedMs, (endNs - startNs) / 1_000_000);
        // Playing sends the send lead (200 ms) at once when it starts and again when it resumes, then paces.
        assertThat(playedMs).as("paced at media speed").isBetween(FILM_SECONDS * 1000L - 900, FILM_SECONDS * 1100L);

        Path ts = dir.resolve("pulled.ts");
        Files.write(ts, received.all());
        List<String[]> frames = frames(ts.toString());
        assertThat(frames.stream().map(f -> f[1]).toList()).as("every frame of the film once, in order")
                .isEqualTo(source.stream().map(f -> f[1]).toList());
        long firstPts = Long.parseLong(frames.get(0)[0]);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(Long.parseLong(frames.get(i)[0]) - firstPts).as("timestamp of frame %d, in 1/25 s", i)
                    .isEqualTo(Long.parseLong(source.get(i)[0]) - Long.parseLong(source.get(0)[0]));
        }
    }

    @Test
    void aSeekStartsOnTheKeyframeAtOrBeforeIt() throws Exception {
        Received received = new Received();
        EventLog events = new EventLog(d -> received.add(d.data()));
        try (PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), events)) {
            pull.pullStreamStart();
            pull.pause(FILM);
            assertThat(events.await(NativeEvent.FilmState.class, 5_000).playback())
                    .as("a control for a film not pulled").isEqualTo(Playback.REFUSED);
            pull.pullStreamData(List.of(FILM));
            events.await(NativeEvent.PullStreamReqSuccess.class, 10_000);
            events.awaitCondition(() -> received.count() > 0, 10_000, "the first datagram");
            pull.play(FILM, 4_500);
            NativeEvent.FilmState seek = events.await(NativeEvent.FilmState.class,
                    s -> s.playback() == Playback.PLAYING, 5_000);
            assertThat(seek.positionMs()).as("the keyframe at 4 s").isEqualTo(4_000);
            events.await(NativeEvent.StreamStop.class, 10_000);
        }
        Path ts = dir.resolve("seek.ts");
        Files.write(ts, received.all());
        List<String> frames = frames(ts.toString()).stream().map(f -> f[1]).toList();
        List<String> md5s = source.stream().map(f -> f[1]).toList();
        int seekAt = frames.indexOf(md5s.get(100));
        assertThat(seekAt).as("the keyframe at 4 s is there").isPositive();
        assertThat(frames.subList(seekAt, frames.size())).as("from the seek on: frames 100 to 149")
                .isEqualTo(md5s.subList(100, 150));
        // Before it, frames of the start in order; the seek may cut a GOP, so B-frames of its tail may be missing.
        List<Integer> before = frames.subList(0, seekAt).stream().map(md5s::indexOf).toList();
        assertThat(before).as("frames before the seek").isNotEmpty().isSorted().doesNotContain(-1);
        assertThat(before.get(0)).isZero();
    }

    @Test
    void unknownFilmsFloodsAndStrangersAreRefusedAndCounted() throws Exception {
        NativeCounters counters = node.node.nativeServer().counters();
        long notFound = counters.filmsNotFound.sum();
        long dropped = counters.filmControlsDropped.sum();
        Received received = new Received();
        EventLog events = new EventLog(d -> received.add(d.data()));
        try (PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), events)) {
            pull.pullStreamStart();
            pull.pullStreamData(List.of("vod/missing.mp4", "vod/../secret.mp4", FILM));
            events.awaitCondition(() -> events.events().stream().filter(e -> e instanceof NativeEvent.NoStream)
                    .count() == 2, 10_000, "two films not found");
            events.await(NativeEvent.PullStreamReqSuccess.class, 10_000);
            assertThat(counters.filmsNotFound.sum() - notFound).isEqualTo(2);
            events.awaitCondition(() -> received.count() > 0, 10_000, "the first datagram");
            for (int i = 0; i < 200; i++) {
                pull.play(FILM, 0);
            }
            events.awaitCondition(() -> counters.filmControlsDropped.sum() - dropped > 100, 5_000,
                    "controls over the rate dropped");
            int before = received.count();
            events.awaitCondition(() -> received.count() > before + 50, 5_000, "the film goes on");
        }
    }

    /** [pts, md5] of every decoded video frame of {@code input}, in output order. */
    private static List<String[]> frames(String input) throws Exception {
        Path out = Files.createTempFile(dir, "frames", ".md5");
        Ffmpeg.run(dir.resolve("framemd5.log"), 60, "-i", input, "-map", "0:v:0", "-fps_mode", "passthrough", "-f",
                "framemd5", "-y", out.toString());
        List<String[]> frames = new ArrayList<>();
        for (String line : Files.readAllLines(out)) {
            String[] f = line.split(",");
            if (!line.startsWith("#") && f.length > 5) {
                frames.add(new String[] {f[2].trim(), f[5].trim()});
            }
        }
        return frames;
    }
}

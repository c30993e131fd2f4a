package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.sluice.node.NodeConfig;
import io.sluice.node.live.PacketRing;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.node.vod.media.Film;
import io.sluice.rtp.nativeproto.FilmControl;
import io.sluice.rtp.nativeproto.FilmControl.Playback;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import io.sluice.rtp.nativeproto.PullAnswer;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The films of the pull port: a pull request naming {@code vod/RELATIVE/PATH} plays that film of the
 * library to the puller ({@link FilmPull}), and Sluice's film controls pause it, resume it or move it
 * (124 / 125, answered with 126).
 *
 * <pre>
 * 111 vod/a.mp4 --&gt; film looked up off the loop --&gt; 112 vod/a.mp4#SSRC (or #null: no such film, limits)
 * 99  vod/a.mp4 --&gt; playing from 0 s, paced ----------&gt; PT 33 (MPEG-TS) ... 121 vod/a.mp4 at its end
 * 124 / 125     --&gt; pause / resume / seek ------------&gt; 126 vod/a.mp4#paused|playing|refused#ms
 * </pre>
 *
 * A film pull costs a viewer and maybe a demuxer, so the node and each puller have a ceiling
 * (maxFilmPulls, maxFilmsPerPuller) and film starts and controls share a per-puller rate
 * (filmControlsPerSecond). Confined to the media loop.
 */
final class FilmPulls implements FilmPull.EndListener {

    private static final Logger log = LoggerFactory.getLogger(FilmPulls.class);

    /** The liveIds that name films: {@code vod/} and the film's path under the media folder. */
    static final String PREFIX = "vod/";
    /**
     * How long a film pull keeps its datagrams for retransmission, at most: the SDK gives a gap up after 1 s
     * ({@code ClientOptions.maxReorderDelay}), and every pull has a history of its own, unlike a stream's
     * pullers, who share one.
     */
    static final long HISTORY_NS = 1_000_000_000L;
    /** Slots of a film pull's history: 1 s of TS datagrams up to 10 Mbit/s. */
    static final int HISTORY_PACKETS = 1024;

    private final FilmLibrary library;
    private final NodeConfig config;
    private final NativeLimits limits;
    private final NativeEndpoint endpoint;
    private final NativeCounters counters;
    private final LongSupplier nanoClock;
    /** Film pulls open or being looked up, node-wide. */
    private int open;

    FilmPulls(FilmLibrary library, NodeConfig config, NativeEndpoint endpoint, NativeCounters counters,
              LongSupplier nanoClock) {
        this.library = library;
        this.config = config;
        this.limits = config.nativeLimits();
        this.endpoint = endpoint;
        this.counters = counters;
        this.nanoClock = nanoClock;
    }

    static boolean isFilm(String liveId) {
        return liveId.startsWith(PREFIX);
    }

    /** Film pulls open or being looked up. */
    int open() {
        return open;
    }

    /** A WAITING film a pull request names: its file is looked up, and a 112 answers it then. */
    void request(NativePuller puller, Subscription s, long nowNs) {
        if (s.resolving) {
            return;
        }
        if (!takeToken(puller, nowNs)) {
            // Answered all the same: a client whose other liveIds were answered would not ask again.
            answerMissing(puller, s.liveId);
            return;
        }
        if (open >= limits.maxFilmPulls() || filmsOf(puller) >= limits.maxFilmsPerPuller()) {
            counters.filmPullsRefused.increment();
            answerMissing(puller, s.liveId);
            return;
        }
        s.resolving = true;
        open++;
        library.film(s.liveId.substring(PREFIX.length())).whenComplete((film, error) ->
                library.execute(() -> resolved(puller, s, film, error)));
    }

    private void resolved(NativePuller puller, Subscription s, Film film, Throwable error) {
        s.resolving = false;
        if (puller.subscriptions.get(s.liveId) != s || s.state != Subscription.State.WAITING) {
            // The puller left, or asked for another list meanwhile.
            open--;
            return;
        }
        FilmPull pull = null;
        if (error == null) {
            PacketRing history = new PacketRing(Math.min(config.retransmissionHistory().toNanos(), HISTORY_NS),
                    Math.min(config.retransmissionMaxPackets(), HISTORY_PACKETS));
            pull = FilmPull.open(s.liveId, puller, film, ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE),
                    endpoint, history, nanoClock, library::openViewer, this);
        }
        if (pull == null) {
            open--;
            counters.filmsNotFound.increment();
            log.debug("native puller {}: no film {} ({})", puller.address, s.liveId,
                    error != null ? rootMessage(error) : "no H.264 or H.265 track to carry in MPEG-TS");
            answerMissing(puller, s.liveId);
            return;
        }
        s.film = pull;
        s.state = Subscription.State.OFFERED;
        s.offeredNs = nanoClock.getAsLong();
        send(NativeMessageType.PULL_ANSWER, 0, PullAnswer.format(List.of(PullAnswer.Entry.of(s.liveId, pull.ssrc())))
                .get(0), puller.address);
    }

    /** The puller acknowledged the film's SSRC (99): it plays. */
    void activate(Subscription s) {
        s.state = Subscription.State.ACTIVE;
        s.film.activate();
    }

    /** Stops a film pull (the puller dropped it from its list, stopped, or timed out). */
    void close(Subscription s) {
        s.film.close();
        s.film = null;
        open--;
    }

    /** The film played to its end or cannot go on: the puller gets 121 and the liveId is forgotten. */
    @Override
    public void ended(FilmPull pull, String reason) {
        NativePuller puller = pull.puller();
        Subscription s = puller.subscriptions.get(pull.liveId());
        if (s == null || s.film != pull) {
            return;
        }
        puller.subscriptions.remove(pull.liveId());
        close(s);
        s.state = Subscription.State.WAITING;
        log.debug("native puller {}: film {} ended: {}", puller.address, pull.liveId(), reason);
        send(NativeMessageType.STREAM_STOPPED, 0, pull.liveId(), puller.address);
    }

    /** 124 or 125 from a known puller. */
    void control(NativePuller puller, ByteBuf datagram, long nowNs) {
        FilmControl.Request request = FilmControl.parseRequest(datagram);
        if (request == null) {
            counters.malformed.increment();
            return;
        }
        if (!takeToken(puller, nowNs)) {
            return;
        }
        int number = NativeHeader.sequence(datagram);
        Subscription s = puller.subscriptions.get(request.liveId());
        if (s == null || s.film == null) {
            counters.filmControlsRefused.increment();
            answerState(puller, number, 0, request.liveId(), Playback.REFUSED, 0);
            return;
        }
        FilmPull pull = s.film;
        if (number == pull.lastRequest) {
            // A repeat of a request acted on (its answer was lost): say where the film is, do not act twice.
            answerState(puller, number, pull.ssrc(), pull.liveId(), pull.paused() ? Playback.PAUSED : Playback.PLAYING,
                    pull.positionUs());
            return;
        }
        pull.lastRequest = number;
        if (NativeHeader.payloadType(datagram) == NativeMessageType.FILM_PAUSE) {
            pull.pause();
            answerState(puller, number, pull.ssrc(), pull.liveId(), Playback.PAUSED, pull.positionUs());
            return;
        }
        pull.play(request.resumes() ? null : request.positionMs() * 1000, (playback, positionUs) ->
                answerState(puller, number, pull.ssrc(), pull.liveId(), playback, positionUs));
    }

    private boolean takeToken(NativePuller puller, long nowNs) {
        if (puller.filmControls == null) {
            puller.filmControls = new TokenBucket(limits.filmControlsPerSecond(), nowNs);
        }
        if (puller.filmControls.take(nowNs)) {
            return true;
        }
        counters.filmControlsDropped.increment();
        return false;
    }

    private static int filmsOf(NativePuller puller) {
        int n = 0;
        for (Subscription s : puller.subscriptions.values()) {
            if (s.film != null || s.resolving) {
                n++;
            }
        }
        return n;
    }

    private void answerMissing(NativePuller puller, String liveId) {
        send(NativeMessageType.PULL_ANSWER, 0, PullAnswer.format(List.of(PullAnswer.Entry.missing(liveId))).get(0),
                puller.address);
    }

    private void answerState(NativePuller puller, int number, int ssrc, String liveId, Playback playback,
                             long positionUs) {
        ByteBuf out = endpoint.alloc().buffer(NativeHeader.LENGTH + liveId.length() * 3 + 32);
        FilmControl.writeState(out, number, System.currentTimeMillis(), ssrc, liveId, playback, positionUs / 1000);
        endpoint.send(out, puller.address);
    }

    private void send(int payloadType, int ssrc, String text, InetSocketAddress to) {
        ByteBuf out = endpoint.alloc().buffer(NativeHeader.LENGTH + text.length() * 3);
        NativeHeader.writeControl(out, payloadType, System.currentTimeMillis(), ssrc, text);
        endpoint.send(out, to);
    }

    private static String rootMessage(Throwable error) {
        Throwable t = error;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage();
    }
}

package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.node.live.PacketRing;
import io.sluice.node.vod.media.Film;
import io.sluice.node.vod.media.FilmTrack;
import io.sluice.node.vod.room.FilmViewer;
import io.sluice.node.vod.room.RemuxingTransport;
import io.sluice.rtp.nativeproto.FilmControl.Playback;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * One film a native puller plays ({@code vod/FID}): a {@link FilmViewer} of the film's room, the same
 * shared demux and GOP cache RTSP viewers use, paced at media speed, whose RTP is remuxed to MPEG-TS and
 * sent to the puller as stream data with an SSRC of its own. Data flows once the puller acknowledged the
 * SSRC (99); the puller pauses, resumes and repositions it (124, 125). Sequence numbers run on across a
 * pause or a seek, so the puller's reordering sees no gap; what it asks again (120) is answered from this
 * pull's history.
 *
 * <p>Timestamps are the film's: PTS = 1 s + the frame's media time, DTS its decoding time (known from the
 * demuxer, so films with B-frames come out conformant). They stand still while paused and jump on a seek,
 * as the file's would. A socket that takes no more datagrams holds this film's clock, nobody else's.
 * Confined to the media loop.
 */
final class FilmPull extends NativeReaderTransport implements RemuxingTransport {

    /** Hears a film pull end on its own: the film played to its end, or it could not be read on. */
    @FunctionalInterface
    interface EndListener {
        void ended(FilmPull pull, String reason);
    }

    /** Hears the state a play request reached, to answer it (126). */
    @FunctionalInterface
    interface StateListener {
        void state(Playback playback, long positionUs);
    }

    private final String liveId;
    private final NativePuller puller;
    private final NativeEndpoint endpoint;
    private final LongSupplier nanoClock;
    private final EndListener endListener;
    private final PacketRing history;
    private final TsRemuxer remuxer;
    private final int[] clockRates;
    private final long[] timestampOffsets;
    private FilmViewer viewer;
    private boolean active;
    private boolean paused;
    /** Where a play request before the 99 asked the film to start, or null for its beginning. */
    private Long startAtUs;
    private boolean closed;
    /** The request number of the last film control acted on, or -1. */
    int lastRequest = -1;

    private FilmPull(String liveId, NativePuller puller, Film film, int ssrc, NativeEndpoint endpoint,
                     PacketRing history, LongSupplier nanoClock, EndListener endListener) {
        super("native");
        this.liveId = liveId;
        this.puller = puller;
        this.endpoint = endpoint;
        this.nanoClock = nanoClock;
        this.endListener = endListener;
        this.history = history;
        List<MediaDescription> media = new ArrayList<>();
        int n = film.tracks().size();
        clockRates = new int[n];
        timestampOffsets = new long[n];
        for (FilmTrack t : film.tracks()) {
            media.add(t.media());
            clockRates[t.index()] = t.clockRate();
        }
        this.remuxer = TsRemuxer.create("film " + film.fid(), media, ssrc, endpoint.alloc(), this::pts90k,
                this::send);
    }

    /**
     * A pull of {@code film} for {@code puller}, its viewer joined to the film's room but not playing; null
     * when the film has no H.264 or H.265 track (MPEG-TS as the native protocol carries it needs one).
     * Audio other than AAC is left out.
     */
    static FilmPull open(String liveId, NativePuller puller, Film film, int ssrc, NativeEndpoint endpoint,
                         PacketRing history, LongSupplier nanoClock, ViewerOpener opener, EndListener endListener) {
        FilmPull pull = new FilmPull(liveId, puller, film, ssrc, endpoint, history, nanoClock, endListener);
        if (pull.remuxer == null) {
            history.clear();
            return null;
        }
        pull.viewer = opener.open(film, "native-" + Integer.toUnsignedString(puller.clientId) + "/" + liveId, pull,
                pull.remuxer.subscribedTracks(film.tracks().size()), reason -> pull.endListener.ended(pull, reason));
        return pull;
    }

    /** Opens a viewer of a film in its room (the film library's). */
    @FunctionalInterface
    interface ViewerOpener {
        FilmViewer open(Film film, String id, RemuxingTransport transport, boolean[] subscribedTracks,
                        FilmViewer.EndListener endListener);
    }

    String liveId() {
        return liveId;
    }

    NativePuller puller() {
        return puller;
    }

    int ssrc() {
        return remuxer.ssrc();
    }

    PacketRing history() {
        return history;
    }

    boolean paused() {
        return paused;
    }

    /** Where the film is: where it goes on after a pause. */
    long positionUs() {
        return viewer.resumeUs();
    }

    /** The puller acknowledged the SSRC (99): the film starts from its beginning unless paused before. */
    void activate() {
        if (active || closed) {
            return;
        }
        active = true;
        if (!paused) {
            play(startAtUs, (playback, positionUs) -> {
                if (playback == Playback.REFUSED) {
                    endListener.ended(this, "the film cannot be read from its start");
                }
            });
        }
    }

    /** 124: data stops at once; a later {@link #play} with no position goes on with the next packet. */
    void pause() {
        paused = true;
        if (active) {
            viewer.pause();
        }
    }

    /**
     * 125: resumes ({@code atUs} null) or plays from the keyframe at or before {@code atUs}. The answer
     * comes once playing has started, which for a position not in the room's cache waits for its demuxer.
     * Before the puller's 99 the pause is lifted and the position kept: playing starts there with the 99.
     */
    void play(Long atUs, StateListener answer) {
        paused = false;
        if (!active) {
            if (atUs != null) {
                startAtUs = atUs;
            }
            answer.state(Playback.PLAYING, startAtUs != null ? startAtUs : 0);
            return;
        }
        viewer.play(atUs, new FilmViewer.PlayAnswer() {
            @Override
            public void playing(long startUs, int[] sequenceNumbers, long[] rtpTimestamps) {
                for (int i = 0; i < clockRates.length; i++) {
                    long ticks = Math.round(startUs * (double) clockRates[i] / 1_000_000.0);
                    timestampOffsets[i] = rtpTimestamps[i] - ticks;
                }
                answer.state(Playback.PLAYING, startUs);
            }

            @Override
            public void failed(String reason) {
                answer.state(paused ? Playback.PAUSED : Playback.REFUSED, viewer.resumeUs());
            }
        });
    }

    /** Stops the viewer (it leaves the room) and frees the history. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
        viewer.close();
        remuxer.close();
        history.clear();
    }

    @Override
    public boolean sendRtp(int trackIndex, ByteBuf packet, long decodeUs) {
        if (!endpoint.writable()) {
            return false;
        }
        long dts90k = decodeUs == DECODE_TIME_UNKNOWN ? TsRemuxer.NO_DTS
                : TsRemuxer.pesTimestamp90k(Math.floorDiv(decodeUs * 9, 100));
        remuxer.onPacket(trackIndex, packet, dts90k);
        return true;
    }

    @Override
    public void filmFinished() {
        endListener.ended(this, "the film played to its end");
    }

    private long pts90k(int track, long rtpTimestamp) {
        int filmTicks = (int) (rtpTimestamp - timestampOffsets[track]);
        return TsRemuxer.pesTimestamp90k(Math.floorDiv(filmTicks * 90_000L, clockRates[track]));
    }

    private void send(ByteBuf datagram) {
        long nowNs = nanoClock.getAsLong();
        history.add(datagram, nowNs);
        puller.send(endpoint, datagram, nowNs);
    }
}

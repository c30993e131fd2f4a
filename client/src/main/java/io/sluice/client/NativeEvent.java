package io.sluice.client;

import io.sluice.rtp.nativeproto.FilmControl;
import java.util.List;

/**
 * What the native protocol clients tell their listener, named as in the original SDK. Every event is
 * delivered on the client's event loop (see {@link io.sluice.client} for the threading model).
 */
public sealed interface NativeEvent {

    /** The answer to {@link PushStreamClient#auth}: {@code accepted} false for a wrong liveId or liveCode. */
    record AuthRsp(String liveId, boolean accepted) implements NativeEvent {
    }

    /**
     * {@link PushStreamClient#pushStreamData} could not push.
     *
     * @param errCode {@link #NOT_AUTHENTICATED} or {@link #CLOSED}
     */
    record PushStreamError(String liveId, int errCode, String msg) implements NativeEvent {
        /** Data for a liveId that has not been accepted by {@link PushStreamClient#auth}. */
        public static final int NOT_AUTHENTICATED = 1;
        /** The client was closed. */
        public static final int CLOSED = 2;
    }

    /** {@link PullStreamClient#pullStreamStart} got its client id: pull requests may follow. */
    record PullStreamReady() implements NativeEvent {
    }

    /** These liveIds of a pull request have streams; their data follows (one event per answer datagram). */
    record PullStreamReqSuccess(List<String> liveIds) implements NativeEvent {
    }

    /** The server has no stream for these liveIds (yet: it offers them when they start). */
    record NoStream(List<String> liveIds) implements NativeEvent {
    }

    /** A pull request's chunks did not all reach the server; the client sends it again by itself. */
    record PullStreamPacketLoss() implements NativeEvent {
    }

    /** One stream-data payload (MPEG-TS, 188-byte packets) of a pulled stream, in sequence order. */
    record PullStreamData(String liveId, byte[] data) implements NativeEvent {
    }

    /** The stream stopped (its pusher stopped, or it had no data for 30 s; a film played to its end). */
    record StreamStop(String liveId) implements NativeEvent {
    }

    /**
     * The answer to {@link PullStreamClient#pause}, {@link PullStreamClient#resume} or
     * {@link PullStreamClient#play}: the film is {@code PLAYING} from {@code positionMs} (media time; after a
     * seek, the keyframe at or before the position asked for), {@code PAUSED} at {@code positionMs}, or the
     * request was {@code REFUSED}: the liveId is not a film this client pulls, or the server never answered.
     */
    record FilmState(String liveId, FilmControl.Playback playback, long positionMs) implements NativeEvent {
    }
}

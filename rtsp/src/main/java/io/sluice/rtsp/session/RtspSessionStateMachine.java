package io.sluice.rtsp.session;

import io.netty.handler.codec.rtsp.RtspResponseStatuses;

/**
 * Tracks the state of one server-side RTSP session and refuses methods that are not valid in it
 * with 455 Method Not Valid In This State, following gortsplib's server session rules:
 *
 * <table border="1">
 * <caption>Allowed methods per state and the state after them</caption>
 * <tr><th>Method</th><th>Allowed in</th><th>Next state</th></tr>
 * <tr><td>SETUP (play)</td><td>INITIAL, PRE_PLAY</td><td>PRE_PLAY</td></tr>
 * <tr><td>SETUP (record)</td><td>INITIAL, PRE_RECORD</td><td>PRE_RECORD</td></tr>
 * <tr><td>PLAY</td><td>PRE_PLAY, PLAY</td><td>PLAY</td></tr>
 * <tr><td>RECORD</td><td>PRE_RECORD</td><td>RECORD</td></tr>
 * <tr><td>PAUSE</td><td>PRE_PLAY, PLAY, PRE_RECORD, RECORD</td><td>PRE_PLAY or PRE_RECORD</td></tr>
 * <tr><td>TEARDOWN</td><td>any</td><td>INITIAL</td></tr>
 * </table>
 *
 * A session cannot mix directions: a SETUP for recording in PRE_PLAY (or the reverse) is refused.
 * Not thread-safe: one session is driven by its connection's event loop.
 */
public final class RtspSessionStateMachine {

    private RtspSessionState state = RtspSessionState.INITIAL;

    /** The current state. */
    public RtspSessionState state() {
        return state;
    }

    /** A SETUP of one track; {@code record} when the client publishes ({@code mode=record}). */
    public void onSetup(boolean record) throws RtspStatusException {
        RtspSessionState allowed = record ? RtspSessionState.PRE_RECORD : RtspSessionState.PRE_PLAY;
        if (state != RtspSessionState.INITIAL && state != allowed) {
            throw notValid(record ? "SETUP for recording" : "SETUP for playing");
        }
        state = allowed;
    }

    /** A PLAY. */
    public void onPlay() throws RtspStatusException {
        if (state != RtspSessionState.PRE_PLAY && state != RtspSessionState.PLAY) {
            throw notValid("PLAY");
        }
        state = RtspSessionState.PLAY;
    }

    /** A RECORD. */
    public void onRecord() throws RtspStatusException {
        if (state != RtspSessionState.PRE_RECORD) {
            throw notValid("RECORD");
        }
        state = RtspSessionState.RECORD;
    }

    /** A PAUSE: media stops, the tracks stay set up. */
    public void onPause() throws RtspStatusException {
        state = switch (state) {
            case PRE_PLAY, PLAY -> RtspSessionState.PRE_PLAY;
            case PRE_RECORD, RECORD -> RtspSessionState.PRE_RECORD;
            case INITIAL -> throw notValid("PAUSE");
        };
    }

    /** A TEARDOWN, valid in every state: the session ends. */
    public void onTeardown() {
        state = RtspSessionState.INITIAL;
    }

    /** True while media flows in either direction. */
    public boolean isStreaming() {
        return state == RtspSessionState.PLAY || state == RtspSessionState.RECORD;
    }

    private RtspStatusException notValid(String what) {
        return new RtspStatusException(RtspResponseStatuses.METHOD_NOT_VALID, what + " is not valid in state " + state);
    }
}

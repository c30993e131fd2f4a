package io.sluice.rtsp.session;

/**
 * The states of one server-side RTSP session (RFC 2326 appendix A.2), named as in gortsplib.
 *
 * <pre>
 *            SETUP (play)           PLAY
 *   INITIAL --------------> PRE_PLAY ----> PLAY
 *      |                      ^  \__________|  PAUSE
 *      | SETUP (record)
 *      v                 RECORD
 *   PRE_RECORD -------------------------> RECORD
 *       ^__________________________________|  PAUSE
 *
 *   TEARDOWN from any state: back to INITIAL (the session is gone).
 * </pre>
 */
public enum RtspSessionState {
    /** No track set up yet. */
    INITIAL,
    /** At least one track set up for reading; waiting for PLAY. */
    PRE_PLAY,
    /** Media flows from the server to the client. */
    PLAY,
    /** At least one track set up for publishing (after ANNOUNCE); waiting for RECORD. */
    PRE_RECORD,
    /** Media flows from the client to the server. */
    RECORD
}

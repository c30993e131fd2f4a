package io.sluice.rtp.nativeproto;

/**
 * The payload types that name the messages of the native protocol (see the table in
 * {@link io.sluice.rtp.nativeproto}). Values are those of the original implementation, except
 * {@link #RETRANSMISSION_REQUEST} and the film controls ({@link #FILM_PAUSE}, {@link #FILM_PLAY},
 * {@link #FILM_STATE}), Sluice's extensions, which original peers never send.
 */
public final class NativeMessageType {

    public static final int STREAM_DATA = 33;
    public static final int SUBSCRIBER_ACK = 99;
    public static final int AUTH_REQUEST = 101;
    public static final int AUTH_ACCEPTED = 102;
    public static final int AUTH_REFUSED = 103;
    public static final int PULL_REQUEST = 111;
    public static final int PULL_ANSWER = 112;
    public static final int PULL_REFUSED = 113;
    public static final int GET_CLIENT_ID = 114;
    public static final int CLIENT_ID = 115;
    public static final int HEARTBEAT = 116;
    public static final int STOP_PULL = 117;
    public static final int STOP_PULL_ACK = 118;
    /** Sluice: the sender asks for the packets of an SSRC whose sequence numbers it lists. */
    public static final int RETRANSMISSION_REQUEST = 120;
    public static final int STREAM_STOPPED = 121;
    /** Sluice: a film's puller pauses it (see {@link FilmControl}). */
    public static final int FILM_PAUSE = 124;
    /** Sluice: a film's puller resumes it, or plays it from a position. */
    public static final int FILM_PLAY = 125;
    /** Sluice: the server's answer to 124 and 125, the film's playback state. */
    public static final int FILM_STATE = 126;
    public static final int STOP_PUSH = 122;
    public static final int STOP_PUSH_ACK = 123;
    public static final int DELAY_PROBE = 11;
    public static final int DELAY_ECHO = 12;

    private NativeMessageType() {
    }

    /** A short name for logs and counters; {@code "pt" + n} for types the protocol does not define. */
    public static String name(int payloadType) {
        return switch (payloadType) {
            case STREAM_DATA -> "stream-data";
            case SUBSCRIBER_ACK -> "subscriber-ack";
            case AUTH_REQUEST -> "auth-request";
            case AUTH_ACCEPTED -> "auth-accepted";
            case AUTH_REFUSED -> "auth-refused";
            case PULL_REQUEST -> "pull-request";
            case PULL_ANSWER -> "pull-answer";
            case PULL_REFUSED -> "pull-refused";
            case GET_CLIENT_ID -> "get-client-id";
            case CLIENT_ID -> "client-id";
            case HEARTBEAT -> "heartbeat";
            case STOP_PULL -> "stop-pull";
            case STOP_PULL_ACK -> "stop-pull-ack";
            case RETRANSMISSION_REQUEST -> "retransmission-request";
            case STREAM_STOPPED -> "stream-stopped";
            case FILM_PAUSE -> "film-pause";
            case FILM_PLAY -> "film-play";
            case FILM_STATE -> "film-state";
            case STOP_PUSH -> "stop-push";
            case STOP_PUSH_ACK -> "stop-push-ack";
            case DELAY_PROBE -> "delay-probe";
            case DELAY_ECHO -> "delay-echo";
            default -> "pt" + payloadType;
        };
    }
}

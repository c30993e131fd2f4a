package io.sluice.rtp.nativeproto;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Sluice's film playback control: a puller of a film (liveId {@code vod/RELATIVE/PATH}) pauses it
 * (PT {@value NativeMessageType#FILM_PAUSE}), resumes it or plays it from a position
 * (PT {@value NativeMessageType#FILM_PLAY}), and the server answers each request with the film's
 * state (PT {@value NativeMessageType#FILM_STATE}). This is the flow control of the original design
 * (seed 000: a client whose queue is full tells the server to stop sending, then to go on), which its
 * implementation never put on the wire. Original peers never send these types; a server that does not
 * know them does not answer, so a client gives up after its retries.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |1 0 0 0 0 0 0 0|0| PT=124/125  |        request number         |  puller -&gt; server (61041)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            timestamp: low 32 bits of epoch milliseconds       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           clientId                            |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |  UTF-8: liveId (124 pause; 125 resume where paused)           |
 * |      or liveId#positionMs (125 only: play from that position) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |1 0 0 0 0 0 0 0|0|   PT=126    | request number it answers     |  server -&gt; puller
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            timestamp: low 32 bits of epoch milliseconds       |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |     SSRC of the film's stream data (0 when it is not pulled)  |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |  UTF-8: liveId#state#positionMs                               |
 * |  state: playing | paused | refused                            |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * positionMs is decimal milliseconds of media time from the film's start: in a 125, where to play from
 * (the server starts at the keyframe at or before it); in a 126, where playing resumed or started, or
 * where the film is paused (0 with {@code refused}). Requests are idempotent, and a request number
 * answered already is answered again without acting, so a client may repeat a request until its 126
 * comes. Example: {@code 80 7d 0003 ... 00bc614e "vod/a.mp4#90000"} asks for {@code vod/a.mp4} from
 * 90 s; the answer {@code 80 7e 0003 ... 5a5a5a5a "vod/a.mp4#playing#88000"} says it plays from the
 * keyframe at 88 s.
 */
public final class FilmControl {

    /** A 125 without a position: resume where paused. */
    public static final long RESUME = -1;

    private static final char SEPARATOR = '#';

    /** What a 126 says about the film. */
    public enum Playback {
        PLAYING("playing"), PAUSED("paused"), REFUSED("refused");

        private final String word;

        Playback(String word) {
            this.word = word;
        }

        public String word() {
            return word;
        }

        static Playback of(String word) {
            for (Playback p : values()) {
                if (p.word.equals(word)) {
                    return p;
                }
            }
            return null;
        }
    }

    /** A parsed 124 or 125: the film and, for a 125 that repositions, where to play from. */
    public record Request(String liveId, long positionMs) {
        public boolean resumes() {
            return positionMs == RESUME;
        }
    }

    /** A parsed 126. */
    public record State(String liveId, Playback playback, long positionMs) {
    }

    private FilmControl() {
    }

    /** Appends a 124 (pause) for {@code liveId}. */
    public static void writePause(ByteBuf out, int requestNumber, long timestampMs, int clientId, String liveId) {
        NativeHeader.write(out, false, NativeMessageType.FILM_PAUSE, requestNumber, timestampMs, clientId);
        out.writeCharSequence(liveId, StandardCharsets.UTF_8);
    }

    /** Appends a 125: resume where paused with {@link #RESUME}, else play from {@code positionMs}. */
    public static void writePlay(ByteBuf out, int requestNumber, long timestampMs, int clientId, String liveId,
                                 long positionMs) {
        if (positionMs < RESUME) {
            throw new IllegalArgumentException("position must not be negative: " + positionMs);
        }
        NativeHeader.write(out, false, NativeMessageType.FILM_PLAY, requestNumber, timestampMs, clientId);
        out.writeCharSequence(positionMs == RESUME ? liveId : liveId + SEPARATOR + positionMs, StandardCharsets.UTF_8);
    }

    /** Appends a 126 answering request {@code requestNumber}. */
    public static void writeState(ByteBuf out, int requestNumber, long timestampMs, int ssrc, String liveId,
                                  Playback playback, long positionMs) {
        NativeHeader.write(out, false, NativeMessageType.FILM_STATE, requestNumber, timestampMs, ssrc);
        out.writeCharSequence(liveId + SEPARATOR + playback.word() + SEPARATOR + Math.max(positionMs, 0),
                StandardCharsets.UTF_8);
    }

    /**
     * The request in a 124 or 125 (the caller has checked the type), or null when its payload is not
     * one: empty liveId, a 124 with a position, a position that is not a decimal number of 0 or more.
     */
    public static Request parseRequest(ByteBuf datagram) {
        String text = NativeHeader.payloadText(datagram);
        int cut = text.indexOf(SEPARATOR);
        if (cut < 0) {
            return text.isEmpty() ? null : new Request(text, RESUME);
        }
        if (cut == 0 || NativeHeader.payloadType(datagram) != NativeMessageType.FILM_PLAY) {
            return null;
        }
        long position = decimal(text, cut + 1);
        return position < 0 ? null : new Request(text.substring(0, cut), position);
    }

    /** The state in a 126, or null when its payload is not one. */
    public static State parseState(ByteBuf datagram) {
        String text = NativeHeader.payloadText(datagram);
        int second = text.lastIndexOf(SEPARATOR);
        int first = second > 0 ? text.lastIndexOf(SEPARATOR, second - 1) : -1;
        if (first <= 0) {
            return null;
        }
        Playback playback = Playback.of(text.substring(first + 1, second));
        long position = decimal(text, second + 1);
        return playback == null || position < 0 ? null : new State(text.substring(0, first), playback, position);
    }

    /** The decimal number from {@code from} to the end of {@code text}, or -1 when it is not one (or too long). */
    private static long decimal(String text, int from) {
        int length = text.length() - from;
        if (length < 1 || length > 15) {
            return -1;
        }
        long value = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }
}

package io.sluice.rtp.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.rtp.nativeproto.FilmControl.Playback;
import io.sluice.rtp.nativeproto.FilmControl.Request;
import io.sluice.rtp.nativeproto.FilmControl.State;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class FilmControlTest {

    @Test
    void writesTheDocumentedBytes() {
        assertThat(hex(b -> FilmControl.writePlay(b, 3, 0x01020304, 0x00bc614e, "vod/a.mp4", 90_000)))
                .isEqualTo("807d0003" + "01020304" + "00bc614e" + ascii("vod/a.mp4#90000"));
        assertThat(hex(b -> FilmControl.writePause(b, 0xFFFF, 0, 7, "vod/a.mp4")))
                .isEqualTo("807cffff" + "00000000" + "00000007" + ascii("vod/a.mp4"));
        assertThat(hex(b -> FilmControl.writeState(b, 3, 0, 0x5a5a5a5a, "vod/a.mp4", Playback.PLAYING, 88_000)))
                .isEqualTo("807e0003" + "00000000" + "5a5a5a5a" + ascii("vod/a.mp4#playing#88000"));
    }

    @Test
    void requestsRoundTrip() {
        record Case(boolean pause, String liveId, long positionMs) {
        }
        for (Case c : new Case[] {
                new Case(true, "vod/films/a b.mkv", FilmControl.RESUME),
                new Case(false, "vod/x.mp4", FilmControl.RESUME),
                new Case(false, "vod/x.mp4", 0),
                new Case(false, "vod/é.mp4", 123_456_789L)}) {
            ByteBuf b = Unpooled.buffer();
            try {
                if (c.pause) {
                    FilmControl.writePause(b, 9, 1, 2, c.liveId);
                } else {
                    FilmControl.writePlay(b, 9, 1, 2, c.liveId, c.positionMs);
                }
                assertThat(NativeHeader.payloadType(b))
                        .isEqualTo(c.pause ? NativeMessageType.FILM_PAUSE : NativeMessageType.FILM_PLAY);
                assertThat(NativeHeader.sequence(b)).isEqualTo(9);
                assertThat(NativeHeader.ssrc(b)).isEqualTo(2);
                assertThat(FilmControl.parseRequest(b)).isEqualTo(new Request(c.liveId, c.positionMs));
            } finally {
                b.release();
            }
        }
    }

    @Test
    void statesRoundTrip() {
        for (Playback p : Playback.values()) {
            ByteBuf b = Unpooled.buffer();
            try {
                FilmControl.writeState(b, 1, 0, 0, "vod/a#b.mp4", p, 4000);
                assertThat(FilmControl.parseState(b)).isEqualTo(new State("vod/a#b.mp4", p, 4000));
            } finally {
                b.release();
            }
        }
    }

    @Test
    void malformedPayloadsAreNotRequests() {
        for (String payload : new String[] {"", "#5", "vod/a#", "vod/a#-5", "vod/a#5x", "vod/a#1234567890123456"}) {
            assertThat(parseRequest(NativeMessageType.FILM_PLAY, payload)).as(payload).isNull();
        }
        assertThat(parseRequest(NativeMessageType.FILM_PAUSE, "vod/a#5")).as("a pause has no position").isNull();
        for (String payload : new String[] {"", "vod/a", "vod/a#playing", "#playing#5", "vod/a#stopped#5",
                "vod/a#paused#x"}) {
            ByteBuf b = Unpooled.buffer();
            try {
                NativeHeader.writeControl(b, NativeMessageType.FILM_STATE, 0, 0, payload);
                assertThat(FilmControl.parseState(b)).as(payload).isNull();
            } finally {
                b.release();
            }
        }
        ByteBuf b = Unpooled.buffer();
        try {
            assertThatThrownBy(() -> FilmControl.writePlay(b, 0, 0, 0, "vod/a", -2))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            b.release();
        }
    }

    private static Request parseRequest(int type, String payload) {
        ByteBuf b = Unpooled.buffer();
        try {
            NativeHeader.writeControl(b, type, 0, 0, payload);
            return FilmControl.parseRequest(b);
        } finally {
            b.release();
        }
    }

    private static String hex(Consumer<ByteBuf> writer) {
        ByteBuf b = Unpooled.buffer();
        try {
            writer.accept(b);
            return ByteBufUtil.hexDump(b);
        } finally {
            b.release();
        }
    }

    private static String ascii(String s) {
        return ByteBufUtil.hexDump(s.getBytes(StandardCharsets.UTF_8));
    }
}

package io.sluice.node.vod.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.node.vod.demux.StreamInfo;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TrackFormatsTest {

    /** RFC 7587 section 7: always opus/48000/2; sprop-stereo says what is sent, explicitly for mono too. */
    @ParameterizedTest
    @CsvSource({"1, 0", "2, 1"})
    void opusIsDeclaredStereoAndSaysWhatItSends(int channels, String spropStereo) {
        StreamInfo stream = new StreamInfo(1, "audio", "opus", 1, 1000, new byte[0], 48_000, channels, 0, 0);
        FilmTrack track = TrackFormats.track(1, stream, 1400, ByteBufAllocator.DEFAULT);
        assertThat(track.media().toString())
                .contains("a=rtpmap:97 opus/48000/2\r\n")
                .contains("a=fmtp:97 sprop-stereo=" + spropStereo + "\r\n");
    }
}

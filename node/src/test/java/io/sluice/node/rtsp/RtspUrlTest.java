package io.sluice.node.rtsp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class RtspUrlTest {

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
            rtsp://h:8554/live/cam                       | cam | -           | -
            rtsp://h:8554/live/cam/                      | cam | -           | -
            rtsp://h:8554/live/cam/trackID=1             | cam | trackID=1   | -
            rtsp://h:8554/live/cam?key=abc               | cam | -           | abc
            rtsp://h:8554/live/cam?key=abc/streamid=0    | cam | streamid=0  | abc
            rtsp://user:pw@h/live/cam/streamid=1         | cam | streamid=1  | -
            /live/cam/trackID=0                          | cam | trackID=0   | -
            rtsp://h/live/c%20a/trackID=0                | c a | trackID=0   | -
            """)
    void findsTheStreamTheTrackAndTheKey(String uri, String name, String control, String key) {
        RtspUrl url = RtspUrl.parse(uri);
        assertThat(url.isLive()).isTrue();
        assertThat(url.liveName()).isEqualTo(name);
        assertThat(url.trackControl()).isEqualTo(control);
        assertThat(url.queryParameter("key")).isEqualTo(key);
    }

    @Test
    void otherPathsAreNotLive() {
        assertThat(RtspUrl.parse("rtsp://h:8554/vod/film.mp4").isLive()).isFalse();
        assertThat(RtspUrl.parse("rtsp://h:8554/live").isLive()).isFalse();
        assertThat(RtspUrl.parse("rtsp://h:8554").segments()).isEmpty();
    }

    @Test
    void theViewersUidIsTheDecodedQueryParameterWithinItsLimit() {
        assertThat(RtspUrl.parse("rtsp://h/vod/a.mp4?uid=a%2Fb%20c/trackID=1").uid()).isEqualTo("a/b c");
        assertThat(RtspUrl.parse("rtsp://h/live/cam?key=k&uid=7").uid()).isEqualTo("7");
        assertThat(RtspUrl.parse("rtsp://h/live/cam").uid()).isNull();
        assertThat(RtspUrl.parse("rtsp://h/live/cam?uid=" + "x".repeat(RtspUrl.MAX_UID_LENGTH)).uid())
                .hasSize(RtspUrl.MAX_UID_LENGTH);
        for (String bad : new String[] {"", "x".repeat(RtspUrl.MAX_UID_LENGTH + 1), "a%0Ab"}) {
            assertThatThrownBy(() -> RtspUrl.parse("rtsp://h/live/cam?uid=" + bad).uid())
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void rejectsWhatIsNotAnUrl() {
        assertThatThrownBy(() -> RtspUrl.parse("garbage")).isInstanceOf(IllegalArgumentException.class);
    }
}

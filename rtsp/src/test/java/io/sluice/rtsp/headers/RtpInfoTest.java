package io.sluice.rtsp.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.rtsp.headers.RtpInfo.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpInfoTest {

    record Case(String name, String wire, String canonical, List<Entry> entries) {
    }

    private static final List<Case> TABLE = List.of(
            new Case("live555 two tracks",
                    "url=rtsp://10.0.0.5:8554/test/track1;seq=4563;rtptime=2890844526,url=rtsp://10.0.0.5:8554/test/track2;seq=1297;rtptime=95376",
                    null, List.of(new Entry("rtsp://10.0.0.5:8554/test/track1", 4563, 2890844526L),
                            new Entry("rtsp://10.0.0.5:8554/test/track2", 1297, 95376L))),
            new Case("GStreamer 1.22 rtsp-server, space after comma",
                    "url=rtsp://127.0.0.1:8554/test/stream=0;seq=1;rtptime=3203616, url=rtsp://127.0.0.1:8554/test/stream=1;seq=7;rtptime=22",
                    "url=rtsp://127.0.0.1:8554/test/stream=0;seq=1;rtptime=3203616,url=rtsp://127.0.0.1:8554/test/stream=1;seq=7;rtptime=22",
                    List.of(new Entry("rtsp://127.0.0.1:8554/test/stream=0", 1, 3203616L),
                            new Entry("rtsp://127.0.0.1:8554/test/stream=1", 7, 22L))),
            new Case("seq only", "url=rtsp://h/a/trackID=0;seq=0", null, List.of(new Entry("rtsp://h/a/trackID=0", 0, null))),
            new Case("url only", "url=trackID=1", null, List.of(new Entry("trackID=1", null, null))),
            new Case("url with comma, semicolon and query",
                    "url=rtsp://h/a,b;x/track?k=1;seq=65535;rtptime=4294967295", null,
                    List.of(new Entry("rtsp://h/a,b;x/track?k=1", 65535, 4294967295L))),
            new Case("RTSP 2.0 style ssrc skipped, quoted url",
                    "url=\"rtsp://h/a/track1\";ssrc=0A13C760;seq=10;rtptime=20", "url=rtsp://h/a/track1;seq=10;rtptime=20",
                    List.of(new Entry("rtsp://h/a/track1", 10, 20L))));

    @Test
    void roundTrip() {
        for (Case c : TABLE) {
            RtpInfo info = RtpInfo.parse(c.wire());
            assertThat(info.entries()).as(c.name()).isEqualTo(c.entries());
            String canonical = c.canonical() == null ? c.wire() : c.canonical();
            assertThat(info.toString()).as(c.name()).isEqualTo(canonical);
            assertThat(RtpInfo.parse(canonical)).isEqualTo(info).isEqualTo(RtpInfo.of(c.entries()));
        }
    }

    @Test
    void malformed() {
        for (String bad : List.of("", "seq=1", "url=;seq=1", "url=a;seq=x", "url=a;seq=70000", "url=a;rtptime=-1")) {
            assertThatThrownBy(() -> RtpInfo.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}

package io.sluice.rtsp.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class RangeTest {

    record Case(String name, String wire, String canonical, Double start, boolean now, Double end) {
    }

    private static final List<Case> TABLE = List.of(
            new Case("ffmpeg 5.1 / VLC PLAY", "npt=0.000-", null, 0.0, false, null),
            new Case("GStreamer 1.22 PLAY", "npt=0-", "npt=0.000-", 0.0, false, null),
            new Case("seek", "npt=10.5-", "npt=10.500-", 10.5, false, null),
            new Case("live", "npt=now-", null, null, true, null),
            new Case("closed range", "npt=0-20.0", "npt=0.000-20.000", 0.0, false, 20.0),
            new Case("live555 file reply", "npt=0.000-596.480", null, 0.0, false, 596.48),
            new Case("hh:mm:ss", "npt=00:01:02.5-", "npt=62.500-", 62.5, false, null),
            new Case("hh:mm:ss both", "npt=1:00:00-1:30:00.25", "npt=3600.000-5400.250", 3600.0, false, 5400.25),
            new Case("end only", "npt=-20", "npt=-20.000", null, false, 20.0),
            new Case("time parameter ignored", "npt=5-;time=19970123T143720Z", "npt=5.000-", 5.0, false, null),
            new Case("spaces", "npt = 3 - 4", "npt=3.000-4.000", 3.0, false, 4.0),
            new Case("trailing dot", "npt=7.-", "npt=7.000-", 7.0, false, null));

    @Test
    void roundTrip() {
        for (Case c : TABLE) {
            Range r = Range.parse(c.wire());
            assertThat(r.startSeconds()).as(c.name()).isEqualTo(c.start());
            assertThat(r.startIsNow()).as(c.name()).isEqualTo(c.now());
            assertThat(r.endSeconds()).as(c.name()).isEqualTo(c.end());
            String canonical = c.canonical() == null ? c.wire() : c.canonical();
            assertThat(r.toString()).as(c.name()).isEqualTo(canonical);
            assertThat(Range.parse(canonical)).as(c.name()).isEqualTo(r);
        }
    }

    @Test
    void factories() {
        assertThat(Range.npt(10.5, null).toString()).isEqualTo("npt=10.500-");
        assertThat(Range.npt(0, 20.0).toString()).isEqualTo("npt=0.000-20.000");
        assertThat(Range.nowOpen().toString()).isEqualTo("npt=now-");
        assertThat(Range.nowOpen().startSeconds()).isNull();
        assertThatThrownBy(() -> Range.npt(-1, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Range.npt(Double.NaN, null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Range.npt(5, 2.0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void otherUnitsAreClearlyUnsupported() {
        for (String value : List.of("clock=19961108T142300Z-19961108T143520Z", "smpte=10:12:33:20-", "smpte-25=10:07:00-")) {
            assertThatThrownBy(() -> Range.parse(value)).as(value)
                    .isInstanceOf(Range.UnsupportedUnitException.class)
                    .hasMessageContaining("not supported");
        }
        Range.UnsupportedUnitException e = org.junit.jupiter.api.Assertions.assertThrows(
                Range.UnsupportedUnitException.class, () -> Range.parse("clock=19961108T142300Z-"));
        assertThat(e.unit()).isEqualTo("clock");
    }

    @Test
    void malformed() {
        for (String bad : List.of("npt", "npt=", "npt=-", "npt=abc-", "npt=10", "npt=1:2-", "npt=0:61:00-",
                "npt=1.2.3-", "frames=1-2", "npt=5-now", "npt=5-2", "npt=0:00:10-9.5")) {
            assertThatThrownBy(() -> Range.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class)
                    .isNotInstanceOf(Range.UnsupportedUnitException.class);
        }
    }
}

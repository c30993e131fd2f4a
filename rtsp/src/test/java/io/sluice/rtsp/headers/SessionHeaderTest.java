package io.sluice.rtsp.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class SessionHeaderTest {

    record Case(String name, String wire, String canonical, String id, Integer timeout) {
    }

    private static final List<Case> TABLE = List.of(
            new Case("live555", "3C2D1A9F;timeout=65", null, "3C2D1A9F", 65),
            new Case("GStreamer 1.22 rtsp-server", "xbnzN4TfZ4dwEeZV;timeout=60", null, "xbnzN4TfZ4dwEeZV", 60),
            new Case("client echo without timeout", "3C2D1A9F", null, "3C2D1A9F", null),
            new Case("spaces around the parameter", "12345678; timeout = 30", "12345678;timeout=30", "12345678", 30),
            new Case("unknown parameter dropped", "abc-def_1.2+3;foo=bar;timeout=10", "abc-def_1.2+3;timeout=10", "abc-def_1.2+3", 10));

    @Test
    void roundTrip() {
        for (Case c : TABLE) {
            SessionHeader h = SessionHeader.parse(c.wire());
            assertThat(h.id()).as(c.name()).isEqualTo(c.id());
            assertThat(h.timeoutSeconds()).as(c.name()).isEqualTo(c.timeout());
            String canonical = c.canonical() == null ? c.wire() : c.canonical();
            assertThat(h.toString()).as(c.name()).isEqualTo(canonical);
            assertThat(SessionHeader.parse(canonical)).isEqualTo(h).isEqualTo(SessionHeader.of(c.id(), c.timeout()));
        }
    }

    @Test
    void malformed() {
        for (String bad : List.of("", ";timeout=60", "a b", "abc;timeout=x", "abc;timeout=0", "abc;timeout=-5")) {
            assertThatThrownBy(() -> SessionHeader.parse(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
        assertThatThrownBy(() -> SessionHeader.of("a;b", 60)).isInstanceOf(IllegalArgumentException.class);
    }
}

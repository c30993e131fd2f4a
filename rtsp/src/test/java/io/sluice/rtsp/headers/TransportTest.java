package io.sluice.rtsp.headers;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

import java.util.List;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class TransportTest {

    /** A header value as a peer sends it, what we print after parsing it, and what it must mean. */
    record Case(String name, String wire, String canonical, Consumer<Transport> check) {
    }

    private static final List<Case> TABLE = List.of(
            new Case("ffmpeg 5.1 reader, UDP", "RTP/AVP/UDP;unicast;client_port=37094-37095", null, t -> {
                assertThat(t.protocol()).isEqualTo("RTP");
                assertThat(t.profile()).isEqualTo("AVP");
                assertThat(t.lowerTransport()).isEqualTo("UDP");
                assertThat(t.isTcp()).isFalse();
                assertThat(t.multicast()).isFalse();
                assertThat(t.clientPort()).containsExactly(37094, 37095);
                assertThat(t.serverPort()).isNull();
                assertThat(t.interleaved()).isNull();
                assertThat(t.mode()).isEqualTo("PLAY");
                assertThat(t.isRecord()).isFalse();
            }),
            new Case("ffmpeg 5.1 publisher, UDP", "RTP/AVP/UDP;unicast;client_port=37094-37095;mode=record",
                    "RTP/AVP/UDP;unicast;client_port=37094-37095;mode=RECORD", t -> {
                        assertThat(t.mode()).isEqualTo("RECORD");
                        assertThat(t.isRecord()).isTrue();
                    }),
            new Case("ffmpeg 5.1 publisher, TCP", "RTP/AVP/TCP;unicast;interleaved=0-1;mode=record",
                    "RTP/AVP/TCP;unicast;interleaved=0-1;mode=RECORD", t -> {
                        assertThat(t.isTcp()).isTrue();
                        assertThat(t.interleaved()).containsExactly(0, 1);
                        assertThat(t.isRecord()).isTrue();
                    }),
            new Case("VLC 3 / live555 client, UDP", "RTP/AVP;unicast;client_port=5000-5001", null, t -> {
                assertThat(t.lowerTransport()).isEqualTo("UDP");
                assertThat(t.clientPort()).containsExactly(5000, 5001);
            }),
            new Case("VLC 3 / GStreamer 1.22, TCP", "RTP/AVP/TCP;unicast;interleaved=0-1", null, t -> {
                assertThat(t.lowerTransport()).isEqualTo("TCP");
                assertThat(t.interleaved()).containsExactly(0, 1);
            }),
            new Case("GStreamer 1.22 rtspsrc, second track TCP", "RTP/AVP/TCP;unicast;interleaved=2-3", null,
                    t -> assertThat(t.interleaved()).containsExactly(2, 3)),
            new Case("GStreamer 1.22 rtsp-server reply", "RTP/AVP;unicast;client_port=50004-50005;server_port=56802-56803;ssrc=5F1D2E2C;mode=\"PLAY\"",
                    "RTP/AVP;unicast;client_port=50004-50005;server_port=56802-56803;ssrc=5F1D2E2C;mode=PLAY", t -> {
                        assertThat(t.serverPort()).containsExactly(56802, 56803);
                        assertThat(t.ssrc()).isEqualTo(0x5F1D2E2CL);
                        assertThat(t.mode()).isEqualTo("PLAY");
                    }),
            new Case("live555 server reply, UDP",
                    "RTP/AVP;unicast;destination=127.0.0.1;source=127.0.0.1;client_port=55874-55875;server_port=6970-6971", null, t -> {
                        assertThat(t.destination()).isEqualTo("127.0.0.1");
                        assertThat(t.source()).isEqualTo("127.0.0.1");
                        assertThat(t.serverPort()).containsExactly(6970, 6971);
                    }),
            new Case("live555 server reply, multicast", "RTP/AVP;multicast;destination=232.81.12.7;port=6666-6667;ttl=255",
                    "RTP/AVP;multicast;destination=232.81.12.7;ttl=255;port=6666-6667", t -> {
                        assertThat(t.multicast()).isTrue();
                        assertThat(t.ttl()).isEqualTo(255);
                        assertThat(t.otherParameters()).containsExactly(entry("port", "6666-6667"));
                    }),
            new Case("single port means a pair", "RTP/AVP;unicast;client_port=5000", "RTP/AVP;unicast;client_port=5000-5001",
                    t -> assertThat(t.clientPort()).containsExactly(5000, 5001)),
            new Case("single channel means a pair", "RTP/AVP/TCP;interleaved=4", "RTP/AVP/TCP;interleaved=4-5",
                    t -> assertThat(t.interleaved()).containsExactly(4, 5)),
            new Case("AVPF profile, trailing semicolon, lower-case ssrc", "RTP/AVPF/UDP;unicast;client_port=6000-6001;ssrc=00c0ffee;",
                    "RTP/AVPF/UDP;unicast;client_port=6000-6001;ssrc=00C0FFEE", t -> {
                        assertThat(t.profile()).isEqualTo("AVPF");
                        assertThat(t.ssrc()).isEqualTo(0xC0FFEEL);
                    }),
            new Case("ssrc with the top bit set", "RTP/SAVP;unicast;client_port=7000-7001;ssrc=FFFFFFFF", null,
                    t -> assertThat(t.ssrc()).isEqualTo(0xFFFFFFFFL)),
            new Case("unknown parameters are kept in order", "RTP/AVP;unicast;client_port=5000-5001;append;x-foo=\"a,b\"", null,
                    t -> assertThat(t.otherParameters()).containsExactly(entry("append", null), entry("x-foo", "\"a,b\""))),
            new Case("pre-RFC mode=receive means record", "RTP/AVP/TCP;unicast;interleaved=0-1;mode=receive",
                    "RTP/AVP/TCP;unicast;interleaved=0-1;mode=RECORD", t -> assertThat(t.isRecord()).isTrue()),
            new Case("spaces and odd case", " rtp/avp/tcp ; Unicast ; interleaved = 0-1 ", "RTP/AVP/TCP;unicast;interleaved=0-1",
                    t -> assertThat(t.isTcp()).isTrue()));

    @Test
    void realWorldValuesRoundTrip() {
        for (Case c : TABLE) {
            Transport parsed = Transport.parse(c.wire());
            c.check().accept(parsed);
            String canonical = c.canonical() == null ? c.wire() : c.canonical();
            assertThat(parsed.toString()).as(c.name()).isEqualTo(canonical);
            Transport again = Transport.parse(canonical);
            assertThat(again).as(c.name()).isEqualTo(parsed).hasSameHashCodeAs(parsed);
            assertThat(again.toString()).as(c.name()).isEqualTo(canonical);
        }
    }

    @Test
    void gstreamerAlternativesList() {
        String value = "RTP/AVPF;unicast;client_port=50004-50005,RTP/AVP;unicast;client_port=50004-50005,"
                + "RTP/AVPF/TCP;unicast;interleaved=0-1,RTP/AVP/TCP;unicast;interleaved=0-1";
        List<Transport> list = Transport.parseList(value);
        assertThat(list).extracting(Transport::profile).containsExactly("AVPF", "AVP", "AVPF", "AVP");
        assertThat(list).extracting(Transport::lowerTransport).containsExactly("UDP", "UDP", "TCP", "TCP");
        assertThat(Transport.formatList(list)).isEqualTo(value);
    }

    @Test
    void commaInsideQuotesDoesNotSplit() {
        List<Transport> list = Transport.parseList("RTP/AVP;unicast;mode=\"PLAY,RECORD\", RTP/AVP/TCP;interleaved=0-1");
        assertThat(list).hasSize(2);
        assertThat(list.get(0).mode()).isEqualTo("PLAY,RECORD");
    }

    @Test
    void withersAnswerASetup() {
        Transport request = Transport.parse("RTP/AVP;unicast;client_port=37094-37095");
        Transport reply = request.withServerPort(8000, 8001).withSsrc(0x12345678L).withSource("10.0.0.1");
        assertThat(reply.toString())
                .isEqualTo("RTP/AVP;unicast;source=10.0.0.1;client_port=37094-37095;server_port=8000-8001;ssrc=12345678");
        assertThat(request.serverPort()).as("original unchanged").isNull();

        Transport tcp = Transport.parse("RTP/AVP/TCP;unicast;interleaved=0-1;mode=record");
        assertThat(tcp.withInterleaved(2, 3).withMode("play").toString())
                .isEqualTo("RTP/AVP/TCP;unicast;interleaved=2-3;mode=PLAY");
        assertThat(Transport.builder().lowerTransport("TCP").unicast().interleaved(0, 1).build().withClientPort(1, 2)
                .toString()).isEqualTo("RTP/AVP/TCP;unicast;interleaved=0-1;client_port=1-2");
    }

    @Test
    void accessorsReturnCopies() {
        Transport t = Transport.parse("RTP/AVP;unicast;client_port=5000-5001");
        t.clientPort()[0] = 1;
        assertThat(t.clientPort()).containsExactly(5000, 5001);
    }

    @Test
    void malformedValuesNameTheParameter() {
        record Bad(String value, String message) {
        }
        for (Bad bad : List.of(
                new Bad("RTP", "protocol/profile"),
                new Bad("RTP/AVP/TCP/X;unicast", "protocol/profile"),
                new Bad("RTP//UDP", "protocol/profile"),
                new Bad("RTP/AVP;client_port=abc", "client_port"),
                new Bad("RTP/AVP;client_port=70000-70001", "client_port"),
                new Bad("RTP/AVP;client_port=65535", "client_port"),
                new Bad("RTP/AVP;server_port=", "server_port"),
                new Bad("RTP/AVP/TCP;interleaved=256-257", "interleaved"),
                new Bad("RTP/AVP;ssrc=123456789", "ssrc"),
                new Bad("RTP/AVP;ssrc=xyz", "ssrc"),
                new Bad("RTP/AVP;ttl=300", "ttl"),
                new Bad("RTP/AVP;mode", "mode"),
                new Bad("", "empty Transport"))) {
            assertThatThrownBy(() -> Transport.parseList(bad.value())).as(bad.value())
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining(bad.message());
        }
        assertThatThrownBy(() -> Transport.parseList(" , ")).hasMessageContaining("empty Transport");
    }
}

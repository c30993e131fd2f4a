package io.sluice.bench.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionDescriptionInfoTest {

    private static final String URL = "rtsp://127.0.0.1:8654/live/bench";

    @Test
    void sluiceStyleRelativeControlsResolveAgainstContentBase() throws IOException {
        RtspControl.Response r = new RtspControl.Response(200,
                Map.of("content-base", URL + "/"),
                "v=0\r\na=control:*\r\nm=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=0\r\n");
        SessionDescriptionInfo info = SessionDescriptionInfo.of(URL, r);
        assertThat(info.setupUrl()).isEqualTo(URL + "/trackID=0");
        assertThat(info.playUrl()).isEqualTo(URL + "/");
    }

    @Test
    void gstreamerStyleAbsoluteSessionControlAndFirstVideoTrack() throws IOException {
        RtspControl.Response r = new RtspControl.Response(200,
                Map.of("content-base", URL + "/"),
                "v=0\na=control:" + URL + "/\nm=audio 0 RTP/AVP 97\na=control:stream=1\n"
                        + "m=video 0 RTP/AVP 96\na=control:stream=0\n");
        SessionDescriptionInfo info = SessionDescriptionInfo.of(URL, r);
        assertThat(info.setupUrl()).isEqualTo(URL + "/stream=0");
        assertThat(info.playUrl()).isEqualTo(URL + "/");
    }

    @Test
    void noVideoControlFails() {
        RtspControl.Response r = new RtspControl.Response(200, Map.of(), "v=0\nm=video 0 RTP/AVP 96\n");
        assertThatThrownBy(() -> SessionDescriptionInfo.of(URL, r)).isInstanceOf(IOException.class);
    }

    @Test
    void transportPortsAndSessionId() throws IOException {
        RtspControl.Response r = new RtspControl.Response(200, Map.of(
                "transport", "RTP/AVP;unicast;client_port=20000-20001;server_port=8100-8101;ssrc=1A2B3C4D",
                "session", "F00D;timeout=60"), "");
        assertThat(RtspControl.transportPorts(r, "server_port")).containsExactly(8100, 8101);
        assertThat(RtspControl.transportPorts(r, "client_port")).containsExactly(20000, 20001);
        assertThat(RtspControl.sessionId(r)).isEqualTo("F00D");
    }
}

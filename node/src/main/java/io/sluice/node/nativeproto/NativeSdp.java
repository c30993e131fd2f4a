package io.sluice.node.nativeproto;

import io.sluice.format.sdp.SessionDescription;

/** The description of a native stream for RTSP readers: one MPEG-TS track (RFC 2250, static PT 33). */
final class NativeSdp {

    private NativeSdp() {
    }

    static SessionDescription mp2t(String liveId) {
        return SessionDescription.parse("v=0\r\n"
                + "o=- 0 0 IN IP4 0.0.0.0\r\n"
                + "s=" + liveId + "\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "t=0 0\r\n"
                + "m=video 0 RTP/AVP 33\r\n"
                + "a=rtpmap:33 MP2T/90000\r\n");
    }
}

package io.sluice.node.nativeproto;

import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.SessionDescription;
import java.util.List;

/**
 * The descriptions of a native stream for RTSP readers: the pushed MPEG-TS as one track (RFC 2250, static
 * PT 33), or its elementary streams as the {@link TsDemuxBridge} found them.
 */
final class NativeSdp {

    private NativeSdp() {
    }

    static SessionDescription mp2t(String liveId) {
        return SessionDescription.parse(session(liveId)
                + "m=video 0 RTP/AVP 33\r\n"
                + "a=rtpmap:33 MP2T/90000\r\n");
    }

    static SessionDescription tracks(String liveId, List<MediaDescription> media) {
        SessionDescription sdp = SessionDescription.parse(session(liveId));
        sdp.media().addAll(media);
        return sdp;
    }

    private static String session(String liveId) {
        return "v=0\r\n"
                + "o=- 0 0 IN IP4 0.0.0.0\r\n"
                + "s=" + liveId + "\r\n"
                + "c=IN IP4 0.0.0.0\r\n"
                + "t=0 0\r\n";
    }
}

package io.sluice.cluster.member;

import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.RtpMap;
import io.sluice.format.sdp.SessionDescription;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The SDP an origin node serves its readers, turned back into what a publisher would announce: plain
 * {@code RTP/AVP}, no NACK feedback and no RTX format. The pulling node's own stream then offers its readers
 * NACK and RTX of its own, with its own payload types, exactly as for a local publisher.
 */
final class OriginSdp {

    private OriginSdp() {
    }

    static SessionDescription asAnnounced(String readerSdp) {
        SessionDescription sdp = SessionDescription.parse(readerSdp);
        for (MediaDescription m : sdp.media()) {
            if (m.protocol().equals("RTP/AVPF")) {
                m.protocol("RTP/AVP");
            }
            m.removeAttribute("rtcp-fb");
            Set<String> rtx = new HashSet<>();
            for (String value : m.attributes("rtpmap")) {
                RtpMap map = RtpMap.parse(value);
                if (map.isEncoding("rtx")) {
                    rtx.add(Integer.toString(map.payloadType()));
                }
            }
            if (rtx.isEmpty()) {
                continue;
            }
            m.formats().removeAll(rtx);
            keepAttributes(m, "rtpmap", rtx);
            keepAttributes(m, "fmtp", rtx);
        }
        return sdp;
    }

    /** Drops the {@code name} attributes whose value starts with one of {@code payloadTypes}. */
    private static void keepAttributes(MediaDescription m, String name, Set<String> payloadTypes) {
        List<String> kept = new ArrayList<>();
        for (String value : m.attributes(name)) {
            int space = value.indexOf(' ');
            if (!payloadTypes.contains(space < 0 ? value : value.substring(0, space))) {
                kept.add(value);
            }
        }
        m.removeAttribute(name);
        kept.forEach(v -> m.addAttribute(name, v));
    }
}

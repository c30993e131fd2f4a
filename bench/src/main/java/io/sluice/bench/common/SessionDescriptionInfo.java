package io.sluice.bench.common;

import java.io.IOException;

/** The two URLs a player needs from a DESCRIBE answer: where to SETUP the video track and where to PLAY. */
public record SessionDescriptionInfo(String setupUrl, String playUrl) {

    /**
     * Resolves the first video media's {@code a=control} and the session-level one (RFC 2326 C.1.1) against the
     * Content-Base of the answer, or the request URL when there is none.
     */
    public static SessionDescriptionInfo of(String requestUrl, RtspControl.Response describe) throws IOException {
        String base = describe.header("Content-Base");
        if (base == null) {
            base = describe.header("Content-Location");
        }
        if (base == null) {
            base = requestUrl;
        }
        String sessionControl = null;
        String videoControl = null;
        boolean inVideo = false;
        boolean inMedia = false;
        for (String raw : describe.body().split("\r?\n")) {
            String line = raw.trim();
            if (line.startsWith("m=")) {
                inMedia = true;
                inVideo = line.startsWith("m=video") && videoControl == null;
            } else if (line.startsWith("a=control:")) {
                String control = line.substring("a=control:".length()).trim();
                if (!inMedia) {
                    sessionControl = control;
                } else if (inVideo) {
                    videoControl = control;
                }
            }
        }
        if (videoControl == null) {
            throw new IOException("no video track with a=control in " + describe.body());
        }
        return new SessionDescriptionInfo(resolve(base, videoControl),
                sessionControl == null ? requestUrl : resolve(base, sessionControl));
    }

    private static String resolve(String base, String control) {
        if (control.equals("*")) {
            return base;
        }
        if (control.startsWith("rtsp://")) {
            return control;
        }
        return base.endsWith("/") ? base + control : base + "/" + control;
    }
}

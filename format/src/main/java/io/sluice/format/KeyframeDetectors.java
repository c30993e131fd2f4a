package io.sluice.format;

import io.sluice.format.h264.H264KeyframeDetector;
import io.sluice.format.h265.H265KeyframeDetector;
import io.sluice.format.mpegts.TsRandomAccessDetector;

/** Finds the {@link KeyframeDetector} for an rtpmap encoding name. */
public final class KeyframeDetectors {

    private KeyframeDetectors() {
    }

    /**
     * @param encodingName the encoding name of an {@code a=rtpmap} line, any case ({@code "H264"},
     *                     {@code "h265"})
     * @return the detector for H.264 (RFC 6184), H.265 (RFC 7798) or MPEG-TS (RFC 2250); null for encodings without
     *         random access points worth waiting for (audio, where every frame is one) or unknown ones
     */
    public static KeyframeDetector forEncoding(String encodingName) {
        if (encodingName == null) {
            return null;
        }
        if (encodingName.equalsIgnoreCase("H264")) {
            return H264KeyframeDetector.INSTANCE;
        }
        if (encodingName.equalsIgnoreCase("H265")) {
            return H265KeyframeDetector.INSTANCE;
        }
        if (encodingName.equalsIgnoreCase("MP2T")) {
            return TsRandomAccessDetector.INSTANCE;
        }
        return null;
    }
}

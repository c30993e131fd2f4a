package io.sluice.api.stats;

import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import java.util.List;
import java.util.Map;

/**
 * The counters of one live stream, read on its media loop at {@code nowNs}.
 *
 * @param presented the stream RTSP readers play in its place (a native push's TS demuxed into tracks), whose
 *                  readers are among {@code readers}; null when they play this one
 * @param expected packets the publisher sent as its sequence numbers say, over all tracks
 * @param lost     expected minus received, over all tracks
 * @param delayMs  see {@link io.sluice.api.view.StreamView#delayMs()}
 * @param readerSamples the entries of {@code readers} by reader, for the per-session views
 */
public record StreamSample(LiveStream stream, LiveStream presented, long nowNs, long bytesIn, long packetsIn, long expected, long lost,
                           Double delayMs, List<TrackSample> tracks, List<ReaderSample> readers,
                           Map<LiveReader, ReaderSample> readerSamples) {

    /** One track's reception. */
    public record TrackSample(int index, String media, String codec, int clockRate, Long ssrc, long packets,
                              long bytes, long lost, double jitterMs) {
    }
}

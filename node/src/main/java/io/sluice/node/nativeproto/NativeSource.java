package io.sluice.node.nativeproto;

import io.sluice.node.live.LiveStream;

/**
 * What a native puller reads for one liveId: a stream of one MP2T track whose packets go out as the
 * protocol's stream data, and the SSRC the pull answer (112) announces for it. It is a natively pushed
 * stream, an RTSP stream published as MP2T, or the output of a {@link TsBridge} from an RTSP stream of
 * H.264/H.265 and AAC. Confined to the media loop.
 */
final class NativeSource {

    private final String liveId;
    private final LiveStream stream;
    private final int ssrc;
    private final TsBridge bridge;
    private int subscribers;
    private long unusedSinceNs;

    NativeSource(String liveId, LiveStream stream, int ssrc, TsBridge bridge, long nowNs) {
        this.liveId = liveId;
        this.stream = stream;
        this.ssrc = ssrc;
        this.bridge = bridge;
        this.unusedSinceNs = nowNs;
    }

    String liveId() {
        return liveId;
    }

    LiveStream stream() {
        return stream;
    }

    int ssrc() {
        return ssrc;
    }

    /** The bridge producing this source, or null when the stream is relayed as published. */
    TsBridge bridge() {
        return bridge;
    }

    boolean ended() {
        return stream.state() == LiveStream.State.ENDED;
    }

    void subscribe() {
        subscribers++;
    }

    void unsubscribe(long nowNs) {
        if (--subscribers == 0) {
            unusedSinceNs = nowNs;
        }
    }

    /** How long nobody has been subscribed, 0 while somebody is. */
    long unusedNs(long nowNs) {
        return subscribers > 0 ? 0 : nowNs - unusedSinceNs;
    }
}

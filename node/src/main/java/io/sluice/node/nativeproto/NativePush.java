package io.sluice.node.nativeproto;

import io.sluice.node.live.LiveStream;
import io.sluice.rtp.nativeproto.RetransmissionRequester;
import java.net.InetSocketAddress;

/**
 * One natively pushed stream: the SSRC its auth gave out, the only address its data is taken from,
 * the live stream it feeds, what the server missed of it, and its statistics. Mutated on the media
 * loop; the statistics are read by the API.
 */
final class NativePush {

    /** Sequence numbers behind the highest that the server still asks the pusher for. */
    static final int RETRANSMISSION_WINDOW = 1024;
    static final long RETRY_MIN_NS = 20_000_000L;
    static final int MAX_ATTEMPTS = 10;

    final String liveId;
    final int ssrc;
    final InetSocketAddress address;
    final LiveStream stream;
    /** The push's TS demuxed into tracks for RTSP readers. */
    final TsDemuxBridge demux;
    final RetransmissionRequester requester =
            new RetransmissionRequester(RETRANSMISSION_WINDOW, 0, RETRY_MIN_NS, MAX_ATTEMPTS);
    final RateWindow bytes = new RateWindow();
    final long startedNs;
    volatile long packets;
    volatile long lastDataNs;
    /** One-way delay of the last delay probe: our clock minus the pusher's, in ms (clock offset included). */
    volatile long delayMs = -1;
    int requestNumber;

    NativePush(String liveId, int ssrc, InetSocketAddress address, LiveStream stream, TsDemuxBridge demux, long nowNs) {
        this.liveId = liveId;
        this.ssrc = ssrc;
        this.address = address;
        this.stream = stream;
        this.demux = demux;
        this.startedNs = nowNs;
        this.lastDataNs = nowNs;
    }

    NativePushInfo info(long nowNs) {
        return new NativePushInfo(liveId, Integer.toUnsignedString(ssrc), address.getAddress().getHostAddress(),
                address.getPort(), bytes.sum(1, nowNs) * 8, bytes.sum(3, nowNs) * 8 / 3,
                bytes.sum(10, nowNs) * 8 / 10, packets, requester.requested(), requester.recovered(),
                requester.abandoned(), delayMs, stream.readers().size());
    }
}

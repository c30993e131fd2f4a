package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.node.NodeConfig;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.live.LiveTrack;
import io.sluice.rtp.NtpTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an RTSP stream of H.264 or H.265 video (and AAC audio, when announced) pullable natively: it
 * reads the stream like any reader, remuxes it to MPEG-TS ({@link TsRemuxer}) and publishes the TS,
 * 7 x 188 bytes per packet, as the one MP2T track of a stream of its own that native pullers read.
 *
 * <pre>
 * RTSP stream ── LiveReader ──&gt; TsRemuxer ──&gt; PT 33 packets ──&gt; output stream ──&gt; pullers
 *  (H.264 RTP, AAC RTP)                       (own SSRC, seq)    (history, fan-out)
 * </pre>
 *
 * Timestamps: each track's RTP time is placed on the wall clock by the publisher's last Sender Report
 * (or, before any, by the arrival of the first packet) once, when the track's first unit is muxed, so
 * audio and video keep their relative timing; PTS = 1 s + time since the bridge started, in 90 kHz.
 * RTP carries no DTS, so DTS = PTS: streams with B-frames come out with a decode order ffmpeg accepts
 * but that is not conformant. Confined to the media loop.
 */
final class TsBridge {

    private static final Logger log = LoggerFactory.getLogger(TsBridge.class);

    private final LiveStream source;
    private final TsRemuxer remuxer;
    private final TrackClock[] clocks;
    private final LiveReader reader;
    /** Set once the source proved bridgeable. */
    private LiveStream output;
    private long startEpochNs = Long.MIN_VALUE;
    private boolean ended;

    private TsBridge(LiveStream source, int ssrc, ByteBufAllocator alloc) {
        this.source = source;
        this.clocks = new TrackClock[source.trackCount()];
        List<MediaDescription> media = new ArrayList<>();
        for (LiveTrack t : source.tracks()) {
            clocks[t.index()] = new TrackClock(t);
            media.add(t.media());
        }
        this.remuxer = TsRemuxer.create("stream " + source.name(), media, ssrc, alloc, this::pts90k,
                datagram -> output.onRtp(0, datagram));
        boolean[] subscribed = remuxer != null ? remuxer.subscribedTracks(source.trackCount())
                : new boolean[source.trackCount()];
        this.reader = new LiveReader("native-bridge-" + source.name(), new Input(), subscribed, this::onSourceClosed);
    }

    /**
     * A bridge for {@code source} when it has an H.264 or H.265 track (and maybe an AAC one), else null.
     * Media loop; the bridge starts reading at once.
     */
    static TsBridge open(LiveStream source, int ssrc, NodeConfig config, ByteBufAllocator alloc,
                         LongSupplier nanoClock) {
        TsBridge bridge = new TsBridge(source, ssrc, alloc);
        if (bridge.remuxer == null) {
            return null;
        }
        bridge.output = LiveStream.create(source.name(), "native-bridge-" + Integer.toUnsignedString(ssrc),
                source.publisherAddress(), NativeSdp.mp2t(source.name()), config, source.mediaLoop(), alloc,
                nanoClock);
        bridge.output.goLive();
        source.addReader(bridge.reader);
        log.info("stream {}: bridged to MPEG-TS for native pullers (SSRC {})", source.name(),
                Integer.toUnsignedString(ssrc));
        return bridge;
    }

    LiveStream source() {
        return source;
    }

    LiveStream output() {
        return output;
    }

    int ssrc() {
        return remuxer.ssrc();
    }

    /** RTP payloads the depacketizers refused. */
    long malformed() {
        return remuxer.malformed();
    }

    /** Media loop: stops reading the source and ends the output (its pullers get 121). */
    void close(String reason) {
        if (ended) {
            return;
        }
        source.removeReader(reader);
        end(reason);
    }

    private void onSourceClosed(String reason) {
        // Called while the source walks its readers: leave its list alone.
        end(reason);
    }

    private void end(String reason) {
        if (ended) {
            return;
        }
        ended = true;
        remuxer.close();
        output.end(reason);
    }

    private long pts90k(int track, long rtpTimestamp) {
        long epochNs = clocks[track].epochNs(rtpTimestamp);
        if (startEpochNs == Long.MIN_VALUE) {
            startEpochNs = epochNs;
        }
        return TsRemuxer.pesTimestamp90k(Math.floorDiv((epochNs - startEpochNs) * 9, 100_000));
    }

    /** Where a track's RTP time sits on the wall clock, fixed at its first unit; extends 32-bit timestamps. */
    private static final class TrackClock {
        private final LiveTrack track;
        private boolean started;
        private long referenceEpochNs;
        private long lastTimestamp;
        private long extended;

        TrackClock(LiveTrack track) {
            this.track = track;
        }

        long epochNs(long rtpTimestamp) {
            int clockRate = track.clockRate();
            if (!started) {
                started = true;
                lastTimestamp = rtpTimestamp;
                if (track.srKnown()) {
                    int sinceReport = (int) (rtpTimestamp - track.lastSrRtpTimestamp());
                    referenceEpochNs = NtpTime.toEpochNanos(track.lastSrNtp())
                            + sinceReport * 1_000_000_000L / clockRate;
                } else {
                    referenceEpochNs = System.currentTimeMillis() * 1_000_000L;
                }
            }
            extended += (int) (rtpTimestamp - lastTimestamp);
            lastTimestamp = rtpTimestamp;
            return referenceEpochNs + extended * 1_000_000_000L / clockRate;
        }
    }

    /** The bridge's side of the source's fan-out: packets are muxed at once, RTCP is not needed. */
    private final class Input extends NativeReaderTransport {
        Input() {
            super("mpegts-bridge");
        }

        @Override
        public boolean sendRtp(int trackIndex, ByteBuf packet) {
            if (!ended) {
                remuxer.onPacket(trackIndex, packet, TsRemuxer.NO_DTS);
            }
            return true;
        }
    }
}

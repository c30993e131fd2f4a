package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.PayloadFormatException;
import io.sluice.format.PayloadSink;
import io.sluice.format.aac.AdtsHeader;
import io.sluice.format.h264.H264NalUnit;
import io.sluice.format.h265.H265NalUnit;
import io.sluice.format.mpegts.PesHeader;
import io.sluice.format.mpegts.TsCodecConfig;
import io.sluice.format.mpegts.TsDemuxer;
import io.sluice.format.mpegts.TsElementaryStream;
import io.sluice.format.mpegts.TsStreamType;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.node.NodeConfig;
import io.sluice.node.live.LiveStream;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.node.vod.demux.StreamInfo;
import io.sluice.node.vod.media.FilmTrack;
import io.sluice.node.vod.media.SamplePacketizer;
import io.sluice.node.vod.media.TrackFormats;
import io.sluice.rtp.NtpTime;
import io.sluice.rtp.ReorderBuffer;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.rtcp.RtcpWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a native push readable over RTSP as its elementary streams: the pushed MPEG-TS is demuxed, each
 * H.264, H.265 or AAC stream of its PMT becomes an RTP track (RFC 6184, RFC 7798, RFC 3640 AAC-hbr) of a
 * live stream of its own, which has its own GOP cache, retransmission history and readers, and which the
 * push's stream presents to RTSP readers in its place ({@link LiveStream#presentAs}).
 *
 * <pre>
 * PT 33 data ──&gt; TsDemuxer ──&gt; PES (PTS) ──&gt; TsCodecConfig ──&gt; SamplePacketizer ──&gt; RTP ──&gt; track stream ──&gt; RTSP readers
 *              (PAT, PMT)                  (parameter sets,    (the film library's     (own SSRC and
 *                                           ADTS config)        track formats)           sequence per track)
 * </pre>
 *
 * Datagrams are demuxed in sequence order: one after a gap waits until the server's retransmission
 * request to the pusher fills it, or gives up (at most {@value #REORDER_HOLD_NS} ns), so that a loss the
 * pusher repairs costs RTSP readers no picture.
 *
 * <p>The tracks can be described only once their configuration has come in-band: the parameter sets before
 * the first keyframe, the first ADTS header. The stream is described when every track of the PMT has
 * it, or {@link NativeLimits#trackWait()} (1 s) of PTS after the first did, without those still missing;
 * PES packets of described tracks wait (bounded) until then, so the first keyframe is not lost. Codecs
 * other than these are left out with a log line; a PMT with none of them presents the TS itself. A new
 * PMT ends the track stream (its readers get BYE) and describes the new program.
 *
 * <p>RTP time is the PES PTS: 90 kHz for video (PTS order, so B-frames keep their presentation times),
 * the PTS scaled to the sample rate for audio, one frame duration further for each further ADTS frame of
 * a PES. A Sender Report per track and second puts the PTS on the wall clock of the description, so
 * players sync audio and video. Confined to the media loop.
 */
final class TsDemuxBridge implements TsDemuxer.Listener {

    private static final Logger log = LoggerFactory.getLogger(TsDemuxBridge.class);

    /** PES packets kept while the description waits for the last tracks (bytes: maxPesBytes). */
    static final int MAX_PENDING_PES = 256;
    /** How long datagrams after a gap wait for it: as long as the server asks the pusher for it. */
    static final long REORDER_HOLD_NS = NativePush.RETRY_MIN_NS * NativePush.MAX_ATTEMPTS;
    static final long END_LINGER_MS = 100;
    private static final long REPORT_INTERVAL_NS = 1_000_000_000L;
    private static final long PTS_WRAP = 1L << 33;

    private final LiveStream transport;
    private final NodeConfig config;
    private final ByteBufAllocator alloc;
    private final LongSupplier nanoClock;
    private final NativeCounters counters;
    private final int maxPesBytes;
    /** How much stream time a track's configuration may lag behind the first track's, in 90 kHz ticks. */
    private final long trackWait90k;
    private final TsDemuxer demuxer;
    private final ReorderBuffer order;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private CompletableFuture<LiveStream> presentation = new CompletableFuture<>();
    private Track[] tracks = new Track[0];
    private LiveStream output;
    private long firstConfiguredPts = PesHeader.NO_TIMESTAMP;
    private int pendingBytes;
    private long baseEpochNs;
    private long basePts;
    private long demuxErrors;
    private boolean closed;

    private TsDemuxBridge(LiveStream transport, NodeConfig config, ByteBufAllocator alloc, LongSupplier nanoClock,
                          NativeCounters counters) {
        this.transport = transport;
        this.config = config;
        this.alloc = alloc;
        this.nanoClock = nanoClock;
        this.counters = counters;
        this.maxPesBytes = config.nativeLimits().maxPesBytes();
        this.trackWait90k = config.nativeLimits().trackWait().toMillis() * 90;
        this.demuxer = new TsDemuxer(alloc, maxPesBytes, this);
        this.order = new ReorderBuffer(NativePush.RETRANSMISSION_WINDOW,
                config.nativeLimits().askPushers() ? REORDER_HOLD_NS : 0, this::demux);
    }

    /** A bridge for the push feeding {@code transport}, presented to its RTSP readers from now on. Media loop. */
    static TsDemuxBridge open(LiveStream transport, NodeConfig config, ByteBufAllocator alloc, LongSupplier nanoClock,
                              NativeCounters counters) {
        TsDemuxBridge bridge = new TsDemuxBridge(transport, config, alloc, nanoClock, counters);
        transport.presentAs(bridge.presentation);
        return bridge;
    }

    /** The stream of the elementary streams, or null before they are described. */
    LiveStream output() {
        return output;
    }

    /**
     * Media loop: one new stream-data datagram of the push (header and TS packets); the caller keeps it.
     * One that came after a gap waits (at most the reorder hold) for the server's request to the pusher to
     * fill it, so that a recovered datagram costs the demuxer nothing.
     */
    void onData(ByteBuf datagram, long nowNs) {
        if (!closed && !order.offer(NativeHeader.sequence(datagram), datagram, nowNs)) {
            // Behind a gap already given up: the demuxer dropped the PES it belonged to.
            counters.demuxDropped.increment();
        }
    }

    /** Media loop, every few ms: gives up a gap the pusher did not fill within the reorder hold. */
    void tick(long nowNs) {
        if (!closed) {
            order.tick(nowNs);
        }
    }

    private void demux(ByteBuf datagram) {
        int readerIndex = datagram.readerIndex();
        // The demuxer reads readerIndex..writerIndex: point it at the TS packets instead of slicing.
        datagram.readerIndex(NativeHeader.payloadOffset(datagram));
        try {
            demuxer.feed(datagram);
        } finally {
            datagram.readerIndex(readerIndex);
        }
        long errors = demuxer.syncErrors() + demuxer.crcErrors() + demuxer.droppedPes();
        if (errors != demuxErrors) {
            counters.demuxDropped.add(errors - demuxErrors);
            demuxErrors = errors;
        }
    }

    @Override
    public void program(List<TsElementaryStream> streams) {
        if (output != null || presentation.isDone()) {
            endOutput("the pushed program changed");
            presentation = new CompletableFuture<>();
            transport.presentAs(presentation);
        }
        releasePending();
        firstConfiguredPts = PesHeader.NO_TIMESTAMP;
        List<Track> supported = new ArrayList<>();
        for (TsElementaryStream s : streams) {
            TsCodecConfig codec = TsCodecConfig.of(s);
            if (codec == null) {
                log.info("stream {}: PID {} carries {}, not H.264, H.265 or AAC: left out for RTSP readers",
                        transport.name(), s.pid(), TsStreamType.name(s.streamType()));
            } else {
                supported.add(new Track(codec));
            }
        }
        tracks = supported.toArray(new Track[0]);
        if (tracks.length == 0) {
            log.info("stream {}: nothing in the TS to demux, RTSP readers get it as MP2T", transport.name());
            presentation.complete(transport);
        }
    }

    @Override
    public void pes(TsElementaryStream stream, long pts, long dts, boolean randomAccess, ByteBuf data) {
        Track track = trackOf(stream.pid());
        if (track == null || pts == PesHeader.NO_TIMESTAMP) {
            return;
        }
        boolean keyframe;
        try {
            keyframe = track.codec.onPes(data);
        } catch (PayloadFormatException e) {
            counters.demuxDropped.increment();
            return;
        }
        if (output != null) {
            if (track.index >= 0) {
                send(track, pts, keyframe, data);
            }
            return;
        }
        if (!track.codec.complete() || presentation.isDone()) {
            return;
        }
        if (firstConfiguredPts == PesHeader.NO_TIMESTAMP) {
            firstConfiguredPts = pts;
        }
        hold(track, pts, keyframe, data);
        if (allConfigured() || ((pts - firstConfiguredPts) & PesHeader.TIMESTAMP_MASK) >= trackWait90k) {
            describe();
        }
    }

    private boolean allConfigured() {
        for (Track t : tracks) {
            if (!t.codec.complete()) {
                return false;
            }
        }
        return true;
    }

    private void hold(Track track, long pts, boolean keyframe, ByteBuf data) {
        while (!pending.isEmpty() && (pending.size() >= MAX_PENDING_PES
                || pendingBytes + data.readableBytes() > maxPesBytes)) {
            Pending dropped = pending.removeFirst();
            pendingBytes -= dropped.data.readableBytes();
            dropped.data.release();
        }
        pending.addLast(new Pending(track, pts, keyframe, data.copy()));
        pendingBytes += data.readableBytes();
    }

    /** Publishes the configured tracks as a stream of their own and sends the PES packets held for it. */
    private void describe() {
        List<MediaDescription> media = new ArrayList<>();
        for (Track t : tracks) {
            if (!t.codec.complete()) {
                log.info("stream {}: PID {} ({}) showed no {} within 1 s: left out for RTSP readers",
                        transport.name(), t.codec.stream().pid(), TsStreamType.name(t.codec.stream().streamType()),
                        t.codec.isVideo() ? "parameter sets" : "ADTS header");
                continue;
            }
            try {
                FilmTrack format = TrackFormats.track(media.size(), streamInfo(t.codec), FilmLibrary.MAX_PAYLOAD_SIZE,
                        alloc);
                t.describe(media.size(), format);
                media.add(format.media());
            } catch (RuntimeException e) {
                log.warn("stream {}: PID {} cannot be described: {}", transport.name(), t.codec.stream().pid(),
                        e.getMessage());
            }
        }
        if (media.isEmpty()) {
            presentation.complete(transport);
            releasePending();
            return;
        }
        output = LiveStream.create(transport.name(), "native-demux-" + transport.publisherSessionId(),
                transport.publisherAddress(), NativeSdp.tracks(transport.name(), media), config,
                transport.mediaLoop(), alloc, nanoClock);
        output.goLive();
        baseEpochNs = System.currentTimeMillis() * 1_000_000L;
        basePts = pending.isEmpty() ? 0 : pending.peekFirst().pts;
        log.info("stream {}: demuxed for RTSP readers into {}", transport.name(), describeTracks());
        presentation.complete(output);
        while (!pending.isEmpty()) {
            Pending p = pending.removeFirst();
            try {
                if (p.track.index >= 0) {
                    send(p.track, p.pts, p.keyframe, p.data);
                }
            } finally {
                p.data.release();
            }
        }
        pendingBytes = 0;
    }

    private String describeTracks() {
        StringBuilder sb = new StringBuilder();
        for (Track t : tracks) {
            if (t.index >= 0) {
                sb.append(sb.isEmpty() ? "" : ", ").append(TsStreamType.name(t.codec.stream().streamType()))
                        .append(" (PID ").append(t.codec.stream().pid()).append(')');
            }
        }
        return sb.toString();
    }

    /** The stream as the film library's track formats take it: FFmpeg's codec name and the extradata. */
    private static StreamInfo streamInfo(TsCodecConfig codec) {
        int type = codec.stream().streamType();
        if (codec.isVideo()) {
            return new StreamInfo(codec.stream().pid(), "video", type == TsStreamType.H264 ? "h264" : "hevc", 1,
                    90_000, codec.extradata(), 0, 0, 0, 0);
        }
        return new StreamInfo(codec.stream().pid(), "audio", "aac", 1, codec.audioConfig().samplingRate(),
                codec.extradata(), codec.audioConfig().samplingRate(), codec.audioConfig().channelCount(), 0, 0);
    }

    private void send(Track track, long pts, boolean keyframe, ByteBuf data) {
        long pts90k = track.extend(pts);
        long nowNs = nanoClock.getAsLong();
        try {
            if (track.codec.isVideo()) {
                track.rtpTimestamp = pts90k;
                report(track, pts90k, nowNs);
                track.packetizer.packetize(data, keyframe, track);
                return;
            }
            long first = Math.floorDiv(pts90k * track.clockRate, 90_000L);
            ByteBuf frames = data.duplicate();
            for (int i = 0; frames.isReadable(); i++) {
                AdtsHeader header = AdtsHeader.parse(frames);
                if (header.frameLength() > frames.readableBytes()) {
                    throw new PayloadFormatException("ADTS frame of " + header.frameLength() + " bytes, "
                            + frames.readableBytes() + " left in its PES");
                }
                track.rtpTimestamp = first + (long) i * track.samplesPerFrame;
                if (i == 0) {
                    report(track, pts90k, nowNs);
                }
                track.packetizer.packetize(frames.slice(frames.readerIndex(), header.frameLength()), false, track);
                frames.skipBytes(header.frameLength());
            }
        } catch (PayloadFormatException e) {
            counters.demuxDropped.increment();
        }
    }

    /** A Sender Report for the track once a second: its RTP time {@code pts90k} on the description's wall clock. */
    private void report(Track track, long pts90k, long nowNs) {
        if (track.reported && nowNs - track.lastReportNs < REPORT_INTERVAL_NS) {
            return;
        }
        track.reported = true;
        track.lastReportNs = nowNs;
        long epochNs = baseEpochNs + Math.floorDiv((pts90k - basePts) * 100_000L, 9L);
        ByteBuf sr = alloc.buffer(64);
        try {
            RtcpWriter.writeSenderReport(sr, track.ssrc, NtpTime.fromEpochNanos(epochNs),
                    track.rtpTimestamp & 0xFFFFFFFFL, track.packets, track.octets);
            output.onRtcp(track.index, sr);
        } finally {
            sr.release();
        }
    }

    private Track trackOf(int pid) {
        for (Track t : tracks) {
            if (t.codec.stream().pid() == pid) {
                return t;
            }
        }
        return null;
    }

    /** Media loop: sends what is still being demuxed and stops; the track stream ends (its readers get BYE). */
    void close(String reason) {
        close(reason, false);
    }

    /**
     * Media loop: as {@link #close}, for a push that stopped cleanly: the track stream ends
     * {@value #END_LINGER_MS} ms later, so that its last picture reaches UDP readers before the BYE, which
     * travels on the RTCP port and could overtake it.
     */
    void finish(String reason) {
        close(reason, true);
    }

    private void close(String reason, boolean linger) {
        if (closed) {
            return;
        }
        // What waits for a gap goes now, and a video PES of unbounded length ends only at the next one:
        // the last picture is still being assembled.
        order.flush();
        demuxer.flush();
        closed = true;
        demuxer.close();
        releasePending();
        if (linger && output != null && !output.readers().isEmpty()) {
            LiveStream ending = output;
            output = null;
            transport.mediaLoop().schedule(() -> ending.end(reason), END_LINGER_MS, TimeUnit.MILLISECONDS);
        } else {
            endOutput(reason);
        }
        if (!presentation.isDone()) {
            presentation.completeExceptionally(new IllegalStateException("the push ended: " + reason));
        }
    }

    private void endOutput(String reason) {
        if (output != null) {
            output.end(reason);
            output = null;
        }
    }

    private void releasePending() {
        for (Pending p : pending) {
            p.data.release();
        }
        pending.clear();
        pendingBytes = 0;
    }

    /** A PES held until the description. */
    private record Pending(Track track, long pts, boolean keyframe, ByteBuf data) {
    }

    /** One elementary stream: its configuration, then its RTP track. Its packets go to the track stream. */
    private final class Track implements PayloadSink {
        final TsCodecConfig codec;
        final int ssrc = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        int index = -1;
        SamplePacketizer packetizer;
        int payloadType;
        int clockRate;
        int samplesPerFrame;
        int sequence = ThreadLocalRandom.current().nextInt(0x10000);
        long rtpTimestamp;
        long packets;
        long octets;
        boolean reported;
        long lastReportNs;
        private long lastPts = PesHeader.NO_TIMESTAMP;
        private long extendedPts;

        Track(TsCodecConfig codec) {
            this.codec = codec;
        }

        void describe(int trackIndex, FilmTrack format) {
            index = trackIndex;
            packetizer = format.newPacketizer();
            payloadType = format.payloadType();
            clockRate = format.clockRate();
            samplesPerFrame = codec.isVideo() ? 0 : codec.audioConfig().samplesPerFrame();
        }

        private boolean isAccessUnitDelimiter(ByteBuf payload) {
            if (!codec.isVideo() || !payload.isReadable()) {
                return false;
            }
            int header = payload.getByte(payload.readerIndex());
            return codec.stream().streamType() == TsStreamType.H264
                    ? H264NalUnit.type(header) == H264NalUnit.AUD
                    : H265NalUnit.type(header) == H265NalUnit.AUD;
        }

        /** The PTS without its 33-bit wrap: steps of less than half the range either way. */
        long extend(long pts) {
            if (lastPts == PesHeader.NO_TIMESTAMP) {
                extendedPts = pts;
            } else {
                long step = (pts - lastPts) & PesHeader.TIMESTAMP_MASK;
                extendedPts += step >= PTS_WRAP / 2 ? step - PTS_WRAP : step;
            }
            lastPts = pts;
            return extendedPts;
        }

        @Override
        public void payload(ByteBuf payload, boolean marker) {
            try {
                if (isAccessUnitDelimiter(payload)) {
                    // It says nothing the marker bit does not, and a keyframe's packets must start with its
                    // parameter sets: the GOP cache starts there, and would cut the delimiter off a late joiner.
                    return;
                }
                ByteBuf packet = alloc.buffer(RtpPacket.FIXED_HEADER_LENGTH + payload.readableBytes());
                RtpPacket.writeHeader(packet, marker, payloadType, sequence++, rtpTimestamp & 0xFFFFFFFFL, ssrc);
                packet.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
                packets++;
                octets += payload.readableBytes();
                try {
                    output.onRtp(index, packet);
                } finally {
                    packet.release();
                }
            } finally {
                payload.release();
            }
        }
    }
}

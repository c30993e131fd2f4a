package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.aac.AudioSpecificConfig;
import io.sluice.format.aac.Rfc3640Depacketizer;
import io.sluice.format.h264.H264Depacketizer;
import io.sluice.format.h264.SpropParameterSets;
import io.sluice.format.h265.H265Depacketizer;
import io.sluice.format.h265.H265SpropParameterSets;
import io.sluice.format.mpegts.PesHeader;
import io.sluice.format.mpegts.TsMuxer;
import io.sluice.format.mpegts.TsPacket;
import io.sluice.format.mpegts.TsStreamType;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.RtpMap;
import io.sluice.node.NodeConfig;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.live.LiveTrack;
import io.sluice.node.live.ReaderTransport;
import io.sluice.rtp.NtpTime;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes an RTSP stream of H.264 or H.265 video (and AAC audio, when announced) pullable natively: it
 * reads the stream like any reader, rebuilds access units and frames with the payload formats'
 * depacketizers, muxes them into MPEG-TS in Java and publishes the TS, 7 x 188 bytes per packet, as the
 * one MP2T track of a stream of its own that native pullers read.
 *
 * <pre>
 * RTSP stream ── LiveReader ──&gt; depacketize ──&gt; TsMuxer ──&gt; PT 33 packets ──&gt; output stream ──&gt; pullers
 *  (H.264 RTP, AAC RTP)          (access units)   (PAT/PMT/PES)  (own SSRC, seq)    (history, fan-out)
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

    static final int PACKETS_PER_DATAGRAM = 7;
    private static final long PTS_BASE_90K = 90_000;
    private static final int STREAM_DATA_BYTES = PACKETS_PER_DATAGRAM * TsPacket.SIZE;

    private final LiveStream source;
    private final LiveStream output;
    private final int ssrc;
    private final ByteBufAllocator alloc;
    private final int videoTrack;
    private final int audioTrack;
    private final H264Depacketizer h264;
    private final H265Depacketizer h265;
    private final Rfc3640Depacketizer aac;
    private final TsMuxer muxer;
    private final TrackClock[] clocks;
    private final ByteBuf ts;
    private final RtpPacket rtp = new RtpPacket();
    private final LiveReader reader;
    private long startEpochNs = Long.MIN_VALUE;
    private int sequence;
    private long malformed;
    private boolean ended;

    private TsBridge(LiveStream source, LiveStream output, int ssrc, ByteBufAllocator alloc, int videoTrack,
                     int videoStreamType, List<byte[]> parameterSets, int audioTrack, AudioSpecificConfig audio) {
        this.source = source;
        this.output = output;
        this.ssrc = ssrc;
        this.alloc = alloc;
        this.videoTrack = videoTrack;
        this.audioTrack = audioTrack;
        this.h264 = videoStreamType == TsStreamType.H264 ? new H264Depacketizer() : null;
        this.h265 = videoStreamType == TsStreamType.H265 ? new H265Depacketizer() : null;
        this.aac = audio != null ? new Rfc3640Depacketizer(audio.samplesPerFrame(), alloc) : null;
        this.muxer = new TsMuxer(videoStreamType, audio, alloc);
        muxer.parameterSets(parameterSets);
        this.clocks = new TrackClock[source.trackCount()];
        for (LiveTrack t : source.tracks()) {
            clocks[t.index()] = new TrackClock(t);
        }
        this.ts = alloc.buffer(64 * 1024);
        boolean[] subscribed = new boolean[source.trackCount()];
        subscribed[videoTrack] = true;
        if (audioTrack >= 0) {
            subscribed[audioTrack] = true;
        }
        this.reader = new LiveReader("native-bridge-" + source.name(), new Input(), subscribed, this::onSourceClosed);
    }

    /**
     * A bridge for {@code source} when it has an H.264 or H.265 track (and maybe an AAC one), else null.
     * Media loop; the bridge starts reading at once.
     */
    static TsBridge open(LiveStream source, int ssrc, NodeConfig config, ByteBufAllocator alloc,
                         LongSupplier nanoClock) {
        int video = -1;
        int videoType = 0;
        List<byte[]> parameterSets = new ArrayList<>();
        int audio = -1;
        AudioSpecificConfig audioConfig = null;
        for (LiveTrack t : source.tracks()) {
            MediaDescription m = t.media();
            RtpMap map = m.rtpMap();
            if (map == null) {
                continue;
            }
            Map<String, String> fmtp = m.fmtp(map.payloadType());
            try {
                if (video < 0 && map.isEncoding("H264")) {
                    video = t.index();
                    videoType = TsStreamType.H264;
                    String sprop = fmtp.get("sprop-parameter-sets");
                    if (sprop != null) {
                        parameterSets.addAll(SpropParameterSets.parse(sprop));
                    }
                } else if (video < 0 && map.isEncoding("H265")) {
                    video = t.index();
                    videoType = TsStreamType.H265;
                    H265SpropParameterSets sets = H265SpropParameterSets.fromFmtp(fmtp);
                    parameterSets.addAll(sets.vps());
                    parameterSets.addAll(sets.sps());
                    parameterSets.addAll(sets.pps());
                } else if (audio < 0 && map.isEncoding("MPEG4-GENERIC") && fmtp.get("config") != null
                        && "13".equals(fmtp.get("sizelength"))) {
                    audioConfig = AudioSpecificConfig.parseHex(fmtp.get("config"));
                    audio = t.index();
                }
            } catch (RuntimeException e) {
                log.warn("stream {}: track {} cannot be bridged to MPEG-TS: {}", source.name(), t.index(), e.getMessage());
            }
        }
        if (video < 0) {
            return null;
        }
        LiveStream output = LiveStream.create(source.name(), "native-bridge-" + Integer.toUnsignedString(ssrc),
                source.publisherAddress(), NativeSdp.mp2t(source.name()), config, source.mediaLoop(), alloc,
                nanoClock);
        output.goLive();
        TsBridge bridge = new TsBridge(source, output, ssrc, alloc, video, videoType, parameterSets, audio,
                audioConfig);
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
        return ssrc;
    }

    /** RTP payloads the depacketizers refused. */
    long malformed() {
        return malformed;
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
        if (h264 != null) {
            h264.reset();
        }
        if (h265 != null) {
            h265.reset();
        }
        if (aac != null) {
            aac.reset();
        }
        muxer.close();
        ts.release();
        output.end(reason);
    }

    private void onPacket(int trackIndex, ByteBuf packet) {
        if (ended || !RtpPacket.isValid(packet)) {
            return;
        }
        rtp.wrap(packet);
        int readerIndex = packet.readerIndex();
        int writerIndex = packet.writerIndex();
        int seq = rtp.sequenceNumber();
        long timestamp = rtp.timestamp();
        boolean marker = rtp.marker();
        // The depacketizers read readerIndex..writerIndex: point them at the payload instead of slicing.
        packet.writerIndex(writerIndex - rtp.paddingLength());
        packet.readerIndex(rtp.payloadOffset());
        try {
            if (trackIndex == videoTrack) {
                if (h264 != null) {
                    h264.depacketize(packet, seq, timestamp, marker, this::onAccessUnit);
                } else {
                    h265.depacketize(packet, seq, timestamp, marker, this::onAccessUnit);
                }
            } else if (trackIndex == audioTrack) {
                aac.depacketize(packet, seq, timestamp, marker, this::onAudioFrame);
            }
        } catch (IllegalArgumentException e) {
            // PayloadFormatException, or an AAC frame ADTS cannot describe: a bad packet must not break the fan-out.
            malformed++;
        } finally {
            packet.readerIndex(readerIndex);
            packet.writerIndex(writerIndex);
        }
    }

    private void onAccessUnit(long rtpTimestamp, List<ByteBuf> nalUnits) {
        try {
            if (!ended) {
                long pts = pts90k(videoTrack, rtpTimestamp);
                muxer.writeVideo(pts, pts, nalUnits, ts);
                emit(true);
            }
        } finally {
            for (ByteBuf nal : nalUnits) {
                nal.release();
            }
        }
    }

    private void onAudioFrame(long rtpTimestamp, ByteBuf frame) {
        try {
            if (!ended) {
                muxer.writeAudio(pts90k(audioTrack, rtpTimestamp), frame, ts);
                emit(false);
            }
        } finally {
            frame.release();
        }
    }

    private long pts90k(int track, long rtpTimestamp) {
        long epochNs = clocks[track].epochNs(rtpTimestamp);
        if (startEpochNs == Long.MIN_VALUE) {
            startEpochNs = epochNs;
        }
        return (PTS_BASE_90K + Math.floorDiv((epochNs - startEpochNs) * 9, 100_000)) & PesHeader.TIMESTAMP_MASK;
    }

    /**
     * Sends the muxed TS as stream-data packets of 7 TS packets; with {@code all}, the remainder too, so
     * that an access unit never waits for the next one to fill its last datagram.
     */
    private void emit(boolean all) {
        while (ts.readableBytes() >= STREAM_DATA_BYTES || all && ts.isReadable()) {
            int length = Math.min(STREAM_DATA_BYTES, ts.readableBytes());
            ByteBuf datagram = alloc.buffer(NativeHeader.LENGTH + length);
            NativeHeader.write(datagram, false, NativeMessageType.STREAM_DATA, sequence++,
                    System.currentTimeMillis(), ssrc);
            datagram.writeBytes(ts, length);
            try {
                output.onRtp(0, datagram);
            } finally {
                datagram.release();
            }
        }
        ts.discardReadBytes();
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
    private final class Input implements ReaderTransport {
        @Override
        public boolean sendRtp(int trackIndex, ByteBuf packet) {
            onPacket(trackIndex, packet);
            return true;
        }

        @Override
        public void sendRtcp(int trackIndex, ByteBuf packet) {
            packet.release();
        }

        @Override
        public boolean stalled(long nowNs) {
            return false;
        }

        @Override
        public String kind() {
            return "mpegts-bridge";
        }
    }
}

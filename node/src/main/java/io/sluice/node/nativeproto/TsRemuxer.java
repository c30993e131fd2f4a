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
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RTP of one H.264 or H.265 track (and one AAC track, when there is one) to the native protocol's stream
 * data: access units and frames are rebuilt with the payload formats' depacketizers, muxed into MPEG-TS
 * in Java, and cut into datagrams of 7 x 188 bytes with their own SSRC and sequence numbers.
 *
 * <pre>
 * RTP (track i) ──&gt; depacketize ──&gt; TsMuxer ──&gt; [header: PT 33, seq, SSRC | 7 TS packets] ──&gt; output
 *                   (access units)  (PAT/PMT/PES, PCR)
 * </pre>
 *
 * Where timestamps come from is the caller's: a {@link Timeline} places RTP time on the 90 kHz clock of
 * the PES headers, and a video packet may come with its decoding time (films know it; RTP does not carry
 * it). Other tracks are ignored. Confined to one thread (the media loop).
 */
final class TsRemuxer {

    private static final Logger log = LoggerFactory.getLogger(TsRemuxer.class);

    static final int PACKETS_PER_DATAGRAM = 7;
    /** For {@link #onPacket}: the decoding time is not known, DTS = PTS. */
    static final long NO_DTS = -1;
    private static final int STREAM_DATA_BYTES = PACKETS_PER_DATAGRAM * TsPacket.SIZE;
    /** A stream's first PTS: 1 s, so that the DTS of a frame decoded before the first one shows stays positive. */
    private static final long PTS_BASE_90K = 90_000;

    /** Places a track's RTP time on the 90 kHz clock of the transport stream. */
    @FunctionalInterface
    interface Timeline {
        long pts90k(int trackIndex, long rtpTimestamp);
    }

    /** Takes each stream-data datagram; the remuxer releases it after the call, so keep a retained one. */
    @FunctionalInterface
    interface Output {
        void datagram(ByteBuf datagram);
    }

    private final int ssrc;
    private final ByteBufAllocator alloc;
    private final Timeline timeline;
    private final Output output;
    private final int videoTrack;
    /** The AAC track, or -1. */
    private final int audioTrack;
    private final H264Depacketizer h264;
    private final H265Depacketizer h265;
    private final Rfc3640Depacketizer aac;
    private final TsMuxer muxer;
    private final ByteBuf ts;
    private final RtpPacket rtp = new RtpPacket();
    private long dts90k = NO_DTS;
    private int sequence;
    private long malformed;
    private boolean closed;

    private TsRemuxer(int ssrc, ByteBufAllocator alloc, Timeline timeline, Output output, int videoTrack,
                      int videoStreamType, List<byte[]> parameterSets, int audioTrack, AudioSpecificConfig audio) {
        this.ssrc = ssrc;
        this.alloc = alloc;
        this.timeline = timeline;
        this.output = output;
        this.videoTrack = videoTrack;
        this.audioTrack = audioTrack;
        this.h264 = videoStreamType == TsStreamType.H264 ? new H264Depacketizer() : null;
        this.h265 = videoStreamType == TsStreamType.H265 ? new H265Depacketizer() : null;
        this.aac = audio != null ? new Rfc3640Depacketizer(audio.samplesPerFrame(), alloc) : null;
        this.muxer = new TsMuxer(videoStreamType, audio, alloc);
        muxer.parameterSets(parameterSets);
        this.ts = alloc.buffer(64 * 1024);
    }

    /**
     * A remuxer of the first H.264 or H.265 track of {@code tracks} (their SDP media sections, in track
     * order) and of the first AAC track (RFC 3640 AAC-hbr), or null when there is no such video track.
     * {@code name} is for the log.
     */
    static TsRemuxer create(String name, List<MediaDescription> tracks, int ssrc, ByteBufAllocator alloc,
                            Timeline timeline, Output output) {
        int video = -1;
        int videoType = 0;
        List<byte[]> parameterSets = new ArrayList<>();
        int audio = -1;
        AudioSpecificConfig audioConfig = null;
        for (int i = 0; i < tracks.size(); i++) {
            MediaDescription m = tracks.get(i);
            RtpMap map = m.rtpMap();
            if (map == null) {
                continue;
            }
            Map<String, String> fmtp = m.fmtp(map.payloadType());
            try {
                // Video is muxed even when its sprop-* cannot be read: parameter sets also come in-band.
                if (video < 0 && map.isEncoding("H264")) {
                    video = i;
                    videoType = TsStreamType.H264;
                    String sprop = fmtp.get("sprop-parameter-sets");
                    if (sprop != null) {
                        parameterSets.addAll(SpropParameterSets.parse(sprop));
                    }
                } else if (video < 0 && map.isEncoding("H265")) {
                    video = i;
                    videoType = TsStreamType.H265;
                    H265SpropParameterSets sets = H265SpropParameterSets.fromFmtp(fmtp);
                    parameterSets.addAll(sets.vps());
                    parameterSets.addAll(sets.sps());
                    parameterSets.addAll(sets.pps());
                } else if (audio < 0 && map.isEncoding("MPEG4-GENERIC") && fmtp.get("config") != null
                        && "13".equals(fmtp.get("sizelength"))) {
                    audioConfig = AudioSpecificConfig.parseHex(fmtp.get("config"));
                    audio = i;
                }
            } catch (RuntimeException e) {
                log.warn("{}: track {} cannot be muxed to MPEG-TS: {}", name, i, e.getMessage());
            }
        }
        if (video < 0) {
            return null;
        }
        return new TsRemuxer(ssrc, alloc, timeline, output, video, videoType, parameterSets, audio, audioConfig);
    }

    /**
     * The PES timestamp {@code since90k} (90 kHz ticks) after the stream's start: {@link #PTS_BASE_90K} on, wrapped
     * to the 33 bits of the PES header.
     */
    static long pesTimestamp90k(long since90k) {
        return (PTS_BASE_90K + since90k) & PesHeader.TIMESTAMP_MASK;
    }

    /** Which of {@code trackCount} tracks to read for this remuxer: its video track and its AAC track. */
    boolean[] subscribedTracks(int trackCount) {
        boolean[] subscribed = new boolean[trackCount];
        subscribed[videoTrack] = true;
        if (audioTrack >= 0) {
            subscribed[audioTrack] = true;
        }
        return subscribed;
    }

    int ssrc() {
        return ssrc;
    }

    /** RTP payloads the depacketizers refused. */
    long malformed() {
        return malformed;
    }

    /**
     * One RTP packet of a track (the caller keeps it). {@code dts90k} is the decoding time of a video
     * packet's access unit on the transport stream's clock, or {@link #NO_DTS}.
     */
    void onPacket(int trackIndex, ByteBuf packet, long dts90k) {
        if (closed || !RtpPacket.isValid(packet)) {
            return;
        }
        rtp.wrap(packet);
        int readerIndex = packet.readerIndex();
        int writerIndex = packet.writerIndex();
        int seq = rtp.sequenceNumber();
        long timestamp = rtp.timestamp();
        boolean marker = rtp.marker();
        this.dts90k = dts90k;
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
            // PayloadFormatException, or an AAC frame ADTS cannot describe: a bad packet must not break the stream.
            malformed++;
        } finally {
            packet.readerIndex(readerIndex);
            packet.writerIndex(writerIndex);
        }
    }

    private void onAccessUnit(long rtpTimestamp, List<ByteBuf> nalUnits) {
        try {
            if (!closed) {
                long pts = timeline.pts90k(videoTrack, rtpTimestamp);
                muxer.writeVideo(pts, dts90k == NO_DTS ? pts : dts90k, nalUnits, ts);
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
            if (!closed) {
                muxer.writeAudio(timeline.pts90k(audioTrack, rtpTimestamp), frame, ts);
                emit(false);
            }
        } finally {
            frame.release();
        }
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
                output.datagram(datagram);
            } finally {
                datagram.release();
            }
        }
        ts.discardReadBytes();
    }

    /** Frees the depacketizers' partial units and the buffers. Idempotent. */
    void close() {
        if (closed) {
            return;
        }
        closed = true;
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
    }
}

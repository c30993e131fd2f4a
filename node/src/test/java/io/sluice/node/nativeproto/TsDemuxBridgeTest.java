package io.sluice.node.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.sluice.format.aac.AudioSpecificConfig;
import io.sluice.format.aac.Rfc3640Depacketizer;
import io.sluice.format.h264.AnnexB;
import io.sluice.format.h264.H264Depacketizer;
import io.sluice.format.h264.SpropParameterSets;
import io.sluice.format.h265.H265Depacketizer;
import io.sluice.format.h265.H265SpropParameterSets;
import io.sluice.format.mpegts.ProgramTables;
import io.sluice.format.mpegts.TsDemuxer;
import io.sluice.format.mpegts.TsElementaryStream;
import io.sluice.format.mpegts.TsMuxer;
import io.sluice.format.mpegts.TsPacket;
import io.sluice.format.mpegts.TsStreamType;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.NodeConfig;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * TS in, RTP out, depacketized again: every access unit and audio frame a pushed transport stream holds
 * reaches the track stream whole, with the PES PTS as RTP time, and the SDP carries what decoders need.
 */
class TsDemuxBridgeTest {

    private static final HexFormat HEX = HexFormat.of();
    private static final byte[] SPS = HEX.parseHex("6742c01e95a0");
    private static final byte[] PPS = HEX.parseHex("68ce3c80");
    private static final byte[] VPS = HEX.parseHex("40010c01ffff");
    private static final byte[] H265_SPS = HEX.parseHex("42010101600c");
    private static final byte[] H265_PPS = HEX.parseHex("4401c172b4");
    private static final AudioSpecificConfig AAC = AudioSpecificConfig.of(2, 48_000, 2);
    /** An MPEG-2 video stream type: no track for it. */
    private static final int MPEG2_VIDEO = 0x02;

    private final DefaultEventLoop loop = new DefaultEventLoop();
    private final NativeCounters counters = new NativeCounters();
    private final List<ByteBuf> made = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        made.forEach(ByteBuf::release);
        loop.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** One program to push: how to mux it, and what the reader must see. */
    record Case(String name, int videoType, boolean audio, List<byte[]> parameterSets, boolean extraStream,
                boolean garbage, boolean reordered) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        return Stream.of(
                new Case("H.264 and AAC", TsStreamType.H264, true, List.of(SPS, PPS), false, false, false),
                new Case("H.265", TsStreamType.H265, false, List.of(VPS, H265_SPS, H265_PPS), false, false, false),
                new Case("H.264 beside an MPEG-2 stream, which is left out", TsStreamType.H264, false,
                        List.of(SPS, PPS), true, false, false),
                new Case("H.264 and AAC with garbage and a lost TS packet", TsStreamType.H264, true,
                        List.of(SPS, PPS), false, true, false),
                new Case("H.264 and AAC, datagrams 2 and 5 late (a pusher's resends)", TsStreamType.H264, true,
                        List.of(SPS, PPS), false, false, true));
    }

    /** What went into the TS: the PES packets as the format's demuxer reads them back. */
    record Pes(int pid, long pts, String hex) {
        @Override
        public String toString() {
            return "PES " + pid + " @" + pts + ": " + hex.length() / 2 + " bytes "
                    + hex.substring(0, Math.min(40, hex.length())) + "... #" + Integer.toHexString(hex.hashCode());
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void everyAccessUnitAndFrameRoundTrips(Case c) throws Exception {
        ByteBuf ts = mux(c);
        List<Pes> source = demux(ts);
        LiveStream transport = transportStream();
        TsDemuxBridge bridge = onLoop(() -> TsDemuxBridge.open(transport, config(), ByteBufAllocator.DEFAULT,
                System::nanoTime, counters));
        Recorder recorder = new Recorder();
        try {
            List<ByteBuf> datagrams = new ArrayList<>();
            int seq = 0;
            for (int off = 0; off < ts.writerIndex(); off += 7 * TsPacket.SIZE) {
                ByteBuf datagram = Unpooled.buffer();
                NativeHeader.write(datagram, false, NativeMessageType.STREAM_DATA, seq++, 0, 1);
                datagram.writeBytes(ts, off, Math.min(7 * TsPacket.SIZE, ts.writerIndex() - off));
                made.add(datagram);
                datagrams.add(datagram);
            }
            if (c.reordered) {
                datagrams.add(4, datagrams.remove(2));
                datagrams.add(7, datagrams.remove(5));
            }
            for (ByteBuf datagram : datagrams) {
                onLoop(() -> {
                    bridge.onData(datagram, System.nanoTime());
                    if (bridge.output() != null && recorder.reader == null) {
                        recorder.attach(bridge.output());
                    }
                    return null;
                });
            }
            LiveStream output = transport.presentation().get(1, TimeUnit.SECONDS);
            assertThat(output).isSameAs(bridge.output());
            assertThat(transport.readers()).as("the push's readers include those of its tracks")
                    .containsExactly(recorder.reader);
            SessionDescription sdp = SessionDescription.parse(output.readerSdp("127.0.0.1"));
            checkDescription(c, sdp.media());
            // With the first picture lost (the source lacks it too), the reader starts at the next keyframe, the
            // third picture, and the audio that came with it.
            List<Pes> video = source.stream().filter(p -> p.pid == TsMuxer.VIDEO_PID)
                    .map(p -> new Pes(p.pid, p.pts, withoutAud(p.hex, c.videoType))).toList();
            assertThat(onLoop(() -> recorder.videoUnits(c.videoType))).as("video access units")
                    .containsExactlyElementsOf(c.garbage ? video.subList(video.size() - 1, video.size()) : video);
            if (c.audio) {
                List<Pes> audio = audioFrames(source);
                assertThat(onLoop(recorder::audioFrames)).as("audio frames")
                        .containsExactlyElementsOf(c.garbage ? audio.subList(audio.size() - 2, audio.size()) : audio);
            }
            assertThat(counters.demuxDropped.sum()).isEqualTo(c.garbage ? 2 : 0);
        } finally {
            onLoop(() -> {
                bridge.close("test over");
                transport.end("test over");
                return null;
            });
        }
        assertThat(recorder.closed).as("the track stream ends with the push").isTrue();
    }

    @Test
    void aProgramWithoutAnySupportedStreamIsPresentedAsTheTransportStream() throws Exception {
        ByteBuf ts = Unpooled.buffer();
        made.add(ts);
        ProgramTables.writePat(ts, 1, 1, TsMuxer.PMT_PID, 0);
        ProgramTables.writePmt(ts, TsMuxer.PMT_PID, 1, 0x100, List.of(new TsElementaryStream(0x100, MPEG2_VIDEO)), 0);
        LiveStream transport = transportStream();
        TsDemuxBridge bridge = onLoop(() -> TsDemuxBridge.open(transport, config(), ByteBufAllocator.DEFAULT,
                System::nanoTime, counters));
        CompletableFuture<LiveStream> presented = transport.presentation();
        assertThat(presented).isNotDone();
        ByteBuf datagram = Unpooled.buffer();
        made.add(datagram);
        NativeHeader.write(datagram, false, NativeMessageType.STREAM_DATA, 0, 0, 1);
        datagram.writeBytes(ts);
        onLoop(() -> {
            bridge.onData(datagram, System.nanoTime());
            return null;
        });
        assertThat(presented.get(1, TimeUnit.SECONDS)).isSameAs(transport);
        onLoop(() -> {
            bridge.close("test over");
            transport.end("test over");
            return null;
        });
    }

    @Test
    void aNewProgramEndsTheTrackStreamAndPresentsTheNewOne() throws Exception {
        LiveStream transport = transportStream();
        TsDemuxBridge bridge = onLoop(() -> TsDemuxBridge.open(transport, config(), ByteBufAllocator.DEFAULT,
                System::nanoTime, counters));
        Case h264 = new Case("H.264", TsStreamType.H264, false, List.of(SPS, PPS), false, false, false);
        Case h265 = new Case("H.265", TsStreamType.H265, false, List.of(VPS, H265_SPS, H265_PPS), false, false, false);
        int[] seq = {0};
        feed(bridge, mux(h264), seq);
        LiveStream first = transport.presentation().get(1, TimeUnit.SECONDS);
        assertThat(first.tracks()).extracting(t -> t.encodingName()).containsExactly("H264");
        feed(bridge, mux(h265), seq);
        LiveStream second = transport.presentation().get(1, TimeUnit.SECONDS);
        assertThat(second).isNotSameAs(first);
        assertThat(second.tracks()).extracting(t -> t.encodingName()).containsExactly("H265");
        assertThat(first.state()).as("the first program's stream ended").isEqualTo(LiveStream.State.ENDED);
        onLoop(() -> {
            bridge.close("test over");
            transport.end("test over");
            return null;
        });
        assertThat(second.state()).isEqualTo(LiveStream.State.ENDED);
    }

    @Test
    void aCleanStopEndsTheTrackStreamForItsReadersALittleLater() throws Exception {
        LiveStream transport = transportStream();
        TsDemuxBridge bridge = onLoop(() -> TsDemuxBridge.open(transport, config(), ByteBufAllocator.DEFAULT,
                System::nanoTime, counters));
        feed(bridge, mux(new Case("H.264", TsStreamType.H264, false, List.of(SPS, PPS), false, false, false)),
                new int[] {0});
        LiveStream output = transport.presentation().get(1, TimeUnit.SECONDS);
        Recorder recorder = new Recorder();
        onLoop(() -> {
            recorder.attach(output);
            bridge.finish("the pusher stopped");
            return null;
        });
        assertThat(output.state()).as("the last picture's packets leave before the BYE").isEqualTo(LiveStream.State.LIVE);
        LiveStream.State later = loop.schedule(output::state, TsDemuxBridge.END_LINGER_MS + 50, TimeUnit.MILLISECONDS)
                .get(5, TimeUnit.SECONDS);
        assertThat(later).isEqualTo(LiveStream.State.ENDED);
        assertThat(recorder.closed).isTrue();
        onLoop(() -> {
            transport.end("test over");
            return null;
        });
    }

    private void feed(TsDemuxBridge bridge, ByteBuf ts, int[] seq) throws Exception {
        for (int off = 0; off < ts.writerIndex(); off += 7 * TsPacket.SIZE) {
            ByteBuf datagram = Unpooled.buffer();
            NativeHeader.write(datagram, false, NativeMessageType.STREAM_DATA, seq[0]++, 0, 1);
            datagram.writeBytes(ts, off, Math.min(7 * TsPacket.SIZE, ts.writerIndex() - off));
            made.add(datagram);
            onLoop(() -> {
                bridge.onData(datagram, System.nanoTime());
                return null;
            });
        }
    }

    @Test
    void aPushThatEndsBeforeItsTracksAreKnownFailsItsPresentation() throws Exception {
        LiveStream transport = transportStream();
        TsDemuxBridge bridge = onLoop(() -> TsDemuxBridge.open(transport, config(), ByteBufAllocator.DEFAULT,
                System::nanoTime, counters));
        onLoop(() -> {
            bridge.close("the push ended");
            transport.end("the push ended");
            return null;
        });
        assertThat(transport.presentation()).isCompletedExceptionally();
    }

    private static void checkDescription(Case c, List<MediaDescription> media) {
        assertThat(media).hasSize(c.audio ? 2 : 1);
        MediaDescription v = media.get(0);
        Map<String, String> fmtp = v.fmtp(v.rtpMap().payloadType());
        if (c.videoType == TsStreamType.H264) {
            assertThat(v.rtpMap().encodingName()).isEqualTo("H264");
            assertThat(fmtp).containsEntry("packetization-mode", "1")
                    .containsEntry("sprop-parameter-sets", SpropParameterSets.format(List.of(SPS, PPS)));
        } else {
            assertThat(v.rtpMap().encodingName()).isEqualTo("H265");
            H265SpropParameterSets sets = H265SpropParameterSets.fromFmtp(fmtp);
            assertThat(sets.vps()).containsExactly(VPS);
            assertThat(sets.sps()).containsExactly(H265_SPS);
            assertThat(sets.pps()).containsExactly(H265_PPS);
        }
        assertThat(v.rtpMap().clockRate()).isEqualTo(90_000);
        if (c.audio) {
            MediaDescription a = media.get(1);
            assertThat(a.rtpMap().encodingName()).isEqualToIgnoringCase("MPEG4-GENERIC");
            assertThat(a.rtpMap().clockRate()).isEqualTo(48_000);
            assertThat(a.fmtp(a.rtpMap().payloadType())).containsEntry("config", AAC.hex())
                    .containsEntry("mode", "AAC-hbr").containsEntry("sizelength", "13");
        }
    }

    /** Three pictures (IDR, P, IDR) a frame apart and, with audio, two AAC frames per picture. */
    private ByteBuf mux(Case c) {
        byte[] firstByte = c.videoType == TsStreamType.H264 ? new byte[] {0x65} : new byte[] {0x26, 0x01};
        byte[] sliceByte = c.videoType == TsStreamType.H264 ? new byte[] {0x41} : new byte[] {0x02, 0x01};
        ByteBuf ts = Unpooled.buffer();
        made.add(ts);
        try (TsMuxer muxer = new TsMuxer(c.videoType, c.audio ? AAC : null, ByteBufAllocator.DEFAULT)) {
            muxer.parameterSets(c.parameterSets);
            long pts = 900_000;
            for (int picture = 0; picture < 3; picture++) {
                byte[] header = picture == 1 ? sliceByte : firstByte;
                // 3000 bytes: more than one RTP payload, so fragmentation is part of the round trip.
                ByteBuf nal = Unpooled.wrappedBuffer(concat(header, counting(picture, 3000)));
                muxer.writeVideo(pts, pts, List.of(nal), ts);
                if (c.audio) {
                    for (int f = 0; f < 2; f++) {
                        long audioPts = pts + f * 1920;
                        muxer.writeAudio(audioPts, Unpooled.wrappedBuffer(counting(picture * 2 + f, 200)), ts);
                    }
                }
                pts += 3600;
            }
        }
        if (c.extraStream) {
            ByteBuf withExtra = Unpooled.buffer();
            made.add(withExtra);
            ProgramTables.writePat(withExtra, 1, 1, TsMuxer.PMT_PID, 0);
            ProgramTables.writePmt(withExtra, TsMuxer.PMT_PID, 1, TsMuxer.VIDEO_PID,
                    List.of(new TsElementaryStream(TsMuxer.VIDEO_PID, c.videoType),
                            new TsElementaryStream(0x102, MPEG2_VIDEO)), 0);
            for (int off = 0; off < ts.writerIndex(); off += TsPacket.SIZE) {
                int pid = TsPacket.pid(ts, off);
                if (pid != 0 && pid != TsMuxer.PMT_PID) {
                    withExtra.writeBytes(ts, off, TsPacket.SIZE);
                }
            }
            return withExtra;
        }
        if (c.garbage) {
            // 188 bytes without the sync byte first, then the first picture loses its third packet.
            ByteBuf damaged = Unpooled.buffer();
            made.add(damaged);
            damaged.writeZero(TsPacket.SIZE);
            damaged.writeBytes(ts, 0, 4 * TsPacket.SIZE);
            damaged.writeBytes(ts, 5 * TsPacket.SIZE, ts.writerIndex() - 5 * TsPacket.SIZE);
            return damaged;
        }
        return ts;
    }

    /** The PES packets of the TS, read by the format's demuxer, before any damage. */
    private List<Pes> demux(ByteBuf ts) {
        List<Pes> out = new ArrayList<>();
        TsDemuxer.Listener listener = new TsDemuxer.Listener() {
            @Override
            public void program(List<TsElementaryStream> streams) {
            }

            @Override
            public void pes(TsElementaryStream stream, long pts, long dts, boolean randomAccess, ByteBuf data) {
                out.add(new Pes(stream.pid(), pts, ByteBufUtil.hexDump(data)));
            }
        };
        try (TsDemuxer demuxer = new TsDemuxer(ByteBufAllocator.DEFAULT, 1 << 20, listener)) {
            demuxer.feed(ts);
            demuxer.flush();
        }
        return out;
    }

    /** Access unit delimiters stay out of RTP: the marker bit says where an access unit ends. */
    private static String withoutAud(String annexBHex, int videoType) {
        String aud = videoType == TsStreamType.H264 ? "0000000109f0" : "00000001460150";
        return annexBHex.startsWith(aud) ? annexBHex.substring(aud.length()) : annexBHex;
    }

    /** The raw AAC frames of the audio PES packets, with the RTP time each must get. */
    private static List<Pes> audioFrames(List<Pes> source) {
        List<Pes> frames = new ArrayList<>();
        for (Pes p : source) {
            if (p.pid == TsMuxer.AUDIO_PID) {
                // Without the 7-byte ADTS header the muxer put in front.
                frames.add(new Pes(p.pid, p.pts * 48_000 / 90_000, p.hex.substring(2 * 7)));
            }
        }
        return frames;
    }

    private LiveStream transportStream() {
        LiveStream s = LiveStream.create("pushed", "native-1", "127.0.0.1", NativeSdp.mp2t("pushed"), config(), loop,
                ByteBufAllocator.DEFAULT, System::nanoTime);
        s.goLive();
        return s;
    }

    private static NodeConfig config() {
        NodeConfig.Builder b = NodeConfig.builder();
        b.frameHold = Duration.ZERO;
        return b.build();
    }

    private <T> T onLoop(java.util.concurrent.Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static byte[] counting(int first, int length) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (first + i);
        }
        return b;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    /** A reader of the track stream that keeps copies of the RTP packets it is sent. */
    private static final class Recorder extends NativeReaderTransport {
        final List<byte[]> packets = new ArrayList<>();
        final List<Integer> tracks = new ArrayList<>();
        LiveReader reader;
        boolean closed;

        Recorder() {
            super("recorder");
        }

        void attach(LiveStream stream) {
            boolean[] all = new boolean[stream.trackCount()];
            java.util.Arrays.fill(all, true);
            reader = new LiveReader("recorder", this, all, reason -> closed = true);
            stream.addReader(reader);
        }

        @Override
        public boolean sendRtp(int trackIndex, ByteBuf packet) {
            tracks.add(trackIndex);
            packets.add(ByteBufUtil.getBytes(packet));
            return true;
        }

        /** Track 0's packets depacketized: each access unit as Annex B, with its RTP time. */
        List<Pes> videoUnits(int videoType) {
            List<Pes> units = new ArrayList<>();
            io.sluice.format.AccessUnitSink sink = (rtpTimestamp, nalUnits) -> {
                ByteBuf annexB = Unpooled.buffer();
                AnnexB.write(nalUnits, annexB);
                units.add(new Pes(TsMuxer.VIDEO_PID, rtpTimestamp, ByteBufUtil.hexDump(annexB)));
                annexB.release();
                nalUnits.forEach(ByteBuf::release);
            };
            H264Depacketizer h264 = new H264Depacketizer();
            H265Depacketizer h265 = new H265Depacketizer();
            forEachPacket(0, (packet, rtp) -> {
                if (videoType == TsStreamType.H264) {
                    h264.depacketize(packet, rtp.sequenceNumber(), rtp.timestamp(), rtp.marker(), sink);
                } else {
                    h265.depacketize(packet, rtp.sequenceNumber(), rtp.timestamp(), rtp.marker(), sink);
                }
            });
            return units;
        }

        List<Pes> audioFrames() {
            List<Pes> frames = new ArrayList<>();
            Rfc3640Depacketizer aac = new Rfc3640Depacketizer(1024);
            forEachPacket(1, (packet, rtp) -> aac.depacketize(packet, rtp.sequenceNumber(), rtp.timestamp(),
                    rtp.marker(), (rtpTimestamp, frame) -> {
                        frames.add(new Pes(TsMuxer.AUDIO_PID, rtpTimestamp, ByteBufUtil.hexDump(frame)));
                        frame.release();
                    }));
            return frames;
        }

        private void forEachPacket(int track, java.util.function.BiConsumer<ByteBuf, RtpPacket> action) {
            for (int i = 0; i < packets.size(); i++) {
                if (tracks.get(i) != track) {
                    continue;
                }
                ByteBuf packet = Unpooled.wrappedBuffer(packets.get(i));
                RtpPacket rtp = new RtpPacket().wrap(packet);
                ByteBuf payload = packet.slice(rtp.payloadOffset(), packet.writerIndex() - rtp.payloadOffset());
                action.accept(payload, rtp);
            }
        }
    }
}

package io.sluice.node.vod.media;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.sluice.format.aac.Rfc3640Depacketizer;
import io.sluice.format.h264.H264Depacketizer;
import io.sluice.format.h264.H264NalUnit;
import io.sluice.format.h264.H264Packetizer;
import io.sluice.format.PayloadSink;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Film samples to RTP and back with the format module's depacketizers: what a player reassembles is what
 * the container held, with the parameter sets put in front of keyframes that lack them.
 */
class SamplePacketizerRoundTripTest {

    private static final byte[] SPS_FULL = HexFormat.of().parseHex("6764000dacd94141fb0110000003001000000303c8f1429960");
    private static final byte[] PPS = HexFormat.of().parseHex("68ebe3cb22c0");
    private static final byte[] IDR = nal(0x65, 3000);
    private static final byte[] SLICE = nal(0x41, 700);
    private static final byte[] SEI = nal(0x06, 20);

    record Payload(ByteBuf data, boolean marker) {
    }

    static Stream<Arguments> h264Samples() {
        return Stream.of(
                // name, length size (0 = Annex B), keyframe, NAL units in the sample, NAL units expected out
                Arguments.of("AVCC keyframe without parameter sets gets them", 4, true,
                        List.of(SEI, IDR), List.of(SPS_FULL, PPS, SEI, IDR)),
                Arguments.of("AVCC keyframe that carries them is left alone", 4, true,
                        List.of(SPS_FULL, PPS, IDR), List.of(SPS_FULL, PPS, IDR)),
                Arguments.of("AVCC non-keyframe, two-byte lengths", 2, false, List.of(SLICE), List.of(SLICE)),
                Arguments.of("Annex B keyframe (MPEG-TS)", 0, true, List.of(IDR), List.of(SPS_FULL, PPS, IDR)),
                Arguments.of("Annex B slices", 0, false, List.of(SLICE, SLICE), List.of(SLICE, SLICE)));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("h264Samples")
    void h264SamplesComeBackAsTheirNalUnits(String name, int lengthSize, boolean keyframe, List<byte[]> in,
                                            List<byte[]> expected) {
        H264Packetizer packetizer = new H264Packetizer(1200);
        NalUnitSamplePacketizer samples = new NalUnitSamplePacketizer(new NalUnitSamplePacketizer.Codec() {
            @Override
            public int nalUnitType(ByteBuf nalUnit) {
                return H264NalUnit.type(nalUnit.getByte(nalUnit.readerIndex()));
            }

            @Override
            public boolean isParameterSet(int type) {
                return type == H264NalUnit.SPS || type == H264NalUnit.PPS;
            }

            @Override
            public void packetize(ByteBuf nalUnit, boolean last, PayloadSink sink) {
                packetizer.packetize(nalUnit, last, sink);
            }
        }, lengthSize, List.of(SPS_FULL, PPS));
        ByteBuf sample = lengthSize == 0 ? annexB(in) : lengthPrefixed(in, lengthSize);
        List<Payload> payloads = new ArrayList<>();
        try {
            samples.packetize(sample, keyframe, (p, m) -> payloads.add(new Payload(p, m)));
        } finally {
            sample.release();
        }
        assertThat(payloads).allSatisfy(p -> assertThat(p.data().readableBytes()).isLessThanOrEqualTo(1200));
        assertThat(payloads.stream().filter(Payload::marker).count()).as("one marker").isEqualTo(1);
        assertThat(payloads.get(payloads.size() - 1).marker()).as("on the last packet").isTrue();

        H264Depacketizer depacketizer = new H264Depacketizer();
        List<byte[]> out = new ArrayList<>();
        int seq = 100;
        for (Payload p : payloads) {
            try {
                depacketizer.depacketize(p.data(), seq++, 9000, p.marker(), (ts, nals) -> {
                    for (ByteBuf nal : nals) {
                        out.add(ByteBufUtil.getBytes(nal));
                        nal.release();
                    }
                });
            } finally {
                p.data().release();
            }
        }
        assertThat(out).containsExactlyElementsOf(expected);
    }

    static Stream<Arguments> aacFrames() {
        byte[] raw = nal(0x21, 371);
        byte[] adts = new byte[7 + raw.length];
        // ADTS: sync 0xFFF, MPEG-4, layer 0, no CRC; AAC LC, 48 kHz, mono, frame length 378
        int length = adts.length;
        adts[0] = (byte) 0xFF;
        adts[1] = (byte) 0xF1;
        adts[2] = (byte) ((1 << 6) | (3 << 2));
        adts[3] = (byte) ((1 << 6) | (length >> 11));
        adts[4] = (byte) (length >> 3);
        adts[5] = (byte) (((length & 7) << 5) | 0x1F);
        adts[6] = (byte) 0xFC;
        System.arraycopy(raw, 0, adts, 7, raw.length);
        byte[] big = nal(0x21, 3000);
        return Stream.of(
                Arguments.of("raw frame (MP4, Matroska)", raw, raw),
                Arguments.of("ADTS frame (MPEG-TS): header cut off", adts, raw),
                Arguments.of("frame larger than a packet: fragments", big, big));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("aacFrames")
    void aacFramesComeBackWhole(String name, byte[] sample, byte[] expected) {
        AacSamplePacketizer packetizer = new AacSamplePacketizer(1200);
        List<Payload> payloads = new ArrayList<>();
        ByteBuf in = Unpooled.wrappedBuffer(sample);
        packetizer.packetize(in, true, (p, m) -> payloads.add(new Payload(p, m)));
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
        assertThat(payloads.get(payloads.size() - 1).marker()).isTrue();
        Rfc3640Depacketizer depacketizer = new Rfc3640Depacketizer(1024);
        List<byte[]> frames = new ArrayList<>();
        int seq = 7;
        for (Payload p : payloads) {
            try {
                depacketizer.depacketize(p.data(), seq++, 48_000, p.marker(), (ts, frame) -> {
                    frames.add(ByteBufUtil.getBytes(frame));
                    frame.release();
                });
            } finally {
                p.data().release();
            }
        }
        assertThat(frames).containsExactly(expected);
    }

    private static byte[] nal(int header, int length) {
        byte[] nal = new byte[length];
        nal[0] = (byte) header;
        for (int i = 1; i < length; i++) {
            nal[i] = (byte) (i * 31 + 7 | 0x04);
        }
        return nal;
    }

    private static ByteBuf lengthPrefixed(List<byte[]> nals, int lengthSize) {
        ByteBuf out = Unpooled.buffer();
        for (byte[] nal : nals) {
            if (lengthSize == 2) {
                out.writeShort(nal.length);
            } else {
                out.writeInt(nal.length);
            }
            out.writeBytes(nal);
        }
        return out;
    }

    private static ByteBuf annexB(List<byte[]> nals) {
        ByteBuf out = Unpooled.buffer();
        for (byte[] nal : nals) {
            out.writeInt(1);
            out.writeBytes(nal);
        }
        return out;
    }
}

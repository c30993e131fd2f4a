package io.sluice.format.mpegts;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.format.KeyframeDetectors;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Which datagrams of TS packets start a video random access point, table by table. */
class TsRandomAccessDetectorTest {

    private static final int VIDEO = 0xE0;
    private static final int AUDIO = 0xC0;

    /** One TS packet: {@code pusi}, an adaptation field with {@code rai} when asked, a PES start of {@code streamId}. */
    private static byte[] ts(int pid, boolean pusi, boolean withAdaptation, boolean rai, int streamId) {
        ByteBuf b = Unpooled.buffer(TsPacket.SIZE);
        b.writeByte(TsPacket.SYNC_BYTE);
        b.writeShort((pusi ? 0x4000 : 0) | pid);
        b.writeByte((withAdaptation ? 0x30 : 0x10));
        if (withAdaptation) {
            b.writeByte(1);
            b.writeByte(rai ? TsPacket.RANDOM_ACCESS : 0);
        }
        if (streamId >= 0) {
            b.writeMedium(1).writeByte(streamId);
        }
        b.writeZero(TsPacket.SIZE - b.writerIndex());
        byte[] out = new byte[TsPacket.SIZE];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static byte[] datagram(byte[]... packets) {
        ByteBuf b = Unpooled.buffer();
        for (byte[] p : packets) {
            b.writeBytes(p);
        }
        byte[] out = new byte[b.readableBytes()];
        b.readBytes(out);
        b.release();
        return out;
    }

    private static final byte[] PAT = ts(0, true, false, false, -1);
    private static final byte[] VIDEO_CONTINUED = ts(0x100, false, false, false, -1);

    static Stream<Arguments> datagrams() {
        return Stream.of(
                Arguments.of("a video keyframe's first packet", datagram(ts(0x100, true, true, true, VIDEO)), true),
                Arguments.of("PAT, PMT, keyframe: the third of seven", datagram(PAT, ts(0x1000, true, false, false, -1),
                        ts(0x100, true, true, true, VIDEO), VIDEO_CONTINUED, VIDEO_CONTINUED, VIDEO_CONTINUED,
                        VIDEO_CONTINUED), true),
                Arguments.of("an audio frame, which ffmpeg marks too", datagram(ts(0x101, true, true, true, AUDIO)), false),
                Arguments.of("a video frame without the indicator", datagram(ts(0x100, true, true, false, VIDEO)), false),
                Arguments.of("a video frame without an adaptation field", datagram(ts(0x100, true, false, false, VIDEO)), false),
                Arguments.of("the indicator off a PES start", datagram(ts(0x100, false, true, true, -1)), false),
                Arguments.of("the middle of a frame", datagram(VIDEO_CONTINUED, VIDEO_CONTINUED), false),
                Arguments.of("lost sync before the keyframe", datagram(new byte[] {0}, ts(0x100, true, true, true, VIDEO)), false),
                Arguments.of("nothing", new byte[0], false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("datagrams")
    void findsVideoRandomAccessPoints(String what, byte[] payload, boolean keyframe) {
        ByteBuf b = Unpooled.wrappedBuffer(payload);
        int reader = b.readerIndex();
        assertThat(KeyframeDetectors.forEncoding("MP2T").isKeyframe(b)).isEqualTo(keyframe);
        assertThat(b.readerIndex()).isEqualTo(reader);
        b.release();
    }
}

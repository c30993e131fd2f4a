package io.sluice.rtsp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InterleavedFrameEncoderTest {

    @Test
    void writesHeaderThenTheSameDataBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(InterleavedFrameEncoder.INSTANCE);
        ByteBuf data = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 96, 0, 1});
        ch.writeOutbound(new InterleavedFrame(3, data));
        ByteBuf header = ch.readOutbound();
        ByteBuf payload = ch.readOutbound();
        try {
            assertThat(ByteBufUtil.hexDump(header)).isEqualTo("24030004");
            assertThat(payload).isSameAs(data);
            assertThat(data.refCnt()).isEqualTo(1);
        } finally {
            header.release();
            payload.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void emptyAndMaximalFrames() {
        EmbeddedChannel ch = new EmbeddedChannel(InterleavedFrameEncoder.INSTANCE);
        ch.writeOutbound(new InterleavedFrame(255, Unpooled.buffer(0)));
        ch.writeOutbound(new InterleavedFrame(0, Unpooled.wrappedBuffer(new byte[65535])));
        ByteBuf h1 = ch.readOutbound();
        ByteBuf d1 = ch.readOutbound();
        ByteBuf h2 = ch.readOutbound();
        ByteBuf d2 = ch.readOutbound();
        try {
            assertThat(ByteBufUtil.hexDump(h1)).isEqualTo("24ff0000");
            assertThat(d1.readableBytes()).isZero();
            assertThat(ByteBufUtil.hexDump(h2)).isEqualTo("2400ffff");
            assertThat(d2.readableBytes()).isEqualTo(65535);
        } finally {
            h1.release();
            d1.release();
            h2.release();
            d2.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void frameRejectsOutOfRangeValues() {
        ByteBuf tooLong = Unpooled.wrappedBuffer(new byte[65536]);
        try {
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InterleavedFrame(0, tooLong))
                    .isInstanceOf(IllegalArgumentException.class);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> new InterleavedFrame(256, Unpooled.EMPTY_BUFFER))
                    .isInstanceOf(IllegalArgumentException.class);
        } finally {
            tooLong.release();
        }
    }

    /** Everything the codec writes, read back by the same codec on the other side. */
    @Test
    void pipelineRoundTrip() {
        EmbeddedChannel client = new EmbeddedChannel();
        RtspPipelines.addClientCodec(client.pipeline());
        EmbeddedChannel server = new EmbeddedChannel();
        RtspPipelines.addServerCodec(server.pipeline(), 1024, 1024, 1024);

        String sdp = "v=0\r\ns=x\r\n";
        FullHttpRequest announce = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, RtspMethods.ANNOUNCE,
                "rtsp://h/live/a", Unpooled.copiedBuffer(sdp, StandardCharsets.UTF_8));
        announce.headers().set(RtspHeaderNames.CSEQ, "2").set(RtspHeaderNames.CONTENT_LENGTH, sdp.length());
        client.writeOutbound(announce, new InterleavedFrame(1, Unpooled.wrappedBuffer(new byte[] {1, 2, 3})));
        pump(client, server);

        FullHttpRequest got = server.readInbound();
        assertThat(got.method()).isEqualTo(RtspMethods.ANNOUNCE);
        assertThat(got.uri()).isEqualTo("rtsp://h/live/a");
        assertThat(got.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("2");
        assertThat(got.content().toString(StandardCharsets.UTF_8)).isEqualTo(sdp);
        got.release();
        InterleavedFrame frame = server.readInbound();
        assertThat(frame.channel()).isEqualTo(1);
        assertThat(ByteBufUtil.hexDump(frame.content())).isEqualTo("010203");
        frame.release();

        FullHttpResponse ok = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.OK);
        ok.headers().set(RtspHeaderNames.CSEQ, "2");
        server.writeOutbound(ok, new InterleavedFrame(0, Unpooled.buffer(0)));
        pump(server, client);
        FullHttpResponse gotOk = client.readInbound();
        assertThat(gotOk.status().code()).isEqualTo(200);
        assertThat(gotOk.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("2");
        gotOk.release();
        InterleavedFrame empty = client.readInbound();
        assertThat(empty.channel()).isZero();
        empty.release();

        assertFalse(client.finish());
        assertFalse(server.finish());
    }

    private static void pump(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf b;
        while ((b = from.readOutbound()) != null) {
            to.writeInbound(b);
        }
    }
}

package io.sluice.rtsp.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtspMessageDecoderTest {

    private static final String OPTIONS = "OPTIONS rtsp://127.0.0.1:8554/live/cam RTSP/1.0\r\n"
            + "CSeq: 1\r\n"
            + "User-Agent: Lavf59.27.100\r\n"
            + "\r\n";

    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=No Name\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\n";

    private static final String ANNOUNCE = "ANNOUNCE rtsp://127.0.0.1:8554/live/cam RTSP/1.0\r\n"
            + "Content-Type: application/sdp\r\n"
            + "CSeq: 2\r\n"
            + "User-Agent: Lavf59.27.100\r\n"
            + "Content-Length: " + SDP.length() + "\r\n"
            + "\r\n"
            + SDP;

    private static final String DESCRIBE_RESPONSE = "RTSP/1.0 200 OK\r\n"
            + "CSeq: 3\r\n"
            + "Content-Base: rtsp://127.0.0.1:8554/live/cam/\r\n"
            + "Content-Type: application/sdp\r\n"
            + "Content-Length: " + SDP.length() + "\r\n"
            + "\r\n"
            + SDP;

    private static final String SETUP_RESPONSE = "RTSP/1.0 200 OK\r\n"
            + "CSeq: 4\r\n"
            + "Transport: RTP/AVP/TCP;unicast;interleaved=0-1\r\n"
            + "Session: 12345678;timeout=60\r\n"
            + "\r\n";

    private static final byte[] RTP_FRAME = {'$', 0, 0, 12, (byte) 0x80, 96, 0, 1, 0, 0, 0, 10, 0x12, 0x34, 0x56, 0x78};
    private static final byte[] RTCP_FRAME = {'$', 1, 0, 8, (byte) 0x81, (byte) 201, 0, 1, 0x12, 0x34, 0x56, 0x78};
    private static final byte[] EMPTY_FRAME = {'$', 5, 0, 0};

    private static byte[] bytes(Object... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (Object part : parts) {
            byte[] b = part instanceof String s ? s.getBytes(StandardCharsets.UTF_8) : (byte[]) part;
            out.writeBytes(b);
        }
        return out.toByteArray();
    }

    /** Feeds the bytes in one buffer, then byte by byte, and checks both give the same messages. */
    private static List<Object> decodeWholeAndByteByByte(byte[] wire) {
        List<Object> whole = decode(wire, wire.length);
        List<Object> single = decode(wire, 1);
        try {
            assertThat(describe(single)).isEqualTo(describe(whole));
        } finally {
            single.forEach(ReferenceCountUtil::release);
        }
        return whole;
    }

    private static List<Object> decode(byte[] wire, int chunk) {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageDecoder());
        for (int i = 0; i < wire.length; i += chunk) {
            ch.writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(chunk, wire.length - i)));
        }
        List<Object> out = new ArrayList<>();
        Object m;
        while ((m = ch.readInbound()) != null) {
            out.add(m);
        }
        assertFalse(ch.finish());
        return out;
    }

    private static List<String> describe(List<Object> messages) {
        List<String> out = new ArrayList<>();
        for (Object m : messages) {
            if (m instanceof InterleavedFrame f) {
                out.add("frame " + f.channel() + " " + ByteBufUtil.hexDump(f.content()));
            } else if (m instanceof FullHttpMessage msg) {
                String first = msg instanceof FullHttpRequest r ? r.method() + " " + r.uri()
                        : ((FullHttpResponse) msg).status().toString();
                out.add(first + " " + msg.headers().entries() + " content=" + msg.content().toString(StandardCharsets.UTF_8)
                        + " result=" + msg.decoderResult());
            } else {
                out.add(String.valueOf(m));
            }
        }
        return out;
    }

    private static void releaseAll(List<Object> messages) {
        messages.forEach(ReferenceCountUtil::release);
    }

    @Test
    void requestWithoutBody() {
        List<Object> out = decodeWholeAndByteByByte(bytes(OPTIONS));
        try {
            assertThat(out).hasSize(1);
            FullHttpRequest req = (FullHttpRequest) out.get(0);
            assertThat(req.decoderResult().isSuccess()).isTrue();
            assertThat(req.method()).isEqualTo(RtspMethods.OPTIONS);
            assertThat(req.uri()).isEqualTo("rtsp://127.0.0.1:8554/live/cam");
            assertThat(req.protocolVersion()).isEqualTo(RtspVersions.RTSP_1_0);
            assertThat(req.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("1");
            assertThat(req.headers().get(RtspHeaderNames.USER_AGENT)).isEqualTo("Lavf59.27.100");
            assertThat(req.content().readableBytes()).isZero();
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void requestWithBody() {
        List<Object> out = decodeWholeAndByteByByte(bytes(ANNOUNCE));
        try {
            assertThat(out).hasSize(1);
            FullHttpRequest req = (FullHttpRequest) out.get(0);
            assertThat(req.method()).isEqualTo(RtspMethods.ANNOUNCE);
            assertThat(req.headers().get(RtspHeaderNames.CONTENT_TYPE)).isEqualTo("application/sdp");
            assertThat(req.content().toString(StandardCharsets.UTF_8)).isEqualTo(SDP);
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void responsesWithAndWithoutBody() {
        List<Object> out = decodeWholeAndByteByByte(bytes(DESCRIBE_RESPONSE, SETUP_RESPONSE));
        try {
            assertThat(out).hasSize(2);
            FullHttpResponse describe = (FullHttpResponse) out.get(0);
            assertThat(describe.decoderResult().isSuccess()).isTrue();
            assertThat(describe.status().code()).isEqualTo(200);
            assertThat(describe.status().reasonPhrase()).isEqualTo("OK");
            assertThat(describe.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("3");
            assertThat(describe.content().toString(StandardCharsets.UTF_8)).isEqualTo(SDP);
            FullHttpResponse setup = (FullHttpResponse) out.get(1);
            assertThat(setup.headers().get(RtspHeaderNames.SESSION)).isEqualTo("12345678;timeout=60");
            assertThat(setup.headers().get(RtspHeaderNames.TRANSPORT)).isEqualTo("RTP/AVP/TCP;unicast;interleaved=0-1");
            assertThat(setup.content().readableBytes()).isZero();
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void rtspStatusWithReasonOfSeveralWords() {
        List<Object> out = decodeWholeAndByteByByte(bytes("RTSP/1.0 455 Method Not Valid in This State\r\nCSeq: 9\r\n\r\n"));
        try {
            FullHttpResponse res = (FullHttpResponse) out.get(0);
            assertThat(res.status()).isEqualTo(RtspResponseStatuses.METHOD_NOT_VALID);
            assertThat(res.status().reasonPhrase()).isEqualTo("Method Not Valid in This State");
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void interleavedFramesBetweenMessages() {
        byte[] wire = bytes(RTP_FRAME, OPTIONS, RTCP_FRAME, EMPTY_FRAME, RTP_FRAME, ANNOUNCE, RTCP_FRAME);
        List<Object> out = decodeWholeAndByteByByte(wire);
        try {
            assertThat(describe(out)).hasSize(7);
            assertThat(describe(out).get(0)).isEqualTo("frame 0 806000010000000a12345678");
            assertThat(((FullHttpRequest) out.get(1)).method()).isEqualTo(RtspMethods.OPTIONS);
            assertThat(describe(out).get(2)).isEqualTo("frame 1 81c9000112345678");
            InterleavedFrame empty = (InterleavedFrame) out.get(3);
            assertThat(empty.channel()).isEqualTo(5);
            assertThat(empty.content().readableBytes()).isZero();
            assertThat(out.get(4)).isInstanceOf(InterleavedFrame.class);
            assertThat(((FullHttpRequest) out.get(5)).content().toString(StandardCharsets.UTF_8)).isEqualTo(SDP);
            assertThat(((InterleavedFrame) out.get(6)).channel()).isEqualTo(1);
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void everySplitPointGivesTheSameMessages() {
        byte[] wire = bytes(RTP_FRAME, ANNOUNCE, EMPTY_FRAME, DESCRIBE_RESPONSE, RTCP_FRAME, OPTIONS);
        List<Object> whole = decode(wire, wire.length);
        List<String> expected = describe(whole);
        releaseAll(whole);
        assertThat(expected).hasSize(6);
        for (int split = 1; split < wire.length; split++) {
            EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageDecoder());
            ch.writeInbound(Unpooled.wrappedBuffer(wire, 0, split));
            ch.writeInbound(Unpooled.wrappedBuffer(wire, split, wire.length - split));
            List<Object> out = new ArrayList<>();
            Object m;
            while ((m = ch.readInbound()) != null) {
                out.add(m);
            }
            try {
                assertThat(describe(out)).as("split at %d", split).isEqualTo(expected);
            } finally {
                releaseAll(out);
            }
            assertFalse(ch.finish());
        }
    }

    @Test
    void interleavedDataIsASliceOfTheReceivedBuffer() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageDecoder());
        ByteBuf in = Unpooled.wrappedBuffer(RTP_FRAME);
        ch.writeInbound(in);
        InterleavedFrame frame = ch.readInbound();
        try {
            assertThat(frame.content().unwrap()).isSameAs(in);
            assertThat(frame.content().readableBytes()).isEqualTo(12);
        } finally {
            frame.release();
        }
        assertFalse(ch.finish());
    }

    @Test
    void extraLineBreaksBetweenMessagesAreSkipped() {
        List<Object> out = decodeWholeAndByteByByte(bytes("\r\n", OPTIONS, "\r\n\r\n", RTP_FRAME, "\r\n", SETUP_RESPONSE));
        try {
            assertThat(out).hasSize(3);
            assertThat(out.get(0)).isInstanceOf(FullHttpRequest.class);
            assertThat(out.get(1)).isInstanceOf(InterleavedFrame.class);
            assertThat(out.get(2)).isInstanceOf(FullHttpResponse.class);
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void bareLineFeedsAndFoldedHeaders() {
        String wire = "SETUP rtsp://h/a/trackID=0 RTSP/1.0\nCSeq: 5\nTransport: RTP/AVP;unicast;\n client_port=5000-5001\n\n";
        List<Object> out = decodeWholeAndByteByByte(bytes(wire));
        try {
            FullHttpRequest req = (FullHttpRequest) out.get(0);
            assertThat(req.decoderResult().isSuccess()).isTrue();
            assertThat(req.headers().get(RtspHeaderNames.TRANSPORT)).isEqualTo("RTP/AVP;unicast; client_port=5000-5001");
        } finally {
            releaseAll(out);
        }
    }

    @Test
    void unknownMethodIsKept() {
        List<Object> out = decodeWholeAndByteByByte(bytes("FLUSH rtsp://h/a RTSP/1.0\r\nCSeq: 7\r\n\r\n"));
        try {
            FullHttpRequest req = (FullHttpRequest) out.get(0);
            assertThat(req.decoderResult().isSuccess()).isTrue();
            assertThat(req.method().name()).isEqualTo("FLUSH");
        } finally {
            releaseAll(out);
        }
    }

    /** Decodes bad input and returns the single failed message; asserts later bytes are discarded. */
    private static FullHttpMessage decodeBad(RtspMessageDecoder decoder, byte[] wire) {
        EmbeddedChannel ch = new EmbeddedChannel(decoder);
        ch.writeInbound(Unpooled.wrappedBuffer(wire));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(OPTIONS, RTP_FRAME)));
        FullHttpMessage bad = ch.readInbound();
        assertThat(bad).isNotNull();
        assertThat(bad.decoderResult().isFailure()).isTrue();
        assertThat((Object) ch.readInbound()).isNull();
        assertThat(decoder.state()).isEqualTo(RtspMessageDecoder.State.BAD_MESSAGE);
        assertFalse(ch.finish());
        return bad;
    }

    @Test
    void requestLineTooLong() {
        String longUri = "rtsp://h/" + "a".repeat(100);
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(64, 8192, 65536),
                bytes("DESCRIBE " + longUri + " RTSP/1.0\r\nCSeq: 1\r\n\r\n"));
        try {
            assertThat(bad).isInstanceOf(FullHttpRequest.class);
            assertThat(((FullHttpRequest) bad).method()).isEqualTo(RtspMessageDecoder.BAD_METHOD);
            assertThat(bad.decoderResult().cause()).isInstanceOf(TooLongHttpLineException.class)
                    .isInstanceOf(TooLongFrameException.class).hasMessageContaining("request line");
        } finally {
            bad.release();
        }
    }

    @Test
    void requestLineTooLongWithoutLineEnd() {
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(64, 8192, 65536), bytes("DESCRIBE " + "x".repeat(70)));
        try {
            assertThat(bad.decoderResult().cause()).isInstanceOf(TooLongHttpLineException.class);
        } finally {
            bad.release();
        }
    }

    @Test
    void requestLineExactlyAtTheLimitPasses() {
        String line = "OPTIONS * RTSP/1.0";
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageDecoder(line.length(), 64, 0));
        ch.writeInbound(Unpooled.wrappedBuffer(bytes(line + "\r\nCSeq: 1\r\n\r\n")));
        FullHttpRequest req = ch.readInbound();
        assertThat(req.decoderResult().isSuccess()).isTrue();
        assertThat(req.uri()).isEqualTo("*");
        req.release();
        assertFalse(ch.finish());
    }

    @Test
    void headersTooLongKeepsTheRequestLineAndEarlierHeaders() {
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(4096, 40, 65536),
                bytes("SETUP rtsp://h/a RTSP/1.0\r\nCSeq: 11\r\nTransport: " + "x".repeat(40) + "\r\n\r\n"));
        try {
            FullHttpRequest req = (FullHttpRequest) bad;
            assertThat(req.method()).isEqualTo(RtspMethods.SETUP);
            assertThat(req.uri()).isEqualTo("rtsp://h/a");
            assertThat(req.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("11");
            assertThat(bad.decoderResult().cause()).isInstanceOf(TooLongHttpHeaderException.class)
                    .hasMessageContaining("headers");
        } finally {
            bad.release();
        }
    }

    @Test
    void manySmallHeadersAddUpToTheLimit() {
        StringBuilder wire = new StringBuilder("OPTIONS * RTSP/1.0\r\n");
        for (int i = 0; i < 20; i++) {
            wire.append("X-H").append(i).append(": v\r\n");
        }
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(4096, 64, 65536), bytes(wire + "\r\n"));
        try {
            assertThat(bad.decoderResult().cause()).isInstanceOf(TooLongHttpHeaderException.class);
        } finally {
            bad.release();
        }
    }

    @Test
    void contentTooLong() {
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(4096, 8192, 16),
                bytes("ANNOUNCE rtsp://h/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: 17\r\n\r\n" + "x".repeat(17)));
        try {
            assertThat(((FullHttpRequest) bad).method()).isEqualTo(RtspMethods.ANNOUNCE);
            assertThat(bad.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("2");
            assertThat(bad.decoderResult().cause()).isInstanceOf(TooLongHttpContentException.class);
        } finally {
            bad.release();
        }
    }

    @Test
    void badContentLength() {
        for (String value : new String[] {"abc", "-1", "12x", "", "99999999999999999999"}) {
            FullHttpMessage bad = decodeBad(new RtspMessageDecoder(),
                    bytes("ANNOUNCE rtsp://h/a RTSP/1.0\r\nCSeq: 2\r\nContent-Length: " + value + "\r\n\r\n"));
            try {
                assertThat(bad.decoderResult().cause()).as(value).hasMessageContaining("Content-Length")
                        .isNotInstanceOf(TooLongFrameException.class);
            } finally {
                bad.release();
            }
        }
    }

    @Test
    void conflictingContentLengths() {
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(),
                bytes("ANNOUNCE rtsp://h/a RTSP/1.0\r\nContent-Length: 2\r\nContent-Length: 3\r\n\r\nabc"));
        try {
            assertThat(bad.decoderResult().cause()).hasMessageContaining("conflicting Content-Length");
        } finally {
            bad.release();
        }
    }

    @Test
    void garbageFirstLine() {
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(), bytes("HELLO\r\n\r\n"));
        try {
            assertThat(((FullHttpRequest) bad).method()).isEqualTo(RtspMessageDecoder.BAD_METHOD);
            assertThat(((FullHttpRequest) bad).uri()).isEqualTo(RtspMessageDecoder.BAD_URI);
            assertThat(bad.decoderResult().cause()).hasMessageContaining("malformed request line");
        } finally {
            bad.release();
        }
    }

    @Test
    void binaryGarbageFailsAtOnce() {
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(), new byte[] {(byte) 0x80, 96, 0, 1});
        try {
            assertThat(bad.decoderResult().cause()).hasMessageContaining("garbage").hasMessageContaining("0x80");
        } finally {
            bad.release();
        }
    }

    @Test
    void unknownVersions() {
        FullHttpMessage request = decodeBad(new RtspMessageDecoder(), bytes("GET / HTTP/1.1\r\nHost: h\r\n\r\n"));
        try {
            assertThat(((FullHttpRequest) request).method().name()).isEqualTo("GET");
            assertThat(request.decoderResult().cause()).hasMessageContaining("unsupported RTSP version: HTTP/1.1");
        } finally {
            request.release();
        }
        FullHttpMessage response = decodeBad(new RtspMessageDecoder(), bytes("RTSP/2.0 200 OK\r\nCSeq: 1\r\n\r\n"));
        try {
            assertThat(response.decoderResult().cause()).hasMessageContaining("unsupported RTSP version: RTSP/2.0");
        } finally {
            response.release();
        }
    }

    @Test
    void malformedStatusLineGivesAFailedResponseOnceStatusIsKnown() {
        FullHttpMessage bad = decodeBad(new RtspMessageDecoder(), bytes("RTSP/1.0 200 OK\r\nno colon here\r\n\r\n"));
        try {
            assertThat(bad).isInstanceOf(FullHttpResponse.class);
            assertThat(bad.decoderResult().cause()).hasMessageContaining("malformed header line");
        } finally {
            bad.release();
        }
        FullHttpMessage badStatus = decodeBad(new RtspMessageDecoder(), bytes("RTSP/1.0 abc OK\r\n\r\n"));
        try {
            assertThat(badStatus.decoderResult().cause()).hasMessageContaining("malformed status line");
        } finally {
            badStatus.release();
        }
    }

    @Test
    void interleavedFrameOverTheConfiguredLimitIsSkipped() {
        RtspMessageDecoder decoder = new RtspMessageDecoder(4096, 8192, 65536, 8);
        byte[] wire = bytes(RTP_FRAME, RTCP_FRAME, OPTIONS);
        for (int chunk : new int[] {wire.length, 1}) {
            EmbeddedChannel ch = new EmbeddedChannel(chunk == 1 ? new RtspMessageDecoder(4096, 8192, 65536, 8) : decoder);
            for (int i = 0; i < wire.length; i += chunk) {
                ch.writeInbound(Unpooled.wrappedBuffer(wire, i, Math.min(chunk, wire.length - i)));
            }
            InterleavedFrame rtcp = ch.readInbound();
            assertThat(rtcp.channel()).isEqualTo(1);
            rtcp.release();
            FullHttpRequest options = ch.readInbound();
            assertThat(options.method()).isEqualTo(RtspMethods.OPTIONS);
            options.release();
            assertFalse(ch.finish());
        }
        assertThat(decoder.droppedInterleavedFrames()).isEqualTo(1);
    }

    @Test
    void incompleteMessageAtCloseIsDropped() {
        EmbeddedChannel ch = new EmbeddedChannel(new RtspMessageDecoder());
        ch.writeInbound(Unpooled.wrappedBuffer(bytes("ANNOUNCE rtsp://h/a RTSP/1.0\r\nContent-Length: 10\r\n\r\nabc")));
        ch.writeInbound(Unpooled.wrappedBuffer(new byte[] {'$', 0, 0, 10, 1, 2}));
        assertFalse(ch.finish());
    }
}

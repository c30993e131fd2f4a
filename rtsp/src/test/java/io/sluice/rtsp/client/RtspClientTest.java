package io.sluice.rtsp.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.sluice.rtsp.auth.Authentication;
import io.sluice.rtsp.auth.Credentials;
import io.sluice.rtsp.auth.NonceGenerator;
import io.sluice.rtsp.codec.InterleavedFrame;
import io.sluice.rtsp.codec.RtspPipelines;
import io.sluice.rtsp.headers.Range;
import io.sluice.rtsp.headers.RtpInfo;
import io.sluice.rtsp.headers.Transport;
import io.sluice.rtsp.session.RtspStatusException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class RtspClientTest {

    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=cam\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:trackID=0\r\n";
    private static final String REALM = "Sluice";
    private static final long WAIT_S = 5;

    private static EventLoopGroup group;

    private Channel serverChannel;
    private ScriptedServer server;
    private final List<RtspClient> clients = new ArrayList<>();

    /** A request as the server saw it, as plain values. */
    record Seen(HttpMethod method, String uri, HttpHeaders headers, String body) {
    }

    /** A tiny RTSP server built on this module's codec, answering from a script. */
    @ChannelHandler.Sharable
    static final class ScriptedServer extends SimpleChannelInboundHandler<Object> {
        final BlockingQueue<Seen> requests = new LinkedBlockingQueue<>();
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final NonceGenerator nonces = new NonceGenerator(60_000);
        final List<FullHttpResponse> held = new ArrayList<>();
        volatile String password = "s3cret";
        volatile boolean holdGetParameter;
        volatile Channel client;

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            client = ctx.channel();
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof InterleavedFrame f) {
                frames.add(f.channel() + ":" + ByteBufUtil.hexDump(f.content()));
                return;
            }
            if (msg instanceof FullHttpResponse res) {
                requests.add(new Seen(null, "response " + res.status().code(), res.headers().copy(), ""));
                return;
            }
            FullHttpRequest req = (FullHttpRequest) msg;
            requests.add(new Seen(req.method(), req.uri(), req.headers().copy(), req.content().toString(StandardCharsets.UTF_8)));
            FullHttpResponse res = answer(ctx, req);
            if (res == null) {
                return;
            }
            res.headers().set(RtspHeaderNames.CSEQ, req.headers().get(RtspHeaderNames.CSEQ));
            if (holdGetParameter && req.method().equals(RtspMethods.GET_PARAMETER)) {
                held.add(res);
                return;
            }
            ctx.write(res);
            for (FullHttpResponse h : held) {
                ctx.write(h);
            }
            held.clear();
            ctx.flush();
            if (req.method().equals(RtspMethods.PLAY)) {
                ctx.write(new InterleavedFrame(0, Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 96, 0, 1})));
                ctx.writeAndFlush(new InterleavedFrame(1, Unpooled.wrappedBuffer(new byte[] {(byte) 0x81, (byte) 200})));
            }
        }

        private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest req) {
            String method = req.method().name();
            switch (method) {
                case "OPTIONS" -> {
                    FullHttpResponse res = ok();
                    res.headers().set(RtspHeaderNames.PUBLIC,
                            "OPTIONS, DESCRIBE, ANNOUNCE, SETUP, PLAY, PAUSE, RECORD, TEARDOWN, GET_PARAMETER");
                    return res;
                }
                case "DESCRIBE" -> {
                    String authorization = req.headers().get(RtspHeaderNames.AUTHORIZATION);
                    if (authorization == null || !authorized(authorization, method)) {
                        FullHttpResponse res = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.UNAUTHORIZED);
                        res.headers().add(RtspHeaderNames.WWW_AUTHENTICATE, Authentication.basicChallenge(REALM));
                        res.headers().add(RtspHeaderNames.WWW_AUTHENTICATE, Authentication.digestChallenge(REALM, nonces.next()));
                        return res;
                    }
                    FullHttpResponse res = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.OK,
                            Unpooled.copiedBuffer(SDP, StandardCharsets.UTF_8));
                    res.headers().set(RtspHeaderNames.CONTENT_BASE, req.uri() + "/")
                            .set(RtspHeaderNames.CONTENT_TYPE, "application/sdp")
                            .set(RtspHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                    return res;
                }
                case "SETUP" -> {
                    Transport t = Transport.parse(req.headers().get(RtspHeaderNames.TRANSPORT));
                    FullHttpResponse res = ok();
                    res.headers().set(RtspHeaderNames.TRANSPORT, t.withSsrc(0x11223344L).toString())
                            .set(RtspHeaderNames.SESSION, "abc123;timeout=2");
                    return res;
                }
                case "PLAY" -> {
                    FullHttpResponse res = ok();
                    res.headers().set(RtspHeaderNames.RTP_INFO, "url=" + req.uri() + "trackID=0;seq=1;rtptime=0");
                    return res;
                }
                case "PAUSE" -> {
                    return new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.METHOD_NOT_VALID);
                }
                case "GET_PARAMETER", "SET_PARAMETER" -> {
                    FullHttpResponse res = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.OK,
                            req.content().retainedDuplicate());
                    res.headers().set(RtspHeaderNames.CONTENT_LENGTH, res.content().readableBytes());
                    return res;
                }
                case "NEVER" -> {
                    return null;
                }
                default -> {
                    return ok();
                }
            }
        }

        private boolean authorized(String authorization, String method) {
            Credentials c = Authentication.parseAuthorization(authorization);
            return c.scheme() == Credentials.Scheme.DIGEST && nonces.isValid(c.nonce())
                    && Authentication.verify(c, method, "admin", password, REALM, null);
        }

        private static FullHttpResponse ok() {
            return new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, RtspResponseStatuses.OK);
        }

        Seen next() throws InterruptedException {
            Seen s = requests.poll(WAIT_S, TimeUnit.SECONDS);
            assertThat(s).as("request reached the server").isNotNull();
            return s;
        }
    }

    /** Collects interleaved data and the close. */
    static final class Recorder implements RtspClient.Listener {
        final BlockingQueue<String> frames = new LinkedBlockingQueue<>();
        final CountDownLatch closed = new CountDownLatch(1);

        @Override
        public void onInterleaved(int channel, ByteBuf data) {
            frames.add(channel + ":" + ByteBufUtil.hexDump(data));
        }

        @Override
        public void onClosed() {
            closed.countDown();
        }
    }

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS).syncUninterruptibly();
    }

    private void startServer() {
        server = new ScriptedServer();
        serverChannel = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        RtspPipelines.addServerCodec(ch.pipeline());
                        ch.pipeline().addLast(server);
                    }
                })
                .bind("127.0.0.1", 0).syncUninterruptibly().channel();
    }

    @AfterEach
    void stopServer() {
        clients.forEach(RtspClient::close);
        if (server != null) {
            server.held.forEach(FullHttpResponse::release);
        }
        if (serverChannel != null) {
            serverChannel.close().syncUninterruptibly();
        }
    }

    private RtspClient connect(String userInfo, String path, RtspClient.Listener listener, RtspClient.Config config)
            throws Exception {
        startServer();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        URI uri = URI.create("rtsp://" + (userInfo == null ? "" : userInfo + "@") + "127.0.0.1:" + port + path);
        RtspClient c = RtspClient.connect(group, uri, listener, config).get(WAIT_S, TimeUnit.SECONDS);
        clients.add(c);
        return c;
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    @Test
    void readerSessionWithDigestInterleavedMediaAndKeepAlive() throws Exception {
        Recorder recorder = new Recorder();
        RtspClient c = connect("admin:s3cret", "/live/cam", recorder, RtspClient.Config.DEFAULT);
        String base = c.baseUrl();
        assertThat(base).doesNotContain("admin").endsWith("/live/cam");

        RtspResponse options = await(c.options());
        assertThat(options.isSuccess()).isTrue();
        Seen o = server.next();
        assertThat(o.method()).isEqualTo(RtspMethods.OPTIONS);
        assertThat(o.uri()).isEqualTo(base);
        assertThat(o.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("1");
        assertThat(o.headers().get(RtspHeaderNames.USER_AGENT)).isEqualTo("Sluice");

        assertThat(await(c.describe())).isEqualTo(SDP);
        Seen firstDescribe = server.next();
        assertThat(firstDescribe.headers().get(RtspHeaderNames.AUTHORIZATION)).isNull();
        assertThat(firstDescribe.headers().get(RtspHeaderNames.ACCEPT)).isEqualTo("application/sdp");
        Seen retried = server.next();
        assertThat(retried.method()).isEqualTo(RtspMethods.DESCRIBE);
        assertThat(retried.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("3");
        assertThat(retried.headers().get(RtspHeaderNames.AUTHORIZATION)).startsWith("Digest username=\"admin\"")
                .contains("uri=\"" + base + "\"");
        assertThat(c.contentBase()).isEqualTo(base + "/");

        Transport reply = await(c.setupTcp("trackID=0", 0));
        assertThat(reply.interleaved()).containsExactly(0, 1);
        assertThat(reply.ssrc()).isEqualTo(0x11223344L);
        Seen setup = server.next();
        assertThat(setup.uri()).isEqualTo(base + "/trackID=0");
        assertThat(setup.headers().get(RtspHeaderNames.TRANSPORT)).isEqualTo("RTP/AVP/TCP;unicast;interleaved=0-1");
        assertThat(setup.headers().get(RtspHeaderNames.AUTHORIZATION)).as("later requests authorize at once").contains("trackID=0");
        assertThat(c.session().id()).isEqualTo("abc123");
        assertThat(c.session().timeoutSeconds()).isEqualTo(2);

        RtspResponse play = await(c.play(Range.npt(0, null)));
        assertThat(RtpInfo.parse(play.headers().get(RtspHeaderNames.RTP_INFO)).entries().get(0).seq()).isEqualTo(1);
        Seen p = server.next();
        assertThat(p.uri()).isEqualTo(base + "/");
        assertThat(p.headers().get(RtspHeaderNames.SESSION)).isEqualTo("abc123");
        assertThat(p.headers().get(RtspHeaderNames.RANGE)).isEqualTo("npt=0.000-");
        assertThat(recorder.frames.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("0:80600001");
        assertThat(recorder.frames.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("1:81c8");

        // timeout=2 gives a keep-alive every second, GET_PARAMETER because OPTIONS listed it.
        Seen keepAlive = server.next();
        assertThat(keepAlive.method()).isEqualTo(RtspMethods.GET_PARAMETER);
        assertThat(keepAlive.headers().get(RtspHeaderNames.SESSION)).isEqualTo("abc123");

        await(c.teardown());
        Seen t = server.next();
        assertThat(t.method()).isEqualTo(RtspMethods.TEARDOWN);
        assertThat(t.headers().get(RtspHeaderNames.SESSION)).isEqualTo("abc123");
        assertThat(c.session()).isNull();
        assertThat(server.requests.poll(1200, TimeUnit.MILLISECONDS)).as("no keep-alive after TEARDOWN").isNull();
    }

    @Test
    void publisherSessionSendsInterleavedData() throws Exception {
        RtspClient c = connect(null, "/live/pub", new Recorder(), RtspClient.Config.DEFAULT);
        await(c.announce(SDP));
        Seen announce = server.next();
        assertThat(announce.method()).isEqualTo(RtspMethods.ANNOUNCE);
        assertThat(announce.body()).isEqualTo(SDP);
        assertThat(announce.headers().get(RtspHeaderNames.CONTENT_TYPE)).isEqualTo("application/sdp");
        assertThat(announce.headers().getInt(RtspHeaderNames.CONTENT_LENGTH)).isEqualTo(SDP.length());

        Transport record = Transport.builder().lowerTransport("TCP").unicast().interleaved(0, 1).mode("record").build();
        await(c.setup(c.baseUrl() + "/trackID=0", record));
        assertThat(server.next().headers().get(RtspHeaderNames.TRANSPORT)).endsWith(";mode=RECORD");
        await(c.record());
        assertThat(server.next().method()).isEqualTo(RtspMethods.RECORD);

        c.sendInterleaved(0, Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, 96, 0, 7})).syncUninterruptibly();
        c.sendInterleaved(1, Unpooled.buffer(0)).syncUninterruptibly();
        assertThat(server.frames.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("0:80600007");
        assertThat(server.frames.poll(WAIT_S, TimeUnit.SECONDS)).isEqualTo("1:");
    }

    @Test
    void responsesAreMatchedByCSeqNotByOrder() throws Exception {
        RtspClient c = connect(null, "/live/cam", new Recorder(), RtspClient.Config.DEFAULT);
        server.holdGetParameter = true;
        CompletableFuture<FullHttpResponse> first = c.request(RtspMethods.GET_PARAMETER, c.baseUrl(), null, "first");
        server.next();
        CompletableFuture<FullHttpResponse> second = c.request(RtspMethods.SET_PARAMETER, c.baseUrl(), null, "second");
        FullHttpResponse r2 = await(second);
        FullHttpResponse r1 = await(first);
        try {
            assertThat(r1.content().toString(StandardCharsets.UTF_8)).isEqualTo("first");
            assertThat(r1.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("1");
            assertThat(r2.content().toString(StandardCharsets.UTF_8)).isEqualTo("second");
            assertThat(r2.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("2");
        } finally {
            r1.release();
            r2.release();
        }
    }

    @Test
    void boundedInFlightAndRequestTimeout() throws Exception {
        RtspClient c = connect(null, "/live/cam", new Recorder(), new RtspClient.Config("test", 2, 300));
        HttpMethod never = HttpMethod.valueOf("NEVER");
        CompletableFuture<FullHttpResponse> a = c.request(never, c.baseUrl(), null, null);
        CompletableFuture<FullHttpResponse> b = c.request(never, c.baseUrl(), null, null);
        CompletableFuture<FullHttpResponse> third = c.request(never, c.baseUrl(), null, null);
        assertThatThrownBy(() -> await(third)).isInstanceOf(ExecutionException.class)
                .hasCauseInstanceOf(IllegalStateException.class).hasMessageContaining("in flight");
        assertThatThrownBy(() -> await(a)).hasCauseInstanceOf(TimeoutException.class);
        assertThatThrownBy(() -> await(b)).hasCauseInstanceOf(TimeoutException.class);
        // Slots are free again after the timeouts.
        assertThat(await(c.options()).isSuccess()).isTrue();
    }

    @Test
    void errorStatusesBecomeRtspStatusExceptions() throws Exception {
        RtspClient c = connect("admin:wrong", "/live/cam", new Recorder(), RtspClient.Config.DEFAULT);
        assertThatThrownBy(() -> await(c.pause())).hasCauseInstanceOf(RtspStatusException.class)
                .cause().satisfies(e -> assertThat(((RtspStatusException) e).status().code()).isEqualTo(455));
        // A wrong password is retried exactly once, then the 401 is the answer.
        assertThatThrownBy(() -> await(c.describe())).cause().isInstanceOf(RtspStatusException.class)
                .satisfies(e -> assertThat(((RtspStatusException) e).status()).isEqualTo(HttpResponseStatus.UNAUTHORIZED));
        server.next();
        assertThat(server.next().method()).isEqualTo(RtspMethods.DESCRIBE);
        assertThat(server.next().method()).isEqualTo(RtspMethods.DESCRIBE);
        assertThat(server.requests.poll(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void answersTheServersKeepAliveAndReportsTheClose() throws Exception {
        Recorder recorder = new Recorder();
        RtspClient c = connect(null, "/live/cam", recorder, new RtspClient.Config("test", 4, 5_000));
        await(c.options());
        server.next();
        FullHttpRequest ping = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, RtspMethods.GET_PARAMETER, "rtsp://x/");
        ping.headers().set(RtspHeaderNames.CSEQ, "77");
        server.client.writeAndFlush(ping);
        Seen answer = server.next();
        assertThat(answer.uri()).isEqualTo("response 200");
        assertThat(answer.headers().get(RtspHeaderNames.CSEQ)).isEqualTo("77");

        CompletableFuture<FullHttpResponse> waiting = c.request(HttpMethod.valueOf("NEVER"), c.baseUrl(), null, null);
        server.next();
        server.client.close();
        assertThat(recorder.closed.await(WAIT_S, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> await(waiting)).hasCauseInstanceOf(ClosedChannelException.class);
        assertThat(c.isOpen()).isFalse();
        assertThatThrownBy(() -> await(c.options())).hasCauseInstanceOf(ClosedChannelException.class);
    }

    @Test
    void connectFailureAndBadUri() {
        assertThatThrownBy(() -> RtspClient.connect(group, URI.create("http://127.0.0.1/x"), new Recorder()))
                .isInstanceOf(IllegalArgumentException.class);
        startServer();
        int port = ((InetSocketAddress) serverChannel.localAddress()).getPort();
        serverChannel.close().syncUninterruptibly();
        CompletableFuture<RtspClient> f = RtspClient.connect(null, URI.create("rtsp://127.0.0.1:" + port + "/x"), new Recorder());
        assertThatThrownBy(() -> f.get(WAIT_S, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class);
    }
}

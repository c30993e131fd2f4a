package io.sluice.rtsp.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.rtsp.auth.Authentication;
import io.sluice.rtsp.codec.InterleavedFrame;
import io.sluice.rtsp.codec.RtspPipelines;
import io.sluice.rtsp.headers.Range;
import io.sluice.rtsp.headers.SessionHeader;
import io.sluice.rtsp.headers.Transport;
import io.sluice.rtsp.session.RtspStatusException;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.channels.ClosedChannelException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Function;

/**
 * An RTSP 1.0 client over one Netty connection: requests matched to responses by {@code CSeq},
 * {@code Session} remembered from SETUP, {@code Authorization} answered once per 401 with Digest
 * (or Basic) from the credentials in the URI ({@code rtsp://user:pass@host/path}), a bounded
 * number of requests in flight, and a keep-alive at half the session timeout. Media set up with
 * {@code interleaved=} arrives at {@link Listener#onInterleaved} and is sent with
 * {@link #sendInterleaved}.
 *
 * <pre>
 * client                                     server
 *   OPTIONS  CSeq: 1                    -->
 *                                       <--  200  CSeq: 1  Public: ..., GET_PARAMETER
 *   DESCRIBE CSeq: 2                    -->
 *                                       <--  401  CSeq: 2  WWW-Authenticate: Digest ...
 *   DESCRIBE CSeq: 3  Authorization     -->                       (retried once, same future)
 *                                       <--  200  CSeq: 3  application/sdp
 *   SETUP .../trackID=0 CSeq: 4         -->
 *     Transport: RTP/AVP/TCP;unicast;interleaved=0-1
 *                                       <--  200  CSeq: 4  Session: ID;timeout=60
 *   PLAY  CSeq: 5  Session: ID          -->
 *                                       <--  200  CSeq: 5  RTP-Info: ...
 *                                       <--  $ 0x00 len RTP ...   (onInterleaved)
 *   GET_PARAMETER every 30 s            -->
 * </pre>
 *
 * All futures complete on the connection's event loop; do not block in their callbacks. The
 * {@link FullHttpResponse} from {@link #request} belongs to the caller, who must release it; the
 * convenience methods release it themselves and complete with plain values, or exceptionally with
 * {@link RtspStatusException} for a non-2xx answer.
 */
public final class RtspClient implements AutoCloseable {

    /** Receives what the server sends besides responses. */
    public interface Listener {
        /** Interleaved data; {@code data} is valid only during the call (retain it to keep it). */
        void onInterleaved(int channel, ByteBuf data);

        /** The connection is gone. */
        default void onClosed() {
        }
    }

    /**
     * Client settings.
     *
     * @param userAgent        the {@code User-Agent} header
     * @param maxInFlight      requests sent and not yet answered, beyond which a request fails at once
     * @param requestTimeoutMs how long a request waits for its response
     */
    public record Config(String userAgent, int maxInFlight, long requestTimeoutMs) {
        /** {@code Sluice}, 16 in flight, 10 s. */
        public static final Config DEFAULT = new Config("Sluice", 16, 10_000);

        public Config {
            Objects.requireNonNull(userAgent, "userAgent");
            if (maxInFlight < 1 || requestTimeoutMs < 1) {
                throw new IllegalArgumentException("maxInFlight and requestTimeoutMs must be positive");
            }
        }
    }

    /** The RTSP port when the URI names none. */
    public static final int DEFAULT_PORT = 554;
    /** Session timeout assumed when the server's {@code Session} header has none (RFC 2326 12.37). */
    public static final int DEFAULT_SESSION_TIMEOUT_SECONDS = 60;

    private static final String SDP = "application/sdp";

    private final URI uri;
    private final String baseUrl;
    private final String user;
    private final String password;
    private final Listener listener;
    private final Config config;
    private final EventLoopGroup ownGroup;
    private final ChannelFuture connectFuture;
    private final Channel channel;

    // Confined to the event loop.
    private int nextCSeq = 1;
    private final Map<Integer, Pending> pending = new HashMap<>();
    private String authChallenge;
    private boolean serverHasGetParameter;
    private ScheduledFuture<?> keepAlive;

    // Written on the event loop, read anywhere.
    private volatile SessionHeader session;
    private volatile String contentBase;

    /** One request waiting for its response. */
    private static final class Pending {
        final HttpMethod method;
        final String url;
        final HttpHeaders extra;
        final String body;
        final CompletableFuture<FullHttpResponse> future;
        boolean authRetried;
        ScheduledFuture<?> timeout;

        Pending(HttpMethod method, String url, HttpHeaders extra, String body, CompletableFuture<FullHttpResponse> future) {
            this.method = method;
            this.url = url;
            this.extra = extra;
            this.body = body;
            this.future = future;
        }
    }

    private RtspClient(EventLoopGroup group, EventLoopGroup ownGroup, URI uri, Listener listener, Config config) {
        if (!"rtsp".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("not an rtsp://host/... URI: " + uri);
        }
        this.listener = Objects.requireNonNull(listener, "listener");
        this.config = config;
        this.ownGroup = ownGroup;
        String userInfo = uri.getRawUserInfo();
        if (userInfo != null) {
            int colon = userInfo.indexOf(':');
            this.user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
            this.password = colon < 0 ? "" : decode(userInfo.substring(colon + 1));
        } else {
            this.user = null;
            this.password = null;
        }
        int port = uri.getPort() < 0 ? DEFAULT_PORT : uri.getPort();
        String host = uri.getHost();
        this.uri = URI.create("rtsp://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host)
                + (uri.getPort() < 0 ? "" : ":" + uri.getPort())
                + (uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath())
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()));
        this.baseUrl = this.uri.toString();
        Bootstrap bootstrap = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .handler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        RtspPipelines.addClientCodec(ch.pipeline());
                        ch.pipeline().addLast(new Handler());
                    }
                });
        this.connectFuture = bootstrap.connect(host, port);
        this.channel = connectFuture.channel();
    }

    private static String decode(String s) {
        return URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /**
     * Connects to the server of {@code uri}.
     *
     * @param group    an NIO event loop group to run on, or null for a private one-thread group
     *                 that {@link #close()} shuts down
     * @param uri      {@code rtsp://[user:password@]host[:port]/path[?query]}
     * @param listener receives interleaved data and the end of the connection
     */
    public static CompletableFuture<RtspClient> connect(EventLoopGroup group, URI uri, Listener listener) {
        return connect(group, uri, listener, Config.DEFAULT);
    }

    /** As {@link #connect(EventLoopGroup, URI, Listener)} with the given settings. */
    public static CompletableFuture<RtspClient> connect(EventLoopGroup group, URI uri, Listener listener, Config config) {
        EventLoopGroup own = group == null ? new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory()) : null;
        CompletableFuture<RtspClient> result = new CompletableFuture<>();
        RtspClient client;
        try {
            client = new RtspClient(group == null ? own : group, own, uri, listener, config);
        } catch (RuntimeException e) {
            if (own != null) {
                own.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            }
            throw e;
        }
        client.connectFuture.addListener(f -> {
            if (f.isSuccess()) {
                result.complete(client);
            } else {
                result.completeExceptionally(f.cause());
                client.close();
            }
        });
        return result;
    }

    /** The URI connected to, without credentials: the URL of OPTIONS, DESCRIBE and ANNOUNCE. */
    public String baseUrl() {
        return baseUrl;
    }

    /** The base of relative control URLs: DESCRIBE's {@code Content-Base} once known, else {@link #baseUrl()}. */
    public String contentBase() {
        String base = contentBase;
        return base == null ? baseUrl : base;
    }

    /** The session from the last SETUP, or null. */
    public SessionHeader session() {
        return session;
    }

    /** True while the connection is open. */
    public boolean isOpen() {
        return channel.isActive();
    }

    /**
     * Sends a request and completes with its response, which the caller must release. Adds
     * {@code CSeq}, {@code User-Agent}, {@code Session} (when set up and not in {@code extra}),
     * {@code Authorization} (after a 401, retrying that request once) and {@code Content-Length}.
     *
     * @param extra more headers, or null
     * @param body  the body as UTF-8 text, or null for none
     */
    public CompletableFuture<FullHttpResponse> request(HttpMethod method, String url, HttpHeaders extra, String body) {
        CompletableFuture<FullHttpResponse> future = new CompletableFuture<>();
        Pending p = new Pending(method, url, extra == null ? null : extra.copy(), body, future);
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            send(p);
        } else {
            loop.execute(() -> send(p));
        }
        return future;
    }

    /** OPTIONS on the base URL; learns whether the server takes GET_PARAMETER as keep-alive. */
    public CompletableFuture<RtspResponse> options() {
        return expectSuccess(request(RtspMethods.OPTIONS, baseUrl, null, null), "OPTIONS", RtspResponse::of);
    }

    /** DESCRIBE on the base URL; completes with the SDP and remembers {@code Content-Base}. */
    public CompletableFuture<String> describe() {
        HttpHeaders accept = headers(RtspHeaderNames.ACCEPT, SDP);
        return expectSuccess(request(RtspMethods.DESCRIBE, baseUrl, accept, null), "DESCRIBE", res -> {
            String base = res.headers().get(RtspHeaderNames.CONTENT_BASE);
            if (base == null) {
                base = res.headers().get(RtspHeaderNames.CONTENT_LOCATION);
            }
            contentBase = base;
            return res.content().toString(StandardCharsets.UTF_8);
        });
    }

    /**
     * SETUP of one track over the RTSP connection, channels {@code interleavedRtp} and the next;
     * completes with the server's Transport.
     *
     * @param controlUrl the track's {@code a=control}: absolute, or relative to {@link #contentBase()}
     */
    public CompletableFuture<Transport> setupTcp(String controlUrl, int interleavedRtp) {
        Transport transport = Transport.builder().lowerTransport(Transport.LOWER_TCP).unicast()
                .interleaved(interleavedRtp, interleavedRtp + 1).build();
        return setup(controlUrl, transport);
    }

    /** SETUP of one track with the given Transport; completes with the server's Transport. */
    public CompletableFuture<Transport> setup(String controlUrl, Transport transport) {
        HttpHeaders h = headers(RtspHeaderNames.TRANSPORT, transport.toString());
        return expectSuccess(request(RtspMethods.SETUP, resolveControl(controlUrl), h, null), "SETUP", res -> {
            String reply = res.headers().get(RtspHeaderNames.TRANSPORT);
            if (reply == null) {
                throw new IllegalStateException("SETUP answer without Transport");
            }
            return Transport.parse(reply);
        });
    }

    /** PLAY of the whole session, from {@code range} (null for none). */
    public CompletableFuture<RtspResponse> play(Range range) {
        HttpHeaders h = range == null ? null : headers(RtspHeaderNames.RANGE, range.toString());
        return expectSuccess(request(RtspMethods.PLAY, contentBase(), h, null), "PLAY", RtspResponse::of);
    }

    /** PAUSE of the whole session. */
    public CompletableFuture<RtspResponse> pause() {
        return expectSuccess(request(RtspMethods.PAUSE, contentBase(), null, null), "PAUSE", RtspResponse::of);
    }

    /** ANNOUNCE of a stream to publish, described by {@code sdp}. */
    public CompletableFuture<RtspResponse> announce(String sdp) {
        HttpHeaders h = headers(RtspHeaderNames.CONTENT_TYPE, SDP);
        return expectSuccess(request(RtspMethods.ANNOUNCE, baseUrl, h, sdp), "ANNOUNCE", RtspResponse::of);
    }

    /** RECORD of the whole session. */
    public CompletableFuture<RtspResponse> record() {
        return expectSuccess(request(RtspMethods.RECORD, contentBase(), null, null), "RECORD", RtspResponse::of);
    }

    /** TEARDOWN of the whole session; stops the keep-alive and forgets the session. */
    public CompletableFuture<RtspResponse> teardown() {
        return expectSuccess(request(RtspMethods.TEARDOWN, contentBase(), null, null), "TEARDOWN", res -> {
            stopKeepAlive();
            session = null;
            return RtspResponse.of(res);
        });
    }

    /** Sends interleaved data; takes ownership of {@code data}. */
    public ChannelFuture sendInterleaved(int channel, ByteBuf data) {
        return this.channel.writeAndFlush(new InterleavedFrame(channel, data));
    }

    /** Closes the connection (without TEARDOWN) and shuts down a private event loop group. */
    @Override
    public void close() {
        ChannelFuture closed = channel.close();
        if (ownGroup != null) {
            closed.addListener(f -> ownGroup.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS));
        }
        if (!channel.eventLoop().inEventLoop()) {
            closed.awaitUninterruptibly();
        }
    }

    private String resolveControl(String control) {
        if (control == null || control.isEmpty() || control.equals("*")) {
            return contentBase();
        }
        if (control.regionMatches(true, 0, "rtsp://", 0, 7)) {
            return control;
        }
        String base = contentBase();
        return base.endsWith("/") ? base + control : base + "/" + control;
    }

    private static HttpHeaders headers(CharSequence name, String value) {
        return DefaultHttpHeadersFactory.headersFactory().newHeaders().set(name, value);
    }

    private <T> CompletableFuture<T> expectSuccess(CompletableFuture<FullHttpResponse> response, String what,
                                                   Function<FullHttpResponse, T> convert) {
        return response.thenApply(res -> {
            try {
                if (res.status().code() < 200 || res.status().code() >= 300) {
                    throw new CompletionException(
                            new RtspStatusException(res.status(), what + " answered " + res.status()));
                }
                return convert.apply(res);
            } finally {
                res.release();
            }
        });
    }

    // ---- event loop side ----

    private void send(Pending p) {
        if (!channel.isActive()) {
            p.future.completeExceptionally(new ClosedChannelException());
            return;
        }
        if (pending.size() >= config.maxInFlight()) {
            p.future.completeExceptionally(new IllegalStateException(
                    "more than " + config.maxInFlight() + " RTSP requests in flight"));
            return;
        }
        int cseq = nextCSeq++;
        ByteBuf content = p.body == null ? Unpooled.EMPTY_BUFFER : Unpooled.copiedBuffer(p.body, StandardCharsets.UTF_8);
        FullHttpRequest req = new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, p.method, p.url, content);
        HttpHeaders h = req.headers();
        h.set(RtspHeaderNames.CSEQ, cseq);
        h.set(RtspHeaderNames.USER_AGENT, config.userAgent());
        if (p.extra != null) {
            h.add(p.extra);
        }
        SessionHeader s = session;
        if (s != null && !h.contains(RtspHeaderNames.SESSION)) {
            h.set(RtspHeaderNames.SESSION, s.id());
        }
        if (authChallenge != null && user != null) {
            h.set(RtspHeaderNames.AUTHORIZATION,
                    Authentication.authorizationFor(authChallenge, p.method.name(), p.url, user, password));
        }
        if (content.isReadable()) {
            h.set(RtspHeaderNames.CONTENT_LENGTH, content.readableBytes());
        }
        pending.put(cseq, p);
        p.timeout = channel.eventLoop().schedule(() -> {
            if (pending.remove(cseq) == p) {
                p.future.completeExceptionally(new TimeoutException(
                        p.method + " " + p.url + " not answered within " + config.requestTimeoutMs() + " ms"));
            }
        }, config.requestTimeoutMs(), TimeUnit.MILLISECONDS);
        channel.writeAndFlush(req).addListener(f -> {
            if (!f.isSuccess() && pending.remove(cseq) == p) {
                p.timeout.cancel(false);
                p.future.completeExceptionally(f.cause());
            }
        });
    }

    private void onResponse(FullHttpResponse res) {
        Pending p = takePending(res);
        if (p == null) {
            res.release();
            return;
        }
        p.timeout.cancel(false);
        if (res.status().code() == RtspResponseStatuses.UNAUTHORIZED.code() && !p.authRetried && user != null) {
            String challenge = Authentication.preferredChallenge(res.headers().getAll(RtspHeaderNames.WWW_AUTHENTICATE));
            if (challenge != null) {
                res.release();
                authChallenge = challenge;
                p.authRetried = true;
                send(p);
                return;
            }
        }
        boolean success = res.status().code() >= 200 && res.status().code() < 300;
        if (success && p.method.equals(RtspMethods.OPTIONS)) {
            String pub = res.headers().get(RtspHeaderNames.PUBLIC, "");
            serverHasGetParameter = pub.contains(RtspMethods.GET_PARAMETER.name());
        }
        String sessionValue = res.headers().get(RtspHeaderNames.SESSION);
        if (success && sessionValue != null && p.method.equals(RtspMethods.SETUP)) {
            try {
                session = SessionHeader.parse(sessionValue);
                startKeepAlive();
            } catch (IllegalArgumentException e) {
                res.release();
                p.future.completeExceptionally(e);
                return;
            }
        }
        if (!p.future.complete(res)) {
            res.release();
        }
    }

    /** The request {@code res} answers: by CSeq, or the only one waiting when a server omits CSeq. */
    private Pending takePending(FullHttpResponse res) {
        String cseq = res.headers().get(RtspHeaderNames.CSEQ);
        if (cseq != null) {
            try {
                return pending.remove(Integer.parseInt(cseq.trim()));
            } catch (NumberFormatException e) {
                return null;
            }
        }
        if (pending.size() == 1) {
            Integer only = pending.keySet().iterator().next();
            return pending.remove(only);
        }
        return null;
    }

    private void startKeepAlive() {
        if (keepAlive != null) {
            return;
        }
        SessionHeader s = session;
        int timeoutSeconds = s.timeoutSeconds() == null ? DEFAULT_SESSION_TIMEOUT_SECONDS : s.timeoutSeconds();
        long periodMs = timeoutSeconds * 1000L / 2;
        keepAlive = channel.eventLoop().scheduleAtFixedRate(() -> {
            HttpMethod method = serverHasGetParameter ? RtspMethods.GET_PARAMETER : RtspMethods.OPTIONS;
            request(method, contentBase(), null, null).whenComplete((res, e) -> {
                if (res != null) {
                    res.release();
                }
            });
        }, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    private void stopKeepAlive() {
        if (keepAlive != null) {
            keepAlive.cancel(false);
            keepAlive = null;
        }
    }

    /** Answers a request from the server: OPTIONS and GET_PARAMETER (its keep-alives) with 200, others 501. */
    private void onServerRequest(ChannelHandlerContext ctx, FullHttpRequest req) {
        boolean known = req.method().equals(RtspMethods.OPTIONS) || req.method().equals(RtspMethods.GET_PARAMETER);
        FullHttpResponse res = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0,
                known ? RtspResponseStatuses.OK : RtspResponseStatuses.NOT_IMPLEMENTED);
        String cseq = req.headers().get(RtspHeaderNames.CSEQ);
        if (cseq != null) {
            res.headers().set(RtspHeaderNames.CSEQ, cseq);
        }
        ctx.writeAndFlush(res);
    }

    private void onClosed() {
        stopKeepAlive();
        List<Pending> waiting = new ArrayList<>(pending.values());
        pending.clear();
        for (Pending p : waiting) {
            p.timeout.cancel(false);
            p.future.completeExceptionally(new ClosedChannelException());
        }
        listener.onClosed();
    }

    private final class Handler extends SimpleChannelInboundHandler<Object> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof InterleavedFrame frame) {
                listener.onInterleaved(frame.channel(), frame.content());
            } else if (msg instanceof FullHttpMessage m && m.decoderResult().isFailure()) {
                // The framing of the stream is lost; nothing after this can be trusted.
                ctx.close();
            } else if (msg instanceof FullHttpResponse res) {
                onResponse(res.retain());
            } else if (msg instanceof FullHttpRequest req) {
                onServerRequest(ctx, req);
            }
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            onClosed();
            ctx.fireChannelInactive();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

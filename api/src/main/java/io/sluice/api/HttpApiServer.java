package io.sluice.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMessage;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.sluice.node.PortBinding;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP listener: the JSON API under {@code /api/v1}, {@code /metrics} and the dashboard.
 * Request bodies are bounded by {@code maxBodyBytes} (larger ones answer 413). Routes marked admin pass
 * {@link AdminAuth} before they run; every failure is {@code {"error":..,"detail":..}} with its status.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);
    private static final int MAX_INITIAL_LINE = 4096;
    private static final int MAX_HEADER_SIZE = 8192;
    private static final int MAX_CHUNK_SIZE = 8192;

    private final Channel listener;

    private HttpApiServer(Channel listener) {
        this.listener = listener;
    }

    public static HttpApiServer start(EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass,
                                      String host, int port, int maxBodyBytes, ApiRouter router, AdminAuth auth,
                                      ObjectMapper json) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(MAX_INITIAL_LINE, MAX_HEADER_SIZE, MAX_CHUNK_SIZE));
                        ch.pipeline().addLast(new JsonLimitAggregator(maxBodyBytes, json));
                        ch.pipeline().addLast(new Handler(router, auth, json));
                    }
                });
        return new HttpApiServer(PortBinding.bind(b, host, port, "HTTP port"));
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    /** Answers a body over the limit with the API's JSON error instead of an empty 413. */
    private static final class JsonLimitAggregator extends HttpObjectAggregator {
        private final ObjectMapper json;

        JsonLimitAggregator(int maxBodyBytes, ObjectMapper json) {
            super(maxBodyBytes);
            this.json = json;
        }

        @Override
        protected void handleOversizedMessage(ChannelHandlerContext ctx, HttpMessage oversized) throws Exception {
            byte[] body = json.writeValueAsBytes(Map.of("error", "too_large",
                    "detail", "the request body is over " + maxContentLength() + " bytes"));
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.REQUEST_ENTITY_TOO_LARGE, Unpooled.wrappedBuffer(body));
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
            r.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
            ctx.writeAndFlush(r).addListener(ChannelFutureListener.CLOSE);
        }
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ApiRouter router;
        private final AdminAuth auth;
        private final ObjectMapper json;

        Handler(ApiRouter router, AdminAuth auth, ObjectMapper json) {
            this.router = router;
            this.auth = auth;
            this.json = json;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            if (request.decoderResult().isFailure()) {
                send(ctx, request, error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                        request.decoderResult().cause().getMessage()), false);
                return;
            }
            // The raw path: the router decodes each variable once, so an escaped '/' or '%' stays in its segment.
            String path = new QueryStringDecoder(request.uri()).rawPath();
            ApiRouter.Match match;
            try {
                match = router.match(request.method(), path);
            } catch (IllegalArgumentException e) {
                send(ctx, request, error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                        "malformed escape in the path " + path + ": " + e.getMessage()), true);
                return;
            }
            if (match == null) {
                send(ctx, request, error(HttpResponseStatus.NOT_FOUND, "not_found", "no resource at " + path), true);
                return;
            }
            if (match.route() == null) {
                FullHttpResponse r = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        request.method() + " is not allowed on " + path);
                r.headers().set(HttpHeaderNames.ALLOW,
                        match.allowed().stream().map(Object::toString).collect(Collectors.joining(", ")));
                send(ctx, request, r, true);
                return;
            }
            ApiResponse result;
            try {
                ApiRequest call = new ApiRequest(request, match.variables(), (InetSocketAddress) ctx.channel().remoteAddress());
                if (match.endpoint().admin()) {
                    auth.check(call);
                }
                result = match.route().handle(call);
            } catch (ApiException e) {
                FullHttpResponse r = error(e.status(), e.error(), e.getMessage());
                if (e.status().code() == 401) {
                    r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer realm=\"sluice\"");
                }
                send(ctx, request, r, true);
                return;
            } catch (RuntimeException e) {
                log.warn("http {} {} failed", request.method(), path, e);
                send(ctx, request, error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", e.toString()), true);
                return;
            }
            if (result.events() != null) {
                openEventStream(ctx, result.events());
                return;
            }
            send(ctx, request, toHttp(result), true);
        }

        private void openEventStream(ChannelHandlerContext ctx, EventHub hub) {
            HttpResponse r = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, "text/event-stream; charset=utf-8");
            r.headers().set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_CACHE);
            r.headers().set(HttpHeaderNames.TRANSFER_ENCODING, HttpHeaderValues.CHUNKED);
            ctx.write(r);
            hub.subscribe(ctx.channel());
        }

        private FullHttpResponse toHttp(ApiResponse result) {
            if (result.bytes() != null) {
                FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, result.status(),
                        Unpooled.wrappedBuffer(result.bytes()));
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, result.contentType());
                r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, result.bytes().length);
                return r;
            }
            return json(result.status(), result.json());
        }

        private void send(ChannelHandlerContext ctx, FullHttpRequest request, FullHttpResponse response, boolean canKeepAlive) {
            boolean keepAlive = canKeepAlive && HttpUtil.isKeepAlive(request);
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse error(HttpResponseStatus status, String error, String detail) {
            Map<String, String> body = new LinkedHashMap<>();
            body.put("error", error);
            body.put("detail", detail);
            return json(status, body);
        }

        private FullHttpResponse json(HttpResponseStatus status, Object body) {
            ByteBuf content;
            try {
                content = body == null ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(json.writeValueAsBytes(body));
            } catch (Exception e) {
                throw new IllegalStateException("cannot write JSON", e);
            }
            FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, content);
            if (body != null) {
                r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            }
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

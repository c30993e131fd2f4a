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
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.net.InetSocketAddress;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's HTTP listener: JSON routes under {@code /api/v1}. Request bodies are bounded by
 * {@code maxBodyBytes}; larger ones answer 413.
 */
public final class HttpApiServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(HttpApiServer.class);

    private final Channel listener;

    private HttpApiServer(Channel listener) {
        this.listener = listener;
    }

    public static HttpApiServer start(EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass,
                                      String host, int port, int maxBodyBytes, ApiRouter router,
                                      ObjectMapper json) throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192));
                        ch.pipeline().addLast(new HttpObjectAggregator(maxBodyBytes));
                        ch.pipeline().addLast(new Handler(router, json));
                    }
                });
        return new HttpApiServer(b.bind(host, port).sync().channel());
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    private static final class Handler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private final ApiRouter router;
        private final ObjectMapper json;

        Handler(ApiRouter router, ObjectMapper json) {
            this.router = router;
            this.json = json;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            FullHttpResponse response;
            if (request.decoderResult().isFailure()) {
                response = error(HttpResponseStatus.BAD_REQUEST, "bad_request",
                        request.decoderResult().cause().getMessage());
            } else {
                response = answer(ctx, request);
            }
            boolean keepAlive = HttpUtil.isKeepAlive(request) && !request.decoderResult().isFailure();
            HttpUtil.setKeepAlive(response, keepAlive);
            var future = ctx.writeAndFlush(response);
            if (!keepAlive) {
                future.addListener(ChannelFutureListener.CLOSE);
            }
        }

        private FullHttpResponse answer(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            ApiRouter.Match match = router.match(request.method(), path);
            if (match == null) {
                return error(HttpResponseStatus.NOT_FOUND, "not_found", "no resource at " + path);
            }
            if (match.route() == null) {
                FullHttpResponse r = error(HttpResponseStatus.METHOD_NOT_ALLOWED, "method_not_allowed",
                        request.method() + " is not allowed on " + path);
                r.headers().set(HttpHeaderNames.ALLOW,
                        match.allowed().stream().map(Object::toString).collect(Collectors.joining(", ")));
                return r;
            }
            try {
                ApiResponse result = match.route().handle(
                        new ApiRequest(request, match.variables(), (InetSocketAddress) ctx.channel().remoteAddress()));
                return json(result.status(), result.body());
            } catch (ApiException e) {
                return error(e.status(), e.error(), e.getMessage());
            } catch (RuntimeException e) {
                log.warn("http {} {} failed", request.method(), path, e);
                return error(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal_error", e.toString());
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
            r.headers().set(HttpHeaderNames.CONTENT_TYPE, HttpHeaderValues.APPLICATION_JSON);
            r.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, content.readableBytes());
            return r;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

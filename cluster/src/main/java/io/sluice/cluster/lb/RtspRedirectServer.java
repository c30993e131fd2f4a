package io.sluice.cluster.lb;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import io.netty.util.ReferenceCountUtil;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.node.PortBinding;
import io.sluice.node.rtsp.RtspUrl;
import io.sluice.rtsp.codec.RtspMessageDecoder;
import io.sluice.rtsp.codec.RtspPipelines;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The load balancer's RTSP face for plain players: a request for {@code /vod/FID} or {@code /live/NAME} seats
 * the player (the {@code uid} of the URL's query, or one made for the connection) and answers
 * {@code 302 Moved Temporarily} with the node's URL in {@code Location}, which ffmpeg and GStreamer follow.
 * No media passes here. Seating is a cluster call, so it runs on {@code blocking}, off the event loop.
 *
 * <pre>
 * player                         lb                                   node
 *   DESCRIBE rtsp://lb/vod/f.mp4 -->
 *                                <-- 302  Location: rtsp://node:8554/vod/f.mp4
 *   DESCRIBE rtsp://node:8554/vod/f.mp4 ------------------------------>
 * </pre>
 */
public final class RtspRedirectServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtspRedirectServer.class);
    private static final String PUBLIC = "OPTIONS, DESCRIBE, SETUP, PLAY, TEARDOWN, GET_PARAMETER";

    private final Channel listener;

    private RtspRedirectServer(Channel listener) {
        this.listener = listener;
    }

    public static RtspRedirectServer start(EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass,
                                           String host, int port, int maxRequestLine, int maxHeaderSize,
                                           LoadBalancer lb, Executor blocking)
            throws InterruptedException {
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        // a redirect takes no body: the decoder's own bound on one is enough
                        RtspPipelines.addServerCodec(ch.pipeline(), maxRequestLine, maxHeaderSize,
                                RtspMessageDecoder.DEFAULT_MAX_CONTENT_LENGTH);
                        ch.pipeline().addLast(new Handler(lb, blocking, maxRequestLine));
                    }
                });
        return new RtspRedirectServer(PortBinding.bind(b, host, port, "RTSP port"));
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    @Override
    public void close() {
        listener.close().syncUninterruptibly();
    }

    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final LoadBalancer lb;
        private final Executor blocking;
        private final int maxNameLength;
        /** The uid of a player that named none: one per connection, so its retries keep one seat. */
        private String connectionUid;

        Handler(LoadBalancer lb, Executor blocking, int maxNameLength) {
            this.lb = lb;
            this.blocking = blocking;
            this.maxNameLength = maxNameLength;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (!(msg instanceof FullHttpRequest request)) {
                // interleaved data: nothing is set up here to take it
                ReferenceCountUtil.release(msg);
                return;
            }
            try {
                handle(ctx, request);
            } finally {
                request.release();
            }
        }

        private void handle(ChannelHandlerContext ctx, FullHttpRequest request) {
            String cseq = request.headers().get(RtspHeaderNames.CSEQ);
            if (request.decoderResult().isFailure()) {
                reply(ctx, cseq, HttpResponseStatus.BAD_REQUEST, request.decoderResult().cause().getMessage(), true);
                return;
            }
            HttpMethod method = request.method();
            if (method.equals(RtspMethods.OPTIONS) || method.equals(RtspMethods.GET_PARAMETER)) {
                FullHttpResponse r = response(cseq, HttpResponseStatus.OK);
                r.headers().set(RtspHeaderNames.PUBLIC, PUBLIC);
                ctx.writeAndFlush(r);
                return;
            }
            if (method.equals(RtspMethods.TEARDOWN)) {
                reply(ctx, cseq, HttpResponseStatus.OK, null, false);
                return;
            }
            if (!method.equals(RtspMethods.DESCRIBE) && !method.equals(RtspMethods.SETUP)
                    && !method.equals(RtspMethods.PLAY)) {
                reply(ctx, cseq, RtspResponseStatuses.METHOD_NOT_ALLOWED,
                        "the load balancer redirects players; publish to a node", false);
                return;
            }
            RoomKey room;
            String uid;
            try {
                RtspUrl url = RtspUrl.parse(request.uri());
                room = room(url);
                String given = url.queryParameter("uid");
                uid = given != null ? SeatRequest.checkUid(given) : connectionUid();
            } catch (IllegalArgumentException e) {
                reply(ctx, cseq, HttpResponseStatus.BAD_REQUEST, e.getMessage(), false);
                return;
            }
            if (room == null) {
                reply(ctx, cseq, HttpResponseStatus.NOT_FOUND, "play rtsp://HOST/vod/FILM or rtsp://HOST/live/NAME",
                        false);
                return;
            }
            SeatRequest seat = new SeatRequest(uid, room, null);
            InetSocketAddress remote = (InetSocketAddress) ctx.channel().remoteAddress();
            blocking.execute(() -> {
                try {
                    AssignView answer = lb.assign(seat);
                    log.info("lb rtsp {}: {} for {} -> {}", remote, uid, room, answer.rtsp());
                    FullHttpResponse r = response(cseq, RtspResponseStatuses.MOVED_TEMPORARILY);
                    r.headers().set(HttpHeaderNames.LOCATION, answer.rtsp());
                    ctx.writeAndFlush(r);
                } catch (LoadBalancer.Refused e) {
                    HttpResponseStatus status = switch (e.outcome()) {
                        case UNKNOWN -> HttpResponseStatus.NOT_FOUND;
                        default -> RtspResponseStatuses.SERVICE_UNAVAILABLE;
                    };
                    reply(ctx, cseq, status, e.getMessage(), false);
                } catch (RuntimeException e) {
                    log.warn("lb rtsp {}: seating {} failed", remote, uid, e);
                    reply(ctx, cseq, RtspResponseStatuses.SERVICE_UNAVAILABLE, "the cluster did not answer", false);
                }
            });
        }

        private String connectionUid() {
            if (connectionUid == null) {
                connectionUid = "rtsp-" + UUID.randomUUID();
            }
            return connectionUid;
        }

        /** The film or stream of {@code /vod/FID[/...]} or {@code /live/NAME}, without a track control. */
        private RoomKey room(RtspUrl url) {
            List<String> segments = url.segments();
            if (segments.size() < 2) {
                return null;
            }
            int end = segments.size();
            if (segments.get(end - 1).startsWith("trackID=") || segments.get(end - 1).startsWith("streamid=")) {
                end--;
            }
            if (end < 2) {
                return null;
            }
            String name = String.join("/", segments.subList(1, end));
            return switch (segments.get(0)) {
                case "vod" -> RoomKey.film(SeatRequest.checkName("film", name, maxNameLength));
                case "live" -> end == 2 ? RoomKey.live(SeatRequest.checkName("stream", name, maxNameLength)) : null;
                default -> null;
            };
        }

        private static FullHttpResponse response(String cseq, HttpResponseStatus status) {
            FullHttpResponse r = new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, Unpooled.EMPTY_BUFFER);
            if (cseq != null) {
                r.headers().set(RtspHeaderNames.CSEQ, cseq);
            }
            r.headers().set(RtspHeaderNames.SERVER, "Sluice load balancer");
            r.headers().setInt(RtspHeaderNames.CONTENT_LENGTH, 0);
            return r;
        }

        private static void reply(ChannelHandlerContext ctx, String cseq, HttpResponseStatus status, String why,
                                  boolean close) {
            FullHttpResponse r = response(cseq, status);
            if (why != null) {
                log.debug("lb rtsp {}: {} ({})", ctx.channel().remoteAddress(), status, why);
            }
            var written = ctx.writeAndFlush(r);
            if (close) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}

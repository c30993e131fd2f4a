package io.sluice.node.rtsp;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.node.NodeConfig;
import io.sluice.node.NodeCounters;
import io.sluice.node.PortBinding;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.node.live.PathRegistry;
import io.sluice.node.udp.UdpMediaEndpoint;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.rtsp.auth.NonceGenerator;
import io.sluice.rtsp.codec.RtspPipelines;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The RTSP listener of a node, and the sweeper that closes sessions past their timeout. */
public final class RtspServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(RtspServer.class);
    private static final long SWEEP_INTERVAL_MS = 1000;
    /** A Digest nonce outlives any publisher's ANNOUNCE-401-ANNOUNCE round trip by far. */
    private static final long NONCE_VALIDITY_MS = 5 * 60_000;

    private final RtspServerContext context;
    private final Channel listener;
    private final ScheduledFuture<?> sweeper;

    private RtspServer(RtspServerContext context, Channel listener, ScheduledFuture<?> sweeper) {
        this.context = context;
        this.listener = listener;
        this.sweeper = sweeper;
    }

    public static RtspServer start(NodeConfig config, EventLoopGroup group, Class<? extends ServerSocketChannel> channelClass,
                                   PathRegistry paths, StreamKeyStore keys, UdpMediaEndpoint udp, NodeCounters counters,
                                   LongSupplier nanoClock) throws InterruptedException {
        PublishAuthorizer authorizer = new PublishAuthorizer(keys, new NonceGenerator(NONCE_VALIDITY_MS));
        RtspServerContext context = new RtspServerContext(config, paths, authorizer, udp, counters, nanoClock,
                ByteBufAllocator.DEFAULT);
        ServerBootstrap b = new ServerBootstrap()
                .group(group)
                .channel(channelClass)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.WRITE_BUFFER_WATER_MARK,
                        new WriteBufferWaterMark(config.readerQueueLowBytes(), config.readerQueueHighBytes()))
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        RtspPipelines.addServerCodec(ch.pipeline(), config.maxInitialLineLength(),
                                config.maxHeaderSize(), config.maxContentLength());
                        ch.pipeline().addLast("rtspConnection", new RtspConnectionHandler(context));
                    }
                });
        Channel listener = PortBinding.bind(b, config.bindAddress(), config.rtspPort(), "RTSP port");
        ScheduledFuture<?> sweeper = group.next().scheduleAtFixedRate(() -> sweep(context),
                SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
        return new RtspServer(context, listener, sweeper);
    }

    private static void sweep(RtspServerContext context) {
        long nowNs = context.nanoClock.getAsLong();
        long timeoutNs = context.sessionTimeoutNs();
        for (RtspServerSession session : context.sessions.values()) {
            // Interleaved sessions live as long as their connection; the stall limit guards those readers.
            if (!session.interleavedOnly() && nowNs - session.lastSeenNs() > timeoutNs) {
                context.counters.sessionTimeouts.increment();
                log.info("rtsp: session {} {} timed out", session.id, session.room());
                session.closer.accept("timeout");
            }
        }
    }

    /** Serves the library's films at {@code /vod/FID} from now on. */
    public void serveFilms(FilmLibrary films) {
        context.films = films;
    }

    public int port() {
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    public int sessionCount() {
        return context.sessions.size();
    }

    public int connectionCount() {
        return context.connections.get();
    }

    /** Every open session, read from any thread. */
    public List<RtspSessionInfo> sessions() {
        List<RtspSessionInfo> list = new ArrayList<>();
        for (RtspServerSession s : context.sessions.values()) {
            String transport = "-";
            TrackSetup[] setups = s.setups;
            if (setups != null) {
                for (TrackSetup t : setups) {
                    if (t != null) {
                        transport = t.tcp() ? "tcp" : "udp";
                        break;
                    }
                }
            }
            list.add(new RtspSessionInfo(s.id, (InetSocketAddress) s.connection.remoteAddress(),
                    s.role.name().toLowerCase(Locale.ROOT), transport, s.path(), s.state(), s.stream, s.reader,
                    s.uid));
        }
        return list;
    }

    /**
     * Ends a session from any thread and disconnects its client: a reader gets RTCP BYE first, a
     * publisher's stream ends (its readers get BYE). Answers false when there is no such session.
     */
    public boolean kick(String sessionId, String reason) {
        RtspServerSession s = context.sessions.get(sessionId);
        if (s == null) {
            return false;
        }
        LiveReader reader = s.reader;
        LiveStream stream = s.stream;
        if (s.role == RtspServerSession.Role.READER && reader != null && stream != null) {
            // The reader's close action then ends the session on its connection loop, after the BYE was queued.
            context.udp.execute(() -> {
                if (!stream.kickReader(reader, reason)) {
                    disconnect(s, reason);
                }
            });
        } else {
            disconnect(s, reason);
        }
        return true;
    }

    private static void disconnect(RtspServerSession s, String reason) {
        s.closer.accept(reason);
        s.connection.close();
    }

    /**
     * Applies new limits: connections and sessions opened from now on read them. The listener, the sockets
     * and the threads keep what they were started with.
     */
    public void reconfigure(NodeConfig config) {
        context.config = config;
    }

    @Override
    public void close() {
        sweeper.cancel(false);
        listener.close().syncUninterruptibly();
    }
}

package io.sluice.node;

import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.node.live.LiveStream;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.node.live.PathRegistry;
import io.sluice.node.nativeproto.NativeServer;
import io.sluice.node.rtsp.RtspSessionInfo;
import io.sluice.node.rtsp.RtspServer;
import io.sluice.node.udp.UdpMediaEndpoint;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running media node: the RTSP server, the shared RTP/RTCP ports, the live paths and the key store.
 * One event loop of the group is the media loop that owns the UDP sockets and every stream's fan-out;
 * the others serve RTSP connections.
 */
public final class MediaNode implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(MediaNode.class);

    private volatile NodeConfig config;
    private final EventLoopGroup group;
    private final StreamKeyStore keys;
    private final PathRegistry paths;
    private final NodeCounters counters;
    private final UdpMediaEndpoint udp;
    private final RtspServer rtsp;
    private FilmLibrary films;
    /** Set by {@link #start} once the node exists. */
    private NativeServer nativeServer;

    private MediaNode(NodeConfig config, EventLoopGroup group, StreamKeyStore keys, PathRegistry paths,
                      NodeCounters counters, UdpMediaEndpoint udp, RtspServer rtsp) {
        this.config = config;
        this.group = group;
        this.keys = keys;
        this.paths = paths;
        this.counters = counters;
        this.udp = udp;
        this.rtsp = rtsp;
    }

    public static MediaNode start(NodeConfig config) {
        return start(config, StreamKeyStore.open(config.dataDir()), System::nanoTime);
    }

    public static MediaNode start(NodeConfig config, StreamKeyStore keys, LongSupplier nanoClock) {
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(config.ioThreads(), "sluice-io");
        UdpMediaEndpoint udp = null;
        NativeServer nativeServer = null;
        try {
            NodeCounters counters = new NodeCounters();
            PathRegistry paths = new PathRegistry();
            EventLoop mediaLoop = group.next();
            udp = UdpMediaEndpoint.bind(mediaLoop, transport.datagramChannel(), config.bindAddress(), config.rtpPort(),
                    config.udpSocketBufferBytes(), config.udpSegmentationOffload(), counters, nanoClock);
            nativeServer = NativeServer.start(config, mediaLoop, transport.datagramChannel(), paths, keys, nanoClock);
            RtspServer rtsp = RtspServer.start(config, group, transport.serverChannel(), paths, keys, udp, counters,
                    nanoClock);
            log.info("media node up ({} transport{}): RTSP on {}:{}, RTP/RTCP on UDP {}/{}", transport.name(),
                    udp.segmentationOffload() ? ", UDP GSO" : "", config.bindAddress(), rtsp.port(),
                    config.rtpPort(), config.rtcpPort());
            MediaNode node = new MediaNode(config, group, keys, paths, counters, udp, rtsp);
            node.nativeServer = nativeServer;
            node.films = FilmLibrary.start(config, udp, nanoClock);
            rtsp.serveFilms(node.films);
            nativeServer.serveFilms(node.films);
            return node;
        } catch (Exception e) {
            if (nativeServer != null) {
                nativeServer.close();
            }
            if (udp != null) {
                udp.close();
            }
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            keys.close();
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException("cannot start the media node: " + e.getMessage(), e);
        }
    }

    /** The film library served at {@code rtsp://HOST/vod/FID}. */
    public FilmLibrary films() {
        return films;
    }

    public NodeConfig config() {
        return config;
    }

    public StreamKeyStore keys() {
        return keys;
    }

    public PathRegistry paths() {
        return paths;
    }

    public NodeCounters counters() {
        return counters;
    }

    /** The native push/pull protocol server: its ports, counters and statistics. */
    public NativeServer nativeServer() {
        return nativeServer;
    }

    public int rtspPort() {
        return rtsp.port();
    }

    public int rtpPort() {
        return udp.rtpPort();
    }

    /**
     * The shared RTP/RTCP endpoint and its media loop, where a stream fed from elsewhere (a cluster's origin
     * pull) is created and fed, as the RTSP server does for a publisher.
     */
    public UdpMediaEndpoint udp() {
        return udp;
    }

    public int sessionCount() {
        return rtsp.sessionCount();
    }

    public int rtspConnectionCount() {
        return rtsp.connectionCount();
    }

    /** Every open RTSP session. */
    public List<RtspSessionInfo> rtspSessions() {
        return rtsp.sessions();
    }

    /** Disconnects a session's client (see {@link RtspServer#kick}); false when there is no such session. */
    public boolean kickSession(String sessionId, String reason) {
        return rtsp.kick(sessionId, reason);
    }

    /**
     * Stops a live stream: its publisher is disconnected and its readers get BYE. Answers false when
     * nothing is published under {@code liveId}.
     */
    public boolean stopStream(String liveId, String reason) {
        LiveStream stream = paths.find(liveId);
        if (stream == null) {
            return false;
        }
        if (!rtsp.kick(stream.publisherSessionId(), reason)) {
            udp.execute(() -> {
                stream.end(reason);
                paths.release(stream);
            });
        }
        return true;
    }

    /**
     * Applies new limits without a restart (see {@link RtspServer#reconfigure}). Addresses, ports,
     * directories, socket buffers and thread counts are only read at start.
     */
    public void reconfigure(NodeConfig next) {
        this.config = next;
        rtsp.reconfigure(next);
        nativeServer.reconfigure(next);
    }

    @Override
    public void close() {
        rtsp.close();
        // Streams hold retained packets (GOP cache, retransmission history): release them on the media loop
        // before it stops, or they would leak.
        udp.loop().submit(() -> {
            for (LiveStream stream : paths.all()) {
                stream.end("node shutting down");
                paths.release(stream);
            }
        }).syncUninterruptibly();
        if (films != null) {
            films.close();
        }
        nativeServer.close();
        udp.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        keys.close();
    }
}

package io.sluice.node.rtsp;

import io.netty.buffer.ByteBufAllocator;
import io.sluice.node.NodeConfig;
import io.sluice.node.NodeCounters;
import io.sluice.node.live.PathRegistry;
import io.sluice.node.udp.UdpMediaEndpoint;
import io.sluice.node.vod.FilmLibrary;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/** What every RTSP connection of a node shares: configuration, registries, the UDP endpoint and the clock. */
final class RtspServerContext {

    /** Replaced by {@link RtspServer#reconfigure}: limits are read per connection and per session. */
    volatile NodeConfig config;
    final PathRegistry paths;
    final PublishAuthorizer authorizer;
    final UdpMediaEndpoint udp;
    final NodeCounters counters;
    final LongSupplier nanoClock;
    final ByteBufAllocator alloc;
    final ConcurrentHashMap<String, RtspServerSession> sessions = new ConcurrentHashMap<>();
    final AtomicInteger connections = new AtomicInteger();
    /** The film library behind {@code /vod/} paths; null until the node attaches it (then 404). */
    volatile FilmLibrary films;
    private final SecureRandom random = new SecureRandom();

    RtspServerContext(NodeConfig config, PathRegistry paths, PublishAuthorizer authorizer, UdpMediaEndpoint udp,
                      NodeCounters counters, LongSupplier nanoClock, ByteBufAllocator alloc) {
        this.config = config;
        this.paths = paths;
        this.authorizer = authorizer;
        this.udp = udp;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.alloc = alloc;
    }

    /** A session id nobody can guess: 64 random bits in hex. */
    String newSessionId() {
        byte[] bytes = new byte[8];
        random.nextBytes(bytes);
        return HexFormat.of().formatHex(bytes);
    }

    long sessionTimeoutNs() {
        return config.sessionTimeout().toNanos();
    }
}

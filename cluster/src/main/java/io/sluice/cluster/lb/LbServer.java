package io.sluice.cluster.lb;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.sluice.api.AdminAuth;
import io.sluice.api.ApiResponse;
import io.sluice.api.ApiRouter;
import io.sluice.api.Endpoint;
import io.sluice.api.HttpApiServer;
import io.sluice.api.JsonBodies;
import io.sluice.api.openapi.OpenApiDocument;
import io.sluice.cluster.hz.ClusterMember;
import io.sluice.node.NettyTransport;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A load-balancer-only process's endpoints: the HTTP API under {@code /api/v1/lb} and the RTSP redirector, no
 * media. Several may run at once: each asks the cluster for every decision and keeps nothing of its own. Each
 * also lets expired seats and rooms go once a second, so they go even when nobody calls.
 */
public final class LbServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(LbServer.class);
    private static final long SWEEP_INTERVAL_MS = 1_000;
    /** Threads that wait on the cluster for the RTSP redirector. */
    private static final int BLOCKING_THREADS = 4;

    /**
     * Where the load balancer listens.
     *
     * @param ioThreads      the HTTP and RTSP event loops; an HTTP call waits on the cluster on its loop
     * @param maxRequestLine RTSP request line bytes at most, as the nodes' {@code max-request-line}; also the
     *                       longest film path or stream name seated, as a longer one could not reach a node
     * @param maxHeaderSize  RTSP header bytes at most, as the nodes' {@code max-header-size}
     */
    public record Settings(String host, int httpPort, int rtspPort, int maxBodyBytes, int ioThreads,
                           int maxRequestLine, int maxHeaderSize) {
        public Settings {
            if (maxBodyBytes <= 0 || ioThreads <= 0 || maxRequestLine <= 0 || maxHeaderSize <= 0) {
                throw new IllegalArgumentException("max-http-body, io-threads, max-request-line and max-header-size "
                        + "must be positive");
            }
        }
    }

    private final EventLoopGroup group;
    private final HttpApiServer http;
    private final RtspRedirectServer rtsp;
    private final ExecutorService blocking;
    private final ScheduledExecutorService sweeper;

    private LbServer(EventLoopGroup group, HttpApiServer http, RtspRedirectServer rtsp, ExecutorService blocking,
                     ScheduledExecutorService sweeper) {
        this.group = group;
        this.http = http;
        this.rtsp = rtsp;
        this.blocking = blocking;
        this.sweeper = sweeper;
    }

    public static LbServer start(ClusterMember member, Settings settings) throws InterruptedException {
        LoadBalancer lb = new LoadBalancer(member.seating());
        ObjectMapper json = new ObjectMapper();
        ApiRouter router = new ApiRouter();
        new LbResource(lb, new JsonBodies(json), settings.maxRequestLine()).register(router);
        router.add(Endpoint.get("/api/v1/openapi.json", "This document").returns(Map.class), r -> ApiResponse.ok(
                OpenApiDocument.generate("Sluice load balancer API", "1", router.endpoints())));
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(settings.ioThreads(), "sluice-lb");
        ExecutorService blocking = Executors.newFixedThreadPool(BLOCKING_THREADS, daemon("sluice-lb-seat"));
        ScheduledExecutorService sweeper = Executors.newSingleThreadScheduledExecutor(daemon("sluice-lb-sweep"));
        HttpApiServer http = null;
        try {
            // no route of the load balancer needs admin rights: the token only satisfies the server's contract
            byte[] token = new byte[24];
            new SecureRandom().nextBytes(token);
            http = HttpApiServer.start(group, transport.serverChannel(), settings.host(), settings.httpPort(),
                    settings.maxBodyBytes(), router, new AdminAuth(HexFormat.of().formatHex(token), false), json);
            RtspRedirectServer rtsp = RtspRedirectServer.start(group, transport.serverChannel(), settings.host(),
                    settings.rtspPort(), settings.maxRequestLine(), settings.maxHeaderSize(), lb, blocking);
            sweeper.scheduleWithFixedDelay(() -> {
                try {
                    member.seating().advance();
                } catch (RuntimeException e) {
                    log.warn("lb: sweep failed: {}", e.toString());
                }
            }, SWEEP_INTERVAL_MS, SWEEP_INTERVAL_MS, TimeUnit.MILLISECONDS);
            log.info("lb up: HTTP {}:{}, RTSP {}:{}, cluster member {}", settings.host(), http.port(),
                    settings.host(), rtsp.port(), member.localId());
            return new LbServer(group, http, rtsp, blocking, sweeper);
        } catch (InterruptedException | RuntimeException e) {
            if (http != null) {
                http.close();
            }
            sweeper.shutdownNow();
            blocking.shutdownNow();
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            throw e;
        }
    }

    public int httpPort() {
        return http.port();
    }

    public int rtspPort() {
        return rtsp.port();
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        rtsp.close();
        http.close();
        blocking.shutdown();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private static java.util.concurrent.ThreadFactory daemon(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }
}

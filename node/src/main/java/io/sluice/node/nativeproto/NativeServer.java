package io.sluice.node.nativeproto;

import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramChannel;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.node.NodeConfig;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.node.live.PathRegistry;
import io.sluice.node.vod.FilmLibrary;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native push/pull protocol of the original design (see {@link io.sluice.rtp.nativeproto} for the
 * wire table): UDP {@code nativePushPort} (61040) for auth and push, {@code nativePullPort} (61041) for
 * pull. Both sockets live on the node's media loop, like the RTP ports, so that pushed data reaches the
 * stream's fan-out, RTSP readers and native pullers without a thread hop; the only other thread checks
 * liveCodes against the key store.
 *
 * <p>A tick every {@value #TICK_MS} ms asks pushers for what the server missed; every
 * {@value #HOUSEKEEPING_TICKS}th tick also runs the timeouts of the protocol (heartbeats, pull request
 * chunks, idle streams) and re-sends unacknowledged pull answers.
 */
public final class NativeServer implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NativeServer.class);

    static final int TICK_MS = 10;
    static final int HOUSEKEEPING_TICKS = 25;

    private final EventLoop loop;
    private final NativeEndpoint pushEndpoint;
    private final NativeEndpoint pullEndpoint;
    private final PushService pushService;
    private final PullService pullService;
    private final NativeCounters counters;
    private final ExecutorService authExecutor;
    private final LongSupplier nanoClock;
    /**
     * Runs while the protocol has state to time (pushes, pullers, bridges, authentications), started by the
     * first datagram: an idle node is not woken 100 times a second for nothing. Media loop only.
     */
    private ScheduledFuture<?> ticker;
    private int ticks;

    private NativeServer(EventLoop loop, NativeEndpoint pushEndpoint, NativeEndpoint pullEndpoint,
                         PushService pushService, PullService pullService, NativeCounters counters,
                         ExecutorService authExecutor, LongSupplier nanoClock) {
        this.loop = loop;
        this.pushEndpoint = pushEndpoint;
        this.pullEndpoint = pullEndpoint;
        this.pushService = pushService;
        this.pullService = pullService;
        this.counters = counters;
        this.authExecutor = authExecutor;
        this.nanoClock = nanoClock;
    }

    /**
     * Binds both ports on {@code mediaLoop}, the loop that runs the streams' fan-out.
     *
     * @throws InterruptedException when interrupted while binding
     */
    public static NativeServer start(NodeConfig config, EventLoop mediaLoop,
                                     Class<? extends DatagramChannel> channelClass, PathRegistry paths,
                                     StreamKeyStore keys, LongSupplier nanoClock) throws InterruptedException {
        NativeCounters counters = new NativeCounters();
        ExecutorService authExecutor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-native-auth");
            t.setDaemon(true);
            return t;
        });
        NativeLimits limits = config.nativeLimits();
        PullService[] pull = new PullService[1];
        PushService[] push = new PushService[1];
        NativeServer[] server = new NativeServer[1];
        NativeEndpoint pushEndpoint = null;
        NativeEndpoint pullEndpoint = null;
        try {
            pushEndpoint = NativeEndpoint.bind("native push port", mediaLoop, channelClass, config.bindAddress(), config.nativePushPort(),
                    config.udpSocketBufferBytes(), limits, counters, nanoClock,
                    (datagram, sender, nowNs) -> {
                        server[0].tickFromNow();
                        push[0].onDatagram(datagram, sender, nowNs);
                    });
            pullEndpoint = NativeEndpoint.bind("native pull port", mediaLoop, channelClass, config.bindAddress(), config.nativePullPort(),
                    config.udpSocketBufferBytes(), limits, counters, nanoClock,
                    (datagram, sender, nowNs) -> {
                        server[0].tickFromNow();
                        pull[0].onDatagram(datagram, sender, nowNs);
                    });
        } catch (InterruptedException | RuntimeException e) {
            if (pushEndpoint != null) {
                pushEndpoint.close();
            }
            authExecutor.shutdownNow();
            throw e;
        }
        push[0] = new PushService(config, pushEndpoint, mediaLoop, paths, keys, authExecutor, counters, nanoClock,
                liveId -> pull[0].streamAvailable(liveId));
        pull[0] = new PullService(config, pullEndpoint, paths, push[0], counters, nanoClock);
        server[0] = new NativeServer(mediaLoop, pushEndpoint, pullEndpoint, push[0], pull[0], counters,
                authExecutor, nanoClock);
        log.info("native protocol on UDP {} (push) and {} (pull)", pushEndpoint.port(), pullEndpoint.port());
        return server[0];
    }

    /** Media loop: a datagram arrived, so there may be state to time from now on. */
    private void tickFromNow() {
        if (ticker == null) {
            ticker = loop.scheduleAtFixedRate(this::tick, TICK_MS, TICK_MS, TimeUnit.MILLISECONDS);
        }
    }

    private void tick() {
        long nowNs = nanoClock.getAsLong();
        pushService.tick(nowNs);
        if (++ticks % HOUSEKEEPING_TICKS == 0) {
            pushService.housekeeping(nowNs);
            pullService.housekeeping(nowNs);
            if (pushService.idle() && pullService.idle()) {
                ticker.cancel(false);
                ticker = null;
            }
        }
    }

    /** Whether the protocol's timer runs: only while it has pushes, pullers, bridges or authentications. */
    public boolean ticking() {
        return onLoop(() -> ticker != null);
    }

    /**
     * Applies new stream limits (GOP cache, retransmission history, NACK) to the streams and bridges that
     * pushes and pulls start from now on. The ports, the sockets and the native protocol's own limits keep
     * what they were started with.
     */
    public void reconfigure(NodeConfig config) {
        loop.execute(() -> {
            pushService.reconfigure(config);
            pullService.reconfigure(config);
        });
    }

    /**
     * Serves the library's films to native pullers: liveId {@code vod/RELATIVE/PATH} plays that film, and
     * Sluice's film controls (124 pause, 125 resume or play from a position) steer it.
     */
    public void serveFilms(FilmLibrary films) {
        loop.execute(() -> pullService.serveFilms(films));
    }

    public int pushPort() {
        return pushEndpoint.port();
    }

    public int pullPort() {
        return pullEndpoint.port();
    }

    public NativeCounters counters() {
        return counters;
    }

    /** The natively pushed streams with their statistics; waits briefly for the media loop. */
    public List<NativePushInfo> pushes() {
        return onLoop(() -> pushService.infos(nanoClock.getAsLong()));
    }

    /** The native pull clients with their statistics; waits briefly for the media loop. */
    public List<NativePullerInfo> pullers() {
        return onLoop(() -> pullService.infos(nanoClock.getAsLong()));
    }

    /**
     * Ends the puller with client id {@code clientId} (decimal, unsigned): it gets 121 for every stream it was
     * offered or received and is forgotten, so its next heartbeat is not heard. False when there is no such puller.
     */
    public boolean kickPuller(String clientId) {
        int id;
        try {
            id = Integer.parseUnsignedInt(clientId);
        } catch (NumberFormatException e) {
            return false;
        }
        return onLoop(() -> pullService.kick(id, nanoClock.getAsLong()));
    }

    private <T> T onLoop(Callable<T> query) {
        try {
            if (loop.inEventLoop()) {
                return query.call();
            }
            return loop.submit(query).get(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while reading native protocol statistics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot read native protocol statistics: " + e, e);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** Stops pushes and pulls (pullers get 121 for streams that end) and closes both ports. */
    @Override
    public void close() {
        if (!loop.isShuttingDown()) {
            try {
                loop.submit(() -> {
                    if (ticker != null) {
                        ticker.cancel(false);
                    }
                    pullService.closeAll();
                    pushService.closeAll();
                }).get(2, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | TimeoutException e) {
                log.warn("native protocol did not close cleanly: {}", e.toString());
            }
        }
        pushEndpoint.close();
        pullEndpoint.close();
        authExecutor.shutdownNow();
    }
}

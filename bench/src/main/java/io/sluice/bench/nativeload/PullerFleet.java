package io.sluice.bench.nativeload;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.EventExecutor;
import io.sluice.bench.common.LatencyHistogram;
import io.sluice.client.ClientOptions;
import io.sluice.client.NativeEvent;
import io.sluice.client.PullStreamClient;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * N SDK pullers of one live stream on a shared Netty group, and what they deliver: packets, the
 * content indexes (see {@link Stamp}), and the latency from the publisher's send to the listener, all
 * read on the same clock. Each puller's listener runs on its loop; latencies are kept per loop thread
 * and merged by tasks run on each loop, so recording takes no lock.
 */
final class PullerFleet implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<PullStreamClient> clients = new ArrayList<>();
    private final List<Puller> pullers = new ArrayList<>();
    private final AtomicInteger receiving = new AtomicInteger();
    private final ThreadLocal<LatencyHistogram> latencies = ThreadLocal.withInitial(PullerFleet::newHistogram);
    private volatile boolean contentOnlyLatency;

    /** One puller's counts; its listener writes them on its loop, the benchmark reads them once the stream is quiet. */
    static final class Puller {
        private final AtomicLong delivered = new AtomicLong();
        private final BitSet content = new BitSet();
        private boolean started;

        long delivered() {
            return delivered.get();
        }

        synchronized int contentDelivered() {
            return content.cardinality();
        }
    }

    private PullerFleet(EventLoopGroup group) {
        this.group = group;
    }

    /**
     * Opens {@code count} pullers of {@code liveId} at {@code pullDst}, each on a loop of {@code group}
     * with {@code options}; they start pulling at once.
     */
    static PullerFleet open(int count, InetSocketAddress pullDst, String liveId, EventLoopGroup group, ClientOptions options) {
        PullerFleet fleet = new PullerFleet(group);
        ClientOptions shared = options.withEventLoopGroup(group);
        for (int i = 0; i < count; i++) {
            Puller puller = new Puller();
            PullStreamClient client = new PullStreamClient("127.0.0.1", 0, pullDst, event -> fleet.onEvent(puller, event), shared);
            fleet.pullers.add(puller);
            fleet.clients.add(client);
            client.pullStreamStart();
            client.pullStreamData(List.of(liveId));
        }
        return fleet;
    }

    /** The event loop group the pullers of a run share: {@code threads} daemon NIO loops named {@code name}. */
    static EventLoopGroup sharedGroup(int threads, String name) {
        return new MultiThreadIoEventLoopGroup(threads, new DefaultThreadFactory(name, true), NioIoHandler.newFactory());
    }

    /** Only {@link Stamp#CONTENT} packets count for latency from now on (the warm-up and tail do not). */
    void latencyOfContentOnly() {
        contentOnlyLatency = true;
    }

    private void onEvent(Puller puller, NativeEvent event) {
        if (!(event instanceof NativeEvent.PullStreamData data) || !Stamp.isStamp(data.data())) {
            return;
        }
        long nowNs = System.nanoTime();
        byte[] b = data.data();
        puller.delivered.incrementAndGet();
        if (!puller.started) {
            puller.started = true;
            receiving.incrementAndGet();
        }
        boolean content = Stamp.kind(b) == Stamp.CONTENT;
        if (content) {
            synchronized (puller) {
                puller.content.set(Stamp.index(b));
            }
        }
        if (content || !contentOnlyLatency) {
            latencies.get().recordNs(nowNs - Stamp.sendNs(b));
        }
    }

    /** Pullers that have delivered at least one packet. */
    int receiving() {
        return receiving.get();
    }

    /** Waits until every puller delivers; false after {@code timeoutMs}. */
    boolean awaitAllReceiving(long timeoutMs) throws InterruptedException {
        long deadlineNs = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (receiving() < pullers.size()) {
            if (System.nanoTime() > deadlineNs) {
                return false;
            }
            Thread.sleep(50);
        }
        return true;
    }

    long delivered() {
        long sum = 0;
        for (Puller p : pullers) {
            sum += p.delivered();
        }
        return sum;
    }

    List<Puller> pullers() {
        return pullers;
    }

    List<PullStreamClient.Statistics> statistics() {
        List<PullStreamClient.Statistics> all = new ArrayList<>(clients.size());
        for (PullStreamClient c : clients) {
            all.add(c.statistics());
        }
        return all;
    }

    /** Clears every loop's latencies (on the loop). */
    void resetLatencies() {
        onEachLoop(() -> latencies.get().reset());
    }

    /** Every loop's latencies merged (read on each loop). */
    LatencyHistogram latencies() {
        LatencyHistogram merged = newHistogram();
        onEachLoop(() -> {
            LatencyHistogram mine = latencies.get();
            synchronized (merged) {
                merged.add(mine);
            }
        });
        return merged;
    }

    /** 10 µs wide up to 100 ms, 1 ms wide up to 5 s: the native path's latencies include the frame hold. */
    private static LatencyHistogram newHistogram() {
        return new LatencyHistogram(10, 100_000, 1000, 5_000_000);
    }

    private void onEachLoop(Runnable task) {
        for (EventExecutor loop : group) {
            loop.submit(task).syncUninterruptibly();
        }
    }

    @Override
    public void close() {
        for (PullStreamClient c : clients) {
            c.close();
        }
    }
}

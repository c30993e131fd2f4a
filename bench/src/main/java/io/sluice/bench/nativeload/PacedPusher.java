package io.sluice.bench.nativeload;

import io.sluice.client.NativeEvent;
import io.sluice.client.PushStreamClient;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Pushes one stamped payload ({@link Stamp}, one native datagram) every 1/rate seconds from a thread
 * of its own, on a fixed schedule (a late tick does not shift the next ones): warm-up payloads, or
 * content payloads numbered from 0 while {@link #sendContent(int)} has some left to send.
 */
final class PacedPusher implements AutoCloseable {

    private final PushStreamClient push;
    private final String liveId;
    private final long periodNs;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicInteger contentLeft = new AtomicInteger();
    private final Thread thread;
    private int contentIndex;
    private int warmUpIndex;
    private volatile boolean running = true;

    PacedPusher(PushStreamClient push, String liveId, int packetsPerSecond) {
        this.push = push;
        this.liveId = liveId;
        this.periodNs = TimeUnit.SECONDS.toNanos(1) / packetsPerSecond;
        this.thread = Thread.ofPlatform().daemon().name("paced-push-" + liveId).start(this::run);
    }

    /**
     * A pusher of {@code liveId} to the node at {@code pushDst}, authenticated with the publish key
     * {@code code}; fails when the node refuses the key or does not answer in {@code timeoutS}.
     */
    static PushStreamClient authenticatedPush(InetSocketAddress pushDst, String liveId, String code, long timeoutS)
            throws Exception {
        CompletableFuture<Boolean> accepted = new CompletableFuture<>();
        PushStreamClient push = new PushStreamClient("127.0.0.1", 0, pushDst, event -> {
            if (event instanceof NativeEvent.AuthRsp auth) {
                accepted.complete(auth.accepted());
            }
        });
        try {
            push.auth(liveId, code);
            if (!accepted.get(timeoutS, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the node refused the push key of " + liveId);
            }
            return push;
        } catch (Exception e) {
            push.close();
            throw e;
        }
    }

    private void run() {
        long dueNs = System.nanoTime();
        while (running) {
            long waitNs = dueNs - System.nanoTime();
            if (waitNs > 0) {
                LockSupport.parkNanos(waitNs);
                continue;
            }
            if (contentLeft.get() > 0) {
                push.pushStreamData(liveId, Stamp.payload(Stamp.CONTENT, contentIndex++));
                contentLeft.decrementAndGet();
            } else {
                push.pushStreamData(liveId, Stamp.payload(Stamp.WARM_UP, warmUpIndex++));
            }
            sent.incrementAndGet();
            dueNs += periodNs;
        }
    }

    /** Sends the next {@code count} payloads as content, numbered 0, 1, ... (call once). */
    void sendContent(int count) {
        contentLeft.set(count);
    }

    /** Waits until every content payload asked for has been handed to the client. */
    void awaitContentSent() throws InterruptedException {
        while (contentLeft.get() > 0) {
            Thread.sleep(10);
        }
    }

    long sent() {
        return sent.get();
    }

    @Override
    public void close() {
        running = false;
        try {
            thread.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

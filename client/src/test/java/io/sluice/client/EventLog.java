package io.sluice.client;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;

/** A listener that records every event and lets a test wait for one. Data events can be kept apart. */
final class EventLog implements Consumer<NativeEvent> {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private final List<NativeEvent> events = new ArrayList<>();
    private final Consumer<NativeEvent.PullStreamData> dataSink;

    EventLog() {
        this(null);
    }

    /** Hands data events to {@code dataSink} (on the client's loop) instead of recording them. */
    EventLog(Consumer<NativeEvent.PullStreamData> dataSink) {
        this.dataSink = dataSink;
    }

    @Override
    public void accept(NativeEvent event) {
        if (dataSink != null && event instanceof NativeEvent.PullStreamData d) {
            dataSink.accept(d);
            signal();
            return;
        }
        lock.lock();
        try {
            events.add(event);
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** The first event matching {@code p}, waiting up to {@code timeoutMs}; fails when none comes. */
    @SuppressWarnings("unchecked")
    <T extends NativeEvent> T await(Class<T> type, Predicate<T> p, long timeoutMs) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (true) {
                for (NativeEvent e : events) {
                    if (type.isInstance(e) && p.test((T) e)) {
                        return (T) e;
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no " + type.getSimpleName() + " within " + timeoutMs + " ms; events: "
                            + events);
                }
                changed.awaitNanos(left);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        } finally {
            lock.unlock();
        }
    }

    <T extends NativeEvent> T await(Class<T> type, long timeoutMs) {
        return await(type, e -> true, timeoutMs);
    }

    /**
     * Waits until {@code condition} holds, re-checked at every event and every 10 ms. The condition is
     * evaluated without the lock: it may ask a client, whose loop may be delivering an event to us.
     */
    void awaitCondition(java.util.function.BooleanSupplier condition, long timeoutMs, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        while (!condition.getAsBoolean()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("timed out after " + timeoutMs + " ms waiting for " + what);
            }
            lock.lock();
            try {
                changed.awaitNanos(Math.min(left, TimeUnit.MILLISECONDS.toNanos(10)));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            } finally {
                lock.unlock();
            }
        }
    }

    List<NativeEvent> events() {
        lock.lock();
        try {
            return List.copyOf(events);
        } finally {
            lock.unlock();
        }
    }
}

package io.sluice.node.vod.room;

/**
 * Runs a task later on the media loop. The node schedules on its media loop (and flushes the UDP
 * endpoint after the task); tests advance a fake clock.
 */
@FunctionalInterface
public interface VodScheduler {

    /** A scheduled task that can be called off. */
    @FunctionalInterface
    interface Scheduled {
        void cancel();
    }

    Scheduled schedule(Runnable task, long delayNs);
}

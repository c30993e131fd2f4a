package io.sluice.node.rtsp;

import io.netty.channel.EventLoop;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.node.live.LiveStream;
import io.sluice.rtsp.session.RtspStatusException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Which stream an RTSP reader of a live path plays: the one its publisher published, or the one the node
 * presents in its place ({@link LiveStream#presentation()}: a native push's MPEG-TS demuxed into its
 * tracks). {@code ?format=mp2t} asks for the published stream itself. A presentation that cannot be
 * described yet (no PMT or parameter sets so far) is waited for, at most a bounded time, then answered
 * 503; one whose push ended before, 404.
 */
final class ReaderPresentation {

    static final String FORMAT_PARAMETER = "format";
    /** The value of {@link #FORMAT_PARAMETER} that asks for a native push's TS as one MP2T track. */
    static final String TRANSPORT_STREAM = "mp2t";

    /** Answers a wait: the stream, or the status to answer instead. */
    @FunctionalInterface
    interface Answer {
        void accept(LiveStream stream, RtspStatusException error);
    }

    private ReaderPresentation() {
    }

    static boolean wantsTransportStream(RtspUrl url) {
        return TRANSPORT_STREAM.equalsIgnoreCase(url.queryParameter(FORMAT_PARAMETER));
    }

    /** The stream to play now (SETUP): 503 while it cannot be described yet. */
    static LiveStream now(LiveStream published, RtspUrl url) throws RtspStatusException {
        if (wantsTransportStream(url)) {
            return published;
        }
        CompletableFuture<LiveStream> presented = published.presentation();
        if (!presented.isDone()) {
            throw notYet(published);
        }
        return resolved(published, presented);
    }

    /**
     * Calls {@code answer} on {@code loop} with the stream to describe: at once when it is known, else when
     * it becomes known or after {@code waitMs}, whichever comes first.
     */
    static void await(LiveStream published, RtspUrl url, EventLoop loop, long waitMs, Answer answer) {
        CompletableFuture<LiveStream> presented = wantsTransportStream(url)
                ? CompletableFuture.completedFuture(published) : published.presentation();
        if (presented.isDone()) {
            answerNow(published, presented, answer);
            return;
        }
        boolean[] answered = {false};
        ScheduledFuture<?> timeout = loop.schedule(() -> {
            if (!answered[0]) {
                answered[0] = true;
                answer.accept(null, notYet(published));
            }
        }, waitMs, TimeUnit.MILLISECONDS);
        presented.whenComplete((stream, error) -> loop.execute(() -> {
            if (!answered[0]) {
                answered[0] = true;
                timeout.cancel(false);
                answerNow(published, presented, answer);
            }
        }));
    }

    private static void answerNow(LiveStream published, CompletableFuture<LiveStream> presented, Answer answer) {
        try {
            answer.accept(resolved(published, presented), null);
        } catch (RtspStatusException e) {
            answer.accept(null, e);
        }
    }

    private static LiveStream resolved(LiveStream published, CompletableFuture<LiveStream> presented)
            throws RtspStatusException {
        LiveStream stream = presented.isCompletedExceptionally() ? null : presented.join();
        if (stream == null || stream.state() == LiveStream.State.ENDED) {
            throw new RtspStatusException(HttpResponseStatus.NOT_FOUND, "live/" + published.name() + " has ended");
        }
        return stream;
    }

    private static RtspStatusException notYet(LiveStream published) {
        return new RtspStatusException(HttpResponseStatus.SERVICE_UNAVAILABLE, "the tracks of live/" + published.name()
                + " are not known yet (no PMT or parameter sets so far); try again");
    }
}

package io.sluice.client;

import io.netty.channel.EventLoopGroup;
import io.sluice.rtp.loss.LossGenerator;
import java.time.Duration;
import java.util.Objects;

/**
 * Tuning of a native protocol client; {@link #defaults()} suits most uses.
 *
 * @param eventLoopGroup   a Netty NIO group to run the client on (many clients may share one), or null for
 *                         a one-thread group of the client's own, shut down by {@code close()}
 * @param receiveLoss      loss injected on received datagrams, for tests
 * @param sendLoss         loss injected on sent datagrams, for tests
 * @param maxReorderDelay  how long a puller holds later packets while it asks for a missing one before it
 *                         gives up on it and delivers what follows
 * @param pushHistory      how long a pusher keeps sent packets to answer the server's retransmission requests
 * @param retransmission   whether a puller asks for missing packets (false behaves as the original client)
 */
public record ClientOptions(EventLoopGroup eventLoopGroup, LossGenerator receiveLoss, LossGenerator sendLoss,
                            Duration maxReorderDelay, Duration pushHistory, boolean retransmission) {

    /** Checks the loss generators are given and the durations not negative. */
    public ClientOptions {
        Objects.requireNonNull(receiveLoss, "receiveLoss");
        Objects.requireNonNull(sendLoss, "sendLoss");
        if (maxReorderDelay.isNegative() || pushHistory.isNegative()) {
            throw new IllegalArgumentException("durations must not be negative");
        }
    }

    /**
     * The client's own event loop, no injected loss, a 1 s reorder delay, 2 s of push history, retransmission
     * on.
     */
    public static ClientOptions defaults() {
        return new ClientOptions(null, LossGenerator.NONE, LossGenerator.NONE, Duration.ofSeconds(1),
                Duration.ofSeconds(2), true);
    }

    /** These options on {@code group} (shared with other clients, not shut down by {@code close()}). */
    public ClientOptions withEventLoopGroup(EventLoopGroup group) {
        return new ClientOptions(group, receiveLoss, sendLoss, maxReorderDelay, pushHistory, retransmission);
    }

    /** These options with loss injected on received and on sent datagrams, for tests. */
    public ClientOptions withLoss(LossGenerator receive, LossGenerator send) {
        return new ClientOptions(eventLoopGroup, receive, send, maxReorderDelay, pushHistory, retransmission);
    }

    /** These options with a puller that asks for missing packets ({@code true}) or behaves as the original. */
    public ClientOptions withRetransmission(boolean enabled) {
        return new ClientOptions(eventLoopGroup, receiveLoss, sendLoss, maxReorderDelay, pushHistory, enabled);
    }
}

package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * The timings of seating.
 *
 * @param leaseMs         how long a seat lives without renewal; a new seat has this long for its player to
 *                        reach the node and show up in the node's report
 * @param roomGraceMs     how long a room without seats stays open (and preferred for its film) before it closes;
 *                        the node's own room grace, so a returning viewer finds the demuxer still warm
 * @param reportTimeoutMs a node silent this long is dropped even if no membership event said so
 */
public record SeatingRules(long leaseMs, long roomGraceMs, long reportTimeoutMs) implements Serializable {

    public static final SeatingRules DEFAULT = new SeatingRules(15_000, 30_000, 6_000);

    public SeatingRules {
        if (leaseMs <= 0 || roomGraceMs < 0 || reportTimeoutMs <= 0) {
            throw new IllegalArgumentException("leaseMs and reportTimeoutMs must be positive, roomGraceMs not negative");
        }
    }
}

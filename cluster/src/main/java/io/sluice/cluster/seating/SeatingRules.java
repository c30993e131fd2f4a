package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * The timings of seating: {@code --cluster-seat-lease}, {@code --cluster-room-grace} and
 * {@code --cluster-node-timeout} of {@code sluice serve --cluster} and {@code sluice lb}. The cluster's seating
 * keeps the timings of the process that first wrote it; every process should be given the same.
 *
 * @param leaseMs         how long a seat lives without renewal; a new seat has this long for its player to
 *                        reach the node and show up in the node's report
 * @param roomGraceMs     how long a room without seats stays open (and preferred for its film) before it closes;
 *                        a node pulling a live stream for the room stops then
 * @param reportTimeoutMs a node silent this long is dropped even if no membership event said so
 */
public record SeatingRules(long leaseMs, long roomGraceMs, long reportTimeoutMs) implements Serializable {

    /** How often a node reports. */
    public static final long REPORT_INTERVAL_MS = 1_000;
    /** A lease or a report timeout must span two reports: one late report must not free a seat or drop a node. */
    public static final long MIN_LEASE_MS = 2 * REPORT_INTERVAL_MS;

    public static final SeatingRules DEFAULT = new SeatingRules(15_000, 30_000, 6_000);

    public SeatingRules {
        if (leaseMs < MIN_LEASE_MS || reportTimeoutMs < MIN_LEASE_MS) {
            throw new IllegalArgumentException("the seat lease and the node timeout must be at least "
                    + MIN_LEASE_MS / 1_000 + " s (two node reports), not " + leaseMs + " ms and " + reportTimeoutMs
                    + " ms");
        }
        if (roomGraceMs < 0) {
            throw new IllegalArgumentException("the room grace must not be negative, not " + roomGraceMs + " ms");
        }
    }

    /** The rules of {@code sluice} flags given in seconds; null takes the default. */
    public static SeatingRules ofSeconds(Integer leaseSeconds, Integer roomGraceSeconds, Integer nodeTimeoutSeconds) {
        return new SeatingRules(leaseSeconds == null ? DEFAULT.leaseMs : leaseSeconds * 1_000L,
                roomGraceSeconds == null ? DEFAULT.roomGraceMs : roomGraceSeconds * 1_000L,
                nodeTimeoutSeconds == null ? DEFAULT.reportTimeoutMs : nodeTimeoutSeconds * 1_000L);
    }

    @Override
    public String toString() {
        return "seat lease " + leaseMs + " ms, room grace " + roomGraceMs + " ms, node timeout " + reportTimeoutMs
                + " ms";
    }
}

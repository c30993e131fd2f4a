package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * A user's place: the room it watches on one node, until its lease runs out unless renewed.
 *
 * @param uid          the user
 * @param room         what it watches
 * @param nodeId       where
 * @param assignedAtMs when it was seated in this room
 * @param leaseUntilMs when the seat is freed unless renewed (by the node reporting the viewer, or a repeated
 *                     assignment)
 */
public record Seat(String uid, RoomKey room, String nodeId, long assignedAtMs, long leaseUntilMs)
        implements Serializable {

    Seat renewed(long untilMs) {
        return untilMs <= leaseUntilMs ? this : new Seat(uid, room, nodeId, assignedAtMs, untilMs);
    }
}

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
 * @param playing      the node has reported the user's player (by its uid) since the last assignment: from now
 *                     on the seat is freed as soon as a report of that node no longer lists it
 */
public record Seat(String uid, RoomKey room, String nodeId, long assignedAtMs, long leaseUntilMs, boolean playing)
        implements Serializable {

    Seat renewed(long untilMs, boolean nowPlaying) {
        long until = Math.max(untilMs, leaseUntilMs);
        return until == leaseUntilMs && nowPlaying == playing ? this
                : new Seat(uid, room, nodeId, assignedAtMs, until, nowPlaying);
    }
}

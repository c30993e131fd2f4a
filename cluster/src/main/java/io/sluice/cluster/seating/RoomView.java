package io.sluice.cluster.seating;

import java.io.Serializable;
import java.util.List;

/**
 * One film or stream and the nodes serving it, fullest headroom first, as {@code GET /api/v1/lb/rooms}
 * lists it.
 */
public record RoomView(String room, List<Host> nodes) implements Serializable {

    public RoomView {
        nodes = List.copyOf(nodes);
    }

    /**
     * One node's room.
     *
     * @param node         the node
     * @param seats        users seated there for this room
     * @param viewers      players of it the node reported
     * @param origin       for a live stream: the publisher is on this node
     * @param emptySinceMs when its last seat left (epoch ms), or -1 while it has seats
     */
    public record Host(String node, int seats, int viewers, boolean origin, long emptySinceMs)
            implements Serializable {
    }
}

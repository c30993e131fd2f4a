package io.sluice.cluster.seating;

import java.io.Serializable;
import java.util.List;

/**
 * One room as a node reports it.
 *
 * @param room    the film or stream
 * @param viewers players of it on the node now
 * @param origin  for a live stream: its publisher is on this node (not pulled from another node)
 * @param uids    the users among its players: those whose RTSP URL named one ({@code ?uid=U}, as the load
 *                balancer's URLs do). Players without a uid are counted in {@code viewers} only.
 */
public record RoomLoad(RoomKey room, int viewers, boolean origin, List<String> uids) implements Serializable {

    public RoomLoad {
        uids = List.copyOf(uids);
    }

    /** A room whose players named no uid. */
    public RoomLoad(RoomKey room, int viewers, boolean origin) {
        this(room, viewers, origin, List.of());
    }
}

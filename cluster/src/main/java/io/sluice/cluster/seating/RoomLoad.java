package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * One room as a node reports it.
 *
 * @param room    the film or stream
 * @param viewers players of it on the node now
 * @param origin  for a live stream: its publisher is on this node (not pulled from another node)
 */
public record RoomLoad(RoomKey room, int viewers, boolean origin) implements Serializable {
}

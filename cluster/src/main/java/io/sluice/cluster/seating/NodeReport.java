package io.sluice.cluster.seating;

import java.io.Serializable;
import java.util.List;
import java.util.Set;

/**
 * What a node publishes every second: its real load, its capacity, the rooms it serves and where players
 * reach it.
 *
 * @param nodeId          the node's id (its cluster member's UUID)
 * @param rtspBase        {@code rtsp://HOST:PORT}, where players and other nodes reach its RTSP server
 * @param capacityViewers viewers it takes at most
 * @param capacityBps     bits per second it sends at most; 0 for no limit
 * @param sessions        its RTSP sessions now (players, publishers, pulls)
 * @param bitrateOutBps   what it sends now, bits per second
 * @param cpu             its process's CPU load, 0..1 of the machine
 * @param rooms           every film room and live stream it serves
 * @param catalogVersion  a hash of its film catalog
 * @param catalog         the fids of its film library, or null when unchanged since the version last sent
 */
public record NodeReport(String nodeId, String rtspBase, int capacityViewers, long capacityBps, int sessions,
                         long bitrateOutBps, double cpu, List<RoomLoad> rooms, long catalogVersion,
                         Set<String> catalog) implements Serializable {

    public NodeReport {
        if (capacityViewers < 0 || capacityBps < 0) {
            throw new IllegalArgumentException("capacities must not be negative");
        }
        rooms = List.copyOf(rooms);
        catalog = catalog == null ? null : Set.copyOf(catalog);
    }

    /** The same report without its catalog, for a node whose catalog the cluster already has. */
    public NodeReport withoutCatalog() {
        return new NodeReport(nodeId, rtspBase, capacityViewers, capacityBps, sessions, bitrateOutBps, cpu, rooms,
                catalogVersion, null);
    }
}

package io.sluice.cluster.member;

import io.sluice.api.ClusterPicture;
import io.sluice.api.view.NodeSummaryView;
import io.sluice.api.view.RoomSummaryView;
import io.sluice.cluster.hz.SeatingStore;
import io.sluice.cluster.seating.NodeView;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.RoomView;
import java.util.ArrayList;
import java.util.List;

/**
 * The cluster's seating as a node's own API shows it ({@code GET /api/v1/nodes} and {@code /rooms} on every node
 * started with {@code --cluster}): the same picture the load balancer serves at {@code /api/v1/lb/nodes} and
 * {@code /rooms}, in the node API's shapes.
 */
public final class SeatingPicture implements ClusterPicture {

    private final SeatingStore seating;
    private final String localId;

    /** @param localId the cluster id of the node whose API answers */
    public SeatingPicture(SeatingStore seating, String localId) {
        this.seating = seating;
        this.localId = localId;
    }

    @Override
    public List<NodeSummaryView> nodes() {
        return nodes(seating.nodes(), localId);
    }

    @Override
    public List<RoomSummaryView> rooms() {
        return rooms(seating.rooms());
    }

    static List<NodeSummaryView> nodes(List<NodeView> nodes, String localId) {
        List<NodeSummaryView> out = new ArrayList<>();
        for (NodeView n : nodes) {
            out.add(new NodeSummaryView(n.node(), n.node().equals(localId), n.rtsp(), n.sessions(), n.seats(),
                    n.bitrateOutBps(), n.cpu(), n.load(), n.capacityViewers(), n.capacityBps(), n.films(), n.rooms(),
                    n.lastReportMs()));
        }
        return out;
    }

    static List<RoomSummaryView> rooms(List<RoomView> rooms) {
        List<RoomSummaryView> out = new ArrayList<>();
        for (RoomView r : rooms) {
            RoomKey key = RoomKey.parsePath(r.room());
            String kind = key == null ? "unknown" : key.kind() == RoomKey.Kind.FILM ? "film" : "live";
            List<RoomSummaryView.Host> hosts = new ArrayList<>();
            int viewers = 0;
            for (RoomView.Host h : r.nodes()) {
                hosts.add(new RoomSummaryView.Host(h.node(), h.viewers(), h.seats(), h.origin()));
                viewers += h.viewers();
            }
            out.add(new RoomSummaryView(r.room(), kind, viewers, hosts));
        }
        return out;
    }
}

package io.sluice.api;

import io.sluice.api.view.NodeSummaryView;
import io.sluice.api.view.RoomSummaryView;
import java.util.List;

/**
 * The cluster as the node's API shows it ({@code GET /api/v1/nodes}, {@code /rooms}), read-only. The
 * cluster module implements it and {@code sluice serve --cluster} hands it to {@link ServingNode#showCluster},
 * so that this module need not depend on the cluster's.
 */
public interface ClusterPicture {

    /** Every node the cluster knows, with the one answering marked {@link NodeSummaryView#self()}. */
    List<NodeSummaryView> nodes();

    /** Every film and stream served in the cluster, with the nodes serving it. */
    List<RoomSummaryView> rooms();
}

package io.sluice.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.sluice.api.stats.LocalRooms;
import io.sluice.api.stats.NodeStats;
import io.sluice.api.stats.StreamSample;
import io.sluice.api.view.NodeSummaryView;
import io.sluice.api.view.RoomSummaryView;
import io.sluice.node.MediaNode;
import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * {@code /api/v1/nodes} and {@code /api/v1/rooms}: without a cluster, this node and its rooms; in a cluster
 * (once {@link #showCluster} was given the cluster's picture), every node and every room of the cluster.
 */
public final class NodesResource {

    private final MediaNode node;
    private final NodeStats stats;
    private final LongSupplier wallClockMs;
    private final com.sun.management.OperatingSystemMXBean os =
            ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    private volatile ClusterPicture cluster;

    public NodesResource(MediaNode node, NodeStats stats, LongSupplier wallClockMs) {
        this.node = node;
        this.stats = stats;
        this.wallClockMs = wallClockMs;
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/nodes", "The media nodes: this one alone, or every node of its cluster, with "
                + "sessions, seats, bitrate out, CPU, load and capacity").returns(Types.listOf(NodeSummaryView.class)),
                this::nodes);
        router.add(Endpoint.get("/api/v1/rooms", "The rooms (viewers of one film or live stream on a node): this "
                + "node's, or the whole cluster's, with the nodes serving each")
                .returns(Types.listOf(RoomSummaryView.class)), this::rooms);
    }

    /** From now on, answers with the cluster's picture instead of this node alone. */
    public void showCluster(ClusterPicture picture) {
        this.cluster = picture;
    }

    private ApiResponse nodes(ApiRequest request) {
        ClusterPicture picture = cluster;
        if (picture != null) {
            return ApiResponse.ok(picture.nodes());
        }
        NodeStats.Snapshot snapshot = stats.snapshot();
        long out = 0;
        for (StreamSample s : snapshot.streams()) {
            out += stats.bitrateOut(s);
        }
        out += stats.filmBitrateOut();
        int capacity = node.config().maxSessions();
        int sessions = snapshot.sessionCount();
        String rtsp = "rtsp://" + StreamsResource.hostOf(request.header(HttpHeaderNames.HOST)) + ":" + node.rtspPort();
        return ApiResponse.ok(List.of(new NodeSummaryView(LocalRooms.LOCAL_NODE, true, rtsp, sessions, 0, out,
                Math.max(0, os.getProcessCpuLoad()), capacity <= 0 ? 0 : Math.min(1.0, (double) sessions / capacity),
                capacity, 0, node.films().catalog().films().size(), LocalRooms.of(node, snapshot).size(),
                wallClockMs.getAsLong())));
    }

    private ApiResponse rooms(ApiRequest request) {
        ClusterPicture picture = cluster;
        return ApiResponse.ok(picture != null ? picture.rooms() : LocalRooms.of(node, stats.snapshot()));
    }
}

package io.sluice.api.view;

import java.util.List;

/**
 * A room: the viewers of one film or one live stream on a node, who share that node's packets of it, as
 * {@code GET /api/v1/rooms} lists it; one entry per film or stream with every node serving it.
 *
 * @param room    {@code vod/FID} or {@code live/NAME}, the RTSP path
 * @param kind    {@code film} or {@code live}
 * @param viewers viewers on all its nodes
 * @param nodes   the nodes serving it
 */
public record RoomSummaryView(String room, String kind, int viewers, List<Host> nodes) {

    public RoomSummaryView {
        nodes = List.copyOf(nodes);
    }

    /**
     * The room on one node.
     *
     * @param viewers players of it on that node (RTSP and native readers of a stream)
     * @param seats   users the load balancer seated there for it, 0 without a cluster
     * @param origin  for a live stream: its publisher is on that node (not pulled from another)
     */
    public record Host(String node, int viewers, int seats, boolean origin) {
    }
}

package io.sluice.cluster.member;

import io.sluice.api.view.NodeSummaryView;
import io.sluice.api.view.RoomSummaryView;
import io.sluice.cluster.seating.NodeView;
import io.sluice.cluster.seating.RoomView;
import java.util.List;
import org.junit.jupiter.api.Test;
import static org.assertj.core.api.Assertions.assertThat;

/** The cluster's seating in the node API's shapes. */
class SeatingPictureTest {

    @Test
    void nodesKeepEveryNumberAndMarkTheAnsweringNode() {
        List<NodeSummaryView> nodes = SeatingPicture.nodes(List.of(
                new NodeView("a", "rtsp://10.0.0.1:8554", 500, 0, 3, 4, 2_000_000, 0.25, 0.008, 12, 2, 1000),
                new NodeView("b", "rtsp://10.0.0.2:8554", 100, 50_000_000, 0, 1, 0, 0.5, 0.01, 12, 0, 2000)), "b");
        assertThat(nodes).containsExactly(
                new NodeSummaryView("a", false, "rtsp://10.0.0.1:8554", 4, 3, 2_000_000, 0.25, 0.008, 500, 0, 12, 2,
                        1000),
                new NodeSummaryView("b", true, "rtsp://10.0.0.2:8554", 1, 0, 0, 0.5, 0.01, 100, 50_000_000, 12, 0,
                        2000));
    }

    @Test
    void roomsSumTheirNodesViewersAndNameTheirKind() {
        List<RoomSummaryView> rooms = SeatingPicture.rooms(List.of(
                new RoomView("vod/films/a b.mp4", List.of(new RoomView.Host("a", 2, 3, false, -1),
                        new RoomView.Host("b", 1, 1, false, -1))),
                new RoomView("live/cam", List.of(new RoomView.Host("a", 0, 5, true, -1),
                        new RoomView.Host("b", 1, 2, false, 77)))));
        assertThat(rooms).containsExactly(
                new RoomSummaryView("vod/films/a b.mp4", "film", 4, List.of(new RoomSummaryView.Host("a", 3, 2, false),
                        new RoomSummaryView.Host("b", 1, 1, false))),
                new RoomSummaryView("live/cam", "live", 7, List.of(new RoomSummaryView.Host("a", 5, 0, true),
                        new RoomSummaryView.Host("b", 2, 1, false))));
    }
}

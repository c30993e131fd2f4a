package io.sluice.api.stats;

import io.sluice.api.view.RoomSummaryView;
import io.sluice.node.MediaNode;
import io.sluice.node.live.LiveStream;
import io.sluice.node.vod.room.FilmRoom;
import java.util.ArrayList;
import java.util.List;

/**
 * This node's rooms: each film being played, with its viewers from the film room registry, and each live
 * stream, with its RTSP readers and native pullers. What {@code GET /api/v1/rooms} answers without a cluster,
 * and what the {@code sluice_rooms} gauge counts.
 */
public final class LocalRooms {

    /** The node id of this node's rooms when it is in no cluster. */
    public static final String LOCAL_NODE = "local";
    private static final String ORIGIN_PREFIX = "pull-";

    private LocalRooms() {
    }

    /** Films first, then streams, each by name. */
    public static List<RoomSummaryView> of(MediaNode node, NodeStats.Snapshot snapshot) {
        List<RoomSummaryView> rooms = new ArrayList<>();
        List<FilmRoom> films = new ArrayList<>(node.films().rooms().all());
        films.sort((a, b) -> a.fid().compareTo(b.fid()));
        for (FilmRoom room : films) {
            if (!room.isClosed()) {
                int viewers = room.viewerCount();
                rooms.add(new RoomSummaryView("vod/" + room.fid(), "film", viewers,
                        List.of(new RoomSummaryView.Host(LOCAL_NODE, viewers, 0, false))));
            }
        }
        for (StreamSample s : snapshot.streams()) {
            LiveStream stream = s.stream();
            if (stream.state() != LiveStream.State.LIVE) {
                continue;
            }
            int viewers = NodeStats.readerCount(s, snapshot);
            rooms.add(new RoomSummaryView("live/" + stream.name(), "live", viewers, List.of(new RoomSummaryView.Host(
                    LOCAL_NODE, viewers, 0, !stream.publisherSessionId().startsWith(ORIGIN_PREFIX)))));
        }
        return rooms;
    }
}

package io.sluice.node.vod.room;

/**
 * Hears rooms open and close and viewers come and go, on the media loop: the hook for the cluster's room
 * map and the API. Keep it short; it runs on the thread that paces every viewer.
 */
public interface RoomListener {

    default void roomOpened(FilmRoom room) {
    }

    default void roomClosed(FilmRoom room) {
    }

    default void viewerJoined(FilmRoom room, FilmViewer viewer) {
    }

    default void viewerLeft(FilmRoom room, FilmViewer viewer) {
    }
}

package io.sluice.node.vod.room;

import io.sluice.node.vod.media.Film;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The open rooms of a node, one per film in use, and who listens to them. Rooms are opened and closed on
 * the media loop; the map is readable from any thread (the API counts viewers from it).
 */
public final class FilmRooms {

    private final RoomContext context;
    private final ConcurrentHashMap<String, FilmRoom> rooms = new ConcurrentHashMap<>();
    private final CopyOnWriteArrayList<RoomListener> listeners = new CopyOnWriteArrayList<>();

    private final RoomListener fanOut = new RoomListener() {
        @Override
        public void roomOpened(FilmRoom room) {
            listeners.forEach(l -> l.roomOpened(room));
        }

        @Override
        public void roomClosed(FilmRoom room) {
            listeners.forEach(l -> l.roomClosed(room));
        }

        @Override
        public void viewerJoined(FilmRoom room, FilmViewer viewer) {
            listeners.forEach(l -> l.viewerJoined(room, viewer));
        }

        @Override
        public void viewerLeft(FilmRoom room, FilmViewer viewer) {
            listeners.forEach(l -> l.viewerLeft(room, viewer));
        }
    };

    public FilmRooms(RoomContext context) {
        this.context = context;
    }

    public RoomContext context() {
        return context;
    }

    public void addListener(RoomListener listener) {
        listeners.add(listener);
    }

    public void removeListener(RoomListener listener) {
        listeners.remove(listener);
    }

    /** Media loop: the film's room, opened if needed. A film that changed on disk gets a new room. */
    public FilmRoom open(Film film) {
        FilmRoom room = rooms.get(film.fid());
        if (room != null && !room.isClosed() && room.film() == film) {
            return room;
        }
        FilmRoom created = new FilmRoom(film, context, this);
        rooms.put(film.fid(), created);
        fanOut.roomOpened(created);
        return created;
    }

    /** The room of a film, or null; any thread. */
    public FilmRoom room(String fid) {
        return rooms.get(fid);
    }

    /** Every open room; any thread. */
    public List<FilmRoom> all() {
        return List.copyOf(rooms.values());
    }

    /** Viewers of a film now; any thread. */
    public int viewers(String fid) {
        FilmRoom room = rooms.get(fid);
        return room == null ? 0 : room.viewerCount();
    }

    RoomListener fanOut() {
        return fanOut;
    }

    void onClosed(FilmRoom room) {
        rooms.remove(room.fid(), room);
        fanOut.roomClosed(room);
    }

    /** Media loop: closes every room (the node is stopping). */
    public void closeAll() {
        for (FilmRoom room : List.copyOf(rooms.values())) {
            room.close();
        }
    }
}

package io.sluice.node.live;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The live paths of a node: at most one stream, so at most one publisher, per name. A name is taken at
 * ANNOUNCE, so a second publisher is refused even before the first starts recording.
 */
public final class PathRegistry {

    private final ConcurrentHashMap<String, LiveStream> streams = new ConcurrentHashMap<>();

    /** Takes the name for a new stream; answers false (and changes nothing) when it is already taken. */
    public boolean reserve(LiveStream stream) {
        return streams.putIfAbsent(stream.name(), stream) == null;
    }

    /** The stream readers may play under {@code name}, or null when nobody is publishing there. */
    public LiveStream live(String name) {
        LiveStream s = streams.get(name);
        return s != null && s.state() == LiveStream.State.LIVE ? s : null;
    }

    /** The stream under {@code name} in any state, or null. */
    public LiveStream find(String name) {
        return streams.get(name);
    }

    /** Frees the name if {@code stream} still holds it. */
    public void release(LiveStream stream) {
        streams.remove(stream.name(), stream);
    }

    public Collection<LiveStream> all() {
        return List.copyOf(streams.values());
    }
}

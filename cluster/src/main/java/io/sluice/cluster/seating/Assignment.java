package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * The answer to an assignment.
 *
 * @param outcome    what happened
 * @param seat       the user's seat after the call (for CONFLICT and FULL, the unchanged one, or null)
 * @param rtspBase   for SEATED and SAME, the node's {@code rtsp://HOST:PORT}
 * @param openedRoom SEATED on a node that did not serve the film or stream before: it opens the room
 */
public record Assignment(Outcome outcome, Seat seat, String rtspBase, boolean openedRoom) implements Serializable {

    public enum Outcome {
        /** Seated in a new room. */
        SEATED,
        /** Already in that room: the same seat, its lease renewed. */
        SAME,
        /** The "from" room is not the user's current room: nothing changed. */
        CONFLICT,
        /** No node serves the film or stream. */
        UNKNOWN,
        /** No node that could serve it has room: nothing changed. */
        FULL
    }

    static Assignment refused(Outcome outcome, Seat current) {
        return new Assignment(outcome, current, null, false);
    }
}

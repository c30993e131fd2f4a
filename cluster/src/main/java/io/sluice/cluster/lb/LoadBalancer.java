package io.sluice.cluster.lb;

import io.sluice.cluster.hz.SeatingStore;
import io.sluice.cluster.seating.Assignment;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.Seat;

/**
 * The load balancer's one decision, as both its HTTP and its RTSP endpoint ask it: seat a user, and say where
 * it plays or why it cannot. Holds no state: the seating lives in the cluster.
 */
public final class LoadBalancer {

    /** Why a user could not be seated. */
    public static final class Refused extends Exception {
        private final Assignment.Outcome outcome;

        Refused(Assignment.Outcome outcome, String detail) {
            super(detail, null, false, false);
            this.outcome = outcome;
        }

        /** CONFLICT, UNKNOWN or FULL. */
        public Assignment.Outcome outcome() {
            return outcome;
        }
    }

    /** How long the first viewer of a live stream on a node that must pull it waits for the pull to be live. */
    static final long PULL_WAIT_MS = 5_000;
    private static final long PULL_POLL_MS = 100;

    private final SeatingStore seating;

    public LoadBalancer(SeatingStore seating) {
        this.seating = seating;
    }

    /**
     * Waits until the node reports the stream, which it does once its pull from the origin is live (within about
     * a report interval), so that the URL answered plays at once. Gives up after {@link #PULL_WAIT_MS}: the
     * player then finds the stream a moment later, or retries.
     */
    private void awaitPull(String nodeId, RoomKey room) {
        long deadlineNs = System.nanoTime() + PULL_WAIT_MS * 1_000_000;
        while (!seating.reportsRoom(nodeId, room) && System.nanoTime() < deadlineNs) {
            try {
                Thread.sleep(PULL_POLL_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    public SeatingStore seating() {
        return seating;
    }

    public AssignView assign(SeatRequest request) throws Refused {
        RoomKey room = request.room();
        Assignment a = seating.assign(request.uid(), room, request.from());
        Seat seat = a.seat();
        if (a.outcome() == Assignment.Outcome.SEATED && a.openedRoom() && room.kind() == RoomKey.Kind.LIVE) {
            awaitPull(seat.nodeId(), room);
        }
        return switch (a.outcome()) {
            case SEATED, SAME -> new AssignView(request.uid(), room.kind() == RoomKey.Kind.FILM ? room.name() : null,
                    room.kind() == RoomKey.Kind.LIVE ? room.name() : null, room.path(), seat.nodeId(),
                    room.url(a.rtspBase(), request.uid()), a.outcome() == Assignment.Outcome.SEATED, seat.leaseUntilMs());
            case CONFLICT -> throw new Refused(a.outcome(), seat == null
                    ? "user " + request.uid() + " has no seat, so it cannot come from " + request.from()
                    : "user " + request.uid() + " is in " + seat.room().path() + ", not " + request.from());
            case UNKNOWN -> throw new Refused(a.outcome(), room.kind() == RoomKey.Kind.FILM
                    ? "no node's library has the film " + room.name()
                    : "nobody publishes the live stream " + room.name() + " on any node");
            case FULL -> throw new Refused(a.outcome(), "no node that can serve " + room.path() + " has room");
        };
    }
}

package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * One seated user as {@code GET /api/v1/lb/users} lists it.
 *
 * @param uid          the user
 * @param room         {@code vod/FID} or {@code live/NAME}
 * @param node         the node
 * @param rtsp         the URL its player plays, with {@code ?uid=} so that the node can tell the player's end
 * @param assignedAtMs when it was seated (epoch ms)
 * @param leaseUntilMs when its seat is freed unless renewed (epoch ms)
 * @param playing      its node reports its player: the seat is freed once the player's session ends there
 */
public record UserView(String uid, String room, String node, String rtsp, long assignedAtMs, long leaseUntilMs,
                       boolean playing) implements Serializable {
}

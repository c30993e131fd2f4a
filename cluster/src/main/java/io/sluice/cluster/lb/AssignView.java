package io.sluice.cluster.lb;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The answer to {@code POST /api/v1/lb/assign}: where the user plays. Exactly one of {@code fid} and
 * {@code live} is present.
 *
 * @param uid          the user
 * @param fid          the film, for a film
 * @param live         the stream name, for a live stream
 * @param room         {@code vod/FID} or {@code live/NAME}: what a later switch gives as {@code from}
 * @param node         the node's id
 * @param rtsp         the URL to play, with {@code ?uid=U}: the node reports the player by it, so its seat is
 *                     freed as soon as it ends
 * @param changed      false when the user already sat in that room (the same seat, its lease renewed)
 * @param leaseUntilMs when the seat is freed unless the node reports its player or the user asks again
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AssignView(String uid, String fid, String live, String room, String node, String rtsp,
                         boolean changed, long leaseUntilMs) {
}

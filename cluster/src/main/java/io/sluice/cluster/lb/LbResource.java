package io.sluice.cluster.lb;

import com.fasterxml.jackson.databind.JsonNode;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.sluice.api.ApiException;
import io.sluice.api.ApiRequest;
import io.sluice.api.ApiResponse;
import io.sluice.api.ApiRouter;
import io.sluice.api.Endpoint;
import io.sluice.api.JsonBodies;
import io.sluice.api.Types;
import io.sluice.cluster.seating.NodeView;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.RoomView;
import io.sluice.cluster.seating.Seat;
import io.sluice.cluster.seating.UserView;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/lb}: seat a user, free its seat, and the cluster's picture (nodes, rooms, users). Assigning and
 * leaving are open to players (no admin token): they are the load balancer's public face.
 */
public final class LbResource {

    /** The body of {@code POST /api/v1/lb/assign}: {@code uid} and exactly one of {@code fid} and {@code live}. */
    public record AssignBody(String uid, String fid, String live, String from) {
    }

    /** The body of {@code POST /api/v1/lb/leave}. */
    public record LeaveBody(String uid) {
    }

    /** The answer to {@code POST /api/v1/lb/leave}: the seat freed. */
    public record LeftView(String uid, String room, String node) {
    }

    private static final Set<String> ASSIGN_FIELDS = Set.of("uid", "fid", "live", "from");
    private static final Set<String> LEAVE_FIELDS = Set.of("uid");

    private final LoadBalancer lb;
    private final JsonBodies bodies;
    private final int maxNameLength;

    /** @param maxNameLength the longest film path or stream name seated */
    public LbResource(LoadBalancer lb, JsonBodies bodies, int maxNameLength) {
        this.lb = lb;
        this.bodies = bodies;
        this.maxNameLength = maxNameLength;
    }

    public void register(ApiRouter router) {
        router.add(open(HttpMethod.POST, "/api/v1/lb/assign", "Seat a user for a film or live stream: the node and "
                + "URL to play (409 for a wrong from, 404 for an unknown film or stream, 503 when no node has room)")
                .body(AssignBody.class).returns(AssignView.class), this::assign);
        router.add(open(HttpMethod.POST, "/api/v1/lb/leave", "Free a user's seat")
                .body(LeaveBody.class).returns(LeftView.class), this::leave);
        router.add(Endpoint.get("/api/v1/lb/nodes", "The cluster's media nodes with their load and capacity")
                .returns(Types.listOf(NodeView.class)), r -> ApiResponse.ok(lb.seating().nodes()));
        router.add(Endpoint.get("/api/v1/lb/rooms", "Every film and stream served, with the nodes serving it")
                .returns(Types.listOf(RoomView.class)), r -> ApiResponse.ok(lb.seating().rooms()));
        router.add(Endpoint.get("/api/v1/lb/users", "Every seated user").returns(Types.listOf(UserView.class)),
                r -> ApiResponse.ok(lb.seating().users()));
        router.add(Endpoint.get("/api/v1/lb/users/{uid}", "One seated user").returns(UserView.class), this::user);
    }

    private static Endpoint open(HttpMethod method, String path, String summary) {
        return new Endpoint(method, path, summary, false, null, null, "application/json", 200, true);
    }

    private ApiResponse assign(ApiRequest request) {
        SeatRequest seat = parseAssign(bodies.readObject(request));
        try {
            return ApiResponse.ok(lb.assign(seat));
        } catch (LoadBalancer.Refused e) {
            throw switch (e.outcome()) {
                case CONFLICT -> new ApiException(HttpResponseStatus.CONFLICT, "conflict", e.getMessage());
                case UNKNOWN -> ApiException.notFound(e.getMessage());
                default -> ApiException.unavailable(e.getMessage());
            };
        }
    }

    private ApiResponse leave(ApiRequest request) {
        JsonNode body = bodies.readObject(request);
        onlyFields(body, LEAVE_FIELDS);
        String uid = uid(body);
        Seat seat = lb.seating().leave(uid);
        if (seat == null) {
            throw ApiException.notFound("user " + uid + " has no seat");
        }
        return ApiResponse.ok(new LeftView(uid, seat.room().path(), seat.nodeId()));
    }

    private ApiResponse user(ApiRequest request) {
        String uid = request.variable("uid");
        UserView view = lb.seating().user(uid);
        if (view == null) {
            throw ApiException.notFound("user " + uid + " has no seat");
        }
        return ApiResponse.ok(view);
    }

    /** The request in the body, checked whole before anything is written. */
    private SeatRequest parseAssign(JsonNode body) {
        onlyFields(body, ASSIGN_FIELDS);
        String uid = uid(body);
        String fid = text(body, "fid");
        String live = text(body, "live");
        String from = text(body, "from");
        if ((fid == null) == (live == null)) {
            throw ApiException.badRequest("give exactly one of fid (a film) and live (a live stream)");
        }
        try {
            RoomKey room = fid != null ? RoomKey.film(SeatRequest.checkName("fid", fid, maxNameLength))
                    : RoomKey.live(SeatRequest.checkName("live", live, maxNameLength));
            return new SeatRequest(uid, room, from == null ? null : SeatRequest.parseFrom(from, maxNameLength));
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static void onlyFields(JsonNode body, Set<String> allowed) {
        for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
            String name = it.next().getKey();
            if (!allowed.contains(name)) {
                throw ApiException.badRequest("unknown field \"" + name + "\"");
            }
        }
    }

    /** The uid as text: a JSON string, or an integer as the seed's clients send it. */
    private static String uid(JsonNode body) {
        JsonNode node = body.get("uid");
        String uid;
        if (node == null || node.isNull()) {
            uid = null;
        } else if (node.isTextual()) {
            uid = node.textValue();
        } else if (node.isIntegralNumber()) {
            uid = node.asText();
        } else {
            throw ApiException.badRequest("uid must be a string or an integer");
        }
        try {
            return SeatRequest.checkUid(uid);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode node = body.get(field);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isTextual()) {
            throw ApiException.badRequest(field + " must be a string");
        }
        return node.textValue();
    }
}

package io.sluice.api;

import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a method and a path such as {@code /api/v1/streams/{liveId}} to a route. Paths are matched segment
 * by segment; {@code {name}} segments bind variables. The route table is also what the OpenAPI document
 * is generated from.
 */
public final class ApiRouter {

    /** Handles one call. */
    @FunctionalInterface
    public interface Route {
        ApiResponse handle(ApiRequest request) throws ApiException;
    }

    /** A route found for a path, with its variables; {@code route} is null when the path exists under other methods. */
    public record Match(Endpoint endpoint, Route route, Map<String, String> variables, List<HttpMethod> allowed) {
    }

    private record Entry(Endpoint endpoint, String[] segments, Route route) {
    }

    private final List<Entry> entries = new ArrayList<>();

    public ApiRouter add(Endpoint endpoint, Route route) {
        entries.add(new Entry(endpoint, split(endpoint.path()), route));
        return this;
    }

    public List<Endpoint> endpoints() {
        return entries.stream().map(Entry::endpoint).toList();
    }

    /**
     * The route for {@code method} and the raw (still percent-encoded) {@code path}, or null when no route
     * has that path. Throws IllegalArgumentException when a variable's escapes are malformed.
     */
    public Match match(HttpMethod method, String path) {
        String[] segments = split(path);
        List<HttpMethod> allowed = new ArrayList<>();
        for (Entry e : entries) {
            Map<String, String> variables = bind(e.segments, segments);
            if (variables == null) {
                continue;
            }
            if (e.endpoint.method().equals(method)) {
                return new Match(e.endpoint, e.route, variables, List.of(method));
            }
            allowed.add(e.endpoint.method());
        }
        return allowed.isEmpty() ? null : new Match(null, null, Map.of(), allowed);
    }

    private static Map<String, String> bind(String[] pattern, String[] path) {
        if (pattern.length != path.length) {
            return null;
        }
        Map<String, String> variables = new HashMap<>();
        for (int i = 0; i < pattern.length; i++) {
            String p = pattern[i];
            if (p.startsWith("{") && p.endsWith("}")) {
                variables.put(p.substring(1, p.length() - 1), QueryStringDecoder.decodeComponent(path[i]));
            } else if (!p.equals(path[i])) {
                return null;
            }
        }
        return variables;
    }

    private static String[] split(String path) {
        return Arrays.stream(path.split("/")).filter(s -> !s.isEmpty()).toArray(String[]::new);
    }
}

package io.sluice.api.dashboard;

import io.sluice.api.ApiException;
import io.sluice.api.ApiResponse;
import io.sluice.api.ApiRouter;
import io.sluice.api.Endpoint;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The dashboard's files, bundled in the jar and read once: the page at {@code /}, its script and style
 * under {@code /dashboard/}. Nothing is fetched from elsewhere at run time.
 */
public final class DashboardAssets {

    private static final String ROOT = "/io/sluice/api/dashboard/";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "dashboard.js", "text/javascript; charset=utf-8",
            "dashboard.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml");

    private final Map<String, byte[]> contents = new LinkedHashMap<>();

    public DashboardAssets() {
        for (String name : FILES.keySet()) {
            try (InputStream in = DashboardAssets.class.getResourceAsStream(ROOT + name)) {
                if (in == null) {
                    throw new IllegalStateException("the jar lacks " + ROOT + name);
                }
                contents.put(name, in.readAllBytes());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/", "The dashboard").produces("text/html").undocumented(), r -> file("index.html"));
        router.add(Endpoint.get("/dashboard/{file}", "The dashboard's files").undocumented(),
                r -> file(r.variable("file")));
    }

    private ApiResponse file(String name) {
        byte[] body = contents.get(name);
        if (body == null) {
            throw ApiException.notFound("no dashboard file " + name);
        }
        return ApiResponse.bytes(FILES.get(name), body);
    }
}

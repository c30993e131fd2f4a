package io.sluice.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.config.ConfigKeys;
import io.sluice.api.config.RuntimeConfig;
import io.sluice.api.view.ConfigView;
import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code /api/v1/config}: read the settings, change them at run time (stored, applied live where possible). */
public final class ConfigResource {

    private final MediaNode node;
    private final RuntimeConfig config;
    private final JsonBodies bodies;
    private final ObjectMapper json;

    public ConfigResource(MediaNode node, RuntimeConfig config, ObjectMapper json) {
        this.node = node;
        this.config = config;
        this.bodies = new JsonBodies(json);
        this.json = json;
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/config", "The node's settings, what was changed through the API, and what "
                + "waits for a restart").returns(ConfigView.class), r -> ApiResponse.ok(view()));
        router.add(Endpoint.patch("/api/v1/config", "Change settings (JSON merge patch by sluice.yml key; null "
                        + "removes a change). Stored; live keys apply at once, others at the next start")
                .body(Map.class).returns(ConfigView.class), this::patch);
    }

    private ApiResponse patch(ApiRequest request) {
        JsonNode patch = bodies.readObject(request);
        if (patch.has("data-dir")) {
            throw ApiException.badRequest("data-dir cannot change at run time: the settings are stored in it");
        }
        NodeConfig wanted;
        try {
            wanted = config.patch(patch);
        } catch (IllegalArgumentException e) {
            throw ApiException.badRequest(e.getMessage());
        }
        node.reconfigure(RuntimeConfig.liveOnly(node.config(), wanted));
        return ApiResponse.ok(view());
    }

    private ConfigView view() {
        NodeConfig running = node.config();
        NodeConfig wanted = config.effective();
        Map<String, Object> values = new LinkedHashMap<>();
        List<String> live = new ArrayList<>();
        List<String> pending = new ArrayList<>();
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            Object now = ConfigKeys.read(running, k);
            values.put(k.name(), now);
            if (k.live()) {
                live.add(k.name());
            }
            if (!Objects.equals(now, ConfigKeys.read(wanted, k))) {
                pending.add(k.name());
            }
        }
        Map<String, Object> overrides = new LinkedHashMap<>();
        config.overrides().forEach((k, v) -> overrides.put(k, json.convertValue(v, Object.class)));
        return new ConfigView(values, overrides, live, pending, running.dataDir().toAbsolutePath().toString());
    }
}

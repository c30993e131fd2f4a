package io.sluice.api.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.node.NodeConfig;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's settings as the API changes them: the start-up settings (defaults, {@code sluice.yml},
 * flags) overridden by what was stored through {@code PATCH /api/v1/config}. Stored changes win over the
 * file and the flags, so a change made through the API survives a restart; removing one (PATCH with
 * null) brings back the start-up value. Not thread-safe: the HTTP loop owns it.
 */
public final class RuntimeConfig {

    private static final Logger log = LoggerFactory.getLogger(RuntimeConfig.class);

    private final NodeConfig base;
    private final RuntimeConfigStore store;
    private final ObjectMapper json;
    private final Map<ConfigKeys.Key, JsonNode> overrides = new LinkedHashMap<>();

    private RuntimeConfig(NodeConfig base, RuntimeConfigStore store, ObjectMapper json) {
        this.base = base;
        this.store = store;
        this.json = json;
    }

    /** Reads the stored changes; one that no longer parses or passes the checks is skipped with a warning. */
    public static RuntimeConfig load(NodeConfig base, RuntimeConfigStore store, ObjectMapper json) {
        RuntimeConfig rc = new RuntimeConfig(base, store, json);
        for (Map.Entry<String, String> e : store.load().entrySet()) {
            ConfigKeys.Key key = ConfigKeys.find(e.getKey());
            try {
                if (key == null) {
                    throw new IllegalArgumentException("no such setting");
                }
                JsonNode value = json.readTree(e.getValue());
                ConfigKeys.with(rc.effective(), Map.of(key, ConfigKeys.parse(key, value)));
                rc.overrides.put(key, value);
                log.info("config: {} = {} (set through the API, overrides the file and flags)", key.name(), value);
            } catch (IllegalArgumentException | JsonProcessingException ex) {
                log.warn("config: ignoring the stored {} = {}: {}", e.getKey(), e.getValue(), ex.getMessage());
            }
        }
        return rc;
    }

    /** The start-up settings with the stored changes applied. */
    public NodeConfig effective() {
        Map<ConfigKeys.Key, Object> values = new LinkedHashMap<>();
        overrides.forEach((k, v) -> values.put(k, ConfigKeys.parse(k, v)));
        return ConfigKeys.with(base, values);
    }

    public Map<String, JsonNode> overrides() {
        Map<String, JsonNode> view = new LinkedHashMap<>();
        overrides.forEach((k, v) -> view.put(k.name(), v));
        return view;
    }

    /**
     * Applies a JSON merge patch (RFC 7396: a member set to null removes the stored change): checks every
     * member, then the whole result, stores it, and answers the new effective settings. Throws
     * IllegalArgumentException, changing nothing, when any part is wrong.
     */
    public NodeConfig patch(JsonNode patch) {
        Map<ConfigKeys.Key, JsonNode> next = new LinkedHashMap<>(overrides);
        List<String> removed = new ArrayList<>();
        Map<String, String> stored = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            ConfigKeys.Key key = ConfigKeys.find(e.getKey());
            if (key == null) {
                throw new IllegalArgumentException("no setting \"" + e.getKey() + "\" can be changed; see GET /api/v1/config");
            }
            if (e.getValue().isNull()) {
                next.remove(key);
                removed.add(key.name());
            } else {
                ConfigKeys.parse(key, e.getValue());
                next.put(key, e.getValue());
                try {
                    stored.put(key.name(), json.writeValueAsString(e.getValue()));
                } catch (JsonProcessingException ex) {
                    throw new IllegalStateException(ex);
                }
            }
        }
        Map<ConfigKeys.Key, Object> values = new LinkedHashMap<>();
        next.forEach((k, v) -> values.put(k, ConfigKeys.parse(k, v)));
        NodeConfig result = ConfigKeys.with(base, values);
        store.update(stored, removed);
        overrides.clear();
        overrides.putAll(next);
        return result;
    }

    /**
     * {@code running} with the live settings of {@code wanted}: what a running node can take without a
     * restart. The other settings keep their running values until the next start.
     */
    public static NodeConfig liveOnly(NodeConfig running, NodeConfig wanted) {
        Map<ConfigKeys.Key, Object> values = new LinkedHashMap<>();
        for (ConfigKeys.Key k : ConfigKeys.all()) {
            if (k.live()) {
                values.put(k, ConfigKeys.value(wanted, k));
            }
        }
        return ConfigKeys.with(running, values);
    }
}

package io.sluice.api.config;

import com.fasterxml.jackson.databind.JsonNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.nativeproto.NativeLimits;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The node settings that can be read and changed through {@code /api/v1/config}, under the same
 * kebab-case names as {@code sluice.yml} and the flags, and in the same units: each maps to one
 * {@link NodeConfig} component, or to one component of the native protocol's {@link NativeLimits} (the
 * {@code native-*} keys); durations are whole seconds, or whole milliseconds for the keys whose flag
 * takes milliseconds, and a list is a JSON array of strings. The live ones take effect at once (for
 * connections, sessions, streams or readers that start from then on); the others at the next start.
 */
public final class ConfigKeys {

    /**
     * One setting.
     *
     * @param component the {@link NodeConfig} component it sets, or {@code nativeLimits.NAME} for a component
     *                  of the native protocol's limits
     * @param unit      what a whole number of it counts, for a duration; null otherwise
     */
    public record Key(String name, String component, Class<?> type, ChronoUnit unit, boolean live) {
    }

    private static final Set<String> LIVE = Set.of("session-timeout", "max-rtsp-connections", "max-sessions",
            "max-tracks-per-stream", "gop-cache-max-packets", "gop-cache-max-bytes", "reader-stall-timeout",
            "rtsp-nack", "retransmission-max-packets", "reader-catch-up-rate", "reader-catch-up-burst",
            "reader-catch-up-speed", "frame-hold", "gop-cache-min-start", "retransmission-history",
            "rtx-user-agents");

    /** The durations given in milliseconds, as their flags take them. */
    private static final Set<String> IN_MILLISECONDS = Set.of("frame-hold", "gop-cache-min-start",
            "retransmission-history", "vod-send-lead", "native-describe-wait", "native-track-wait");

    /** The prefix of a component of {@link NodeConfig#nativeLimits()}. */
    private static final String NATIVE_LIMITS = "nativeLimits.";

    private static final Map<String, Key> KEYS = new LinkedHashMap<>();

    static {
        String[][] names = {
                {"bind-address", "bindAddress"}, {"rtsp-port", "rtspPort"}, {"rtp-port", "rtpPort"},
                {"media-dir", "mediaDir"}, {"session-timeout", "sessionTimeout"},
                {"max-rtsp-connections", "maxRtspConnections"}, {"max-sessions", "maxSessions"},
                {"max-request-line", "maxInitialLineLength"}, {"max-header-size", "maxHeaderSize"},
                {"max-content-length", "maxContentLength"}, {"max-tracks-per-stream", "maxTracksPerStream"},
                {"gop-cache-max-packets", "gopCacheMaxPackets"}, {"gop-cache-max-bytes", "gopCacheMaxBytes"},
                {"reader-queue-high-bytes", "readerQueueHighBytes"}, {"reader-queue-low-bytes", "readerQueueLowBytes"},
                {"reader-stall-timeout", "readerStallTimeout"}, {"udp-socket-buffer-bytes", "udpSocketBufferBytes"},
                {"io-threads", "ioThreads"}, {"udp-gso", "udpSegmentationOffload"}, {"rtsp-nack", "rtspNack"},
                {"retransmission-max-packets", "retransmissionMaxPackets"},
                {"reader-catch-up-rate", "readerCatchUpBytesPerSecond"},
                {"reader-catch-up-burst", "readerCatchUpBurstBytes"}, {"reader-catch-up-speed", "readerCatchUpSpeed"},
                {"vod-cache-bytes", "vodCacheMaxBytes"}, {"native-push-port", "nativePushPort"},
                {"native-pull-port", "nativePullPort"}, {"frame-hold", "frameHold"},
                {"gop-cache-min-start", "gopCacheMinStart"}, {"retransmission-history", "retransmissionHistory"},
                {"rtx-user-agents", "rtxUserAgents"}, {"vod-room-grace", "vodRoomGrace"},
                {"vod-send-lead", "vodSendLead"}, {"vod-library-rescan", "vodLibraryRescan"},
                {"native-max-push-streams", NATIVE_LIMITS + "maxPushStreams"},
                {"native-max-pullers", NATIVE_LIMITS + "maxPullers"},
                {"native-auth-failures-per-minute", NATIVE_LIMITS + "authFailuresPerMinute"},
                {"native-max-live-ids-per-puller", NATIVE_LIMITS + "maxLiveIdsPerPuller"},
                {"native-max-pull-request-bytes", NATIVE_LIMITS + "maxPullRequestBytes"},
                {"native-max-auth-sources", NATIVE_LIMITS + "maxAuthSources"},
                {"native-max-pending-auths", NATIVE_LIMITS + "maxPendingAuths"},
                {"native-max-datagram-bytes", NATIVE_LIMITS + "maxDatagramBytes"},
                {"native-retransmits-per-second", NATIVE_LIMITS + "retransmitsPerSecond"},
                {"native-ask-pushers", NATIVE_LIMITS + "askPushers"},
                {"native-max-film-pulls", NATIVE_LIMITS + "maxFilmPulls"},
                {"native-max-films-per-puller", NATIVE_LIMITS + "maxFilmsPerPuller"},
                {"native-film-controls-per-second", NATIVE_LIMITS + "filmControlsPerSecond"},
                {"native-describe-wait", NATIVE_LIMITS + "describeWait"},
                {"native-track-wait", NATIVE_LIMITS + "trackWait"},
                {"native-max-pes-bytes", NATIVE_LIMITS + "maxPesBytes"}};
        for (String[] n : names) {
            RecordComponent rc = component(n[1]);
            ChronoUnit unit = rc.getType() != Duration.class ? null
                    : IN_MILLISECONDS.contains(n[0]) ? ChronoUnit.MILLIS : ChronoUnit.SECONDS;
            KEYS.put(n[0], new Key(n[0], n[1], rc.getType(), unit, LIVE.contains(n[0])));
        }
    }

    private ConfigKeys() {
    }

    public static List<Key> all() {
        return List.copyOf(KEYS.values());
    }

    /** The key called {@code name}, or null. */
    public static Key find(String name) {
        return KEYS.get(name);
    }

    /** The setting's value in {@code config} as JSON shows it: durations in the key's unit, paths as text. */
    public static Object read(NodeConfig config, Key key) {
        Object v = value(config, key);
        if (v instanceof Duration d) {
            return key.unit() == ChronoUnit.MILLIS ? d.toMillis() : d.toSeconds();
        }
        return v instanceof Path p ? p.toString() : v;
    }

    /** The setting's value in {@code config} as the component holds it. */
    static Object value(NodeConfig config, Key key) {
        try {
            Object holder = isNativeLimit(key) ? config.nativeLimits() : config;
            return component(key.component()).getAccessor().invoke(holder);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static boolean isNativeLimit(Key key) {
        return key.component().startsWith(NATIVE_LIMITS);
    }

    /** Parses a JSON value for {@code key}; throws IllegalArgumentException saying what was expected. */
    public static Object parse(Key key, JsonNode value) {
        Class<?> t = key.type();
        if (t == int.class && value.isIntegralNumber() && value.canConvertToInt()) {
            return value.intValue();
        }
        if (t == long.class && value.isIntegralNumber() && value.canConvertToLong()) {
            return value.longValue();
        }
        if (t == Duration.class && value.isIntegralNumber() && value.canConvertToLong()) {
            Duration d = Duration.of(value.longValue(), key.unit());
            try {
                d.toNanos();
            } catch (ArithmeticException e) {
                throw new IllegalArgumentException(key.name() + " is too long: " + value, e);
            }
            return d;
        }
        if (t == List.class && value.isArray()) {
            List<String> items = new ArrayList<>();
            for (JsonNode item : value) {
                if (!item.isTextual()) {
                    throw new IllegalArgumentException(key.name() + " must be an array of strings, not " + value);
                }
                items.add(item.textValue());
            }
            return List.copyOf(items);
        }
        if (t == boolean.class && value.isBoolean()) {
            return value.booleanValue();
        }
        if ((t == String.class || t == Path.class) && value.isTextual()) {
            return t == Path.class ? Path.of(value.textValue()) : value.textValue();
        }
        String expected = t == Duration.class
                ? "a whole number of " + (key.unit() == ChronoUnit.MILLIS ? "milliseconds" : "seconds")
                : t == List.class ? "an array of strings"
                : t == String.class || t == Path.class ? "a string" : t == boolean.class ? "true or false" : "an integer";
        throw new IllegalArgumentException(key.name() + " must be " + expected + ", not " + value);
    }

    /** {@code base} with {@code values} (parsed by {@link #parse}) set; the record's own checks apply. */
    public static NodeConfig with(NodeConfig base, Map<Key, Object> values) {
        NodeConfig.Builder b = NodeConfig.builder();
        NativeLimits.Builder limits = NativeLimits.builder();
        copy(base, b);
        copy(base.nativeLimits(), limits);
        try {
            for (Map.Entry<Key, Object> e : values.entrySet()) {
                String component = e.getKey().component();
                if (isNativeLimit(e.getKey())) {
                    NativeLimits.Builder.class.getField(component.substring(NATIVE_LIMITS.length())).set(limits, e.getValue());
                } else {
                    NodeConfig.Builder.class.getField(component).set(b, e.getValue());
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        b.nativeLimits = limits.build();
        return b.build();
    }

    /**
     * Sets every component of {@code record} on {@code builder}, whose public fields carry the components'
     * names, as {@link NodeConfig.Builder} and {@link NativeLimits.Builder} do.
     */
    private static void copy(Record record, Object builder) {
        try {
            for (RecordComponent rc : record.getClass().getRecordComponents()) {
                Field f = builder.getClass().getField(rc.getName());
                f.set(builder, rc.getAccessor().invoke(record));
            }
        } catch (InvocationTargetException | NoSuchFieldException | IllegalAccessException e) {
            throw new IllegalStateException(builder.getClass() + " must have a public field per component", e);
        }
    }

    /** The component {@code name} of NodeConfig, or {@code nativeLimits.NAME} of NativeLimits. */
    private static RecordComponent component(String name) {
        boolean nativeLimit = name.startsWith(NATIVE_LIMITS);
        Class<? extends Record> type = nativeLimit ? NativeLimits.class : NodeConfig.class;
        String simple = nativeLimit ? name.substring(NATIVE_LIMITS.length()) : name;
        for (RecordComponent rc : type.getRecordComponents()) {
            if (rc.getName().equals(simple)) {
                return rc;
            }
        }
        throw new IllegalStateException(type.getSimpleName() + " has no component " + simple);
    }
}

package io.sluice.api.metrics;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.sluice.api.stats.LocalRooms;
import io.sluice.api.stats.NodeStats;
import io.sluice.api.view.RoomSummaryView;
import io.sluice.node.MediaNode;
import io.sluice.node.NodeCounters;
import io.sluice.node.nativeproto.NativeCounters;
import io.sluice.node.rtsp.RtspSessionInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.ToDoubleFunction;

/**
 * The node's Prometheus metrics, every name prefixed {@code sluice_} (the JVM's too). Labels are
 * {@code path} and {@code protocol} (and {@code role}, {@code direction} where it says so), never a
 * session: a thousand viewers must not make a thousand series. Per-path meters come and go with their
 * path; {@link #update} runs once a second on the HTTP loop, as does every scrape.
 */
public final class SluiceMetrics {

    private static final String PREFIX = "sluice.";
    private static final List<String> PROTOCOLS = List.of("rtsp", "native", "origin");

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, List<Meter>> pathMeters = new HashMap<>();
    private final MultiGauge streams;
    private final MultiGauge sessions;
    private final MultiGauge rooms;
    private final MultiGauge roomViewers;
    private final MediaNode node;

    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public SluiceMetrics(MediaNode node) {
        this.node = node;
        registry.config().meterFilter(new MeterFilter() {
            @Override
            public Meter.Id map(Meter.Id id) {
                return id.getName().startsWith(PREFIX) ? id : id.withName(PREFIX + id.getName());
            }
        });
        new JvmMemoryMetrics().bindTo(registry);
        gcMetrics.bindTo(registry);
        new JvmThreadMetrics().bindTo(registry);
        new ClassLoaderMetrics().bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);

        NodeCounters c = node.counters();
        counter("sluice.rtp.unknown.source", "RTP datagrams from an address no session set up", c.rtpUnknownSource);
        counter("sluice.rtcp.unknown.source", "RTCP datagrams from an address no session set up", c.rtcpUnknownSource);
        counter("sluice.rtp.malformed", "RTP packets that are not valid RTP", c.rtpMalformed);
        counter("sluice.interleaved.unknown.channel", "interleaved frames on a channel no SETUP assigned",
                c.interleavedUnknownChannel);
        counter("sluice.rtsp.bad.requests", "RTSP requests answered 400 and closed", c.rtspBadRequests);
        counter("sluice.auth.failures", "publish attempts refused for a missing or wrong key", c.authFailures);
        counter("sluice.connections.refused", "RTSP connections refused at the connection limit", c.connectionsRefused);
        counter("sluice.session.timeouts", "sessions closed by the session timeout", c.sessionTimeouts);
        NativeCounters n = node.nativeServer().counters();
        counter("sluice.native.retransmissions.requested", "packets native pullers asked for again (request 120)",
                n.retransmitRequested);
        counter("sluice.native.retransmissions.sent", "packets sent again to native pullers", n.retransmitSent);
        counter("sluice.native.pusher.retransmissions.requested", "packets the node asked native pushers for again",
                n.pusherRequested);
        counter("sluice.native.pusher.retransmissions.recovered", "of those, packets that arrived", n.pusherRecovered);
        counter("sluice.native.malformed", "native protocol datagrams that were not well formed", n.malformed);
        counter("sluice.native.auth.refused", "native pushes refused for a wrong key or a full table", n.authRefused);
        Gauge.builder("sluice.rtsp.connections", node, MediaNode::rtspConnectionCount)
                .description("open RTSP connections").register(registry);
        streams = MultiGauge.builder("sluice.streams").description("live streams").register(registry);
        sessions = MultiGauge.builder("sluice.sessions").description("client sessions").register(registry);
        rooms = MultiGauge.builder("sluice.rooms").description("rooms of this node: films played and live streams")
                .register(registry);
        roomViewers = MultiGauge.builder("sluice.room.viewers").description("viewers in this node's rooms")
                .register(registry);
    }

    private void counter(String name, String description, LongAdder adder) {
        FunctionCounter.builder(name, adder, LongAdder::doubleValue).description(description).register(registry);
    }

    /** Adds the meters of new paths, removes those of paths gone, and refreshes the node-wide gauges. */
    public void update(NodeStats stats, NodeStats.Snapshot snapshot) {
        Map<String, NodeStats.PathTotals> live = new HashMap<>();
        for (NodeStats.PathTotals p : stats.pathTotals()) {
            live.put(p.path, p);
            pathMeters.computeIfAbsent(p.path, k -> registerPath(p));
        }
        pathMeters.entrySet().removeIf(e -> {
            if (live.containsKey(e.getKey())) {
                return false;
            }
            e.getValue().forEach(registry::remove);
            return true;
        });
        Map<String, Integer> byProtocol = new HashMap<>();
        for (NodeStats.PathTotals p : stats.pathTotals()) {
            byProtocol.merge(p.protocol, 1, Integer::sum);
        }
        List<MultiGauge.Row<?>> streamRows = new ArrayList<>();
        for (String protocol : PROTOCOLS) {
            streamRows.add(MultiGauge.Row.of(Tags.of("protocol", protocol), byProtocol.getOrDefault(protocol, 0)));
        }
        streams.register(streamRows, true);
        Map<String, Integer> byRole = new HashMap<>();
        for (RtspSessionInfo s : snapshot.sessions()) {
            byRole.merge(s.role(), 1, Integer::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String role : List.of("publisher", "reader", "undecided")) {
            rows.add(MultiGauge.Row.of(Tags.of("protocol", "rtsp", "role", role), byRole.getOrDefault(role, 0)));
        }
        rows.add(MultiGauge.Row.of(Tags.of("protocol", "native", "role", "publisher"), snapshot.pushes().size()));
        rows.add(MultiGauge.Row.of(Tags.of("protocol", "native", "role", "reader"), snapshot.pullers().size()));
        sessions.register(rows, true);
        Map<String, int[]> byKind = new HashMap<>();
        byKind.put("film", new int[2]);
        byKind.put("live", new int[2]);
        for (RoomSummaryView room : LocalRooms.of(node, snapshot)) {
            int[] k = byKind.get(room.kind());
            k[0]++;
            k[1] += room.viewers();
        }
        List<MultiGauge.Row<?>> roomRows = new ArrayList<>();
        List<MultiGauge.Row<?>> viewerRows = new ArrayList<>();
        for (Map.Entry<String, int[]> e : byKind.entrySet()) {
            roomRows.add(MultiGauge.Row.of(Tags.of("kind", e.getKey()), e.getValue()[0]));
            viewerRows.add(MultiGauge.Row.of(Tags.of("kind", e.getKey()), e.getValue()[1]));
        }
        rooms.register(roomRows, true);
        roomViewers.register(viewerRows, true);
    }

    private List<Meter> registerPath(NodeStats.PathTotals p) {
        Tags tags = Tags.of("path", p.path, "protocol", p.protocol);
        List<Meter> meters = new ArrayList<>();
        meters.add(pathCounter("sluice.received", "bytes", "bytes received from the publisher", p, tags,
                NodeStats.PathTotals::bytesIn));
        meters.add(pathCounter("sluice.received.packets", null, "RTP packets received from the publisher", p, tags,
                NodeStats.PathTotals::packetsIn));
        meters.add(pathCounter("sluice.sent", "bytes", "bytes sent to readers", p, tags, NodeStats.PathTotals::bytesOut));
        meters.add(pathCounter("sluice.sent.packets", null, "RTP packets sent to readers", p, tags,
                NodeStats.PathTotals::packetsOut));
        meters.add(pathCounter("sluice.reader.drops", null, "packets slow readers did not get (queue full)", p, tags,
                NodeStats.PathTotals::drops));
        meters.add(pathCounter("sluice.reader.keyframe.skips", null, "times a slow reader skipped to the next keyframe",
                p, tags, NodeStats.PathTotals::keyframeSkips));
        meters.add(pathCounter("sluice.retransmissions.requested", null,
                "packets readers asked for again (generic NACK)", p, tags, NodeStats.PathTotals::nacked));
        meters.add(pathCounter("sluice.retransmissions.sent", null,
                "packets sent again in answer to NACKs (originals or RTX)", p, tags, NodeStats.PathTotals::resent));
        meters.add(Gauge.builder("sluice.readers", p, NodeStats.PathTotals::readers)
                .description("readers of the stream").tags(tags).register(registry));
        meters.add(Gauge.builder("sluice.packets.lost", p, NodeStats.PathTotals::lostIn)
                .description("packets lost: from the publisher (in), as readers report (out)")
                .tags(tags.and("direction", "in")).register(registry));
        meters.add(Gauge.builder("sluice.packets.lost", p, NodeStats.PathTotals::lostOut)
                .description("packets lost: from the publisher (in), as readers report (out)")
                .tags(tags.and("direction", "out")).register(registry));
        return meters;
    }

    private Meter pathCounter(String name, String unit, String description, NodeStats.PathTotals p, Tags tags,
                              ToDoubleFunction<NodeStats.PathTotals> f) {
        return FunctionCounter.builder(name, p, f).baseUnit(unit).description(description).tags(tags).register(registry);
    }

    /** The Prometheus text exposition format (0.0.4). */
    public String scrape() {
        return registry.scrape();
    }

    public void close() {
        gcMetrics.close();
        registry.close();
    }
}

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
import io.sluice.api.stats.NodeStats;
import io.sluice.node.MediaNode;
import io.sluice.node.NodeCounters;
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
    private static final String PROTOCOL = "rtsp";

    private final PrometheusMeterRegistry registry = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final Map<String, List<Meter>> pathMeters = new HashMap<>();
    private final MultiGauge streams;
    private final MultiGauge sessions;

    private final JvmGcMetrics gcMetrics = new JvmGcMetrics();

    public SluiceMetrics(MediaNode node) {
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
        Gauge.builder("sluice.rtsp.connections", node, MediaNode::rtspConnectionCount)
                .description("open RTSP connections").register(registry);
        streams = MultiGauge.builder("sluice.streams").description("live streams").register(registry);
        sessions = MultiGauge.builder("sluice.sessions").description("client sessions").register(registry);
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
        streams.register(List.of(MultiGauge.Row.of(Tags.of("protocol", PROTOCOL), snapshot.streams().size())), true);
        Map<String, Integer> byRole = new HashMap<>();
        for (RtspSessionInfo s : snapshot.sessions()) {
            byRole.merge(s.role(), 1, Integer::sum);
        }
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (String role : List.of("publisher", "reader", "undecided")) {
            rows.add(MultiGauge.Row.of(Tags.of("protocol", PROTOCOL, "role", role), byRole.getOrDefault(role, 0)));
        }
        sessions.register(rows, true);
    }

    private List<Meter> registerPath(NodeStats.PathTotals p) {
        Tags tags = Tags.of("path", p.path, "protocol", PROTOCOL);
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

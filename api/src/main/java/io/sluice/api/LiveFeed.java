package io.sluice.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.sluice.api.metrics.SluiceMetrics;
import io.sluice.api.stats.NodeStats;
import io.sluice.api.stats.StreamSample;
import io.sluice.api.view.EventView;
import io.sluice.api.view.NodeView;
import io.sluice.api.view.StreamView;
import io.sluice.node.MediaNode;
import io.sluice.node.SluiceVersion;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.List;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The once-a-second tick: reads the node, keeps the sample for the rate windows, refreshes the metrics
 * and sends the dashboard's event on {@code /api/v1/events}. Runs on the HTTP loop.
 */
public final class LiveFeed {

    private static final Logger log = LoggerFactory.getLogger(LiveFeed.class);
    static final String VERSION = SluiceVersion.of(LiveFeed.class);

    private final MediaNode node;
    private final NodeStats stats;
    private final SluiceMetrics metrics;
    private final EventHub hub;
    private final ObjectMapper json;
    private final LongSupplier wallClockMs;
    private final long startMs;

    public LiveFeed(MediaNode node, NodeStats stats, SluiceMetrics metrics, EventHub hub, ObjectMapper json,
                    LongSupplier wallClockMs) {
        this.node = node;
        this.stats = stats;
        this.metrics = metrics;
        this.hub = hub;
        this.json = json;
        this.wallClockMs = wallClockMs;
        this.startMs = wallClockMs.getAsLong();
    }

    public void register(ApiRouter router) {
        router.add(Endpoint.get("/api/v1/events", "Server-sent events: an EventView once a second")
                .produces("text/event-stream").returns(EventView.class), r -> ApiResponse.eventStream(hub));
        router.add(Endpoint.get("/api/v1/node", "This node at a glance").returns(NodeView.class),
                r -> {
                    NodeStats.Snapshot snapshot = stats.snapshot();
                    return ApiResponse.ok(nodeView(snapshot, stats.streamViews(snapshot)));
                });
    }

    public void tick() {
        try {
            NodeStats.Snapshot snapshot = stats.snapshot();
            stats.record(snapshot);
            metrics.update(stats, snapshot);
            List<StreamView> streams = stats.streamViews(snapshot);
            EventView event = new EventView(wallClockMs.getAsLong(), nodeView(snapshot, streams), streams,
                    stats.sessionViews(snapshot));
            hub.publish("tick", json.writeValueAsString(event));
        } catch (RuntimeException | JsonProcessingException e) {
            log.warn("stats tick failed", e);
        }
    }

    private NodeView nodeView(NodeStats.Snapshot snapshot, List<StreamView> streams) {
        long in = 0;
        long out = 0;
        int readers = 0;
        for (StreamView s : streams) {
            in += s.bitrate().last3s();
            readers += s.readers();
        }
        for (StreamSample s : snapshot.streams()) {
            out += stats.bitrateOut(s);
        }
        out += stats.filmBitrateOut();
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        return new NodeView(VERSION, wallClockMs.getAsLong() - startMs, streams.size(), readers,
                snapshot.sessionCount(), node.rtspConnectionCount(), in, out, heap.getUsed(), heap.getMax());
    }
}

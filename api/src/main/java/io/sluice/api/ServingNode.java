package io.sluice.api;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.api.config.RuntimeConfig;
import io.sluice.api.config.RuntimeConfigStore;
import io.sluice.api.dashboard.DashboardAssets;
import io.sluice.api.metrics.SluiceMetrics;
import io.sluice.api.openapi.OpenApiDocument;
import io.sluice.api.stats.NodeStats;
import io.sluice.node.MediaNode;
import io.sluice.node.NettyTransport;
import io.sluice.node.NodeConfig;
import io.sluice.node.keys.StreamKeyStore;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A media node with its HTTP side, as {@code sluice serve} runs it: the node started with the stored
 * runtime settings applied, the API, {@code /metrics}, the dashboard, and the once-a-second feed.
 */
public final class ServingNode implements AutoCloseable {

    private static final long TICK_MS = 1000;
    static final String METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    /**
     * The HTTP side's settings.
     *
     * @param apiToken        the admin token; null to use (or make) the data directory's token file
     * @param loopbackTrusted whether callers on this machine may change the node without a token
     */
    public record HttpSettings(String host, int port, int maxBodyBytes, String apiToken, boolean loopbackTrusted) {
    }

    private final MediaNode node;
    private final EventLoopGroup httpGroup;
    private final HttpApiServer http;
    private final SluiceMetrics metrics;
    private final ScheduledFuture<?> ticker;
    private final ApiToken token;
    private final NodesResource nodes;

    private ServingNode(MediaNode node, EventLoopGroup httpGroup, HttpApiServer http, SluiceMetrics metrics,
                        ScheduledFuture<?> ticker, ApiToken token, NodesResource nodes) {
        this.node = node;
        this.httpGroup = httpGroup;
        this.http = http;
        this.metrics = metrics;
        this.ticker = ticker;
        this.token = token;
        this.nodes = nodes;
    }

    /** Starts everything from {@code startup} (defaults, file and flags) plus the settings stored through the API. */
    public static ServingNode start(NodeConfig startup, HttpSettings settings) throws Exception {
        ApiToken token = settings.apiToken() != null
                ? new ApiToken(settings.apiToken(), false)
                : ApiToken.loadOrCreate(startup.dataDir());
        ObjectMapper json = new ObjectMapper();
        StreamKeyStore keys = StreamKeyStore.open(startup.dataDir());
        RuntimeConfig runtime;
        MediaNode node;
        try {
            runtime = RuntimeConfig.load(startup, new RuntimeConfigStore(keys.jdbcUrl()), json);
            node = MediaNode.start(runtime.effective(), keys, System::nanoTime);
        } catch (RuntimeException e) {
            keys.close();
            throw e;
        }
        EventLoopGroup httpGroup = NettyTransport.best().newGroup(1, "sluice-http");
        try {
            NodeStats stats = NodeStats.of(node, System::nanoTime, System::currentTimeMillis);
            SluiceMetrics metrics = new SluiceMetrics(node);
            EventHub hub = new EventHub();
            JsonBodies bodies = new JsonBodies(json);
            ApiRouter router = new ApiRouter();
            new StreamsResource(node, stats, bodies).register(router);
            new KeysResource(node).register(router);
            new SessionsResource(node, stats).register(router);
            new FilmsResource(node).register(router);
            NodesResource nodes = new NodesResource(node, stats, System::currentTimeMillis);
            nodes.register(router);
            new ConfigResource(node, runtime, json).register(router);
            LiveFeed feed = new LiveFeed(node, stats, metrics, hub, json, System::currentTimeMillis);
            feed.register(router);
            router.add(Endpoint.get("/metrics", "Prometheus metrics (text format 0.0.4)")
                            .produces(METRICS_CONTENT_TYPE).returns(String.class),
                    r -> ApiResponse.bytes(METRICS_CONTENT_TYPE, metrics.scrape().getBytes(StandardCharsets.UTF_8)));
            new DashboardAssets().register(router);
            router.add(Endpoint.get("/api/v1/openapi.json", "This document").returns(Map.class), r -> ApiResponse.ok(
                    OpenApiDocument.generate("Sluice node API", LiveFeed.VERSION, router.endpoints())));
            HttpApiServer http = HttpApiServer.start(httpGroup, NettyTransport.best().serverChannel(), settings.host(),
                    settings.port(), settings.maxBodyBytes(), router,
                    new AdminAuth(token.value(), settings.loopbackTrusted()), json);
            ScheduledFuture<?> ticker = httpGroup.next().scheduleAtFixedRate(feed::tick, 0, TICK_MS, TimeUnit.MILLISECONDS);
            return new ServingNode(node, httpGroup, http, metrics, ticker, token, nodes);
        } catch (Exception e) {
            httpGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
            node.close();
            throw e;
        }
    }

    public MediaNode node() {
        return node;
    }

    /** Makes {@code /api/v1/nodes} and {@code /rooms} show the cluster this node has joined. */
    public void showCluster(ClusterPicture picture) {
        nodes.showCluster(picture);
    }

    public int httpPort() {
        return http.port();
    }

    public ApiToken token() {
        return token;
    }

    @Override
    public void close() {
        ticker.cancel(false);
        http.close();
        httpGroup.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
        metrics.close();
        node.close();
    }
}

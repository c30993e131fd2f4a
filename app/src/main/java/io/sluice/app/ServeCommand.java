package io.sluice.app;

import io.sluice.api.ApiToken;
import io.sluice.api.ServingNode;
import io.sluice.cluster.hz.ClusterSettings;
import io.sluice.cluster.member.ClusterNode;
import io.sluice.cluster.member.NodeAgent;
import io.sluice.cluster.member.SeatingPicture;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.node.NodeConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code sluice serve}: runs a media node with its HTTP API until interrupted. */
@Command(name = "serve", mixinStandardHelpOptions = true,
        description = "Run a media node: RTSP on 8554, RTP/RTCP on UDP 8000/8001, HTTP API, metrics and dashboard on 8080.")
public final class ServeCommand implements Callable<Integer> {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(ServeCommand.class);
    static final Path DEFAULT_CONFIG = Path.of("sluice.yml");

    @Option(names = "--config", description = "Configuration file (default ./sluice.yml when present).")
    Path config;

    @Mixin
    ServeSettings flags = new ServeSettings();

    @Override
    public Integer call() throws Exception {
        ServeSettings settings;
        try {
            settings = fileSettings().overriddenBy(flags);
        } catch (Exception e) {
            System.err.println("sluice serve: cannot read the configuration: " + e.getMessage());
            return 2;
        }
        NodeConfig nodeConfig;
        try {
            LogLevel.apply(LogLevel.parse(settings.logLevel));
            nodeConfig = settings.toNodeConfig();
        } catch (IllegalArgumentException e) {
            System.err.println("sluice serve: " + e.getMessage());
            return 2;
        }
        Files.createDirectories(nodeConfig.mediaDir());
        CountDownLatch stopped = new CountDownLatch(1);
        ServingNode.HttpSettings http = new ServingNode.HttpSettings(settings.bindAddressOrDefault(),
                settings.httpPort(), settings.maxHttpBodyBytes(), settings.apiToken, settings.apiLoopbackTrustOrDefault());
        ClusterSettings clusterSettings = null;
        NodeAgent.Capacity capacity = null;
        SeatingRules seatingRules = null;
        if (settings.clusterEnabled()) {
            try {
                clusterSettings = settings.clusterSettings();
                capacity = settings.capacity();
                seatingRules = settings.seatingRules();
            } catch (IllegalArgumentException e) {
                System.err.println("sluice serve: " + e.getMessage());
                return 2;
            }
        }
        ServingNode started;
        try {
            started = ServingNode.start(nodeConfig, http);
        } catch (IllegalStateException e) {
            // A port in use or a data directory another process holds: the message says which, a trace does not help.
            System.err.println("sluice serve: " + e.getMessage());
            return 1;
        }
        try (ServingNode serving = started;
             ClusterNode cluster = clusterSettings == null ? null
                     : ClusterNode.join(serving.node(), clusterSettings, seatingRules, capacity,
                             settings.advertisedHostOrNull())) {
            if (serving.token().created()) {
                System.out.println("Admin token for the HTTP API (shown once; kept in "
                        + nodeConfig.dataDir().resolve(ApiToken.FILE_NAME) + "): " + serving.token().value());
            }
            if (cluster != null) {
                serving.showCluster(new SeatingPicture(cluster.member().seating(), cluster.member().localId()));
                log.info("Sluice node in cluster {} as {} ({} members)", clusterSettings.name(),
                        cluster.rtspBase(), cluster.member().memberCount());
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "sluice-shutdown"));
            log.info("Sluice node ready: rtsp://{}:{}/live/NAME, dashboard and API on http://{}:{}/, media {}, data {}",
                    serving.node().config().bindAddress(), serving.node().rtspPort(), http.host(), serving.httpPort(),
                    nodeConfig.mediaDir().toAbsolutePath(), nodeConfig.dataDir().toAbsolutePath());
            stopped.await();
            log.info("Sluice node stopping");
        }
        return 0;
    }

    private ServeSettings fileSettings() throws Exception {
        Path file = configFile(config);
        return file == null ? new ServeSettings() : ServeSettings.load(file);
    }

    /** The configuration file to read: the one {@code --config} names, else ./sluice.yml when present, else null. */
    static Path configFile(Path given) {
        if (given != null) {
            return given;
        }
        return Files.exists(DEFAULT_CONFIG) ? DEFAULT_CONFIG : null;
    }
}

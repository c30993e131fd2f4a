package io.sluice.app;

import io.sluice.cluster.hz.ClusterMember;
import io.sluice.cluster.hz.ClusterSettings;
import io.sluice.cluster.lb.LbServer;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.rtsp.codec.RtspMessageDecoder;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code sluice lb}: a load-balancer-only cluster member, no media. Players ask it over HTTP
 * ({@code POST /api/v1/lb/assign}) or RTSP (a 302 to their node). Run as many as wanted: they share the
 * cluster's seating and keep nothing of their own.
 */
@Command(name = "lb", mixinStandardHelpOptions = true,
        description = "Run a load balancer for a cluster of Sluice nodes: HTTP API on 8080, RTSP redirects on 8554, no media.")
public final class LbCommand implements Callable<Integer> {

    private static final org.slf4j.Logger log = LoggerFactory.getLogger(LbCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--config", description = "Configuration file: the keys lb has flags for, as in sluice.yml "
            + "(default ./sluice.yml when present); the flags win.")
    Path config;

    @Option(names = "--cluster", arity = "0..1", description = "Accepted for symmetry with serve: a load balancer "
            + "is always a cluster member.")
    Boolean cluster;

    @Option(names = "--cluster-name", description = "Only processes with the same cluster name join (default sluice).")
    String clusterName = ClusterSettings.DEFAULT_NAME;

    @Option(names = "--cluster-port", description = "First cluster port (default 5701; --port-offset does not shift it).")
    int clusterPort = ClusterSettings.DEFAULT_PORT;

    @Option(names = "--cluster-members", split = ",", description = "host[:port],... of members to contact (default 127.0.0.1).")
    List<String> clusterMembers = ClusterSettings.DEFAULT_MEMBERS;

    @Option(names = "--cluster-seat-lease", description = "Seconds a viewer's seat lives while its node does not "
            + "report its player and its user does not ask again (default 15).")
    int clusterSeatLease = (int) (SeatingRules.DEFAULT.leaseMs() / 1_000);

    @Option(names = "--cluster-room-grace", description = "Seconds a node's room stays open and preferred after its "
            + "last seat left (default 30).")
    int clusterRoomGrace = (int) (SeatingRules.DEFAULT.roomGraceMs() / 1_000);

    @Option(names = "--cluster-node-timeout", description = "Seconds without a load report before the cluster drops "
            + "a node (default 6).")
    int clusterNodeTimeout = (int) (SeatingRules.DEFAULT.reportTimeoutMs() / 1_000);

    @Option(names = "--bind-address", description = "Address the HTTP and RTSP listeners bind (default 0.0.0.0).")
    String bindAddress = "0.0.0.0";

    @Option(names = "--http-port", description = "HTTP API port (default 8080).")
    int httpPort = 8080;

    @Option(names = "--rtsp-port", description = "RTSP port (default 8554).")
    int rtspPort = 8554;

    @Option(names = "--port-offset", description = "Added to the HTTP and RTSP ports (default 0).")
    int portOffset;

    @Option(names = "--io-threads", description = "Network threads; each waits on the cluster during a call, so "
            + "more than cores pays (default 16).")
    int ioThreads = 16;

    @Option(names = "--max-http-body", description = "HTTP request body bytes at most (default 65536).")
    int maxHttpBody = 65_536;

    @Option(names = "--max-request-line", description = "RTSP request line bytes at most, as the nodes' "
            + "(default 4096); also the longest film path or stream name seated.")
    int maxRequestLine = RtspMessageDecoder.DEFAULT_MAX_INITIAL_LINE_LENGTH;

    @Option(names = "--max-header-size", description = "RTSP header bytes at most, as the nodes' (default 8192).")
    int maxHeaderSize = RtspMessageDecoder.DEFAULT_MAX_HEADER_SIZE;

    @Option(names = "--log-level", description = "trace, debug, info, warn or error (default info).")
    String logLevel = "info";

    SeatingRules seatingRules() {
        return SeatingRules.ofSeconds(clusterSeatLease, clusterRoomGrace, clusterNodeTimeout);
    }

    @Override
    public Integer call() throws Exception {
        Path file = ServeCommand.configFile(config);
        if (file != null) {
            try {
                LbConfigFile.apply(file, spec, spec.commandLine().getParseResult());
            } catch (Exception e) {
                System.err.println("sluice lb: cannot read the configuration: " + e.getMessage());
                return 2;
            }
        }
        if (cluster != null && !cluster) {
            System.err.println("sluice lb: a load balancer only runs in a cluster");
            return 2;
        }
        ClusterSettings settings;
        SeatingRules rules;
        LbServer.Settings listeners;
        try {
            LogLevel.apply(LogLevel.parse(logLevel));
            settings = new ClusterSettings(clusterName, clusterPort, clusterMembers);
            rules = seatingRules();
            listeners = new LbServer.Settings(bindAddress, httpPort + portOffset, rtspPort + portOffset, maxHttpBody,
                    ioThreads, maxRequestLine, maxHeaderSize);
        } catch (IllegalArgumentException e) {
            System.err.println("sluice lb: " + e.getMessage());
            return 2;
        }
        CountDownLatch stopped = new CountDownLatch(1);
        try (ClusterMember member = ClusterMember.join(settings, rules, "lb", System::currentTimeMillis);
             LbServer lb = startServer(member, listeners)) {
            if (lb == null) {
                return 1;
            }
            Runtime.getRuntime().addShutdownHook(new Thread(stopped::countDown, "sluice-shutdown"));
            log.info("Sluice load balancer ready: POST http://{}:{}/api/v1/lb/assign, rtsp://{}:{}/vod/FILM, "
                    + "cluster {} with {} members", bindAddress, lb.httpPort(), bindAddress, lb.rtspPort(),
                    settings.name(), member.memberCount());
            stopped.await();
            log.info("Sluice load balancer stopping");
        }
        return 0;
    }

    /** The servers on their ports, or null after saying, in one line, which port could not be bound. */
    private static LbServer startServer(ClusterMember member, LbServer.Settings listeners) throws InterruptedException {
        try {
            return LbServer.start(member, listeners);
        } catch (IllegalStateException e) {
            System.err.println("sluice lb: " + e.getMessage());
            return null;
        }
    }
}

package io.sluice.bench.nativeload;

import io.netty.channel.EventLoopGroup;
import io.sluice.bench.common.CpuWindow;
import io.sluice.bench.common.LatencyHistogram;
import io.sluice.bench.common.Options;
import io.sluice.client.ClientOptions;
import io.sluice.client.PullStreamClient;
import io.sluice.client.PushStreamClient;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Native fan-out: {@code sluice serve} in a child process; this process pushes one stream natively
 * ({@link PushStreamClient}, stamped payloads at a fixed rate) and opens N SDK pullers
 * ({@link PullStreamClient}) on one shared event loop group, for each N in turn. Per step, after every
 * puller delivers and a warm-up: packets delivered per second, loss, the server's CPU from
 * {@code /proc/PID/stat}, and the latency from the publisher's send to the puller's listener (the same
 * process's clock). Options (defaults in brackets):
 * <pre>
 *   --pullers 1,100,500      the N steps
 *   --rate 200               pushed datagrams per second (1316 bytes of TS each: 200/s is 2.1 Mbit/s)
 *   --warmup-s 5 --measure-s 20
 *   --threads 2              event loops of the pullers' shared group
 *   --port-offset 300        the server's --port-offset (native ports 61340/61341)
 *   --server-classpath CP    where the server's classes are [this JVM's class path]
 *   --serve-args="..."       more {@code sluice serve} options, space-separated (for example "--frame-hold 0")
 *   --work-dir /tmp/sluice-bench-native   server log and the report (native-fanout.md)
 * </pre>
 */
public final class NativeFanOutMain {

    private static final String LIVE_ID = "bench";
    private static final long JOIN_TIMEOUT_MS = 60_000;

    private NativeFanOutMain() {
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        List<Integer> steps = o.integers("pullers", "1,100,500");
        int rate = o.integer("rate", 200);
        int warmUpS = o.integer("warmup-s", 5);
        int measureS = o.integer("measure-s", 20);
        Path work = Files.createDirectories(Path.of(o.string("work-dir", "/tmp/sluice-bench-native")));
        TableReport report = new TableReport("Native fan-out, " + Instant.now() + ": one stream pushed natively at "
                + rate + " datagrams/s (1316 B of TS each), " + o.integer("threads", 2)
                + " puller event loops, server options [" + String.join(" ", serveOptions(o))
                + "], warm-up " + warmUpS + " s, measured " + measureS + " s\n\n"
                + "| pullers | delivered/s | expected/s | given up (SDK) | recovered (SDK) | server CPU (% of a core) | "
                + "CPU µs per delivered | latency p50 ms | p99 ms | max ms | bench process CPU % | host load |\n"
                + "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        EventLoopGroup group = PullerFleet.sharedGroup(o.integer("threads", 2), "pullers");
        try (ServeProcess server = ServeProcess.start(work.resolve("server"),
                o.string("server-classpath", absoluteClassPath()), o.integer("port-offset", 300), serveOptions(o))) {
            String code = server.createKey(LIVE_ID);
            try (PushStreamClient push = PacedPusher.authenticatedPush(server.pushAddress(), LIVE_ID, code, 10)) {
                try (PacedPusher pacer = new PacedPusher(push, LIVE_ID, rate)) {
                    for (int pullers : steps) {
                        report.row(step(server, group, pacer, pullers, rate, warmUpS, measureS));
                    }
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        report.write(work.resolve("native-fanout.md"));
    }

    private static List<String> serveOptions(Options o) {
        String args = o.string("serve-args", "").trim();
        return args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
    }

    /** This JVM's class path with every entry absolute: the server runs in another directory. */
    private static String absoluteClassPath() {
        StringBuilder cp = new StringBuilder();
        for (String entry : System.getProperty("java.class.path").split(java.io.File.pathSeparator)) {
            if (!cp.isEmpty()) {
                cp.append(java.io.File.pathSeparatorChar);
            }
            cp.append(Path.of(entry).toAbsolutePath());
        }
        return cp.toString();
    }

    private static String step(ServeProcess server, EventLoopGroup group, PacedPusher pacer, int pullers, int rate,
                               int warmUpS, int measureS) throws IOException, InterruptedException {
        try (PullerFleet fleet = PullerFleet.open(pullers, server.pullAddress(), LIVE_ID, group, ClientOptions.defaults())) {
            if (!fleet.awaitAllReceiving(JOIN_TIMEOUT_MS)) {
                throw new IllegalStateException(fleet.receiving() + " of " + pullers + " pullers receive after "
                        + JOIN_TIMEOUT_MS + " ms");
            }
            Thread.sleep(TimeUnit.SECONDS.toMillis(warmUpS));
            fleet.resetLatencies();
            long sent0 = pacer.sent();
            long delivered0 = fleet.delivered();
            CpuWindow cpuWindow = CpuWindow.open(server.pid());
            Thread.sleep(TimeUnit.SECONDS.toMillis(measureS));
            CpuWindow.Usage cpu = cpuWindow.close();
            double seconds = cpu.seconds();
            long delivered = fleet.delivered() - delivered0;
            long expected = (pacer.sent() - sent0) * pullers;
            double serverCpu = cpu.serverSeconds();
            LatencyHistogram latency = fleet.latencies();
            double load = Double.parseDouble(Files.readString(Path.of("/proc/loadavg")).split(" ")[0]);
            List<PullStreamClient.Statistics> stats = fleet.statistics();
            return String.format("| %d | %.0f | %.0f | %d | %d | %.1f | %.2f | %.2f | %.2f | %.1f | %.1f | %.1f |",
                    pullers, delivered / seconds, expected / seconds,
                    stats.stream().mapToLong(PullStreamClient.Statistics::lost).sum(),
                    stats.stream().mapToLong(PullStreamClient.Statistics::recovered).sum(),
                    cpu.serverPercent(), 1e6 * serverCpu / Math.max(1, delivered),
                    latency.percentileMs(0.5), latency.percentileMs(0.99), latency.maxMs(), cpu.selfPercent(), load);
        }
    }
}

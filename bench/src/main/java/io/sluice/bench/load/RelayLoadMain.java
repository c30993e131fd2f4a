package io.sluice.bench.load;

import io.sluice.bench.common.CpuWindow;
import io.sluice.bench.common.LatencyHistogram;
import io.sluice.bench.common.Options;
import io.sluice.bench.common.ProcessStats;
import io.sluice.bench.common.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The RTSP relay load benchmark (issue 2): Sluice and GStreamer's RTSP server, each started as a child
 * process, relay the same live 2 Mbit/s H.264 stream (published by this process, so every packet's send
 * time is known) to N UDP readers of this process, for each N in turn, then to a join storm. Writes a
 * Markdown report. Options (defaults in brackets):
 * <pre>
 *   --servers sluice,gstreamer   which servers, in this order
 *   --readers 1,100,500,1000     the N steps
 *   --warmup-s 5 --measure-s 20  per step, after every reader has its first packet
 *   --storm 1000                 readers of the join storm (0: none)
 *   --join-parallelism 32        readers joining at once in the steps
 *   --work-dir /tmp/sluice-bench clip, capture, server logs, report
 *   --app-target app/target      the built Sluice application (sluice-app.jar and lib/)
 *   --port-offset 100            Sluice's --port-offset
 *   --sluice-args="..."          more options of sluice serve, separated by spaces (--sluice-args="--frame-hold 0")
 *   --gst-port 9554 --gst-udp-port 9600
 *   --jfr                        record JFR on Sluice during the largest step and summarize it
 *   --probe PATH --probes 20     of the N readers, this many (at most N/2) are kernel-stamped probes of the
 *                                rtp_probe program at PATH (bench/src/main/c/rtp_probe.c): the relay latency
 *                                without the load generator's own delay in reading (none without --probe)
 *   --out FILE                   the report [work-dir/relay-report.md]
 * </pre>
 * Every child process is killed at the end, on failure too.
 */
public final class RelayLoadMain {

    private static final long FIRST_PACKET_TIMEOUT_MS = 20_000;
    private static final long STORM_TIMEOUT_MS = 60_000;

    private final Options options;
    private final Path workDir;

    private RelayLoadMain(Options options) throws IOException {
        this.options = options;
        this.workDir = Files.createDirectories(Path.of(options.string("work-dir", "/tmp/sluice-bench")).toAbsolutePath());
    }

    public static void main(String[] args) {
        Processes.runThenExit(() -> new RelayLoadMain(new Options(args)).run());
    }

    private void run() throws Exception {
        List<String> servers = List.of(options.string("servers", "sluice,gstreamer").split(","));
        int[] steps = options.integers("readers", "1,100,500,1000").stream().mapToInt(Integer::intValue).toArray();
        int storm = options.integer("storm", 1000);
        Instant started = Instant.now();
        String loadBefore = Files.readString(Path.of("/proc/loadavg")).trim();
        log("work dir " + workDir + ", load average " + loadBefore);
        RtpCapture capture = RtpCapture.capture(RtpCapture.makeClip(workDir, 20), workDir);
        log(String.format("captured %d RTP packets, %.1f packets/s, %.0f kbit/s", capture.packets().size(),
                capture.packetsPerSecond(), capture.packets().stream().mapToLong(p -> p.length).sum() * 8.0
                        * capture.clockRate() / capture.loopTicks() / 1000));
        List<StepResult> results = new ArrayList<>();
        List<StormResult> storms = new ArrayList<>();
        String jfrSummary = null;
        for (String name : servers) {
            Path dir = Files.createDirectories(workDir.resolve(name));
            SendTimes sendTimes = new SendTimes();
            try (ServerUnderTest server = startServer(name, dir, capture);
                 ReplayPublisher publisher = server.publish(capture, sendTimes)) {
                log(name + " up, pid " + server.pid() + ", publishing");
                Thread.sleep(3000); // a full GOP, so that Sluice's GOP cache holds a keyframe
                for (int n : steps) {
                    boolean jfr = options.flag("jfr") && server.isJvm() && n == Arrays.stream(steps).max().orElse(n);
                    Path recording = jfr ? dir.resolve("sluice-" + n + ".jfr") : null;
                    StepResult r = step(server, publisher, sendTimes, n, recording);
                    results.add(r);
                    log(format(r));
                    if (recording != null) {
                        jfrSummary = JfrTopFrames.summarize(recording, 25);
                        log(jfrSummary);
                    }
                }
                if (storm > 0) {
                    StormResult s = storm(server, publisher, sendTimes, storm);
                    storms.add(s);
                    log(format(s));
                }
            }
        }
        String report = Report.markdown(started, loadBefore, Files.readString(Path.of("/proc/loadavg")).trim(), capture,
                results, storms, jfrSummary);
        Path out = Path.of(options.string("out", workDir.resolve("relay-report.md").toString()));
        Files.writeString(out, report);
        System.out.println(report);
        log("report written to " + out);
    }

    private ServerUnderTest startServer(String name, Path dir, RtpCapture capture) throws IOException, InterruptedException {
        return switch (name) {
            case "sluice" -> SluiceServer.start(dir, Path.of(options.string("app-target", "app/target")).toAbsolutePath(),
                    options.integer("port-offset", 100), sluiceArgs());
            case "gstreamer" -> GstreamerServer.start(dir, options.integer("gst-port", 9554), options.integer("gst-udp-port", 9600),
                    capture);
            default -> throw new IllegalArgumentException("unknown server " + name + " (sluice, gstreamer)");
        };
    }

    /** {@code --sluice-args}, split at spaces: extra options of {@code sluice serve}. */
    private List<String> sluiceArgs() {
        String args = options.string("sluice-args", "").trim();
        return args.isEmpty() ? List.of() : List.of(args.split("\\s+"));
    }

    private StepResult step(ServerUnderTest server, ReplayPublisher publisher, SendTimes sendTimes, int n,
                            Path jfrRecording) throws Exception {
        int warmupS = options.integer("warmup-s", 5);
        int measureS = options.integer("measure-s", 20);
        long heapBeforeKb = server.isJvm() ? ProcessStats.heapUsedAfterGcKb(server.pid()) : 0;
        long rssBeforeKb = ProcessStats.rssKb(server.pid());
        String probe = options.string("probe", "");
        int probeCount = probe.isEmpty() ? 0
                : Math.min(Math.min(options.integer("probes", 20), n / 2), KernelStampedProbes.MAX_PROBES);
        try (ReaderGroup group = new ReaderGroup(server.readUrl(), ServerUnderTest.HOST, server.rtspPort(), sendTimes);
             KernelStampedProbes probes = probeCount == 0 ? null : new KernelStampedProbes(Path.of(probe),
                     workDir, ServerUnderTest.HOST, server.rtspPort(), server.readUrl(), ReaderGroup.RTSP_TIMEOUT_MS,
                     sendTimes)) {
            List<Join> joins = joins(group, probes, n, probeCount);
            long joinStartNs = System.nanoTime();
            int failures = joinAll(joins, options.integer("join-parallelism", 32), null);
            double joinSeconds = (System.nanoTime() - joinStartNs) / 1e9;
            awaitStarted(group, n - probeCount - failures, FIRST_PACKET_TIMEOUT_MS);
            Thread.sleep(warmupS * 1000L);
            publisher.check();
            server.requireAlive();
            if (jfrRecording != null) {
                jcmd(server.pid(), "JFR.start", "name=bench", "settings=profile");
            }
            ReaderGroup.Snapshot before = group.snapshot(true);
            if (probes != null) {
                probes.window(true);
            }
            long published0 = publisher.sentPackets();
            long rcvbuf0 = ProcessStats.udpReceiveBufferErrors();
            CpuWindow cpuWindow = CpuWindow.open(server.pid());
            Thread.sleep(measureS * 1000L);
            ReaderGroup.Snapshot after = group.snapshot(false);
            KernelStampedProbes.Window probed = probes == null ? null : probes.window(false);
            CpuWindow.Usage cpu = cpuWindow.close();
            long rcvbuf1 = ProcessStats.udpReceiveBufferErrors();
            long backlogBytes = ProcessStats.udpReceiveQueueBytes(group.rtpPorts());
            long published1 = publisher.sentPackets();
            if (jfrRecording != null) {
                jcmd(server.pid(), "JFR.stop", "name=bench", "filename=" + jfrRecording);
            }
            double windowS = cpu.seconds();
            long heapAfterKb = server.isJvm() ? ProcessStats.heapUsedAfterGcKb(server.pid()) : 0;
            long rssAfterKb = ProcessStats.rssKb(server.pid());
            leaveAll(group);
            if (probes != null) {
                probes.leaveAll();
            }
            LatencyHistogram lat = after.latency();
            long probePackets = probed == null ? 0 : probed.packets();
            StepResult r = new StepResult(server.name(), n, failures, n - probeCount - before.started(), joinSeconds,
                    windowS, (published1 - published0) / windowS,
                    (after.packets() - before.packets() + probePackets) / windowS,
                    after.gaps() - before.gaps() + (probed == null ? 0 : probed.gaps()),
                    after.gaps() + (probed == null ? 0 : probed.gapsSinceJoin()),
                    after.late() - before.late() + (probed == null ? 0 : probed.late()),
                    after.unmatched() - before.unmatched(),
                    cpu.serverPercent(), cpu.serverKernelPercent(), cpu.selfPercent(),
                    server.isJvm() ? (heapAfterKb - heapBeforeKb) / (double) n : Double.NaN,
                    (rssAfterKb - rssBeforeKb) / (double) n,
                    lat.count(), lat.percentileUs(0.50), lat.percentileUs(0.99), lat.percentileUs(0.999), lat.maxUs(),
                    probed == null ? null : StepResult.ProbeLatency.of(probes.joined(), probed),
                    rcvbuf1 - rcvbuf0, cpu.otherPercent(), cpu.stealPercent(), backlogBytes / 1024);
            Thread.sleep(2000); // let the server forget the sessions before the next step
            return r;
        }
    }

    /**
     * The joins of a step: {@code n} readers, of which {@code probeCount} are kernel-stamped probes spread
     * evenly among the others (the first at half a stride), so that they sit at every depth of the fan-out.
     */
    private static List<Join> joins(ReaderGroup group, KernelStampedProbes probes, int n, int probeCount)
            throws IOException {
        List<Join> joins = new ArrayList<>();
        int stride = probeCount == 0 ? Integer.MAX_VALUE : n / probeCount;
        for (int i = 0; i < n; i++) {
            if (probes != null && i % stride == stride / 2 && probes.count() < probeCount) {
                KernelStampedProbes.Probe p = probes.add();
                joins.add(() -> probes.join(p));
            } else {
                ReaderGroup.Reader r = group.add();
                joins.add(() -> group.join(r));
            }
        }
        return joins;
    }

    private StormResult storm(ServerUnderTest server, ReplayPublisher publisher, SendTimes sendTimes, int n)
            throws Exception {
        try (ReaderGroup group = new ReaderGroup(server.readUrl(), ServerUnderTest.HOST, server.rtspPort(), sendTimes)) {
            for (int i = 0; i < n; i++) {
                group.add();
            }
            long[] startNs = new long[1];
            int failures = joinAll(joinsOf(group), n, startNs);
            long deadlineNs = System.nanoTime() + STORM_TIMEOUT_MS * 1_000_000;
            ReaderGroup.Snapshot s = group.snapshot(false);
            while ((s.started() < n - failures || s.keyframed() < n - failures) && System.nanoTime() < deadlineNs) {
                Thread.sleep(100);
                s = group.snapshot(false);
            }
            publisher.check();
            double[] play = group.readers().stream().filter(r -> r.setupDoneNs != 0)
                    .mapToDouble(r -> (r.setupDoneNs - startNs[0]) / 1e6).toArray();
            double[] first = Arrays.stream(s.firstPacketNs()).filter(t -> t != 0)
                    .mapToDouble(t -> (t - startNs[0]) / 1e6).toArray();
            double[] keyframe = Arrays.stream(s.firstKeyframeNs()).filter(t -> t != 0)
                    .mapToDouble(t -> (t - startNs[0]) / 1e6).toArray();
            StormResult r = new StormResult(server.name(), n, failures, n - first.length, n - keyframe.length, percentiles(play), percentiles(first), percentiles(keyframe));
            leaveAll(group);
            Thread.sleep(2000);
            return r;
        }
    }

    /** One reader's DESCRIBE, SETUP and PLAY. */
    @FunctionalInterface
    private interface Join {
        void run() throws IOException;
    }

    /** The joins of every reader of {@code group}, in its order. */
    private static List<Join> joinsOf(ReaderGroup group) {
        List<Join> joins = new ArrayList<>();
        for (ReaderGroup.Reader r : group.readers()) {
            joins.add(() -> group.join(r));
        }
        return joins;
    }

    /**
     * Runs {@code joins} in their order, at most {@code parallelism} at a time, on virtual threads. With
     * {@code startNs} they all start together and its element 0 receives the start instant. Answers the
     * number that failed.
     */
    private int joinAll(List<Join> joins, int parallelism, long[] startNs) throws Exception {
        Semaphore slots = new Semaphore(parallelism);
        AtomicInteger failures = new AtomicInteger();
        java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<?>> running = new ArrayList<>();
            for (int i = 0; i < joins.size(); i++) {
                Join join = joins.get(i);
                int index = i;
                running.add(pool.submit(() -> {
                    go.await();
                    slots.acquire();
                    try {
                        join.run();
                    } catch (IOException e) {
                        if (failures.incrementAndGet() <= 3) {
                            log("reader " + index + " failed to join: " + e.getMessage());
                        }
                    } finally {
                        slots.release();
                    }
                    return null;
                }));
            }
            if (startNs != null) {
                startNs[0] = System.nanoTime();
            }
            go.countDown();
            for (Future<?> f : running) {
                f.get(STORM_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            }
        }
        return failures.get();
    }

    private static void awaitStarted(ReaderGroup group, int n, long timeoutMs) throws Exception {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        while (group.snapshot(false).started() < n && System.nanoTime() < deadlineNs) {
            Thread.sleep(100);
        }
    }

    private static void leaveAll(ReaderGroup group) throws Exception {
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            Semaphore slots = new Semaphore(64);
            for (ReaderGroup.Reader r : group.readers()) {
                pool.submit(() -> {
                    slots.acquire();
                    try {
                        group.leave(r);
                    } finally {
                        slots.release();
                    }
                    return null;
                });
            }
        }
    }

    private static void jcmd(long pid, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "jcmd").toString());
        cmd.add(Long.toString(pid));
        cmd.addAll(List.of(command));
        log(Processes.output(cmd, 60).trim());
    }

    /** p50, p99, max of {@code values}; NaNs when empty. */
    static double[] percentiles(double[] values) {
        if (values.length == 0) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN};
        }
        double[] v = values.clone();
        Arrays.sort(v);
        return new double[] {v[rank(v.length, 0.50)], v[rank(v.length, 0.99)], v[v.length - 1]};
    }

    private static int rank(int length, double fraction) {
        return Math.min(length - 1, Math.max(0, (int) Math.ceil(fraction * length) - 1));
    }

    private static String format(StepResult r) {
        return String.format("%s N=%d: %.0f pkt/s received of %.0f expected, gaps %d (since join %d), late %d, "
                        + "server CPU %.1f%% (%.1f%% per 100k pkt/s, of which kernel %.1f%%), loadgen CPU %.1f%%, heap/reader %.1f KB, "
                        + "RSS/reader %.1f KB, latency p50 %d us p99 %d us p99.9 %d us max %d us (%d samples, "
                        + "%d unmatched), rcvbuf errors %d, join %.1f s, %d join failures, %d not started, other CPU %.0f%%, "
                        + "steal %.1f%%, reader backlog %d KB",
                r.server(), r.readers(), r.receivedPps(), r.expectedPps(), r.gaps(), r.gapsSinceJoin(), r.late(),
                r.serverCpuPct(), r.cpuPer100kPps(), r.kernelCpuPer100kPps(), r.loadGeneratorCpuPct(), r.heapPerReaderKb(), r.rssPerReaderKb(),
                r.p50Us(), r.p99Us(), r.p999Us(), r.maxUs(), r.latencySamples(), r.unmatched(), r.rcvbufErrors(),
                r.joinSeconds(), r.joinFailures(), r.notStarted(), r.otherCpuPct(), r.stealPct(), r.readerBacklogKb())
                + (r.probeLatency() == null ? "" : String.format(", at %d kernel-stamped probes: latency p50 %d us "
                        + "p99 %d us p99.9 %d us max %d us (%d samples, %d unmatched), probe read lag p99 %d us",
                r.probeLatency().probes(), r.probeLatency().p50Us(), r.probeLatency().p99Us(), r.probeLatency().p999Us(),
                r.probeLatency().maxUs(), r.probeLatency().samples(), r.probeLatency().unmatched(),
                r.probeLatency().readLagP99Us()));
    }

    private static String format(StormResult s) {
        return String.format("%s storm of %d: PLAY answered p50/p99/max %s ms, first packet %s ms, first keyframe %s ms, "
                        + "%d failures, %d without packet, %d without keyframe", s.server(), s.readers(),
                Report.triple(s.playAnsweredMs()), Report.triple(s.firstPacketMs()), Report.triple(s.firstKeyframeMs()),
                s.failures(), s.withoutPacket(), s.withoutKeyframe());
    }

    static void log(String message) {
        System.err.println(Instant.now() + " " + message);
    }
}

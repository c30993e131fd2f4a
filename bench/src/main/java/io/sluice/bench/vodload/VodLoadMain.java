package io.sluice.bench.vodload;

import io.sluice.bench.common.CpuWindow;
import io.sluice.bench.common.Options;
import io.sluice.bench.common.ProcessStats;
import io.sluice.bench.common.Processes;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The film library load benchmark (issue 4): Sluice and GStreamer's RTSP server (non-shared media, one
 * pipeline per viewer), each started as a child process, serve the same 2 Mbit/s H.264 film to RTSP/UDP
 * viewers of this process: N viewers of one film, and F films with M viewers each. Per server and scenario:
 * server CPU (/proc/PID/stat), RSS and heap after GC (jcmd), file reads (/proc/PID/io rchar, and the demuxers
 * opened), drops (sequence gaps) and send jitter (frame arrivals against their media timestamps). Writes a
 * Markdown report. Options (defaults in brackets):
 * <pre>
 *   --servers sluice,gstreamer   which servers, in this order, for each scenario
 *   --scenarios 200x1,10x20      VIEWERS_PER_FILM x FILMS
 *   --film-s 60                  length of the film (the viewers must not reach its end while measured)
 *   --warmup-s 3 --measure-s 20  after every viewer has joined
 *   --join-parallelism 16        viewers joining at once
 *   --work-dir /tmp/sluice-vodbench  films, logs, report
 *   --app-target app/target      the built Sluice application (sluice-app.jar and lib/)
 *   --port-offset 150 --gst-port 9754
 *   --out FILE                   the report [work-dir/vod-report.md]
 * </pre>
 * Loopback only. Every child process is killed at the end, on failure too.
 */
public final class VodLoadMain {

    private record Scenario(int viewersPerFilm, int films) {
        static Scenario parse(String text) {
            String[] parts = text.split("x");
            return new Scenario(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]));
        }

        int viewers() {
            return viewersPerFilm * films;
        }

        String label() {
            return films == 1 ? viewersPerFilm + " viewers of one film" : films + " films x " + viewersPerFilm
                    + " viewers";
        }
    }

    private record Result(String server, Scenario scenario, double joinS, FilmReaders.Window window,
                          double measureS, long cpuTicks, long rssKb, long heapKb, long readBytes, long demuxers) {

        double cpuPercent() {
            return 100.0 * cpuTicks / ProcessStats.CLOCK_TICKS_PER_SECOND / measureS;
        }

        double cpuMsPerThousandPackets() {
            return window.packets() == 0 ? 0
                    : cpuTicks * 1000.0 / ProcessStats.CLOCK_TICKS_PER_SECOND / (window.packets() / 1000.0);
        }
    }

    private final Options options;
    private final Path workDir;

    private VodLoadMain(Options options) throws IOException {
        this.options = options;
        this.workDir = Files.createDirectories(Path.of(options.string("work-dir", "/tmp/sluice-vodbench")).toAbsolutePath());
    }

    public static void main(String[] args) {
        Processes.runThenExit(() -> new VodLoadMain(new Options(args)).run());
    }

    private void run() throws Exception {
        int filmS = options.integer("film-s", 60);
        Path film = FilmMaker.film(workDir, filmS);
        double filmMbps = Files.size(film) * 8 / 1e6 / filmS;
        List<Scenario> scenarios = new ArrayList<>();
        for (String s : options.string("scenarios", "200x1,10x20").split(",")) {
            scenarios.add(Scenario.parse(s.trim()));
        }
        String started = Instant.now().toString();
        String load = Files.readString(Path.of("/proc/loadavg")).trim();
        List<Result> results = new ArrayList<>();
        for (Scenario scenario : scenarios) {
            Path media = FilmMaker.library(workDir, film, scenario.films());
            for (String server : options.string("servers", "sluice,gstreamer").split(",")) {
                results.add(measure(server.trim(), scenario, media));
            }
        }
        String report = report(results, started, load, filmS, filmMbps);
        Path out = Path.of(options.string("out", workDir.resolve("vod-report.md").toString()));
        Files.writeString(out, report);
        System.out.println(report);
        System.out.println("report written to " + out);
    }

    private FilmServer start(String server, Path media) throws IOException, InterruptedException {
        return switch (server) {
            case "sluice" -> SluiceFilmServer.start(workDir, Path.of(options.string("app-target", "app/target")).toAbsolutePath(),
                    media, options.integer("port-offset", 150));
            case "gstreamer" -> GstFilmServer.start(workDir, media, options.integer("gst-port", 9754));
            default -> throw new IllegalArgumentException("unknown server " + server);
        };
    }

    private Result measure(String serverName, Scenario scenario, Path media) throws Exception {
        int warmupS = options.integer("warmup-s", 3);
        int measureS = options.integer("measure-s", 20);
        System.out.printf("%s, %s: starting%n", serverName, scenario.label());
        try (FilmServer server = start(serverName, media);
             FilmReaders readers = new FilmReaders(FilmServer.HOST, server.rtspPort())) {
            long logOffset = server.logBytes();
            long readBefore = server.readBytes();
            long joinStartNs = System.nanoTime();
            ExecutorService joiners = Executors.newFixedThreadPool(options.integer("join-parallelism", 16));
            try {
                List<Future<?>> joins = new ArrayList<>();
                for (int i = 0; i < scenario.viewers(); i++) {
                    String url = server.url(FilmMaker.name(i % scenario.films()));
                    joins.add(joiners.submit(() -> {
                        readers.join(url);
                        return null;
                    }));
                }
                for (Future<?> f : joins) {
                    f.get(120, TimeUnit.SECONDS);
                }
            } finally {
                joiners.shutdownNow();
            }
            double joinS = (System.nanoTime() - joinStartNs) / 1e9;
            System.out.printf("%s: %d viewers joined in %.1f s%n", serverName, scenario.viewers(), joinS);
            Thread.sleep(warmupS * 1000L);
            readers.window(true);
            CpuWindow cpuWindow = CpuWindow.open(server.pid());
            Thread.sleep(measureS * 1000L);
            FilmReaders.Window window = readers.window(false);
            CpuWindow.Usage cpu = cpuWindow.close();
            server.requireAlive();
            long rssKb = ProcessStats.rssKb(server.pid());
            long readBytes = server.readBytes() - readBefore;
            long heapKb = server.isJvm() ? ProcessStats.heapUsedAfterGcKb(server.pid()) : -1;
            readers.leaveAll();
            long demuxers = server.demuxersOpened(logOffset);
            Result r = new Result(server.name(), scenario, joinS, window, cpu.seconds(), cpu.serverTicks(), rssKb, heapKb, readBytes,
                    demuxers < 0 ? scenario.viewers() : demuxers);
            System.out.printf("%s: %.0f%% CPU, %d packets, %d gaps, %d receiving, jitter p99 %d us%n", r.server(),
                    r.cpuPercent(), window.packets(), window.gaps(), window.receiving(),
                    window.deviationPercentileUs(0.99));
            return r;
        }
    }

    private static String report(List<Result> results, String started, String load, int filmS, double filmMbps) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "Film library load, started %s, load average at start %s. Film: %d s of"
                + " 1280x720 25 fps H.264 (no B-frames, keyframe every 1 s), %.2f Mbit/s, video only.%n%n",
                started, load, filmS, filmMbps));
        sb.append("| scenario | server | joined in s | receiving | Mbit/s in | gaps (drops) | late | server CPU % of"
                + " a core | CPU ms per 1000 pkts | RSS MiB | heap after GC MiB | file bytes read MiB | demuxers |"
                + " frame stray p50 / p99 / max ms | RFC 3550 jitter ms |\n");
        sb.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result r : results) {
            FilmReaders.Window w = r.window();
            sb.append(String.format(Locale.ROOT,
                    "| %s | %s | %.1f | %d / %d | %.1f | %d | %d | %.1f | %.2f | %.0f | %s | %.1f | %d | %.2f / %.2f / %.1f | %.3f |%n",
                    r.scenario().label(), r.server(), r.joinS(), w.receiving(), r.scenario().viewers(),
                    w.bytes() * 8 / 1e6 / r.measureS(), w.gaps(), w.late(), r.cpuPercent(),
                    r.cpuMsPerThousandPackets(), r.rssKb() / 1024.0,
                    r.heapKb() < 0 ? "-" : String.format(Locale.ROOT, "%.0f", r.heapKb() / 1024.0),
                    r.readBytes() / 1048576.0, r.demuxers(), w.deviationPercentileUs(0.5) / 1000.0,
                    w.deviationPercentileUs(0.99) / 1000.0, w.deviationPercentileUs(1.0) / 1000.0,
                    w.meanJitterUs() / 1000.0));
        }
        sb.append("\nRatios Sluice / GStreamer (below 1: Sluice uses less):\n\n");
        sb.append("| scenario | CPU | CPU per packet | RSS | file bytes read | frame stray p99 |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Result s : results) {
            if (!s.server().equals("Sluice")) {
                continue;
            }
            for (Result g : results) {
                if (g.server().equals("GStreamer") && g.scenario().equals(s.scenario())) {
                    sb.append(String.format(Locale.ROOT, "| %s | %.2f | %.2f | %.2f | %s | %s |%n",
                            s.scenario().label(), s.cpuPercent() / g.cpuPercent(),
                            s.cpuMsPerThousandPackets() / g.cpuMsPerThousandPackets(), (double) s.rssKb() / g.rssKb(),
                            ratio(s.readBytes(), g.readBytes()),
                            ratio(s.window().deviationPercentileUs(0.99), g.window().deviationPercentileUs(0.99))));
                }
            }
        }
        return sb.toString();
    }

    private static String ratio(long a, long b) {
        return b == 0 ? "-" : String.format(Locale.ROOT, "%.3f", (double) a / b);
    }
}

package io.sluice.bench.cluster;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The load balancer under load: media nodes and one load balancer as separate processes on loopback, in one
 * cluster; {@code --clients} threads post {@code /api/v1/lb/assign} as fast as answers come (random users,
 * random films, so most calls move a user), then the time from {@code kill -9} of a node to its removal from
 * {@code /api/v1/lb/nodes}, several times.
 *
 * <pre>
 * java -cp bench/target/sluice-bench.jar:app/target/sluice-app.jar:app/target/lib/* \
 *     io.sluice.bench.cluster.LbLoadMain --app-target app/target --nodes 2 --clients 16 --seconds 20 --kills 3
 * </pre>
 */
public final class LbLoadMain {

    private static final int FILMS = 20;
    private static final int USERS = 5_000;

    private record Options(Path appTarget, int nodes, int clients, int seconds, int kills) {
        static Options parse(String[] args) {
            Map<String, String> m = new TreeMap<>();
            for (int i = 0; i + 1 < args.length; i += 2) {
                m.put(args[i], args[i + 1]);
            }
            return new Options(Path.of(m.getOrDefault("--app-target", "app/target")).toAbsolutePath(),
                    Integer.parseInt(m.getOrDefault("--nodes", "2")), Integer.parseInt(m.getOrDefault("--clients", "16")),
                    Integer.parseInt(m.getOrDefault("--seconds", "20")), Integer.parseInt(m.getOrDefault("--kills", "3")));
        }
    }

    /** One Sluice process of the run. */
    private record Member(String name, Process process, int offset) {
        int httpPort() {
            return 8080 + offset;
        }

        int rtspPort() {
            return 8554 + offset;
        }
    }

    private final Options options;
    private final Path dir;
    private final int clusterPort = 21_000 + ThreadLocalRandom.current().nextInt(8_000);
    private final String clusterName = "bench-" + clusterPort;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).build();
    private final List<Member> members = new ArrayList<>();
    private int nextOffset = 1_100;

    private LbLoadMain(Options options, Path dir) {
        this.options = options;
        this.dir = dir;
    }

    public static void main(String[] args) throws Exception {
        Options options = Options.parse(args);
        Path dir = Files.createTempDirectory("sluice-lb-bench");
        LbLoadMain run = new LbLoadMain(options, dir);
        try {
            run.run();
        } finally {
            run.members.forEach(m -> m.process().destroyForcibly());
        }
    }

    private void run() throws Exception {
        Path media = dir.resolve("media");
        Files.createDirectories(media);
        Path clip = media.resolve("film-0.mp4");
        Process ffmpeg = new ProcessBuilder("ffmpeg", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                "testsrc2=size=320x240:rate=25", "-t", "2", "-c:v", "libx264", "-pix_fmt", "yuv420p", clip.toString())
                .inheritIO().start();
        if (ffmpeg.waitFor() != 0) {
            throw new IllegalStateException("ffmpeg could not make the film");
        }
        for (int f = 1; f < FILMS; f++) {
            Files.copy(clip, media.resolve("film-" + f + ".mp4"));
        }
        for (int i = 0; i < options.nodes(); i++) {
            members.add(startNode("node-" + i, media));
        }
        Member lb = start("lb", List.of("lb", "--cluster", "--cluster-name", clusterName, "--cluster-port",
                Integer.toString(clusterPort), "--bind-address", "127.0.0.1", "--log-level", "warn"));
        members.add(lb);
        awaitNodes(lb, options.nodes(), Duration.ofSeconds(60));
        System.out.printf(Locale.ROOT, "cluster: %d media nodes + 1 load balancer (%d members), %d films, %d users,"
                + " %d client threads, %s cores%n", options.nodes(), options.nodes() + 1, FILMS, USERS,
                options.clients(), Runtime.getRuntime().availableProcessors());
        load(lb, 3, false);
        load(lb, options.seconds(), true);
        for (int k = 0; k < options.kills(); k++) {
            killOne(lb, media, k);
        }
    }

    private Member startNode(String name, Path media) throws IOException {
        return start(name, List.of("serve", "--cluster", "--cluster-name", clusterName, "--cluster-port",
                Integer.toString(clusterPort), "--capacity-viewers", "1000000", "--media-dir", media.toString(),
                "--data-dir", dir.resolve(name).toString(), "--log-level", "warn"));
    }

    private Member start(String name, List<String> args) throws IOException {
        int offset = nextOffset;
        nextOffset += 10;
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "--enable-native-access=ALL-UNNAMED", "-cp",
                options.appTarget().resolve("sluice-app.jar") + ":" + options.appTarget().resolve("lib") + "/*",
                "io.sluice.app.SluiceCommand"));
        command.addAll(args);
        command.addAll(List.of("--port-offset", Integer.toString(offset)));
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve(name + ".log").toFile()).start();
        Member m = new Member(name, p, offset);
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (status(m, "/api/v1/lb/nodes") < 0 && status(m, "/api/v1/streams") < 0) {
            if (!p.isAlive() || System.nanoTime() > deadlineNs) {
                throw new IllegalStateException(name + " did not start; see " + dir.resolve(name + ".log"));
            }
            sleep(100);
        }
        return m;
    }

    /** Posts assignments from every client thread for {@code seconds}; prints the result when {@code report}. */
    private void load(Member lb, int seconds, boolean report) throws InterruptedException {
        long endNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        long[][] latencies = new long[options.clients()][];
        Map<Integer, AtomicLong> statuses = new ConcurrentHashMap<>();
        List<Thread> threads = new ArrayList<>();
        long startNs = System.nanoTime();
        for (int c = 0; c < options.clients(); c++) {
            int client = c;
            threads.add(Thread.ofPlatform().start(() -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                long[] mine = new long[1 << 16];
                int n = 0;
                while (System.nanoTime() < endNs) {
                    String body = "{\"uid\":\"u" + random.nextInt(USERS) + "\",\"fid\":\"film-" + random.nextInt(FILMS)
                            + ".mp4\"}";
                    long t0 = System.nanoTime();
                    int status = post(lb, "/api/v1/lb/assign", body);
                    long dt = System.nanoTime() - t0;
                    statuses.computeIfAbsent(status, s -> new AtomicLong()).incrementAndGet();
                    if (n == mine.length) {
                        mine = Arrays.copyOf(mine, n * 2);
                    }
                    mine[n++] = dt;
                }
                latencies[client] = Arrays.copyOf(mine, n);
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        double elapsedS = (System.nanoTime() - startNs) / 1e9;
        long[] all = Arrays.stream(latencies).flatMapToLong(Arrays::stream).sorted().toArray();
        if (report) {
            System.out.printf(Locale.ROOT, "assign: %d calls in %.1f s = %.0f/s, p50 %.2f ms, p99 %.2f ms, max %.2f ms,"
                            + " statuses %s%n", all.length, elapsedS, all.length / elapsedS, percentileMs(all, 0.50),
                    percentileMs(all, 0.99), all.length == 0 ? 0 : all[all.length - 1] / 1e6, new TreeMap<>(statuses));
        }
    }

    private static double percentileMs(long[] sorted, double fraction) {
        if (sorted.length == 0) {
            return -1;
        }
        int i = (int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
        return sorted[Math.max(0, i)] / 1e6;
    }

    /** kill -9 of the oldest node, time until the load balancer stops listing it, then a new node in its place. */
    private void killOne(Member lb, Path media, int round) throws Exception {
        Member victim = members.get(0);
        String id = nodeIdOf(lb, victim);
        long t0 = System.nanoTime();
        victim.process().destroyForcibly();
        while (body(lb, "/api/v1/lb/nodes").contains(id)) {
            sleep(5);
        }
        long removedMs = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf(Locale.ROOT, "kill -9 #%d: %s removed from /api/v1/lb/nodes after %d ms%n", round + 1,
                victim.name(), removedMs);
        members.remove(victim);
        members.add(0, startNode("node-r" + round, media));
        awaitNodes(lb, options.nodes(), Duration.ofSeconds(60));
    }

    private String nodeIdOf(Member lb, Member node) {
        String nodes = body(lb, "/api/v1/lb/nodes");
        String marker = "\"rtsp\":\"rtsp://127.0.0.1:" + node.rtspPort() + "\"";
        int at = nodes.indexOf(marker);
        if (at < 0) {
            throw new IllegalStateException(node.name() + " is not listed: " + nodes);
        }
        int idStart = nodes.lastIndexOf("\"node\":\"", at) + 8;
        return nodes.substring(idStart, nodes.indexOf('"', idStart));
    }

    private void awaitNodes(Member lb, int count, Duration timeout) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadlineNs) {
            String nodes = body(lb, "/api/v1/lb/nodes");
            if (nodes.split("\"films\":" + FILMS, -1).length - 1 == count) {
                return;
            }
            sleep(200);
        }
        throw new IllegalStateException("the load balancer does not list " + count + " nodes with their films");
    }

    private int post(Member m, String path, String body) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort() + path))
                    .timeout(Duration.ofSeconds(10)).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                    HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private int status(Member m, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort() + path))
                    .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    private String body(Member m, String path) {
        try {
            return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + m.httpPort() + path))
                    .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString()).body();
        } catch (IOException e) {
            return "";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "";
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

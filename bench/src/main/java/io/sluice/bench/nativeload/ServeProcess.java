package io.sluice.bench.nativeload;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code sluice serve} in a child JVM, so that its CPU time is its own ({@code /proc/PID/stat}): the
 * application on this benchmark's class path (or {@code --server-classpath}), every port shifted by
 * {@code --port-offset}, on 127.0.0.1. Killed when the benchmark ends, also by a shutdown hook.
 */
final class ServeProcess implements AutoCloseable {

    static final String HOST = "127.0.0.1";
    /** USER_HZ: the unit of utime and stime in /proc/PID/stat. */
    private static final int CLOCK_TICKS_PER_SECOND = 100;
    private static final Pattern LIVE_CODE = Pattern.compile("\"liveCode\"\\s*:\\s*\"([^\"]+)\"");

    private final Process process;
    private final int portOffset;
    private final Thread killer;

    private ServeProcess(Process process, int portOffset) {
        this.process = process;
        this.portOffset = portOffset;
        this.killer = new Thread(process::destroyForcibly, "kill-sluice-serve");
        Runtime.getRuntime().addShutdownHook(killer);
    }

    static ServeProcess start(Path dir, String classpath, int portOffset, List<String> serveOptions) throws IOException {
        Files.createDirectories(dir);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", classpath, "io.sluice.app.SluiceCommand", "serve",
                "--bind-address", HOST, "--port-offset", Integer.toString(portOffset),
                "--data-dir", Files.createDirectories(dir.resolve("data")).toString(),
                "--media-dir", Files.createDirectories(dir.resolve("media")).toString(), "--log-level", "warn"));
        command.addAll(serveOptions);
        Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("sluice.log").toFile()).start();
        ServeProcess serve = new ServeProcess(process, portOffset);
        long deadlineNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!serve.httpListening()) {
            if (!process.isAlive() || System.nanoTime() > deadlineNs) {
                serve.close();
                throw new IOException("sluice serve did not come up; see " + dir.resolve("sluice.log"));
            }
            sleep(100);
        }
        return serve;
    }

    private boolean httpListening() {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(HOST, 8080 + portOffset), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** A publish key for {@code liveId} from {@code POST /api/v1/streams}. */
    String createKey(String liveId) throws IOException, InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + (8080 + portOffset)
                        + "/api/v1/streams")).timeout(Duration.ofSeconds(10)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"liveId\":\"" + liveId + "\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        Matcher m = LIVE_CODE.matcher(r.body());
        if (r.statusCode() / 100 != 2 || !m.find()) {
            throw new IOException("POST /api/v1/streams answered " + r.statusCode() + " " + r.body());
        }
        return m.group(1);
    }

    InetSocketAddress pushAddress() {
        return new InetSocketAddress(HOST, 61040 + portOffset);
    }

    InetSocketAddress pullAddress() {
        return new InetSocketAddress(HOST, 61041 + portOffset);
    }

    /** CPU seconds (user + system, all threads) the server has used. */
    double cpuSeconds() throws IOException {
        return cpuSeconds(process.pid());
    }

    /** CPU seconds (user + system, all threads) process {@code pid} has used, from /proc/PID/stat. */
    static double cpuSeconds(long pid) throws IOException {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        // After "pid (comm) " the fields start at state (field 3): utime is field 14, stime field 15.
        return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) CLOCK_TICKS_PER_SECOND;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
        try {
            Runtime.getRuntime().removeShutdownHook(killer);
        } catch (IllegalStateException shuttingDown) {
            // The hook runs anyway.
        }
    }
}

package io.sluice.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * One process of a Sluice cluster on loopback: {@code sluice serve --cluster} (a media node) or
 * {@code sluice lb --cluster} (a load balancer), in a child JVM with this JVM's java and classpath, its
 * ports shifted by its own free offset, its output in {@code NAME.log}. Ready means its HTTP and RTSP
 * ports accept connections, which they do only after it has joined the cluster.
 */
public final class ClusterProcess implements AutoCloseable {

    private static final int RTSP = 8554;
    private static final int HTTP = 8080;
    private static final int RTP = 8000;
    private static final int NATIVE = 61040;
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(90);

    private final String name;
    private final Process process;
    private final int offset;
    private final Path log;

    private ClusterProcess(String name, Process process, int offset, Path log) {
        this.name = name;
        this.process = process;
        this.offset = offset;
        this.log = log;
    }

    /** A media node with its data under {@code dir/NAME} and films from {@code mediaDir}. */
    public static ClusterProcess node(String name, Path dir, Path mediaDir, String clusterName, int clusterPort,
                                      int capacityViewers) {
        Path data = dir.resolve(name);
        List<String> args = List.of("serve", "--cluster", "--cluster-name", clusterName,
                "--cluster-port", Integer.toString(clusterPort), "--capacity-viewers", Integer.toString(capacityViewers),
                "--media-dir", mediaDir.toString(), "--data-dir", data.toString(), "--log-level", "info");
        return start(name, dir, args);
    }

    /** A load balancer. */
    public static ClusterProcess lb(String name, Path dir, String clusterName, int clusterPort) {
        List<String> args = List.of("lb", "--cluster", "--cluster-name", clusterName,
                "--cluster-port", Integer.toString(clusterPort), "--bind-address", "127.0.0.1", "--log-level", "info");
        return start(name, dir, args);
    }

    private static ClusterProcess start(String name, Path dir, List<String> args) {
        int offset = freeOffset();
        Path log = dir.resolve(name + ".log");
        List<String> command = new ArrayList<>(List.of(javaCommand(), "-Dio.netty.leakDetection.level=PARANOID",
                "-cp", System.getProperty("java.class.path"), SluiceServerProcess.MAIN_CLASS));
        command.addAll(args);
        command.addAll(List.of("--port-offset", Integer.toString(offset)));
        try {
            Files.createDirectories(dir.resolve(name));
            Files.writeString(dir.resolve(name + ".cmd"), String.join(" ", command) + "\n");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .start();
            ClusterProcess p = new ClusterProcess(name, process, offset, log);
            if (!Ports.awaitTcpListening(p.httpPort(), READY_TIMEOUT, process::isAlive)
                    || !Ports.awaitTcpListening(p.rtspPort(), READY_TIMEOUT, process::isAlive)) {
                p.kill();
                throw new AssertionError(name + " did not become ready\n" + p.report(40));
            }
            return p;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    private static int freeOffset() {
        for (int i = 0; i < 100; i++) {
            int offset = ThreadLocalRandom.current().nextInt(1000, 4400);
            if (Ports.tcpFree(RTSP + offset) && Ports.tcpFree(HTTP + offset) && Ports.udpFree(RTP + offset)
                    && Ports.udpFree(RTP + 1 + offset) && Ports.udpFree(NATIVE + offset)
                    && Ports.udpFree(NATIVE + 1 + offset)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset");
    }

    public String name() {
        return name;
    }

    public int httpPort() {
        return HTTP + offset;
    }

    public int rtspPort() {
        return RTSP + offset;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@code kill -9}: no goodbye to the cluster. */
    public void kill() {
        process.destroyForcibly();
        try {
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    public String report(int lines) {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- " + name + " (offset " + offset + ", " + state + ", " + log + ") ---\n" + LogFiles.tail(log, lines);
    }

    /** Stops the process: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                kill();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return name + "[rtsp " + rtspPort() + ", http " + httpPort() + "]";
    }
}

package io.sluice.bench.nativeload;

import io.sluice.bench.common.ChildServer;
import io.sluice.bench.common.Processes;
import io.sluice.bench.common.SluiceServe;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * {@code sluice serve} in a child JVM, so that its CPU time is its own ({@code /proc/PID/stat}): the
 * application on this benchmark's class path (or {@code --server-classpath}), every port shifted by
 * {@code --port-offset}, on 127.0.0.1. Killed when the benchmark ends, also by a shutdown hook.
 */
final class ServeProcess implements AutoCloseable {

    private static final String HOST = ChildServer.HOST;
    private static final long START_TIMEOUT_MS = 30_000;

    private final Process process;
    private final Path log;
    private final int portOffset;

    private ServeProcess(Process process, Path log, int portOffset) {
        this.process = process;
        this.log = log;
        this.portOffset = portOffset;
    }

    /** Starts the server and waits until its HTTP port, the last it opens, accepts. */
    static ServeProcess start(Path dir, String classpath, int portOffset, List<String> serveOptions)
            throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path log = dir.resolve("sluice.log");
        Files.deleteIfExists(log);
        List<String> command = SluiceServe.command(classpath, List.of(), portOffset,
                Files.createDirectories(dir.resolve("data")), Files.createDirectories(dir.resolve("media")), "warn",
                serveOptions);
        ServeProcess serve = new ServeProcess(Processes.start(command, dir, log, Map.of()), log, portOffset);
        try {
            Processes.awaitListening("sluice serve", HOST, SluiceServe.httpPort(portOffset), START_TIMEOUT_MS,
                    serve::requireAlive);
        } catch (IOException | InterruptedException e) {
            serve.close();
            throw e;
        }
        return serve;
    }

    private void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException("sluice serve exited with " + process.exitValue() + "; see " + log);
        }
    }

    /** A publish key for {@code liveId} from {@code POST /api/v1/streams}. */
    String createKey(String liveId) throws IOException {
        return SluiceServe.createKey(portOffset, liveId);
    }

    InetSocketAddress pushAddress() {
        return new InetSocketAddress(HOST, 61040 + portOffset);
    }

    InetSocketAddress pullAddress() {
        return new InetSocketAddress(HOST, 61041 + portOffset);
    }

    long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}

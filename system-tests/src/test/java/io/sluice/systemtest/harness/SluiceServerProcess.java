package io.sluice.systemtest.harness;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real Sluice server: {@code io.sluice.app.SluiceCommand serve} in a child JVM started with
 * this JVM's java and classpath, Netty's leak detector at PARANOID, all ports shifted by one
 * random offset so runs do not collide, its stdout and stderr in {@code sluice.log}.
 *
 * <p>Ports are the defaults plus the offset: RTSP 8554 (TCP), RTP 8000 and RTCP 8001 (UDP), HTTP
 * 8080, native 61040 and 61041 (UDP). Ready means the RTSP and HTTP ports accept TCP connections.
 *
 * <p>Started with a command prefix ({@code ip netns exec NS}, see {@link NetworkNamespace}) the server
 * lives where this JVM cannot connect: it is ready when its log says so, and its HTTP API is called
 * through {@code curl} run with the same prefix.
 */
public final class SluiceServerProcess implements AutoCloseable {

    public static final String MAIN_CLASS = "io.sluice.app.SluiceCommand";
    /** What Netty's leak detector prints; any line with it fails the test. */
    public static final String LEAK_MARKER = "LEAK:";

    private static final int RTSP = 8554;
    private static final int RTP = 8000;
    private static final int RTCP = 8001;
    private static final int HTTP = 8080;
    private static final int NATIVE_PUSH = 61040;
    private static final int NATIVE_PULL = 61041;
    /** 61041 + offset must stay below 65536, and 8000 + offset below the ephemeral range (32768). */
    private static final int MIN_OFFSET = 1000;
    private static final int MAX_OFFSET = 4400;
    private static final int START_ATTEMPTS = 5;
    /** A bound, not an expectation: a JVM start takes seconds more when the machine's cores are busy. */
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(60);
    private static final Duration STOP_GRACE = Duration.ofSeconds(5);
    private static final Pattern LIVE_CODE = Pattern.compile("\"liveCode\"\\s*:\\s*\"([^\"]*)\"");
    private static final Pattern BIND_FAILURE = Pattern.compile("(?i)address already in use|BindException");
    private static final String READY_LINE = "Sluice node ready";

    private final Process process;
    private final int offset;
    private final Path log;
    private final List<String> prefix;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private SluiceServerProcess(Process process, int offset, Path log, List<String> prefix) {
        this.process = process;
        this.offset = offset;
        this.log = log;
        this.prefix = prefix;
    }

    /** Starts a server with its data, media and log under {@code dir}; retries with another offset when a port is taken. */
    public static SluiceServerProcess start(Path dir) {
        return start(dir, List.of(), List.of());
    }

    /**
     * Like {@link #start(Path)}, the server's command line preceded by {@code prefix} (empty, or for
     * example {@code ip netns exec NS}) and followed by {@code extraArgs} ({@code serve} options).
     */
    public static SluiceServerProcess start(Path dir, List<String> prefix, List<String> extraArgs) {
        StringBuilder failures = new StringBuilder();
        for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
            int offset = freeOffset();
            Path log = dir.resolve(attempt == 1 ? "sluice.log" : "sluice-" + attempt + ".log");
            Process process = launch(dir, offset, log, prefix, extraArgs);
            SluiceServerProcess server = new SluiceServerProcess(process, offset, log, List.copyOf(prefix));
            boolean ready = prefix.isEmpty()
                    ? Ports.awaitTcpListening(server.rtspPort(), READY_TIMEOUT, process::isAlive)
                            && Ports.awaitTcpListening(server.httpPort(), READY_TIMEOUT, process::isAlive)
                    : server.awaitLogLine(READY_LINE, READY_TIMEOUT);
            if (ready) {
                return server;
            }
            server.close();
            String tail = LogFiles.tail(log, 40);
            if (!BIND_FAILURE.matcher(tail).find()) {
                throw new AssertionError("Sluice did not become ready (RTSP " + server.rtspPort() + ", HTTP " + server.httpPort()
                        + ") within " + READY_TIMEOUT.toSeconds() + " s" + (process.isAlive() ? "" : ", exit code " + process.exitValue())
                        + "\n--- " + log + " ---\n" + tail);
            }
            failures.append("offset ").append(offset).append(": a port was taken\n");
        }
        throw new AssertionError("Sluice could not bind its ports in " + START_ATTEMPTS + " attempts:\n" + failures);
    }

    private static Process launch(Path dir, int offset, Path log, List<String> prefix, List<String> extraArgs) {
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(javaCommand(), "-Dio.netty.leakDetection.level=PARANOID",
                "-cp", serverClasspath(), MAIN_CLASS, "serve",
                "--port-offset", Integer.toString(offset),
                "--data-dir", dir.resolve("data").toString(),
                "--media-dir", dir.resolve("media").toString(),
                "--log-level", "info"));
        command.addAll(extraArgs);
        try {
            Files.createDirectories(dir.resolve("data"));
            Files.createDirectories(dir.resolve("media"));
            Files.writeString(dir.resolve("sluice.cmd"), String.join(" ", command) + "\n");
            return new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(log.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * This JVM's classpath, which has sluice-app and its dependencies; the property
     * {@code sluice.systemtest.server.classpath} points at another build instead (for example
     * {@code app/target/sluice-app.jar:app/target/lib/*} of a checkout).
     */
    private static String serverClasspath() {
        return System.getProperty("sluice.systemtest.server.classpath", System.getProperty("java.class.path"));
    }

    /** The java program running this JVM, so the server runs on the same JDK. */
    private static String javaCommand() {
        return ProcessHandle.current().info().command()
                .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    }

    /** An offset whose six ports are all free right now (the server may still lose a race for one: then start retries). */
    private static int freeOffset() {
        for (int i = 0; i < 100; i++) {
            int offset = ThreadLocalRandom.current().nextInt(MIN_OFFSET, MAX_OFFSET + 1);
            if (Ports.tcpFree(RTSP + offset) && Ports.tcpFree(HTTP + offset) && Ports.udpFree(RTP + offset)
                    && Ports.udpFree(RTCP + offset) && Ports.udpFree(NATIVE_PUSH + offset) && Ports.udpFree(NATIVE_PULL + offset)) {
                return offset;
            }
        }
        throw new IllegalStateException("no free port offset in " + MIN_OFFSET + ".." + MAX_OFFSET);
    }

    /**
     * True once the server's log has a line containing {@code text}; false after {@code timeout} or as
     * soon as the server exits.
     */
    public boolean awaitLogLine(String text, Duration timeout) {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadlineNs && process.isAlive()) {
            if (LogFiles.lines(log).stream().anyMatch(line -> line.contains(text))) {
                return true;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** Issues a publish key for live stream {@code name} through {@code POST /api/v1/streams}. */
    public StreamKey createKey(String name) {
        String body = "{\"liveId\":\"" + name + "\"}";
        HttpAnswer response = prefix.isEmpty() ? post("/api/v1/streams", body) : curl("POST", "/api/v1/streams", body);
        Matcher code = LIVE_CODE.matcher(response.body());
        if ((response.status() != 200 && response.status() != 201) || !code.find()) {
            throw new AssertionError("POST /api/v1/streams " + body + " answered " + response.status() + " " + response.body());
        }
        return new StreamKey(name, code.group(1));
    }

    private record HttpAnswer(int status, String body) {
    }

    private HttpAnswer post(String path, String body) {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new HttpAnswer(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new AssertionError("POST " + path + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /**
     * An HTTP request through curl run with the prefix, where this JVM's sockets cannot reach; curl
     * prints the status as its last output line.
     */
    private HttpAnswer curl(String method, String path, String body) {
        String curl = Peers.onPath("curl").map(Path::toString).orElse(null);
        assumeTrue(curl != null, "no curl on PATH to reach a server in a network namespace");
        List<String> command = new ArrayList<>(prefix);
        command.addAll(List.of(curl, "-sS", "--max-time", "10", "-X", method, "-w", "\n%{http_code}"));
        if (body != null) {
            command.addAll(List.of("-H", "Content-Type: application/json", "--data", body));
        }
        command.add("http://127.0.0.1:" + httpPort() + path);
        try {
            Process curlProcess = new ProcessBuilder(command).redirectErrorStream(true)
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
            String output = new String(curlProcess.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!curlProcess.waitFor(15, TimeUnit.SECONDS)) {
                curlProcess.destroyForcibly();
            }
            int lastLine = output.lastIndexOf('\n');
            String status = output.substring(lastLine + 1).trim();
            if (lastLine < 0 || !status.matches("\\d{3}")) {
                throw new AssertionError(method + " " + path + " through curl failed: " + output);
            }
            return new HttpAnswer(Integer.parseInt(status), output.substring(0, lastLine));
        } catch (IOException e) {
            throw new AssertionError(method + " " + path + " through curl failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }

    /** {@code rtsp://127.0.0.1:PORT/live/NAME?key=CODE}: where a publisher sends the stream. */
    public String publishUrl(StreamKey key) {
        return liveUrl(key.liveId()) + "?key=" + key.liveCode();
    }

    /** {@code rtsp://127.0.0.1:PORT/live/NAME}: where readers read it. */
    public String liveUrl(String name) {
        return "rtsp://127.0.0.1:" + rtspPort() + "/live/" + name;
    }

    public int offset() {
        return offset;
    }

    public int rtspPort() {
        return RTSP + offset;
    }

    public int rtpPort() {
        return RTP + offset;
    }

    public int rtcpPort() {
        return RTCP + offset;
    }

    public int httpPort() {
        return HTTP + offset;
    }

    public int nativePushPort() {
        return NATIVE_PUSH + offset;
    }

    public int nativePullPort() {
        return NATIVE_PULL + offset;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public Path log() {
        return log;
    }

    /** The log lines that report a Netty leak. */
    public List<String> leakLines() {
        return LogFiles.lines(log).stream().filter(line -> line.contains(LEAK_MARKER)).toList();
    }

    public String report(int lines) {
        String state = process.isAlive() ? "running" : "exited with " + process.exitValue();
        return "--- Sluice (offset " + offset + ", " + state + ", " + log + "), last " + lines + " lines ---\n"
                + LogFiles.tail(log, lines);
    }

    /**
     * Makes Netty report leaks now rather than never: Netty only notices a leaked buffer after the
     * garbage collector has found it and a later allocation polls the detector, and a short test
     * may do neither. So: a full GC in the server through jcmd, then a request that allocates.
     */
    public void provokeLeakReports() {
        if (!process.isAlive()) {
            return;
        }
        Path jcmd = Path.of(javaCommand()).resolveSibling("jcmd");
        try {
            if (Files.isExecutable(jcmd)) {
                Process gc = new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.run")
                        .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                if (!gc.waitFor(10, TimeUnit.SECONDS)) {
                    gc.destroyForcibly();
                }
            }
            if (prefix.isEmpty()) {
                try (RtspConnection rtsp = RtspConnection.open(rtspPort(), Duration.ofSeconds(2))) {
                    rtsp.request("OPTIONS", "*", java.util.Map.of());
                }
            } else {
                curl("GET", "/api/v1/streams", null);
            }
            Thread.sleep(200);
        } catch (IOException | RuntimeException | AssertionError e) {
            // A server that no longer answers has nothing more to report; the test sees its log.
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Stops the server: SIGTERM, then SIGKILL after 5 s. */
    @Override
    public void close() {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(STOP_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    @Override
    public String toString() {
        return "Sluice[rtsp " + rtspPort() + ", http " + httpPort() + "]";
    }
}

package io.sluice.systemtest.harness;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One external program (ffmpeg, gst-launch-1.0, python) run by a test, with a hard kill deadline.
 *
 * <p>A peer of a stream that ends without BYE can wait for ever, so every peer gets a deadline at
 * start: a watchdog kills it there, and {@link #awaitExit()} never waits past it. Stdout is pumped
 * line by line into {@code NAME.out} (and to an optional listener, which sees each line as it
 * arrives, for time-to-first-frame measurements); stderr goes to {@code NAME.log}; the command
 * line is written to {@code NAME.cmd}.
 */
public final class PeerProcess implements AutoCloseable {

    private static final Duration KILL_GRACE = Duration.ofSeconds(3);
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "peer-watchdog");
        t.setDaemon(true);
        return t;
    });

    private final String name;
    private final Process process;
    private final Path stdoutFile;
    private final Path stderrFile;
    private final long startNs;
    private final long deadlineNs;
    private final Thread stdoutPump;
    private volatile boolean killedAtDeadline;

    private PeerProcess(String name, Process process, Path stdoutFile, Path stderrFile, long startNs,
                        long deadlineNs, Consumer<String> stdoutListener) {
        this.name = name;
        this.process = process;
        this.stdoutFile = stdoutFile;
        this.stderrFile = stderrFile;
        this.startNs = startNs;
        this.deadlineNs = deadlineNs;
        this.stdoutPump = Thread.ofPlatform().daemon().name("peer-" + name + "-stdout")
                .start(() -> pump(stdoutListener));
        WATCHDOG.schedule(this::killAtDeadline, deadlineNs - System.nanoTime(), TimeUnit.NANOSECONDS);
    }

    /** Starts {@code command}, its files under {@code dir}, killed after {@code hardTimeout} at the latest. */
    public static PeerProcess start(String name, List<String> command, Path dir, Duration hardTimeout) {
        return start(name, command, dir, hardTimeout, line -> { });
    }

    /** Like {@link #start(String, List, Path, Duration)}, and hands every stdout line to {@code stdoutListener}. */
    public static PeerProcess start(String name, List<String> command, Path dir, Duration hardTimeout,
                                    Consumer<String> stdoutListener) {
        try {
            Files.createDirectories(dir);
            Path stderrFile = dir.resolve(name + ".log");
            Files.writeString(dir.resolve(name + ".cmd"), String.join(" ", command) + "\n");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(dir.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")))
                    .redirectError(stderrFile.toFile());
            Process process = builder.start();
            long startNs = System.nanoTime();
            return new PeerProcess(name, process, dir.resolve(name + ".out"), stderrFile, startNs,
                    startNs + hardTimeout.toNanos(), stdoutListener);
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + ": " + command, e);
        }
    }

    private void pump(Consumer<String> stdoutListener) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             Writer out = Files.newBufferedWriter(stdoutFile)) {
            String line;
            while ((line = in.readLine()) != null) {
                stdoutListener.accept(line);
                out.write(line);
                out.write('\n');
            }
        } catch (IOException e) {
            // The process was killed while we read: what was read so far is in the file.
        }
    }

    private void killAtDeadline() {
        if (process.isAlive()) {
            killedAtDeadline = true;
            kill();
        }
    }

    /**
     * Waits for the process to end, at most until its deadline (when the watchdog kills it) plus a
     * grace period; returns its exit code.
     */
    public int awaitExit() {
        try {
            long waitNs = deadlineNs - System.nanoTime() + KILL_GRACE.toNanos() * 2;
            if (!process.waitFor(Math.max(waitNs, 0), TimeUnit.NANOSECONDS)) {
                killedAtDeadline = true;
                process.destroyForcibly().waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
            stdoutPump.join(KILL_GRACE.toMillis());
            return process.isAlive() ? -1 : process.exitValue();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            kill();
            throw new IllegalStateException("interrupted while waiting for " + name, e);
        }
    }

    /** Waits at most {@code timeout} for the process to end by itself; true if it has. */
    public boolean awaitExit(Duration timeout) {
        try {
            return process.waitFor(timeout.toNanos(), TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !process.isAlive();
        }
    }

    /** Awaits the exit and fails with the peer's output tail unless it exited with 0 on its own. */
    public void awaitSuccess() {
        int code = awaitExit();
        if (code != 0 || killedAtDeadline) {
            throw new AssertionError(name + " exited with " + code + (killedAtDeadline ? " (killed at its deadline)" : "")
                    + "\n" + report(40));
        }
    }

    /** Sends SIGINT: gst-launch-1.0 -e then sends EOS through the pipeline and finishes its files. */
    public void interrupt() {
        if (!process.isAlive()) {
            return;
        }
        try {
            new ProcessBuilder("kill", "-INT", Long.toString(process.pid())).inheritIO().start().waitFor(5, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until this peer has written {@code file} (a recording is growing, so the RTSP set-up is
     * done and media arrives), for at most {@code timeout}; a test that then reads for a fixed time
     * measures the read, not how long the peer took to start on a loaded machine.
     */
    public void awaitOutputFile(Path file, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (Files.exists(file) && Files.size(file) > 0) {
                    return;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            Thread.sleep(50);
        }
        throw new AssertionError(name + " wrote nothing to " + file + " within " + timeout + "\n" + report(20));
    }

    /** SIGTERM, then SIGKILL after a grace period. */
    public void kill() {
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(KILL_GRACE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    public String name() {
        return name;
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** {@link System#nanoTime()} right after the process was started. */
    public long startNs() {
        return startNs;
    }

    public boolean killedAtDeadline() {
        return killedAtDeadline;
    }

    public Path stdoutFile() {
        return stdoutFile;
    }

    public Path stderrFile() {
        return stderrFile;
    }

    /** The last {@code lines} lines of stderr, under a header naming the peer. */
    public String report(int lines) {
        return "--- " + name + " (" + stderrFile + "), last " + lines + " lines ---\n" + LogFiles.tail(stderrFile, lines);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            kill();
        }
    }
}

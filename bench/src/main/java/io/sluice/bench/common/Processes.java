package io.sluice.bench.common;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * Child processes of the load generator. Every one is registered so that a shutdown hook can end it and
 * its descendants when the run stops for any reason, including a failure or Ctrl-C.
 */
public final class Processes {

    private static final List<Process> CHILDREN = new CopyOnWriteArrayList<>();

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(Processes::killAll, "kill-children"));
    }

    private Processes() {
    }

    public static Process start(List<String> command, Path dir, Path log, java.util.Map<String, String> env)
            throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        pb.environment().putAll(env);
        Process p = pb.start();
        CHILDREN.add(p);
        return p;
    }

    /** A child that the caller talks to through its standard input and output; its standard error goes to {@code log}. */
    public static Process startPiped(List<String> command, Path dir, Path log) throws IOException {
        Process p = new ProcessBuilder(command).directory(dir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(log.toFile())).start();
        CHILDREN.add(p);
        return p;
    }

    /** Runs a command to completion within {@code timeoutS}; fails on a non-zero exit. */
    public static void runBounded(List<String> command, Path dir, int timeoutS)
            throws IOException, InterruptedException {
        Path log = dir.resolve("child-" + Path.of(command.getFirst()).getFileName() + ".log");
        Process p = start(command, dir, log, java.util.Map.of());
        try {
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                throw new IOException(command.getFirst() + " did not finish in " + timeoutS + " s; see " + log);
            }
            if (p.exitValue() != 0) {
                throw new IOException(command.getFirst() + " exited with " + p.exitValue() + "; see " + log);
            }
        } finally {
            stop(p);
        }
    }

    /** A check that throws when the process being waited for has died. */
    @FunctionalInterface
    public interface AliveCheck {
        void requireAlive() throws IOException;
    }

    /**
     * Polls {@code host:port} until it accepts a TCP connection, for at most {@code timeoutMs}, checking
     * between tries that the process that should open it still runs.
     */
    public static void awaitListening(String name, String host, int port, long timeoutMs, AliveCheck alive)
            throws IOException, InterruptedException {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000;
        while (System.nanoTime() < deadlineNs) {
            alive.requireAlive();
            try (java.net.Socket s = new java.net.Socket()) {
                s.connect(new java.net.InetSocketAddress(host, port), 500);
                return;
            } catch (IOException notYet) {
                Thread.sleep(200);
            }
        }
        throw new IOException(name + " did not open port " + port + " in " + timeoutMs + " ms");
    }

    /** SIGTERM, then SIGKILL after 5 s; descendants too. */
    public static void stop(Process p) {
        if (p == null) {
            return;
        }
        List<ProcessHandle> descendants = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(5, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle d : descendants) {
            d.destroyForcibly();
        }
        CHILDREN.remove(p);
    }

    /** A load generator's run, which may throw anything. */
    @FunctionalInterface
    public interface Run {
        void run() throws Exception;
    }

    /**
     * Runs a load generator's {@code main} body, then ends the JVM: status 0, or 1 with the stack trace
     * when it threw; every child process is killed first either way.
     */
    public static void runThenExit(Run run) {
        int status;
        try {
            run.run();
            status = 0;
        } catch (Exception e) {
            e.printStackTrace();
            status = 1;
        } finally {
            killAll();
        }
        System.exit(status);
    }

    public static void killAll() {
        for (Process p : CHILDREN) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    /** Output of a short command such as jcmd, bounded to {@code timeoutS}. */
    public static String output(List<String> command, int timeoutS) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        CHILDREN.add(p);
        Thread watchdog = Thread.ofVirtual().start(() -> {
            try {
                if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException ignored) {
                p.destroyForcibly();
            }
        });
        try {
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutS, TimeUnit.SECONDS)) {
                throw new IOException(command + " did not finish in " + timeoutS + " s");
            }
            return new String(out, java.nio.charset.StandardCharsets.UTF_8);
        } finally {
            p.destroyForcibly();
            watchdog.interrupt();
            CHILDREN.remove(p);
        }
    }
}

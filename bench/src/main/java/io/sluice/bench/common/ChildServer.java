package io.sluice.bench.common;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * An RTSP server under test, started by a load generator as a child process on 127.0.0.1, its output in
 * one log file. Killed on {@link #close()}, and by {@link Processes}' shutdown hook when the run dies.
 */
public abstract class ChildServer implements AutoCloseable {

    public static final String HOST = "127.0.0.1";

    private final String name;
    private final boolean jvm;
    private final int rtspPort;
    protected final Path log;
    protected Process process;

    /**
     * @param name     "Sluice" or "GStreamer", as the reports name it
     * @param jvm      whether the server is a JVM, so that jcmd can read its heap
     * @param rtspPort where it listens for RTSP on {@link #HOST}
     * @param log      where its output goes
     */
    protected ChildServer(String name, boolean jvm, int rtspPort, Path log) {
        this.name = name;
        this.jvm = jvm;
        this.rtspPort = rtspPort;
        this.log = log;
    }

    public final String name() {
        return name;
    }

    public final boolean isJvm() {
        return jvm;
    }

    public final int rtspPort() {
        return rtspPort;
    }

    /** Starts {@code command} in {@code dir}, its output in a fresh log, and waits until the RTSP port accepts. */
    protected void launch(List<String> command, Path dir, long timeoutMs) throws IOException, InterruptedException {
        Files.deleteIfExists(log);
        process = Processes.start(command, dir, log, Map.of());
        Processes.awaitListening(name(), HOST, rtspPort(), timeoutMs, this::requireAlive);
    }

    public long pid() {
        return process.pid();
    }

    public void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name() + " exited with " + process.exitValue() + "; see " + log);
        }
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}

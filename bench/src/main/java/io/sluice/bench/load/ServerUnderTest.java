package io.sluice.bench.load;

import java.io.IOException;
import java.nio.file.Path;

/** An RTSP server started as a child process, with a way to publish the benchmark stream to it. */
abstract class ServerUnderTest implements AutoCloseable {

    static final String HOST = "127.0.0.1";

    protected final Path dir;
    protected Process process;

    ServerUnderTest(Path dir) {
        this.dir = dir;
    }

    abstract String name();

    abstract int rtspPort();

    /** The live path readers play. */
    String readUrl() {
        return "rtsp://" + HOST + ":" + rtspPort() + "/live/bench";
    }

    /** Whether the server is a JVM, so that jcmd can read its heap. */
    abstract boolean isJvm();

    /** Starts publishing the capture to the server; the publisher is running when this returns. */
    abstract ReplayPublisher publish(RtpCapture capture, SendTimes sendTimes) throws IOException;

    long pid() {
        return process.pid();
    }

    void requireAlive() throws IOException {
        if (!process.isAlive()) {
            throw new IOException(name() + " exited with " + process.exitValue() + "; see its log in " + dir);
        }
    }

    /** Polls the RTSP port until it accepts, for at most {@code timeoutMs}. */
    protected void awaitRtspPort(long timeoutMs) throws IOException, InterruptedException {
        Processes.awaitListening(name(), HOST, rtspPort(), timeoutMs, this::requireAlive);
    }

    @Override
    public void close() {
        Processes.stop(process);
    }
}

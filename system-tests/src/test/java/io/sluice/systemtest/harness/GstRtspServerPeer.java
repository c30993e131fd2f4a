package io.sluice.systemtest.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * GStreamer's own RTSP server (through /usr/bin/python3 and gi) serving one clip: the side-by-side
 * peer for benchmarks, and the known-good server that validates this harness without Sluice.
 *
 * <p>{@link Playback#SHARED} is a live stream: playback starts with the first reader's PLAY and a
 * later reader joins it where it is. The script reads the file through a pipe so that the media
 * is not seekable: otherwise ffmpeg's {@code Range: npt=0.000-} on every PLAY rewinds the shared
 * media for every reader already playing. GStreamer's server keeps no GOP, so a joining reader
 * starts mid-GOP, and ffmpeg then sometimes outputs concealed frames or shifted timestamps.
 * {@link Playback#PER_READER} gives each reader its own playback from the first keyframe, which
 * makes what every reader must receive exact.
 */
public final class GstRtspServerPeer implements AutoCloseable {

    /** Payloads the video and audio of an H.264 + AAC Matroska file as pay0 and pay1. */
    public static final String H264_AAC_MATROSKA = "matroskademux name=d"
            + " d.video_0 ! queue ! h264parse ! rtph264pay name=pay0 pt=96 config-interval=-1"
            + " d.audio_0 ! queue ! aacparse ! rtpmp4gpay name=pay1 pt=97";

    private static final String SCRIPT = "gst_rtsp_server.py";
    private static final String MOUNT = "/stream";
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(10);
    private static final int BIND_ATTEMPTS = 5;
    /** What the script prints once its port is bound. */
    private static final String READY_LINE = "ready rtsp://";

    /** How readers share the served clip. */
    public enum Playback {
        SHARED, PER_READER
    }

    private final PeerProcess process;
    private final int port;

    private GstRtspServerPeer(PeerProcess process, int port) {
        this.process = process;
        this.port = port;
    }

    /**
     * Serves {@code file} with the pipeline {@code launchAfterSource} (payloaders named pay0, pay1,
     * ...) on a free loopback port; returns once the port accepts connections.
     */
    public static GstRtspServerPeer serve(Path file, String launchAfterSource, Playback playback, Path dir, Duration hardTimeout) {
        return serve(file, launchAfterSource, playback, dir, hardTimeout, List.of(), Duration.ZERO);
    }

    /**
     * Like {@link #serve(Path, String, Playback, Path, Duration)}, the server's command line preceded by
     * {@code prefix} ({@code ip netns exec NS}: then it is ready when it says so on stdout, since this
     * JVM cannot connect there) and, for a positive {@code retransmissionTime}, with RFC 4588 RTX: the
     * media factory keeps that much of each stream to answer NACKs, and offers the AVPF profile.
     */
    public static GstRtspServerPeer serve(Path file, String launchAfterSource, Playback playback, Path dir, Duration hardTimeout,
                                          List<String> prefix, Duration retransmissionTime) {
        String python = Peers.pythonWithGstRtspServer();
        Path script = copyScript(dir);
        for (int attempt = 1; ; attempt++) {
            int port = freeTcpPort();
            List<String> command = new ArrayList<>(prefix);
            command.addAll(List.of(python, script.toString(), "--port", Integer.toString(port),
                    "--mount", MOUNT, "--file", file.toString(), "--launch", launchAfterSource));
            if (playback == Playback.PER_READER) {
                command.add("--per-reader");
            }
            if (retransmissionTime.isPositive()) {
                command.addAll(List.of("--retransmission-ms", Long.toString(retransmissionTime.toMillis())));
            }
            CountDownLatch said = new CountDownLatch(1);
            PeerProcess process = PeerProcess.start("gst-rtsp-server", command, dir, hardTimeout, line -> {
                if (line.startsWith(READY_LINE)) {
                    said.countDown();
                }
            });
            boolean ready = prefix.isEmpty()
                    ? Ports.awaitTcpListening(port, READY_TIMEOUT, process::isAlive)
                    : awaitReadyLine(said, process);
            if (ready) {
                return new GstRtspServerPeer(process, port);
            }
            process.kill();
            if (attempt == BIND_ATTEMPTS) {
                throw new IllegalStateException("GStreamer's RTSP server did not come up on port " + port + "\n" + process.report(30));
            }
        }
    }

    private static boolean awaitReadyLine(CountDownLatch said, PeerProcess process) {
        long deadlineNs = System.nanoTime() + READY_TIMEOUT.toNanos();
        try {
            while (System.nanoTime() < deadlineNs && process.isAlive()) {
                if (said.await(100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
            return said.getCount() == 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    private static Path copyScript(Path dir) {
        try (InputStream in = GstRtspServerPeer.class.getResourceAsStream(SCRIPT)) {
            if (in == null) {
                throw new IllegalStateException(SCRIPT + " is not on the test classpath");
            }
            Files.createDirectories(dir);
            Path script = dir.resolve(SCRIPT);
            Files.copy(in, script, StandardCopyOption.REPLACE_EXISTING);
            return script;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeTcpPort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public String url() {
        return "rtsp://127.0.0.1:" + port + MOUNT;
    }

    public PeerProcess process() {
        return process;
    }

    @Override
    public void close() {
        process.close();
    }
}

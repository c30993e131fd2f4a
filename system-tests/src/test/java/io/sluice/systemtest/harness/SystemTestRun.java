package io.sluice.systemtest.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything one system test starts: its directory, the Sluice server (started on first use), and
 * the peers. {@link SystemTestExtension} creates one per test, appends {@link #report()} to a
 * failure, and {@link #close() closes} it afterwards, so nothing outlives its test.
 */
public final class SystemTestRun implements AutoCloseable {

    private static final int REPORT_LINES = 40;

    private final Path dir;
    private final List<PeerProcess> peers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> others = new CopyOnWriteArrayList<>();
    private final List<SluiceServerProcess> namedServers = new CopyOnWriteArrayList<>();
    private final List<NetworkNamespace> namespaces = new CopyOnWriteArrayList<>();
    private SluiceServerProcess server;

    SystemTestRun(Path dir) {
        this.dir = dir;
        deleteRecursively(dir);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The test's own directory: server data and log, peer outputs. */
    public Path dir() {
        return dir;
    }

    /** The Sluice server of this test, started on first call. */
    public synchronized SluiceServerProcess server() {
        if (server == null) {
            server = SluiceServerProcess.start(dir);
        }
        return server;
    }

    /**
     * Another Sluice server of this test, in {@code dir()/name}, its command line preceded by
     * {@code prefix} and followed by {@code extraArgs} (see {@link SluiceServerProcess#start(Path, List, List)});
     * reported, leak-checked and stopped like {@link #server()}.
     */
    public SluiceServerProcess server(String name, List<String> prefix, List<String> extraArgs) {
        SluiceServerProcess started = SluiceServerProcess.start(dir.resolve(name), prefix, extraArgs);
        namedServers.add(started);
        return started;
    }

    /** Starts a peer whose output lands in this test's directory and that dies with the test at the latest. */
    public PeerProcess peer(String name, List<String> command, Duration hardTimeout) {
        return peer(name, command, hardTimeout, line -> { });
    }

    /** Like {@link #peer(String, List, Duration)}, with every stdout line handed to {@code stdoutListener}. */
    public PeerProcess peer(String name, List<String> command, Duration hardTimeout, Consumer<String> stdoutListener) {
        PeerProcess peer = PeerProcess.start(name, command, dir, hardTimeout, stdoutListener);
        peers.add(peer);
        return peer;
    }

    /** GStreamer's RTSP server serving {@code clip}, stopped with the test. */
    public GstRtspServerPeer gstRtspServer(Clip clip, String launchAfterSource, GstRtspServerPeer.Playback playback,
                                           Duration hardTimeout) {
        GstRtspServerPeer peer = GstRtspServerPeer.serve(clip.file(), launchAfterSource, playback, dir, hardTimeout);
        peers.add(peer.process());
        return peer;
    }

    /** Like {@link #gstRtspServer(Clip, String, GstRtspServerPeer.Playback, Duration)}, with a prefix and RTX (see {@link GstRtspServerPeer}). */
    public GstRtspServerPeer gstRtspServer(Clip clip, String launchAfterSource, GstRtspServerPeer.Playback playback,
                                           Duration hardTimeout, List<String> prefix, Duration retransmissionTime) {
        GstRtspServerPeer peer = GstRtspServerPeer.serve(clip.file(), launchAfterSource, playback, dir, hardTimeout,
                prefix, retransmissionTime);
        peers.add(peer.process());
        return peer;
    }

    /**
     * A network namespace of this test (see {@link NetworkNamespace}; skips the test where none can be
     * made), deleted after everything else of the test has stopped, also when the test fails.
     */
    public NetworkNamespace networkNamespace() {
        NetworkNamespace namespace = NetworkNamespace.create();
        namespaces.add(namespace);
        return namespace;
    }

    /** Closes {@code resource} with the test. */
    public <T extends AutoCloseable> T closeLater(T resource) {
        others.add(resource);
        return resource;
    }

    /** The server's and every peer's log tail, for a failure message. */
    public String report() {
        StringBuilder out = new StringBuilder("test directory: ").append(dir).append('\n');
        synchronized (this) {
            if (server != null) {
                out.append(server.report(REPORT_LINES)).append('\n');
            }
        }
        for (SluiceServerProcess named : namedServers) {
            out.append(named.report(REPORT_LINES)).append('\n');
        }
        for (PeerProcess peer : peers) {
            out.append(peer.report(REPORT_LINES / 2)).append('\n');
        }
        return out.toString();
    }

    /** Leak reports in the servers' logs; empty if no server was started. */
    public synchronized List<String> serverLeakLines() {
        List<String> leaks = new ArrayList<>(server == null ? List.of() : server.leakLines());
        namedServers.forEach(named -> leaks.addAll(named.leakLines()));
        return leaks;
    }

    @Override
    public void close() {
        for (AutoCloseable other : others) {
            try {
                other.close();
            } catch (Exception e) {
                // Closing is best effort: the test's outcome is already decided.
            }
        }
        peers.forEach(PeerProcess::close);
        for (SluiceServerProcess named : namedServers) {
            named.provokeLeakReports();
            named.close();
        }
        synchronized (this) {
            if (server != null) {
                server.provokeLeakReports();
                server.close();
            }
        }
        namespaces.forEach(NetworkNamespace::close);
    }

    private static void deleteRecursively(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}

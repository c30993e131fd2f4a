package io.sluice.client;

import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.nativeproto.NativeLimits;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A media node started in-process on free ports in a temporary directory. */
final class TestNode implements AutoCloseable {

    final MediaNode node;
    final Path dir;

    private TestNode(MediaNode node, Path dir) {
        this.node = node;
        this.dir = dir;
    }

    static TestNode start(Consumer<NativeLimits.Builder> limits) {
        try {
            Path dir = Files.createTempDirectory("sluice-client");
            NodeConfig.Builder b = NodeConfig.builder();
            b.bindAddress = "127.0.0.1";
            b.rtspPort = 0;
            b.rtpPort = freeUdpPair();
            b.nativePushPort = 0;
            b.nativePullPort = 0;
            b.dataDir = dir.resolve("data");
            b.mediaDir = Files.createDirectories(dir.resolve("media"));
            b.ioThreads = 2;
            NativeLimits.Builder l = NativeLimits.builder();
            limits.accept(l);
            b.nativeLimits = l.build();
            return new TestNode(MediaNode.start(b.build()), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static int freeUdpPair() throws SocketException {
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = 20_000 + 2 * ThreadLocalRandom.current().nextInt(20_000);
            try (DatagramSocket rtp = new DatagramSocket(port); DatagramSocket rtcp = new DatagramSocket(port + 1)) {
                return port;
            } catch (SocketException taken) {
                // another attempt
            }
        }
        throw new SocketException("no free UDP port pair");
    }

    String key(String liveId) {
        return node.keys().create(liveId).liveCode();
    }

    InetSocketAddress push() {
        return new InetSocketAddress("127.0.0.1", node.nativeServer().pushPort());
    }

    InetSocketAddress pull() {
        return new InetSocketAddress("127.0.0.1", node.nativeServer().pullPort());
    }

    String rtspUrl(String liveId) {
        return "rtsp://127.0.0.1:" + node.rtspPort() + "/live/" + liveId;
    }

    @Override
    public void close() throws IOException {
        node.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package io.sluice.client;

import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.nativeproto.NativeLimits;
import io.sluice.node.testing.LoopbackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
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
            NodeConfig.Builder b = LoopbackConfig.builder(dir);
            NativeLimits.Builder l = NativeLimits.builder();
            limits.accept(l);
            b.nativeLimits = l.build();
            return new TestNode(MediaNode.start(b.build()), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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

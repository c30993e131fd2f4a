package io.sluice.node.nativeproto;

import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.testing.LoopbackConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Consumer;
import java.util.stream.Stream;

/** A media node started in-process on free ports in a temporary directory, for the native protocol tests. */
final class NativeTestNode implements AutoCloseable {

    final MediaNode node;
    final Path dir;

    private NativeTestNode(MediaNode node, Path dir) {
        this.node = node;
        this.dir = dir;
    }

    static NativeTestNode start(Consumer<NativeLimits.Builder> limits) {
        try {
            Path dir = Files.createTempDirectory("sluice-native");
            NodeConfig.Builder b = LoopbackConfig.builder(dir);
            Files.createDirectories(b.mediaDir);
            NativeLimits.Builder l = NativeLimits.builder();
            limits.accept(l);
            b.nativeLimits = l.build();
            return new NativeTestNode(MediaNode.start(b.build()), dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }


    InetSocketAddress pushAddress() {
        return new InetSocketAddress("127.0.0.1", node.nativeServer().pushPort());
    }

    InetSocketAddress pullAddress() {
        return new InetSocketAddress("127.0.0.1", node.nativeServer().pullPort());
    }

    NativeCounters counters() {
        return node.nativeServer().counters();
    }

    @Override
    public void close() throws IOException {
        node.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

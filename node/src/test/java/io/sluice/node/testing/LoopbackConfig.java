package io.sluice.node.testing;

import io.sluice.node.NodeConfig;
import io.sluice.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Path;

/**
 * The config of a node that a test starts in-process: bound to loopback, on ports the kernel picks, so that
 * tests run side by side and beside a running node. Other modules' tests use it too (node's test-jar).
 */
public final class LoopbackConfig {

    private LoopbackConfig() {
    }

    /**
     * RTSP and native ports picked at bind, a free RTP/RTCP pair, keys and settings in {@code dataDir}, films in
     * {@code dataDir/media}, two I/O threads. The test sets what it is about on the builder it gets.
     */
    public static NodeConfig.Builder builder(Path dataDir) throws IOException {
        NodeConfig.Builder b = NodeConfig.builder();
        b.bindAddress = "127.0.0.1";
        b.rtspPort = 0;
        b.rtpPort = FreePorts.udpPair();
        b.nativePushPort = 0;
        b.nativePullPort = 0;
        b.dataDir = dataDir;
        b.mediaDir = dataDir.resolve("media");
        b.ioThreads = 2;
        return b;
    }
}

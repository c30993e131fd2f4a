package io.sluice.node;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.node.testing.LoopbackConfig;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node that cannot bind one of its ports says which one, so the operator knows what to change. */
class PortBindingTest {

    @TempDir
    Path dir;

    @Test
    void aTakenRtspPortIsNamedInTheError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            NodeConfig.Builder b = LoopbackConfig.builder(dir);
            b.rtspPort = taken.getLocalPort();
            assertThatThrownBy(() -> MediaNode.start(b.build()).close())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("RTSP port 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .hasMessageContaining("in use");
        }
    }

    @Test
    void takenUdpPortsAreNamedInTheError() throws Exception {
        try (DatagramSocket taken = new DatagramSocket(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))) {
            int port = taken.getLocalPort();
            NodeConfig.Builder rtcp = LoopbackConfig.builder(dir.resolve("a"));
            rtcp.rtpPort = port - 1;
            assertThatThrownBy(() -> MediaNode.start(rtcp.build()).close())
                    .hasMessageContaining("RTCP port 127.0.0.1:" + port + ": ");
            NodeConfig.Builder pull = LoopbackConfig.builder(dir.resolve("b"));
            pull.nativePullPort = port;
            assertThatThrownBy(() -> MediaNode.start(pull.build()).close())
                    .hasMessageContaining("native pull port 127.0.0.1:" + port + ": ");
        }
    }
}

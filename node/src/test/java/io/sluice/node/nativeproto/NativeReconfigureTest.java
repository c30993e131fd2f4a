package io.sluice.node.nativeproto;

import io.sluice.node.NodeConfig;
import io.sluice.node.live.LiveStream;
import io.sluice.node.testing.LoopbackConfig;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import static io.sluice.node.nativeproto.NativeWireTest.auth;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Settings changed on a running node reach the streams that native pushes start from then on, as they reach
 * those of RTSP publishers: a push made before the change keeps the old ones.
 */
class NativeReconfigureTest {

    @Test
    void aPushStartedAfterAReconfigureTakesTheNewSettings() throws Exception {
        try (NativeTestNode node = NativeTestNode.start(l -> { })) {
            String before = node.node.keys().create("before").liveCode();
            String after = node.node.keys().create("after").liveCode();
            try (RawPeer first = new RawPeer(node.pushAddress()); RawPeer second = new RawPeer(node.pushAddress())) {
                auth(first, "before", before);
                assertThat(readerSdp(node, "before")).contains("RTP/AVPF");

                NodeConfig.Builder b = LoopbackConfig.builder(node.dir);
                b.rtpPort = node.node.config().rtpPort();
                b.nativeLimits = node.node.config().nativeLimits();
                b.rtspNack = false;
                node.node.reconfigure(b.build());

                auth(second, "after", after);
                assertThat(readerSdp(node, "after")).contains("RTP/AVP ").doesNotContain("RTP/AVPF");
                assertThat(readerSdp(node, "before")).contains("RTP/AVPF");
            }
        }
    }

    private static String readerSdp(NativeTestNode node, String liveId) throws Exception {
        LiveStream stream = node.node.paths().find(liveId);
        assertThat(stream).as(liveId).isNotNull();
        return stream.mediaLoop().submit(() -> stream.readerSdp("127.0.0.1")).get(5, TimeUnit.SECONDS);
    }
}

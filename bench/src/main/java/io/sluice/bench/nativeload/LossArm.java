package io.sluice.bench.nativeload;

import io.netty.channel.EventLoopGroup;
import io.sluice.bench.common.UdpPorts;
import io.sluice.client.ClientOptions;
import io.sluice.client.PullStreamClient;
import io.sluice.client.PushStreamClient;
import io.sluice.node.MediaNode;
import io.sluice.node.NodeConfig;
import io.sluice.node.nativeproto.NativeLimits;
import io.sluice.rtp.loss.RandomLossGenerator;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * One side of a loss step: a media node in this process whose native sockets drop a share of what they
 * receive and of what they send (so the pusher's link and every puller's link lose that share each way),
 * one {@link PushStreamClient} pushing stamped payloads, and N {@link PullStreamClient}s. With
 * retransmission, the node asks the pusher for what it missed and the pullers ask the node; without,
 * nobody asks and a puller delivers past a gap at once, as the original client did.
 */
final class LossArm implements AutoCloseable {

    static final String LIVE_ID = "lossy";

    final boolean retransmission;
    private final MediaNode node;
    private final Path dir;
    private final PushStreamClient push;
    private final PacedPusher pacer;
    private final PullerFleet fleet;
    private final RandomLossGenerator serverIn;
    private final RandomLossGenerator serverOut;

    private LossArm(boolean retransmission, MediaNode node, Path dir, PushStreamClient push, PacedPusher pacer,
                    PullerFleet fleet, RandomLossGenerator serverIn, RandomLossGenerator serverOut) {
        this.retransmission = retransmission;
        this.node = node;
        this.dir = dir;
        this.push = push;
        this.pacer = pacer;
        this.fleet = fleet;
        this.serverIn = serverIn;
        this.serverOut = serverOut;
    }

    static LossArm open(boolean retransmission, double lossRate, long seed, int pullers, int rate, EventLoopGroup pullerGroup)
            throws Exception {
        Path dir = Files.createTempDirectory("sluice-native-loss");
        RandomLossGenerator serverIn = new RandomLossGenerator(lossRate, seed);
        RandomLossGenerator serverOut = new RandomLossGenerator(lossRate, seed + 1);
        NativeLimits.Builder limits = NativeLimits.builder();
        limits.receiveLoss = serverIn;
        limits.sendLoss = serverOut;
        limits.askPushers = retransmission;
        NodeConfig.Builder b = NodeConfig.builder();
        b.bindAddress = "127.0.0.1";
        b.rtspPort = 0;
        b.rtpPort = freeUdpPair();
        b.nativePushPort = 0;
        b.nativePullPort = 0;
        b.dataDir = dir.resolve("data");
        b.mediaDir = Files.createDirectories(dir.resolve("media"));
        b.ioThreads = 1;
        b.nativeLimits = limits.build();
        MediaNode node = MediaNode.start(b.build());
        String code = node.keys().create(LIVE_ID).liveCode();
        PushStreamClient push = PacedPusher.authenticatedPush(
                new InetSocketAddress("127.0.0.1", node.nativeServer().pushPort()), LIVE_ID, code, 30);
        PacedPusher pacer = new PacedPusher(push, LIVE_ID, rate);
        ClientOptions options = retransmission ? ClientOptions.defaults()
                : new ClientOptions(null, ClientOptions.defaults().receiveLoss(), ClientOptions.defaults().sendLoss(),
                        java.time.Duration.ZERO, ClientOptions.defaults().pushHistory(), false);
        PullerFleet fleet = PullerFleet.open(pullers, new InetSocketAddress("127.0.0.1", node.nativeServer().pullPort()),
                LIVE_ID, pullerGroup, options);
        return new LossArm(retransmission, node, dir, push, pacer, fleet, serverIn, serverOut);
    }

    /** An even port whose pair was free a moment ago, for the node's shared RTP/RTCP sockets. */
    private static int freeUdpPair() throws IOException {
        DatagramChannel[] pair = UdpPorts.bindPair(64 << 10);
        int port = ((InetSocketAddress) pair[0].getLocalAddress()).getPort();
        UdpPorts.closeQuietly(pair[0]);
        UdpPorts.closeQuietly(pair[1]);
        return port;
    }

    PullerFleet fleet() {
        return fleet;
    }

    PacedPusher pacer() {
        return pacer;
    }

    /** Datagrams the node's loss hooks dropped: {received, sent}. */
    long[] dropped() {
        return new long[] {serverIn.dropped(), serverOut.dropped()};
    }

    /** Datagrams the node's loss hooks saw: {received, sent}. */
    long[] seen() {
        return new long[] {serverIn.seen(), serverOut.seen()};
    }

    long resentToPullers() {
        return node.nativeServer().counters().retransmitSent.sum();
    }

    long recoveredFromPusher() {
        return node.nativeServer().counters().pusherRecovered.sum();
    }

    List<PullStreamClient.Statistics> pullerStatistics() {
        return fleet.statistics();
    }

    @Override
    public void close() throws IOException {
        pacer.close();
        fleet.close();
        push.close();
        node.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

package io.sluice.cluster.member;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.sluice.cluster.seating.OriginPull;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.MediaNode;
import io.sluice.node.live.LiveStream;
import io.sluice.node.udp.UdpMediaEndpoint;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtsp.client.RtspClient;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pulls live streams from the nodes their publishers are on, for viewers seated here: DESCRIBE, SETUP of every
 * track interleaved, PLAY over one RTSP/TCP connection with the project's client, the packets fed to a stream
 * registered in this node's path registry as if published here, and fanned out to local readers from there.
 * A pull stops when the cluster no longer wants it (its room here closed after its grace period) or when the
 * origin's connection ends, which ends the local stream too.
 */
final class OriginPuller implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(OriginPuller.class);

    /** One stream pulled: the RTSP connection and the local stream, once they exist. */
    private final class Pull implements RtspClient.Listener {
        final OriginPull spec;
        volatile RtspClient client;
        volatile LiveStream stream;
        volatile boolean stopped;

        Pull(OriginPull spec) {
            this.spec = spec;
        }

        @Override
        public void onInterleaved(int channel, ByteBuf data) {
            LiveStream s = stream;
            int track = channel >> 1;
            if (s == null || stopped) {
                return;
            }
            boolean rtcp = (channel & 1) == 1;
            if (!rtcp && !RtpPacket.isValid(data)) {
                return;
            }
            ByteBuf packet = data.retain();
            udp.execute(() -> {
                try {
                    if (rtcp) {
                        s.onRtcp(track, packet);
                    } else {
                        s.onRtp(track, packet);
                    }
                } finally {
                    packet.release();
                }
            });
        }

        @Override
        public void onClosed() {
            end("the origin's connection closed");
        }

        void end(String reason) {
            if (stopped) {
                return;
            }
            stopped = true;
            pulls.remove(spec.room().name(), this);
            LiveStream s = stream;
            if (s != null) {
                udp.execute(() -> {
                    s.end(reason);
                    node.paths().release(s);
                });
            }
            RtspClient c = client;
            if (c != null) {
                c.close();
            }
            log.info("cluster: pull of {} from {} ended: {}", spec.room(), spec.originRtspBase(), reason);
        }
    }

    private final MediaNode node;
    private final UdpMediaEndpoint udp;
    private final LongSupplier nanoClock;
    private final EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final Map<String, Pull> pulls = new ConcurrentHashMap<>();

    OriginPuller(MediaNode node, LongSupplier nanoClock) {
        this.node = node;
        this.udp = node.udp();
        this.nanoClock = nanoClock;
    }

    /** True when the local stream of that name is a pull, not a local publisher's. */
    boolean pulled(String name) {
        return pulls.containsKey(name);
    }

    /** Starts what the cluster wants pulled and stops the rest. */
    void reconcile(List<OriginPull> wanted) {
        Set<String> names = new HashSet<>();
        for (OriginPull w : wanted) {
            names.add(w.room().name());
            Pull running = pulls.get(w.room().name());
            if (running != null && !running.spec.equals(w)) {
                running.end("the origin moved to " + w.originRtspBase());
                running = null;
            }
            if (running == null && node.paths().find(w.room().name()) == null) {
                start(w);
            }
        }
        for (Pull p : List.copyOf(pulls.values())) {
            if (!names.contains(p.spec.room().name())) {
                p.end("no viewer here any more");
            }
        }
    }

    private void start(OriginPull spec) {
        Pull pull = new Pull(spec);
        pulls.put(spec.room().name(), pull);
        log.info("cluster: pulling {} from {}", spec.room(), spec.url());
        RtspClient.connect(group, URI.create(spec.url()), pull)
                .thenCompose(client -> {
                    pull.client = client;
                    if (pull.stopped) {
                        client.close();
                        throw new IllegalStateException("stopped while connecting");
                    }
                    return client.describe().thenCompose(sdpText -> setUp(pull, client, sdpText));
                })
                .thenCompose(client -> client.play(null))
                .whenComplete((played, error) -> {
                    if (error != null) {
                        pull.end("cannot pull: " + error.getMessage());
                        return;
                    }
                    LiveStream s = pull.stream;
                    udp.execute(s::goLive);
                    log.info("cluster: {} is live here, pulled from {}", spec.room(), spec.originRtspBase());
                });
    }

    /** Creates the local stream from the origin's SDP and sets every track up, one after another. */
    private CompletableFuture<RtspClient> setUp(Pull pull, RtspClient client, String sdpText) {
        SessionDescription sdp = OriginSdp.asAnnounced(sdpText);
        String name = pull.spec.room().name();
        LiveStream stream = LiveStream.create(name, "pull-" + pull.spec.originNodeId(), URI.create(pull.spec.url())
                .getHost(), sdp, node.config(), udp.loop(), udp.alloc(), nanoClock);
        if (!node.paths().reserve(stream)) {
            throw new IllegalStateException("live/" + name + " is already published on this node");
        }
        pull.stream = stream;
        CompletableFuture<RtspClient> chain = CompletableFuture.completedFuture(client);
        List<MediaDescription> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            String control = media.get(i).control() == null ? "trackID=" + i : media.get(i).control();
            int channel = 2 * i;
            chain = chain.thenCompose(c -> c.setupTcp(control, channel).thenApply(t -> c));
        }
        return chain;
    }

    @Override
    public void close() {
        for (Pull p : List.copyOf(pulls.values())) {
            p.end("the node is leaving the cluster");
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}

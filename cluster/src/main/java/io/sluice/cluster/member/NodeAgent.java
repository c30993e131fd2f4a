package io.sluice.cluster.member;

import io.sluice.cluster.hz.ClusterMember;
import io.sluice.cluster.seating.NodeReport;
import io.sluice.cluster.seating.ReportReply;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.RoomLoad;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.node.MediaNode;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.rtsp.RtspSessionInfo;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.node.vod.media.Film;
import io.sluice.node.vod.room.FilmRoom;
import io.sluice.node.vod.room.FilmViewer;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A media node's side of the cluster: once a second it reports its load, its capacity, its rooms and its film
 * catalog (whole only when the cluster asks, else by version), and starts or stops the origin pulls the
 * cluster's answer lists.
 */
public final class NodeAgent implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(NodeAgent.class);
    /** How a film session's path begins ({@code vod/FID}). */
    private static final String FILM_PATH = RoomKey.Kind.FILM.prefix() + "/";

    /**
     * What a node takes at most.
     *
     * @param viewers       players
     * @param bitsPerSecond bits per second sent, 0 for no limit
     */
    public record Capacity(int viewers, long bitsPerSecond) {
        public Capacity {
            if (viewers < 1 || bitsPerSecond < 0) {
                throw new IllegalArgumentException("capacity: viewers must be positive and bits per second not negative");
            }
        }
    }

    private final MediaNode node;
    private final ClusterMember member;
    private final Capacity capacity;
    private final String rtspBase;
    private final LongSupplier nanoClock;
    private final OriginPuller puller;
    private final ScheduledExecutorService timer;
    private final com.sun.management.OperatingSystemMXBean os;
    private boolean sendCatalog = true;
    private long lastBytes = -1;
    private long lastSampleNs;
    private long bitrateOutBps;

    private NodeAgent(MediaNode node, ClusterMember member, Capacity capacity, String rtspBase, LongSupplier nanoClock) {
        this.node = node;
        this.member = member;
        this.capacity = capacity;
        this.rtspBase = rtspBase;
        this.nanoClock = nanoClock;
        this.puller = new OriginPuller(node, nanoClock);
        this.timer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-cluster-report");
            t.setDaemon(true);
            return t;
        });
        this.os = ManagementFactory.getPlatformMXBean(com.sun.management.OperatingSystemMXBean.class);
    }

    /**
     * Starts reporting {@code node} to the cluster.
     *
     * @param advertisedHost the host players and other nodes reach this node's RTSP server on
     */
    public static NodeAgent start(MediaNode node, ClusterMember member, Capacity capacity, String advertisedHost,
                                  LongSupplier nanoClock) {
        String host = advertisedHost.contains(":") && !advertisedHost.startsWith("[")
                ? "[" + advertisedHost + "]" : advertisedHost;
        NodeAgent agent = new NodeAgent(node, member, capacity, "rtsp://" + host + ":" + node.rtspPort(), nanoClock);
        agent.timer.scheduleWithFixedDelay(agent::reportQuietly, 0, SeatingRules.REPORT_INTERVAL_MS,
                TimeUnit.MILLISECONDS);
        log.info("cluster: node {} reports as {} (capacity {} viewers{})", member.localId(), agent.rtspBase,
                capacity.viewers(), capacity.bitsPerSecond() == 0 ? "" : ", " + capacity.bitsPerSecond() / 1_000_000
                        + " Mbit/s");
        return agent;
    }

    public String rtspBase() {
        return rtspBase;
    }

    private void reportQuietly() {
        try {
            report();
        } catch (RuntimeException e) {
            log.warn("cluster: report failed: {}", e.toString());
        }
    }

    /** One report and what follows from its answer. */
    void report() {
        NodeReport report = snapshot();
        ReportReply reply = member.seating().report(report);
        sendCatalog = reply.catalogWanted();
        puller.reconcile(reply.pulls());
    }

    private NodeReport snapshot() {
        Map<RoomKey, List<String>> uids = playersByUid();
        List<RoomLoad> rooms = new ArrayList<>();
        long bytesOut = 0;
        FilmLibrary films = node.films();
        for (FilmRoom room : films.rooms().all()) {
            if (!room.isClosed()) {
                RoomKey key = RoomKey.film(room.fid());
                rooms.add(new RoomLoad(key, room.viewerCount(), false, uids.getOrDefault(key, List.of())));
                for (FilmViewer v : room.viewers()) {
                    // viewers count packets, not bytes: a full-size payload each is an upper bound
                    bytesOut += v.packetsSent() * FilmLibrary.MAX_PAYLOAD_SIZE;
                }
            }
        }
        for (LiveStream stream : node.paths().all()) {
            if (stream.state() != LiveStream.State.LIVE) {
                continue;
            }
            List<LiveReader> readers = stream.readers();
            RoomKey key = RoomKey.live(stream.name());
            rooms.add(new RoomLoad(key, readers.size(), !puller.pulled(stream.name()), uids.getOrDefault(key, List.of())));
            for (LiveReader r : readers) {
                bytesOut += r.stats().bytesSent();
            }
        }
        sampleBitrate(bytesOut);
        Set<String> catalog = new LinkedHashSet<>();
        for (Film f : films.catalog().films()) {
            catalog.add(f.fid());
        }
        long version = List.copyOf(catalog).hashCode();
        double cpu = Math.max(0, os.getProcessCpuLoad());
        return new NodeReport(member.localId(), rtspBase, capacity.viewers(), capacity.bitsPerSecond(),
                node.sessionCount(), bitrateOutBps, cpu, rooms, version, sendCatalog ? catalog : null);
    }

    /**
     * The users whose players have a session here, by room: every reader session whose URL named a uid, from
     * its SETUP on (a paused player still holds its seat) until it ends.
     */
    private Map<RoomKey, List<String>> playersByUid() {
        Map<RoomKey, List<String>> byRoom = new HashMap<>();
        for (RtspSessionInfo s : node.rtspSessions()) {
            if (s.uid() == null || !s.role().equals("reader")) {
                continue;
            }
            RoomKey room = s.stream() != null ? RoomKey.live(s.stream().name())
                    : s.path().startsWith(FILM_PATH) ? RoomKey.film(s.path().substring(FILM_PATH.length())) : null;
            if (room != null) {
                byRoom.computeIfAbsent(room, r -> new ArrayList<>()).add(s.uid());
            }
        }
        return byRoom;
    }

    /** Bits per second since the last sample; readers that left take their bytes along, which reads as 0. */
    private void sampleBitrate(long bytesOut) {
        long nowNs = nanoClock.getAsLong();
        if (lastBytes >= 0 && nowNs > lastSampleNs) {
            long delta = Math.max(0, bytesOut - lastBytes);
            bitrateOutBps = delta * 8 * 1_000_000_000L / (nowNs - lastSampleNs);
        }
        lastBytes = bytesOut;
        lastSampleNs = nowNs;
    }

    /** Stops reporting and pulling; the cluster drops the node when its member leaves. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(2, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        puller.close();
    }
}

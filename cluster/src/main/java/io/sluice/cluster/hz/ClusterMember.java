package io.sluice.cluster.hz;

import com.hazelcast.cluster.Member;
import com.hazelcast.cluster.MembershipEvent;
import com.hazelcast.cluster.MembershipListener;
import com.hazelcast.config.Config;
import com.hazelcast.config.InMemoryFormat;
import com.hazelcast.config.JoinConfig;
import com.hazelcast.config.MapConfig;
import com.hazelcast.config.NetworkConfig;
import com.hazelcast.core.Hazelcast;
import com.hazelcast.core.HazelcastInstance;
import io.sluice.cluster.seating.SeatingRules;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This process as a member of the Hazelcast cluster that holds the seating. Failure detection is tuned for a
 * quick answer: a heartbeat every second and a member silent for 4 s is dropped (on loopback a killed process
 * is usually dropped sooner, when its connections fail). Whenever a member leaves, this process tells the
 * seating that the node is gone (every member does: the operation is idempotent), off Hazelcast's event thread.
 */
public final class ClusterMember implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClusterMember.class);
    /** Copies of the seating besides its owner's: a member can die without losing a seat, and another too. */
    static final int BACKUPS = 2;

    private final HazelcastInstance hz;
    private final SeatingStore seating;
    private final ExecutorService events;

    private ClusterMember(HazelcastInstance hz, SeatingStore seating, ExecutorService events) {
        this.hz = hz;
        this.seating = seating;
        this.events = events;
    }

    /**
     * Joins the cluster of {@code settings} (or forms it when no member answers).
     *
     * @param rules the seating's timings; the cluster's seating keeps those of the process that first wrote it
     * @param role a word for the logs and the member's attributes: "node" or "lb"
     */
    public static ClusterMember join(ClusterSettings settings, SeatingRules rules, String role, LongSupplier epochClock) {
        HazelcastInstance hz = Hazelcast.newHazelcastInstance(config(settings, role));
        ExecutorService events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-cluster-events");
            t.setDaemon(true);
            return t;
        });
        SeatingStore store = new SeatingStore(hz.getMap(SeatingStore.MAP_NAME), rules, epochClock);
        ClusterMember member = new ClusterMember(hz, store, events);
        hz.getCluster().addMembershipListener(new MembershipListener() {
            @Override
            public void memberAdded(MembershipEvent event) {
                log.info("cluster: {} joined ({} members)", describe(event.getMember()), event.getMembers().size());
            }

            @Override
            public void memberRemoved(MembershipEvent event) {
                String id = event.getMember().getUuid().toString();
                log.info("cluster: {} left ({} members)", describe(event.getMember()), event.getMembers().size());
                events.execute(() -> {
                    try {
                        store.nodeGone(id);
                    } catch (RuntimeException e) {
                        log.warn("cluster: cannot drop node {} from the seating", id, e);
                    }
                });
            }
        });
        log.info("cluster {}: joined as {} {} ({} members)", settings.name(), role, member.localId(),
                hz.getCluster().getMembers().size());
        SeatingRules inForce = store.rules();
        if (inForce != null && !inForce.equals(rules)) {
            log.warn("cluster {}: the seating runs with {} as the first process set it; this process's {} do not "
                    + "apply: give every process the same", settings.name(), inForce, rules);
        }
        return member;
    }

    static Config config(ClusterSettings settings, String role) {
        Config c = new Config();
        c.setClusterName(settings.name());
        c.setInstanceName("sluice-" + role + "-" + Long.toHexString(System.nanoTime()));
        c.setProperty("hazelcast.logging.type", "slf4j");
        c.setProperty("hazelcast.phone.home.enabled", "false");
        c.setProperty("hazelcast.heartbeat.interval.seconds", "1");
        c.setProperty("hazelcast.max.no.heartbeat.seconds", "4");
        c.setProperty("hazelcast.wait.seconds.before.join", "1");
        c.setProperty("hazelcast.merge.first.run.delay.seconds", "10");
        c.setProperty("hazelcast.merge.next.run.delay.seconds", "10");
        // the process closes the member itself, after its own listeners have stopped
        c.setProperty("hazelcast.shutdownhook.enabled", "false");
        c.getMemberAttributeConfig().setAttribute("sluice.role", role);
        NetworkConfig net = c.getNetworkConfig();
        net.setPort(settings.port()).setPortCount(ClusterSettings.PORT_COUNT).setPortAutoIncrement(true);
        if (settings.loopbackOnly()) {
            c.setProperty("hazelcast.socket.bind.any", "false");
            net.getInterfaces().setEnabled(true).setInterfaces(List.of("127.0.0.1"));
        }
        JoinConfig join = net.getJoin();
        join.getMulticastConfig().setEnabled(false);
        join.getAutoDetectionConfig().setEnabled(false);
        join.getTcpIpConfig().setEnabled(true).setMembers(settings.members());
        c.addMapConfig(new MapConfig(SeatingStore.MAP_NAME)
                .setInMemoryFormat(InMemoryFormat.OBJECT)
                .setBackupCount(BACKUPS)
                .setAsyncBackupCount(0));
        return c;
    }

    private static String describe(Member m) {
        String role = m.getAttribute("sluice.role");
        return (role == null ? "member" : role) + " " + m.getUuid() + " at " + m.getAddress();
    }

    /** This member's id: a node's id in the seating. */
    public String localId() {
        return hz.getCluster().getLocalMember().getUuid().toString();
    }

    /** The host other machines reach this member on: where a node tells players to connect. */
    public String localHost() {
        return hz.getCluster().getLocalMember().getAddress().getHost();
    }

    public int memberCount() {
        return hz.getCluster().getMembers().size();
    }

    public SeatingStore seating() {
        return seating;
    }

    public HazelcastInstance hazelcast() {
        return hz;
    }

    /** Leaves the cluster; the partitions this member owns move to the others first. */
    @Override
    public void close() {
        events.shutdown();
        hz.shutdown();
        try {
            events.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.sluice.cluster.hz;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.seating.Assignment;
import io.sluice.cluster.seating.NodeReport;
import io.sluice.cluster.seating.NodeView;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.cluster.seating.UserView;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The seating in a real three-member cluster inside this JVM. */
class SeatingStoreTest {

    private static final RoomKey FILM = RoomKey.film("a.mp4");
    private final List<ClusterMember> members = new ArrayList<>();

    private ClusterMember join(ClusterSettings settings, String role) {
        ClusterMember m = ClusterMember.join(settings, SeatingRules.DEFAULT, role, System::currentTimeMillis);
        members.add(m);
        return m;
    }

    @AfterEach
    void leave() {
        members.forEach(m -> m.hazelcast().getLifecycleService().terminate());
    }

    private static ClusterSettings settings() {
        int port = 15_000 + ThreadLocalRandom.current().nextInt(20_000);
        return new ClusterSettings("seating-test-" + port, port, List.of("127.0.0.1"));
    }

    private static NodeReport report(ClusterMember m, int capacity, int sessions) {
        return new NodeReport(m.localId(), "rtsp://127.0.0.1:" + m.hazelcast().getCluster().getLocalMember()
                .getAddress().getPort(), capacity, 0, sessions, 0, 0, List.of(), 1, Set.of(FILM.name()));
    }

    @Test
    @Timeout(60)
    void seatsSurviveTheMemberThatHeldThemAndAGoneNodeIsDroppedWithItsSeats() throws Exception {
        ClusterSettings settings = settings();
        ClusterMember lb = join(settings, "lb");
        ClusterMember a = join(settings, "node");
        ClusterMember b = join(settings, "node");
        assertThat(lb.memberCount()).isEqualTo(3);
        lb.seating().report(report(a, 1, 1));
        lb.seating().report(report(b, 100, 0));

        Assignment first = lb.seating().assign("u1", FILM, null);
        Assignment second = a.seating().assign("u2", FILM, null);
        Assignment conflict = b.seating().assign("u2", RoomKey.film("b.mp4"), RoomKey.film("c.mp4"));

        assertThat(first.outcome()).isEqualTo(Assignment.Outcome.SEATED);
        assertThat(first.seat().nodeId()).isEqualTo(b.localId());
        assertThat(second.seat().nodeId()).isEqualTo(b.localId());
        assertThat(conflict.outcome()).isEqualTo(Assignment.Outcome.CONFLICT);
        assertThat(lb.seating().users()).extracting(UserView::uid).containsExactly("u1", "u2");

        // the member that owns the entry dies first, once its backups are in place: a backup takes over with every seat
        long safeDeadline = System.nanoTime() + 20_000_000_000L;
        while (!lb.hazelcast().getPartitionService().isClusterSafe() && System.nanoTime() < safeDeadline) {
            Thread.sleep(50);
        }
        assertThat(lb.hazelcast().getPartitionService().isClusterSafe()).as("backups in place").isTrue();
        ClusterMember owner = lb.hazelcast().getPartitionService().getPartition(SeatingStore.KEY).getOwner()
                .localMember() ? lb : (a.hazelcast().getPartitionService().getPartition(SeatingStore.KEY).getOwner()
                .localMember() ? a : b);
        ClusterMember survivor = owner == lb ? a : lb;
        String ownerId = owner.localId();
        String bId = b.localId();
        owner.hazelcast().getLifecycleService().terminate();
        members.remove(owner);

        long deadline = System.nanoTime() + 10_000_000_000L;
        List<NodeView> nodes = survivor.seating().nodes();
        // an empty picture is a read that came while a backup was being promoted, not the answer
        while ((nodes.isEmpty() || nodes.stream().anyMatch(n -> n.node().equals(ownerId)))
                && System.nanoTime() < deadline) {
            Thread.sleep(100);
            nodes = survivor.seating().nodes();
        }
        assertThat(nodes).extracting(NodeView::node).doesNotContain(ownerId);
        List<UserView> users = survivor.seating().users();
        if (ownerId.equals(bId)) {
            assertThat(users).isEmpty();
        } else {
            assertThat(users).extracting(UserView::uid).containsExactly("u1", "u2");
        }
    }
}

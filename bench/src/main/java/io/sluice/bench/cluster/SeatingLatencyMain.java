package io.sluice.bench.cluster;

import io.sluice.cluster.hz.ClusterMember;
import io.sluice.cluster.hz.ClusterSettings;
import io.sluice.cluster.seating.NodeReport;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.SeatingRules;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The cluster's part of an assignment without HTTP or other processes: three members in this JVM, one thread
 * calling {@code SeatingStore.assign} back to back (an entry processor on the seating's owner, replayed on
 * two backups). Compare with {@link LbLoadMain}'s single-client figure to see what HTTP and process hops add.
 *
 * <pre>
 * java -cp bench/target/classes:app/target/sluice-app.jar:app/target/lib/* io.sluice.bench.cluster.SeatingLatencyMain
 * </pre>
 */
public final class SeatingLatencyMain {

    private static final int FILMS = 20;
    private static final int USERS = 5_000;
    private static final int CALLS = 3_000;
    private static final int ROUNDS = 4;

    private SeatingLatencyMain() {
    }

    public static void main(String[] args) {
        int port = 27_000 + ThreadLocalRandom.current().nextInt(2_000);
        ClusterSettings settings = new ClusterSettings("seating-latency-" + port, port, List.of("127.0.0.1"));
        List<ClusterMember> members = new ArrayList<>();
        try {
            for (String role : List.of("lb", "node", "node")) {
                members.add(ClusterMember.join(settings, SeatingRules.DEFAULT, role, System::currentTimeMillis));
            }
            ClusterMember lb = members.get(0);
            Set<String> catalog = new HashSet<>();
            for (int f = 0; f < FILMS; f++) {
                catalog.add("film-" + f + ".mp4");
            }
            for (ClusterMember node : members.subList(1, 3)) {
                lb.seating().report(new NodeReport(node.localId(), "rtsp://127.0.0.1:8554", 1_000_000, 0, 0, 0, 0,
                        List.of(), 1, catalog));
            }
            Random random = new Random(1);
            for (int round = 1; round <= ROUNDS; round++) {
                long[] latencies = new long[CALLS];
                long startNs = System.nanoTime();
                for (int i = 0; i < CALLS; i++) {
                    long t0 = System.nanoTime();
                    lb.seating().assign("u" + random.nextInt(USERS), RoomKey.film("film-" + random.nextInt(FILMS)
                            + ".mp4"), null);
                    latencies[i] = System.nanoTime() - t0;
                }
                double seconds = (System.nanoTime() - startNs) / 1e9;
                Arrays.sort(latencies);
                System.out.printf(Locale.ROOT, "round %d: %.0f assignments/s, p50 %.3f ms, p99 %.3f ms%n", round,
                        CALLS / seconds, latencies[CALLS / 2] / 1e6, latencies[CALLS * 99 / 100] / 1e6);
            }
        } finally {
            members.forEach(m -> m.hazelcast().getLifecycleService().terminate());
        }
    }
}

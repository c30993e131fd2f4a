package io.sluice.cluster.seating;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.sluice.cluster.seating.Assignment.Outcome;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The policy alone under a random crowd: 50 nodes, 10,000 users joining, switching (rightly and with a wrong
 * "from"), leaving and timing out, nodes dying (announced, or silently) and joining, every node reporting once a
 * simulated second what its players really play. After every step the invariants hold:
 * <ul>
 *   <li>no node has more seats than its capacity;</li>
 *   <li>a film or stream is spread to another node only when every node serving it was full;</li>
 *   <li>the seats on the nodes, the seats in the rooms and the users with a seat are the same count;</li>
 *   <li>no room without seats outlives its grace period;</li>
 *   <li>no seat is on a node that is gone, and a silent node is gone once its report timeout has passed;</li>
 *   <li>a wrong "from" is refused and changes nothing; a "from" that matches is never refused as a conflict;</li>
 *   <li>right after the nodes report, a seat is marked playing exactly when its user's player, named by uid, plays
 *       in its room on its node, and a seat whose player was reported and has stopped since is gone.</li>
 * </ul>
 * Three players in four name their uid (as the load balancer's URLs make them); the others are only counted.
 */
class SeatingSimulationTest {

    private static final int NODES = 50;
    private static final int USERS = 10_000;
    private static final int FILMS = 400;
    private static final int STREAMS = 12;
    private static final int STEPS = 30_000;
    private static final SeatingRules RULES = new SeatingRules(15_000, 30_000, 6_000);

    /** What the simulated world really does, which the policy only learns through calls and reports. */
    private static final class World implements Serializable {
        final Random random;
        final Seating seating = new Seating(RULES);
        final TreeMap<String, Integer> capacity = new TreeMap<>();
        final Map<String, Set<String>> catalogs = new HashMap<>();
        final TreeMap<RoomKey, String> origins = new TreeMap<>();
        /** Nodes that report; a silently dead node leaves this set but stays in the policy until it times out. */
        final TreeSet<String> reporting = new TreeSet<>();
        final Map<String, Long> silentSinceMs = new HashMap<>();
        /** uid -> where its player really plays. */
        final Map<String, Seat> playing = new HashMap<>();
        /** node -> room -> players, kept with {@link #playing}. */
        final Map<String, TreeMap<RoomKey, Integer>> players = new HashMap<>();
        /** node -> room -> the uids of the players that named theirs. */
        final Map<String, TreeMap<RoomKey, TreeSet<String>>> named = new HashMap<>();
        /** Seats whose player was reported by uid and has stopped since the last reports: gone after the next. */
        final Map<String, Seat> endedSinceReports = new HashMap<>();
        int reportRounds;
        int freedByReport;
        long nowMs = 1_700_000_000_000L;
        long nextReportMs = nowMs;
        int nextNode;
        final Map<Outcome, Integer> outcomes = new HashMap<>();

        World(long seed) {
            random = new Random(seed);
        }

        void addNode() {
            String id = String.format("n%03d", nextNode++);
            capacity.put(id, 120 + random.nextInt(300));
            Set<String> catalog = new HashSet<>();
            for (int f = 0; f < FILMS; f++) {
                if (random.nextInt(10) < 8) {
                    catalog.add(film(f));
                }
            }
            catalogs.put(id, catalog);
            reporting.add(id);
            report(id);
        }

        static String film(int f) {
            return "library/film-" + f + ".mp4";
        }

        RoomKey randomRoom() {
            if (random.nextInt(10) == 0) {
                return RoomKey.live("stream-" + random.nextInt(STREAMS));
            }
            // a few films are popular, most are not
            int f = (int) Math.min(FILMS - 1, Math.abs(random.nextGaussian()) * FILMS / 6);
            return RoomKey.film(film(random.nextInt(20) == 0 ? FILMS + random.nextInt(3) : f));
        }

        void report(String id) {
            TreeMap<RoomKey, Integer> viewers = new TreeMap<>(players.getOrDefault(id, new TreeMap<>()));
            int sessions = viewers.values().stream().mapToInt(Integer::intValue).sum();
            List<RoomLoad> rooms = new ArrayList<>();
            for (Map.Entry<RoomKey, String> o : origins.entrySet()) {
                if (o.getValue().equals(id)) {
                    Integer v = viewers.remove(o.getKey());
                    rooms.add(new RoomLoad(o.getKey(), v == null ? 0 : v, true,
                            List.copyOf(named.getOrDefault(id, new TreeMap<>()).getOrDefault(o.getKey(), new TreeSet<>()))));
                    sessions++;
                }
            }
            TreeMap<RoomKey, TreeSet<String>> uids = named.getOrDefault(id, new TreeMap<>());
            viewers.forEach((room, v) -> rooms.add(new RoomLoad(room, v, false,
                    List.copyOf(uids.getOrDefault(room, new TreeSet<>())))));
            Set<String> catalog = catalogs.get(id);
            ReportReply reply = seating.report(new NodeReport(id, "rtsp://" + id + ":8554", capacity.get(id), 0,
                    sessions, 0, 0.2, rooms, catalog.hashCode(), catalog), nowMs);
            assertThat(reply.catalogWanted()).isFalse();
            for (OriginPull pull : reply.pulls()) {
                assertThat(pull.originNodeId()).isNotEqualTo(id);
                assertThat(seating.hostsOf(pull.room())).contains(id);
            }
        }

        void step() {
            nowMs += random.nextInt(40);
            while (nowMs >= nextReportMs) {
                for (String id : List.copyOf(reporting)) {
                    report(id);
                }
                nextReportMs += 1_000;
                checkAfterReports(++reportRounds % 50 == 0);
            }
            String uid = "user-" + random.nextInt(USERS);
            int action = random.nextInt(1000);
            if (action < 600) {
                join(uid);
            } else if (action < 800) {
                Seat left = seating.leave(uid, nowMs);
                assertThat(seating.seat(uid)).isNull();
                if (left != null) {
                    stop(uid);
                }
            } else if (action < 990) {
                // the player stops without a word: only the node's counts will tell
                stop(uid);
            } else if (action < 994 && reporting.size() > 5) {
                killNode(random.nextBoolean());
            } else if (action < 998 && capacity.size() < NODES + 20) {
                addNode();
            } else {
                moveOrigin();
            }
        }

        void join(String uid) {
            endedSinceReports.remove(uid);
            RoomKey room = randomRoom();
            // what expires at this time expires first, so that "before" is what the call starts from
            seating.advance(nowMs);
            Seat current = seating.seat(uid);
            RoomKey from = null;
            boolean wrongFrom = false;
            int how = random.nextInt(20);
            if (how == 0) {
                from = RoomKey.film("elsewhere.mp4");
                wrongFrom = true;
            } else if (how < 12 && current != null) {
                from = current.room();
            }
            Map<String, Boolean> hostHadRoom = new HashMap<>();
            for (String h : seating.hostsOf(room)) {
                hostHadRoom.put(h, seating.hasRoom(h));
            }
            int seatsBefore = seating.userCount();
            Assignment a = seating.assign(uid, room, from, nowMs);
            outcomes.merge(a.outcome(), 1, Integer::sum);
            switch (a.outcome()) {
                case CONFLICT -> {
                    assertThat(wrongFrom).as("a matching from refused").isTrue();
                    assertThat(seating.seat(uid)).isEqualTo(current);
                    assertThat(seating.userCount()).isEqualTo(seatsBefore);
                }
                case UNKNOWN, FULL -> {
                    assertThat(wrongFrom).isFalse();
                    assertThat(seating.seat(uid)).isEqualTo(current);
                    assertThat(seating.userCount()).isEqualTo(seatsBefore);
                }
                case SAME -> {
                    assertThat(current.room()).isEqualTo(room);
                    assertThat(a.seat().nodeId()).isEqualTo(current.nodeId());
                }
                case SEATED -> {
                    assertThat(wrongFrom).isFalse();
                    if (a.openedRoom()) {
                        hostHadRoom.forEach((host, hadRoom) -> assertThat(hadRoom)
                                .as("%s spread to %s while its host %s had room", room, a.seat().nodeId(), host)
                                .isFalse());
                    }
                    if (room.kind() == RoomKey.Kind.FILM) {
                        assertThat(catalogs.get(a.seat().nodeId())).contains(room.name());
                    }
                    stop(uid);
                    play(a.seat());
                }
            }
            if (a.outcome() == Outcome.UNKNOWN && room.kind() == RoomKey.Kind.FILM) {
                for (String id : seating.nodeIds()) {
                    assertThat(catalogs.get(id)).doesNotContain(room.name());
                }
            }
        }

        void play(Seat seat) {
            playing.put(seat.uid(), seat);
            players.computeIfAbsent(seat.nodeId(), n -> new TreeMap<>()).merge(seat.room(), 1, Integer::sum);
            if (random.nextInt(4) != 0) {
                named.computeIfAbsent(seat.nodeId(), n -> new TreeMap<>())
                        .computeIfAbsent(seat.room(), r -> new TreeSet<>()).add(seat.uid());
            }
        }

        void stop(String uid) {
            Seat seat = playing.remove(uid);
            if (seat != null) {
                players.get(seat.nodeId()).merge(seat.room(), -1, (a, b) -> a + b == 0 ? null : a + b);
                TreeMap<RoomKey, TreeSet<String>> rooms = named.get(seat.nodeId());
                TreeSet<String> uids = rooms == null ? null : rooms.get(seat.room());
                if (uids != null && uids.remove(uid)) {
                    if (uids.isEmpty()) {
                        rooms.remove(seat.room());
                    }
                    Seat current = seating.seat(uid);
                    if (current != null && current.playing() && current.nodeId().equals(seat.nodeId())
                            && current.room().equals(seat.room())) {
                        endedSinceReports.put(uid, current);
                    }
                }
            }
        }

        /** Every node just reported: the seats of named players are playing, and those that stopped are gone. */
        void checkAfterReports(boolean everyUser) {
            endedSinceReports.forEach((uid, seat) -> assertThat(seating.seat(uid))
                    .as("seat of %s, whose reported player stopped, after its node's report", uid).isNull());
            freedByReport += endedSinceReports.size();
            endedSinceReports.clear();
            if (!everyUser) {
                return;
            }
            for (int u = 0; u < USERS; u++) {
                String uid = "user-" + u;
                Seat s = seating.seat(uid);
                if (s == null || !reporting.contains(s.nodeId())) {
                    continue;
                }
                Seat player = playing.get(uid);
                boolean playsThere = player != null && player.nodeId().equals(s.nodeId())
                        && player.room().equals(s.room()) && named.getOrDefault(s.nodeId(), new TreeMap<>())
                        .getOrDefault(s.room(), new TreeSet<>()).contains(uid);
                assertThat(s.playing()).as("seat of %s marked playing", uid).isEqualTo(playsThere);
            }
        }

        void killNode(boolean announced) {
            List<String> alive = new ArrayList<>(reporting);
            String id = alive.get(random.nextInt(alive.size()));
            reporting.remove(id);
            playing.values().removeIf(p -> p.nodeId().equals(id));
            players.remove(id);
            named.remove(id);
            endedSinceReports.values().removeIf(seat -> seat.nodeId().equals(id));
            origins.values().removeIf(id::equals);
            if (announced) {
                seating.nodeGone(id, nowMs);
            } else {
                silentSinceMs.put(id, nowMs);
            }
        }

        void moveOrigin() {
            RoomKey stream = RoomKey.live("stream-" + random.nextInt(STREAMS));
            List<String> alive = new ArrayList<>(reporting);
            origins.put(stream, alive.get(random.nextInt(alive.size())));
        }

        void checkInvariants(boolean everyUser) {
            // the seating learns the time from every call; the reports alone tell it at least once a second
            assertThat(seating.nowMs()).isGreaterThan(nowMs - 1_000);
            Set<String> nodes = seating.nodeIds();
            int onNodes = 0;
            for (String id : nodes) {
                int seats = seating.seatsOn(id);
                assertThat(seats).as("seats on %s", id).isLessThanOrEqualTo(capacity.get(id));
                onNodes += seats;
            }
            int[] inRooms = new int[1];
            seating.forEachRoom((room, host, seats, emptySinceMs) -> {
                if (!nodes.contains(host)) {
                    fail("room " + room + " on " + host + ", which is gone");
                }
                inRooms[0] += seats;
                if (seats == 0 && emptySinceMs + RULES.roomGraceMs() <= seating.nowMs()) {
                    fail("empty room " + room + " on " + host + " outlived its grace");
                }
            });
            assertThat(onNodes).as("seats on the nodes").isEqualTo(seating.userCount());
            assertThat(inRooms[0]).as("seats in the rooms").isEqualTo(seating.userCount());
            silentSinceMs.forEach((id, sinceMs) -> {
                if (seating.nowMs() - sinceMs >= RULES.reportTimeoutMs()) {
                    assertThat(nodes).as("silent node %s still there", id).doesNotContain(id);
                }
            });
            if (everyUser) {
                int seated = 0;
                for (int u = 0; u < USERS; u++) {
                    Seat s = seating.seat("user-" + u);
                    if (s != null) {
                        seated++;
                        assertThat(nodes).as("seat of user-%d on a node that is gone", u).contains(s.nodeId());
                        assertThat(seating.seatsIn(s.room(), s.nodeId())).isPositive();
                    }
                }
                assertThat(seated).isEqualTo(seating.userCount());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 20_240_611})
    @Timeout(60)
    void invariantsHoldAfterEveryStep(long seed) {
        World world = new World(seed);
        for (int i = 0; i < NODES; i++) {
            world.addNode();
        }
        for (int s = 0; s < STREAMS; s++) {
            world.origins.put(RoomKey.live("stream-" + s), String.format("n%03d", world.random.nextInt(NODES)));
        }
        for (int step = 0; step < STEPS; step++) {
            try {
                world.step();
                world.checkInvariants(step % 1_000 == 0);
            } catch (AssertionError e) {
                fail("seed " + seed + ", step " + step + ": " + e.getMessage(), e);
            }
        }
        world.checkInvariants(true);
        // the crowd really exercised every branch
        assertThat(world.outcomes.keySet()).containsExactlyInAnyOrder(Outcome.values());
        assertThat(world.outcomes.get(Outcome.SEATED)).isGreaterThan(STEPS / 4);
        assertThat(world.seating.userCount()).isGreaterThan(500);
        assertThat(world.freedByReport).as("seats freed by their node's report").isGreaterThan(300);
    }

    /**
     * The cluster keeps backups by running each operation again on a copy that travelled serialized (when a
     * partition moves): the copy must decide exactly as the original does.
     */
    @Test
    void aSerializedCopyDecidesExactlyAsTheOriginal() throws Exception {
        World original = new World(7);
        for (int i = 0; i < NODES; i++) {
            original.addNode();
        }
        for (int step = 0; step < 10_000; step++) {
            original.step();
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(original);
        }
        World copy;
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (World) in.readObject();
        }
        for (int step = 0; step < 10_000; step++) {
            original.step();
            copy.step();
        }
        assertThat(copy.seating.userViews()).isEqualTo(original.seating.userViews());
        assertThat(copy.seating.roomViews()).isEqualTo(original.seating.roomViews());
        assertThat(copy.seating.nodeViews()).isEqualTo(original.seating.nodeViews());
        assertThat(copy.outcomes).isEqualTo(original.outcomes);
    }
}

package io.sluice.cluster.seating;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster's picture and the load balancer's decisions, with no network: the nodes and their last reports,
 * the user map (uid -> seat) and the room map (film or stream -> the nodes serving it, with the users seated
 * in each). The decisions are the seed's:
 * <ul>
 *   <li>the same film as now keeps the same seat;</li>
 *   <li>otherwise the user leaves its old room, and goes to a node already serving the film that is below
 *       capacity (the one with most headroom) - for a live stream the node its publisher is on while that has
 *       room;</li>
 *   <li>else to the least-loaded node that can serve it, which opens the room;</li>
 *   <li>a switch whose "from" is not the user's current room is refused and changes nothing;</li>
 *   <li>a room without seats stays open for a grace period, then closes; a node that goes takes its rooms and
 *       seats with it.</li>
 * </ul>
 * Unlike the seed's, load is the node's own report (its sessions and bitrate) or the seats on it, whichever
 * is higher, and ties are broken by node id, never by where an object happens to sit in memory.
 *
 * <p>Every operation takes the time ({@code nowMs}) from its caller and first lets seats and rooms whose time
 * is up go; nothing reads a clock or iterates a hash order, so the same operations on two copies (the
 * primary and its backups in the cluster) make the same decisions. Not thread-safe: the cluster runs each
 * operation alone (see {@code io.sluice.cluster.hz.SeatingStore}).
 */
public final class Seating implements Serializable {

    private static final long serialVersionUID = 1L;

    /** A node as the picture knows it. */
    private static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        final String id;
        NodeReport report;
        /** Its reported rooms by key. */
        final TreeMap<RoomKey, RoomLoad> reported = new TreeMap<>();
        long lastReportMs;
        Set<String> catalog = Set.of();
        long catalogVersion;
        boolean catalogKnown;
        int seats;

        Node(String id) {
            this.id = id;
        }

        boolean hasFilm(String fid) {
            return catalog.contains(fid) || reported.containsKey(RoomKey.film(fid));
        }

        boolean isOrigin(RoomKey live) {
            RoomLoad r = reported.get(live);
            return r != null && r.origin();
        }
    }

    /** One room on one node: the users seated in it, in the order they came. */
    private static final class Room implements Serializable {
        private static final long serialVersionUID = 1L;
        final LinkedHashSet<String> uids = new LinkedHashSet<>();
        long emptySinceMs = -1;
    }

    private record LeaseEnd(long atMs, String uid) implements Serializable, Comparable<LeaseEnd> {
        @Override
        public int compareTo(LeaseEnd o) {
            int c = Long.compare(atMs, o.atMs);
            return c != 0 ? c : uid.compareTo(o.uid);
        }
    }

    private record RoomClosing(long atMs, RoomKey room, String nodeId) implements Serializable,
            Comparable<RoomClosing> {
        @Override
        public int compareTo(RoomClosing o) {
            int c = Long.compare(atMs, o.atMs);
            if (c != 0) {
                return c;
            }
            c = room.compareTo(o.room);
            return c != 0 ? c : nodeId.compareTo(o.nodeId);
        }
    }

    /** A node chosen for a room, and whether seating there opens the room. */
    private record Choice(Node node, boolean opens) {
    }

    private final SeatingRules rules;
    private final TreeMap<String, Node> nodes = new TreeMap<>();
    private final HashMap<String, Seat> seats = new HashMap<>();
    private final TreeMap<RoomKey, TreeMap<String, Room>> rooms = new TreeMap<>();
    private final TreeSet<LeaseEnd> leaseEnds = new TreeSet<>();
    private final TreeSet<RoomClosing> closings = new TreeSet<>();
    private long nowMs = Long.MIN_VALUE;

    public Seating(SeatingRules rules) {
        this.rules = rules;
    }

    // ---------------------------------------------------------------- decisions

    /**
     * Seats {@code uid} for {@code room}.
     *
     * @param from the room the user says it comes from, for a switch; null for none
     */
    public Assignment assign(String uid, RoomKey room, RoomKey from, long nowMs) {
        advance(nowMs);
        Seat current = seats.get(uid);
        if (from != null && (current == null || !current.room().equals(from))) {
            return Assignment.refused(Assignment.Outcome.CONFLICT, current);
        }
        if (!known(room)) {
            return Assignment.refused(Assignment.Outcome.UNKNOWN, current);
        }
        if (current != null && current.room().equals(room)) {
            // asking again is a fresh claim: its player may be reconnecting, so the seat waits for it on its lease
            Seat renewed = renew(current, this.nowMs + rules.leaseMs(), false);
            return new Assignment(Assignment.Outcome.SAME, renewed, nodes.get(renewed.nodeId()).report.rtspBase(),
                    false);
        }
        Choice choice = choose(room, current == null ? null : current.nodeId());
        if (choice == null) {
            return Assignment.refused(Assignment.Outcome.FULL, current);
        }
        if (current != null) {
            unseat(current);
        }
        Seat seat = seat(uid, room, choice.node);
        return new Assignment(Assignment.Outcome.SEATED, seat, choice.node.report.rtspBase(), choice.opens);
    }

    /** Frees the user's seat; answers the seat freed, or null when the user had none. */
    public Seat leave(String uid, long nowMs) {
        advance(nowMs);
        Seat seat = seats.get(uid);
        if (seat != null) {
            unseat(seat);
        }
        return seat;
    }

    /**
     * Takes a node's report: its load, its catalog, and its players, which renew the leases of the seats in its
     * rooms once they are half spent.
     * <ul>
     *   <li>A player reported by its uid renews that user's seat and marks it playing. A playing seat whose uid a
     *       later report of its node no longer lists is freed at once: its player's session ended there. A seat
     *       not reported yet keeps its lease, since its player may still be on its way to the node.</li>
     *   <li>Players without a uid are only counted: they renew as many of the room's seats not reported by uid,
     *       newest first, since a seat left over by a player that ended is most likely an old one (a film that
     *       ran out), while a new seat's player may still be on its way.</li>
     * </ul>
     */
    public ReportReply report(NodeReport report, long nowMs) {
        advance(nowMs);
        Node node = nodes.computeIfAbsent(report.nodeId(), Node::new);
        node.report = report.withoutCatalog();
        node.lastReportMs = this.nowMs;
        node.reported.clear();
        for (RoomLoad r : report.rooms()) {
            node.reported.put(r.room(), r);
        }
        if (report.catalog() != null) {
            node.catalog = new HashSet<>(report.catalog());
            node.catalogVersion = report.catalogVersion();
            node.catalogKnown = true;
        }
        boolean catalogWanted = !node.catalogKnown || node.catalogVersion != report.catalogVersion();
        long until = this.nowMs + rules.leaseMs();
        // a lease with more than half its time left is not moved: that spares rewriting every seat every second
        long renewBelowMs = this.nowMs + rules.leaseMs() / 2;
        for (RoomLoad r : report.rooms()) {
            Room room = roomOn(r.room(), node.id);
            if (room == null) {
                continue;
            }
            for (String uid : r.uids()) {
                Seat seat = seats.get(uid);
                if (seat != null && seat.nodeId().equals(node.id) && seat.room().equals(r.room())
                        && (!seat.playing() || seat.leaseUntilMs() < renewBelowMs)) {
                    renew(seat, until, true);
                }
            }
            int anonymous = r.viewers() - r.uids().size();
            for (Iterator<String> newestFirst = room.uids.reversed().iterator(); anonymous > 0 && newestFirst.hasNext(); ) {
                Seat seat = seats.get(newestFirst.next());
                if (!seat.playing()) {
                    anonymous--;
                    if (seat.leaseUntilMs() < renewBelowMs) {
                        renew(seat, until, false);
                    }
                }
            }
        }
        freeEnded(node, report);
        return new ReportReply(catalogWanted, pullsFor(node));
    }

    /** Frees the playing seats on {@code node} whose uids its report no longer lists: their players ended. */
    private void freeEnded(Node node, NodeReport report) {
        Map<RoomKey, Set<String>> listed = new HashMap<>();
        for (RoomLoad r : report.rooms()) {
            if (!r.uids().isEmpty()) {
                listed.put(r.room(), new HashSet<>(r.uids()));
            }
        }
        List<Seat> ended = new ArrayList<>();
        for (Map.Entry<RoomKey, TreeMap<String, Room>> e : rooms.entrySet()) {
            Room room = e.getValue().get(node.id);
            if (room == null) {
                continue;
            }
            Set<String> present = listed.getOrDefault(e.getKey(), Set.of());
            for (String uid : room.uids) {
                Seat seat = seats.get(uid);
                if (seat.playing() && !present.contains(uid)) {
                    ended.add(seat);
                }
            }
        }
        ended.forEach(this::unseat);
    }

    /** Drops a node that left or died, with its rooms and seats; its users can be assigned again. */
    public void nodeGone(String nodeId, long nowMs) {
        advance(nowMs);
        drop(nodeId);
    }

    /** Lets seats whose lease ran out, rooms whose grace ran out and nodes that went silent go. */
    public void advance(long nowMs) {
        if (nowMs > this.nowMs) {
            this.nowMs = nowMs;
        }
        while (!leaseEnds.isEmpty() && leaseEnds.first().atMs() <= this.nowMs) {
            unseat(seats.get(leaseEnds.first().uid()));
        }
        while (!closings.isEmpty() && closings.first().atMs() <= this.nowMs) {
            RoomClosing c = closings.pollFirst();
            TreeMap<String, Room> hosts = rooms.get(c.room());
            hosts.remove(c.nodeId());
            if (hosts.isEmpty()) {
                rooms.remove(c.room());
            }
        }
        List<String> silent = new ArrayList<>();
        for (Node n : nodes.values()) {
            if (n.lastReportMs + rules.reportTimeoutMs() <= this.nowMs) {
                silent.add(n.id);
            }
        }
        silent.forEach(this::drop);
    }

    // ---------------------------------------------------------------- reading

    public long nowMs() {
        return nowMs;
    }

    /** The timings this seating was made with; they hold for its whole life. */
    public SeatingRules rules() {
        return rules;
    }

    public Seat seat(String uid) {
        return seats.get(uid);
    }

    public int userCount() {
        return seats.size();
    }

    public Set<String> nodeIds() {
        return Set.copyOf(nodes.keySet());
    }

    /** The node's RTSP base, or null for an unknown node. */
    public String rtspBase(String nodeId) {
        Node n = nodes.get(nodeId);
        return n == null ? null : n.report.rtspBase();
    }

    /** True when the node's last report lists the room: it serves the film or has the stream live. */
    public boolean reportsRoom(String nodeId, RoomKey room) {
        Node n = nodes.get(nodeId);
        return n != null && n.reported.containsKey(room);
    }

    /** Users seated on a node. */
    public int seatsOn(String nodeId) {
        Node n = nodes.get(nodeId);
        return n == null ? 0 : n.seats;
    }

    /** The nodes with a room for {@code room} (with seats, or empty and in its grace period). */
    public Set<String> hostsOf(RoomKey room) {
        TreeMap<String, Room> hosts = rooms.get(room);
        return hosts == null ? Set.of() : Set.copyOf(hosts.keySet());
    }

    /** Users seated in one node's room; -1 when the node has no such room. */
    public int seatsIn(RoomKey room, String nodeId) {
        Room r = roomOn(room, nodeId);
        return r == null ? -1 : r.uids.size();
    }

    /** When one node's room lost its last seat, or -1 while it has seats or does not exist. */
    public long emptySinceMs(RoomKey room, String nodeId) {
        Room r = roomOn(room, nodeId);
        return r == null ? -1 : r.emptySinceMs;
    }

    /** Sees one node's room: its seats, and when its last seat left (-1 while it has seats). */
    @FunctionalInterface
    public interface RoomVisitor {
        void visit(RoomKey room, String nodeId, int seats, long emptySinceMs);
    }

    /** Visits every room on every node, by room then node, without copying anything. */
    public void forEachRoom(RoomVisitor visitor) {
        for (Map.Entry<RoomKey, TreeMap<String, Room>> e : rooms.entrySet()) {
            for (Map.Entry<String, Room> host : e.getValue().entrySet()) {
                visitor.visit(e.getKey(), host.getKey(), host.getValue().uids.size(), host.getValue().emptySinceMs);
            }
        }
    }

    /** Every room key with at least one host. */
    public Set<RoomKey> roomKeys() {
        return Set.copyOf(rooms.keySet());
    }

    /** True when the node can take one more viewer. */
    public boolean hasRoom(String nodeId) {
        Node n = nodes.get(nodeId);
        return n != null && hasRoom(n, null);
    }

    public List<NodeView> nodeViews() {
        List<NodeView> out = new ArrayList<>();
        for (Node n : nodes.values()) {
            NodeReport r = n.report;
            out.add(new NodeView(n.id, r.rtspBase(), r.capacityViewers(), r.capacityBps(), n.seats, r.sessions(),
                    r.bitrateOutBps(), r.cpu(), 1 - headroom(n, null), n.catalog.size(), n.reported.size(),
                    n.lastReportMs));
        }
        return out;
    }

    public List<RoomView> roomViews() {
        Set<RoomKey> keys = new TreeSet<>(rooms.keySet());
        for (Node n : nodes.values()) {
            keys.addAll(n.reported.keySet());
        }
        List<RoomView> out = new ArrayList<>();
        for (RoomKey key : keys) {
            List<Node> hosts = new ArrayList<>();
            for (Node n : nodes.values()) {
                if (roomOn(key, n.id) != null || n.reported.containsKey(key)) {
                    hosts.add(n);
                }
            }
            hosts.sort(byHeadroom(null));
            List<RoomView.Host> views = new ArrayList<>();
            for (Node n : hosts) {
                Room room = roomOn(key, n.id);
                RoomLoad load = n.reported.get(key);
                views.add(new RoomView.Host(n.id, room == null ? 0 : room.uids.size(),
                        load == null ? 0 : load.viewers(), load != null && load.origin(),
                        room == null ? -1 : room.emptySinceMs));
            }
            out.add(new RoomView(key.path(), views));
        }
        return out;
    }

    public List<UserView> userViews() {
        List<Seat> all = new ArrayList<>(seats.values());
        all.sort(Comparator.comparing(Seat::uid));
        List<UserView> out = new ArrayList<>(all.size());
        for (Seat s : all) {
            out.add(userView(s));
        }
        return out;
    }

    public UserView userView(Seat s) {
        return new UserView(s.uid(), s.room().path(), s.nodeId(), s.room().url(rtspBase(s.nodeId()), s.uid()),
                s.assignedAtMs(), s.leaseUntilMs(), s.playing());
    }

    // ---------------------------------------------------------------- choosing

    /** A film is known when some node's library has it; a live stream when some node has its publisher. */
    public boolean known(RoomKey room) {
        for (Node n : nodes.values()) {
            if (room.kind() == RoomKey.Kind.FILM ? n.hasFilm(room.name()) : n.isOrigin(room)) {
                return true;
            }
        }
        return false;
    }

    /**
     * The node for a new viewer of {@code room}: the user's own seat on {@code leavingNodeId} counts as free,
     * since it leaves that seat if it moves.
     */
    private Choice choose(RoomKey room, String leavingNodeId) {
        Comparator<Node> order = byHeadroom(leavingNodeId);
        if (room.kind() == RoomKey.Kind.LIVE) {
            Node origin = best(n -> n.isOrigin(room), leavingNodeId, order);
            if (origin != null) {
                return new Choice(origin, false);
            }
        }
        Node serving = best(n -> serves(n, room), leavingNodeId, order);
        if (serving != null) {
            return new Choice(serving, false);
        }
        Node any = best(n -> canServe(n, room), leavingNodeId, order);
        return any == null ? null : new Choice(any, true);
    }

    private boolean serves(Node n, RoomKey room) {
        return canServe(n, room) && (roomOn(room, n.id) != null || n.reported.containsKey(room));
    }

    private static boolean canServe(Node n, RoomKey room) {
        return room.kind() == RoomKey.Kind.LIVE || n.hasFilm(room.name());
    }

    private Node best(java.util.function.Predicate<Node> eligible, String leavingNodeId, Comparator<Node> order) {
        Node best = null;
        for (Node n : nodes.values()) {
            if (eligible.test(n) && hasRoom(n, leavingNodeId) && (best == null || order.compare(n, best) < 0)) {
                best = n;
            }
        }
        return best;
    }

    /** Most headroom first, then by id. */
    private Comparator<Node> byHeadroom(String leavingNodeId) {
        return Comparator.<Node>comparingDouble(n -> -headroom(n, leavingNodeId)).thenComparing(n -> n.id);
    }

    /** Seats or reported sessions, whichever is higher: a seated player that has connected is both. */
    private int used(Node n, String leavingNodeId) {
        int used = Math.max(n.seats, n.report.sessions());
        return n.id.equals(leavingNodeId) ? used - 1 : used;
    }

    private boolean hasRoom(Node n, String leavingNodeId) {
        NodeReport r = n.report;
        return used(n, leavingNodeId) < r.capacityViewers()
                && (r.capacityBps() == 0 || r.bitrateOutBps() < r.capacityBps());
    }

    /** The free share of the node's tighter capacity, 0..1. */
    private double headroom(Node n, String leavingNodeId) {
        NodeReport r = n.report;
        if (r.capacityViewers() == 0) {
            return 0;
        }
        double viewers = 1 - (double) used(n, leavingNodeId) / r.capacityViewers();
        double bits = r.capacityBps() == 0 ? 1 : 1 - (double) r.bitrateOutBps() / r.capacityBps();
        return Math.max(0, Math.min(viewers, bits));
    }

    private List<OriginPull> pullsFor(Node node) {
        List<OriginPull> pulls = new ArrayList<>();
        for (Map.Entry<RoomKey, TreeMap<String, Room>> e : rooms.entrySet()) {
            RoomKey key = e.getKey();
            if (key.kind() != RoomKey.Kind.LIVE || !e.getValue().containsKey(node.id) || node.isOrigin(key)) {
                continue;
            }
            Node origin = null;
            for (Node n : nodes.values()) {
                if (n.isOrigin(key)) {
                    origin = n;
                    break;
                }
            }
            if (origin != null) {
                pulls.add(new OriginPull(key, origin.id, origin.report.rtspBase()));
            }
        }
        return pulls;
    }

    // ---------------------------------------------------------------- changing

    private Room roomOn(RoomKey room, String nodeId) {
        TreeMap<String, Room> hosts = rooms.get(room);
        return hosts == null ? null : hosts.get(nodeId);
    }

    private Seat seat(String uid, RoomKey key, Node node) {
        Room room = rooms.computeIfAbsent(key, k -> new TreeMap<>()).computeIfAbsent(node.id, id -> new Room());
        if (room.emptySinceMs >= 0) {
            closings.remove(new RoomClosing(room.emptySinceMs + rules.roomGraceMs(), key, node.id));
            room.emptySinceMs = -1;
        }
        room.uids.add(uid);
        node.seats++;
        Seat seat = new Seat(uid, key, node.id, nowMs, nowMs + rules.leaseMs(), false);
        seats.put(uid, seat);
        leaseEnds.add(new LeaseEnd(seat.leaseUntilMs(), uid));
        return seat;
    }

    private Seat renew(Seat seat, long untilMs, boolean playing) {
        Seat renewed = seat.renewed(untilMs, playing);
        if (renewed != seat) {
            if (renewed.leaseUntilMs() != seat.leaseUntilMs()) {
                leaseEnds.remove(new LeaseEnd(seat.leaseUntilMs(), seat.uid()));
                leaseEnds.add(new LeaseEnd(renewed.leaseUntilMs(), seat.uid()));
            }
            seats.put(seat.uid(), renewed);
        }
        return renewed;
    }

    private void unseat(Seat seat) {
        seats.remove(seat.uid());
        leaseEnds.remove(new LeaseEnd(seat.leaseUntilMs(), seat.uid()));
        Node node = nodes.get(seat.nodeId());
        node.seats--;
        Room room = roomOn(seat.room(), seat.nodeId());
        room.uids.remove(seat.uid());
        if (room.uids.isEmpty()) {
            room.emptySinceMs = nowMs;
            closings.add(new RoomClosing(nowMs + rules.roomGraceMs(), seat.room(), seat.nodeId()));
        }
    }

    private void drop(String nodeId) {
        if (nodes.remove(nodeId) == null) {
            return;
        }
        List<RoomKey> emptied = new ArrayList<>();
        for (Map.Entry<RoomKey, TreeMap<String, Room>> e : rooms.entrySet()) {
            Room room = e.getValue().remove(nodeId);
            if (room == null) {
                continue;
            }
            for (String uid : room.uids) {
                Seat seat = seats.remove(uid);
                leaseEnds.remove(new LeaseEnd(seat.leaseUntilMs(), uid));
            }
            if (room.emptySinceMs >= 0) {
                closings.remove(new RoomClosing(room.emptySinceMs + rules.roomGraceMs(), e.getKey(), nodeId));
            }
            if (e.getValue().isEmpty()) {
                emptied.add(e.getKey());
            }
        }
        emptied.forEach(rooms::remove);
    }
}

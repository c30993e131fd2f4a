package io.sluice.cluster.hz;

import com.hazelcast.core.ReadOnly;
import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.IMap;
import io.sluice.cluster.seating.Assignment;
import io.sluice.cluster.seating.NodeReport;
import io.sluice.cluster.seating.NodeView;
import io.sluice.cluster.seating.ReportReply;
import io.sluice.cluster.seating.RoomKey;
import io.sluice.cluster.seating.RoomView;
import io.sluice.cluster.seating.Seat;
import io.sluice.cluster.seating.Seating;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.cluster.seating.UserView;
import java.io.Serial;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;

/**
 * The seating kept in the cluster: one {@link Seating} in one entry of a map with {@link ClusterMember#BACKUPS}
 * synchronous backups. Every change is an entry processor on that entry, so it runs alone on the entry's owner
 * and is all or nothing: an assignment moves a user, its rooms and its nodes' counts at once, and no two
 * assignments can both take a node's last seat. The same processor then runs on each backup with the same
 * arguments (the caller's time included), which makes the same decision there. Reads run on the owner too
 * and send back only the view asked for.
 *
 * <p>One entry means one partition thread for all changes: a deliberate trade. It serializes decisions
 * that must see each other (capacity) at a cost of microseconds each, far below the network round trip that
 * every call pays anyway.
 */
public final class SeatingStore {

    static final String MAP_NAME = "sluice.seating";
    static final String KEY = "seating";

    private final IMap<String, Seating> map;
    private final SeatingRules rules;
    private final LongSupplier epochClock;

    SeatingStore(IMap<String, Seating> map, SeatingRules rules, LongSupplier epochClock) {
        this.map = map;
        this.rules = rules;
        this.epochClock = epochClock;
    }

    public Assignment assign(String uid, RoomKey room, RoomKey from) {
        return map.executeOnKey(KEY, new Change<>(rules, epochClock.getAsLong(),
                (ChangeFn<Assignment>) (s, now) -> s.assign(uid, room, from, now)));
    }

    /** Frees the user's seat; the seat freed, or null. */
    public Seat leave(String uid) {
        return map.executeOnKey(KEY, new Change<>(rules, epochClock.getAsLong(),
                (ChangeFn<Seat>) (s, now) -> s.leave(uid, now)));
    }

    public ReportReply report(NodeReport report) {
        return map.executeOnKey(KEY, new Change<>(rules, epochClock.getAsLong(),
                (ChangeFn<ReportReply>) (s, now) -> s.report(report, now)));
    }

    public void nodeGone(String nodeId) {
        map.executeOnKey(KEY, new Change<>(rules, epochClock.getAsLong(), (ChangeFn<Boolean>) (s, now) -> {
            s.nodeGone(nodeId, now);
            return Boolean.TRUE;
        }));
    }

    /** Lets expired seats, rooms past their grace and silent nodes go now rather than at the next change. */
    public void advance() {
        map.executeOnKey(KEY, new Change<>(rules, epochClock.getAsLong(), (ChangeFn<Boolean>) (s, now) -> {
            s.advance(now);
            return Boolean.TRUE;
        }));
    }

    public List<NodeView> nodes() {
        List<NodeView> views = map.executeOnKey(KEY, new Read<>((ReadFn<List<NodeView>>) s -> new ArrayList<>(s.nodeViews())));
        return views == null ? List.of() : views;
    }

    public List<RoomView> rooms() {
        List<RoomView> views = map.executeOnKey(KEY, new Read<>((ReadFn<List<RoomView>>) s -> new ArrayList<>(s.roomViews())));
        return views == null ? List.of() : views;
    }

    public List<UserView> users() {
        List<UserView> views = map.executeOnKey(KEY, new Read<>((ReadFn<List<UserView>>) s -> new ArrayList<>(s.userViews())));
        return views == null ? List.of() : views;
    }

    /** True when the node's last report lists the room. */
    public boolean reportsRoom(String nodeId, RoomKey room) {
        return Boolean.TRUE.equals(map.executeOnKey(KEY, new Read<>((ReadFn<Boolean>) s -> s.reportsRoom(nodeId, room))));
    }

    /** The timings the cluster's seating runs with, or null before anything was written. */
    public SeatingRules rules() {
        return map.executeOnKey(KEY, new Read<>((ReadFn<SeatingRules>) Seating::rules));
    }

    /** The user's seat as the API shows it, or null. */
    public UserView user(String uid) {
        return map.executeOnKey(KEY, new Read<>((ReadFn<UserView>) s -> {
            Seat seat = s.seat(uid);
            return seat == null ? null : s.userView(seat);
        }));
    }

    /** A change of the seating at a time; serializable so that it travels to the owner and the backups. */
    @FunctionalInterface
    interface ChangeFn<R> extends Serializable {
        R apply(Seating seating, long nowMs);
    }

    @FunctionalInterface
    interface ReadFn<R> extends Serializable {
        R apply(Seating seating);
    }

    /** Runs a change on the owner, then the same change on every backup. */
    static final class Change<R> implements EntryProcessor<String, Seating, R> {
        @Serial
        private static final long serialVersionUID = 1L;
        private final SeatingRules rules;
        private final long nowMs;
        private final ChangeFn<R> fn;

        Change(SeatingRules rules, long nowMs, ChangeFn<R> fn) {
            this.rules = rules;
            this.nowMs = nowMs;
            this.fn = fn;
        }

        @Override
        public R process(Map.Entry<String, Seating> entry) {
            Seating seating = entry.getValue();
            if (seating == null) {
                seating = new Seating(rules);
            }
            R result = fn.apply(seating, nowMs);
            entry.setValue(seating);
            return result;
        }
    }

    /** Runs on the owner only and changes nothing. */
    static final class Read<R> implements EntryProcessor<String, Seating, R>, ReadOnly {
        @Serial
        private static final long serialVersionUID = 1L;
        private final ReadFn<R> fn;

        Read(ReadFn<R> fn) {
            this.fn = fn;
        }

        @Override
        public R process(Map.Entry<String, Seating> entry) {
            Seating seating = entry.getValue();
            return seating == null ? null : fn.apply(seating);
        }

        @Override
        public EntryProcessor<String, Seating, R> getBackupProcessor() {
            return null;
        }
    }
}

package io.sluice.cluster.seating;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.cluster.seating.Assignment.Outcome;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The seed's seating decisions, one test each. */
class SeatingTest {

    private static final SeatingRules RULES = new SeatingRules(10_000, 30_000, 60_000);
    private static final RoomKey MATRIX = RoomKey.film("films/matrix.mp4");
    private static final RoomKey ALIEN = RoomKey.film("alien.mkv");
    private static final RoomKey CAM = RoomKey.live("cam");
    private static final Set<String> LIBRARY = Set.of(MATRIX.name(), ALIEN.name());

    private final Seating seating = new Seating(RULES);
    private long nowMs = 1_000_000;

    private static NodeReport report(String id, int capacity, int sessions, List<RoomLoad> rooms) {
        return new NodeReport(id, "rtsp://" + id + ":8554", capacity, 0, sessions, 0, 0.1, rooms, 1, LIBRARY);
    }

    private void nodes(String... ids) {
        for (String id : ids) {
            seating.report(report(id, 10, 0, List.of()), nowMs);
        }
    }

    private Assignment assign(String uid, RoomKey room) {
        return seating.assign(uid, room, null, nowMs);
    }

    @Test
    void sameFilmAsNowKeepsTheSameSeatAndRenewsItsLease() {
        nodes("a", "b");
        Assignment first = assign("u1", MATRIX);
        nowMs += 4_000;
        Assignment again = seating.assign("u1", MATRIX, MATRIX, nowMs);

        assertThat(first.outcome()).isEqualTo(Outcome.SEATED);
        assertThat(again.outcome()).isEqualTo(Outcome.SAME);
        assertThat(again.seat().nodeId()).isEqualTo(first.seat().nodeId());
        assertThat(again.seat().assignedAtMs()).isEqualTo(first.seat().assignedAtMs());
        assertThat(again.seat().leaseUntilMs()).isEqualTo(nowMs + RULES.leaseMs());
        assertThat(seating.seatsOn(first.seat().nodeId())).isEqualTo(1);
    }

    @Test
    void anotherFilmLeavesTheOldRoomWhichWaitsOutItsGrace() {
        nodes("a");
        assign("u1", MATRIX);
        nowMs += 1_000;
        Assignment moved = seating.assign("u1", ALIEN, MATRIX, nowMs);

        assertThat(moved.outcome()).isEqualTo(Outcome.SEATED);
        assertThat(seating.seatsIn(MATRIX, "a")).isZero();
        assertThat(seating.emptySinceMs(MATRIX, "a")).isEqualTo(nowMs);
        assertThat(seating.seatsIn(ALIEN, "a")).isEqualTo(1);
        assertThat(seating.seatsOn("a")).isEqualTo(1);

        seating.advance(nowMs + RULES.roomGraceMs() - 1);
        assertThat(seating.hostsOf(MATRIX)).containsExactly("a");
        seating.advance(nowMs + RULES.roomGraceMs());
        assertThat(seating.hostsOf(MATRIX)).isEmpty();
    }

    @Test
    void aViewerGoesToTheServingNodeWithMostHeadroomNotTheEmptiestNode() {
        nodes("a", "b", "c");
        seating.report(report("a", 10, 6, List.of(new RoomLoad(MATRIX, 6, false))), nowMs);
        seating.report(report("b", 10, 3, List.of(new RoomLoad(MATRIX, 3, false))), nowMs);

        Assignment a = assign("u1", MATRIX);

        assertThat(a.seat().nodeId()).isEqualTo("b");
        assertThat(a.openedRoom()).isFalse();
        assertThat(seating.hostsOf(MATRIX)).containsExactly("b");
    }

    @Test
    void theLeastLoadedNodeOpensTheRoomWhenEveryServingNodeIsFull() {
        seating.report(report("a", 2, 1, List.of()), nowMs);
        seating.report(report("b", 10, 5, List.of()), nowMs);
        seating.report(report("c", 10, 1, List.of()), nowMs);
        seating.report(report("d", 10, 3, List.of()), nowMs);

        assertThat(assign("u1", MATRIX).seat().nodeId()).isEqualTo("c");
        // c serves the film now and keeps taking its viewers while it has the most headroom among servers
        assertThat(assign("u2", MATRIX).seat().nodeId()).isEqualTo("c");
        seating.report(report("c", 10, 10, List.of(new RoomLoad(MATRIX, 2, false))), nowMs);
        Assignment spread = assign("u3", MATRIX);

        assertThat(spread.seat().nodeId()).isEqualTo("d");
        assertThat(spread.openedRoom()).isTrue();
        assertThat(seating.hostsOf(MATRIX)).containsExactlyInAnyOrder("c", "d");
    }

    @Test
    void aNodeSendingItsBitrateCapacityTakesNoMoreViewersAndHeadroomCountsBits() {
        seating.report(bps("a", 1, 10_000_000, List.of(new RoomLoad(MATRIX, 1, false))), nowMs);
        seating.report(bps("b", 3, 9_000_000, List.of(new RoomLoad(MATRIX, 3, false))), nowMs);
        seating.report(bps("c", 6, 1_000_000, List.of()), nowMs);

        // a serves the film but sends all it may; b, with more viewers, still sends less than its capacity
        assertThat(assign("u1", MATRIX).seat().nodeId()).isEqualTo("b");
        seating.report(bps("b", 4, 10_000_000, List.of(new RoomLoad(MATRIX, 4, false))), nowMs);
        Assignment opened = assign("u2", MATRIX);
        assertThat(opened.seat().nodeId()).isEqualTo("c");
        assertThat(opened.openedRoom()).isTrue();
        seating.report(bps("c", 7, 10_000_000, List.of(new RoomLoad(MATRIX, 1, false))), nowMs);
        assertThat(assign("u3", MATRIX).outcome()).isEqualTo(Outcome.FULL);
        assertThat(seating.seat("u3")).isNull();
    }

    /** A node of 10 viewers and 10 Mbit/s at most, with its sessions and the bits it sends now. */
    private static NodeReport bps(String id, int sessions, long bitrateOutBps, List<RoomLoad> rooms) {
        return new NodeReport(id, "rtsp://" + id + ":8554", 10, 10_000_000, sessions, bitrateOutBps, 0.1, rooms, 1,
                LIBRARY);
    }

    @Test
    void aSwitchFromAnotherRoomThanTheUsersIsRefusedAndChangesNothing() {
        nodes("a");
        Assignment seated = assign("u1", MATRIX);
        Assignment wrong = seating.assign("u1", ALIEN, RoomKey.film("other.mp4"), nowMs);
        Assignment unseated = seating.assign("u2", ALIEN, MATRIX, nowMs);

        assertThat(wrong.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(wrong.seat()).isEqualTo(seated.seat());
        assertThat(seating.seat("u1")).isEqualTo(seated.seat());
        assertThat(seating.hostsOf(ALIEN)).isEmpty();
        assertThat(unseated.outcome()).isEqualTo(Outcome.CONFLICT);
        assertThat(seating.seat("u2")).isNull();
    }

    @Test
    void noNodeWithRoomRefusesAndTheUserKeepsItsSeat() {
        seating.report(report("a", 1, 0, List.of()), nowMs);
        seating.report(new NodeReport("b", "rtsp://b:8554", 1, 0, 0, 0, 0, List.of(), 1, Set.of("x.mp4")), nowMs);
        Assignment first = assign("u1", MATRIX);
        Assignment second = assign("u2", MATRIX);
        Assignment away = assign("u1", ALIEN);

        assertThat(first.seat().nodeId()).isEqualTo("a");
        assertThat(second.outcome()).isEqualTo(Outcome.FULL);
        assertThat(seating.seat("u2")).isNull();
        // u1's own seat counts as free for its switch: a has the new film and the seat u1 leaves
        assertThat(away.outcome()).isEqualTo(Outcome.SEATED);
        assertThat(away.seat().nodeId()).isEqualTo("a");
        Assignment tooMany = assign("u3", RoomKey.film("x.mp4"));
        assertThat(tooMany.seat().nodeId()).isEqualTo("b");
        assertThat(assign("u1", RoomKey.film("x.mp4")).outcome()).isEqualTo(Outcome.FULL);
        assertThat(seating.seat("u1").room()).isEqualTo(ALIEN);
    }

    @Test
    void aFilmNoLibraryHasAndAStreamNobodyPublishesAreUnknown() {
        nodes("a");
        assertThat(assign("u1", RoomKey.film("nope.mp4")).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(assign("u1", CAM).outcome()).isEqualTo(Outcome.UNKNOWN);
        assertThat(seating.userCount()).isZero();
    }

    @Test
    void aLiveStreamPrefersItsOriginWhileItHasRoomThenPullsElsewhere() {
        seating.report(report("a", 2, 1, List.of(new RoomLoad(CAM, 0, true))), nowMs);
        seating.report(report("b", 10, 0, List.of()), nowMs);

        Assignment first = assign("u1", CAM);
        // the publisher and u1's player: the origin is full
        ReportReply originReply = seating.report(report("a", 2, 2, List.of(new RoomLoad(CAM, 1, true))), nowMs);
        Assignment second = assign("u2", CAM);
        ReportReply reply = seating.report(report("b", 10, 0, List.of()), nowMs);

        assertThat(first.seat().nodeId()).isEqualTo("a");
        assertThat(second.seat().nodeId()).isEqualTo("b");
        assertThat(originReply.pulls()).isEmpty();
        assertThat(reply.pulls()).containsExactly(new OriginPull(CAM, "a", "rtsp://a:8554"));
        assertThat(reply.pulls().get(0).url()).isEqualTo("rtsp://a:8554/live/cam");
    }

    @Test
    void aNodeThatGoesTakesItsRoomsAndSeatsAndItsUsersCanBeSeatedAgain() {
        nodes("a", "b");
        seating.report(report("a", 10, 0, List.of(new RoomLoad(MATRIX, 0, false))), nowMs);
        Assignment u1 = assign("u1", MATRIX);
        Assignment u2 = assign("u2", ALIEN);
        assertThat(u1.seat().nodeId()).isEqualTo("a");

        seating.nodeGone("a", nowMs);

        assertThat(seating.seat("u1")).isNull();
        assertThat(seating.hostsOf(MATRIX)).isEmpty();
        assertThat(seating.seat("u2")).isEqualTo(u2.seat());
        assertThat(assign("u1", MATRIX).seat().nodeId()).isEqualTo("b");
    }

    @Test
    void aNodeThatStopsReportingIsDroppedAfterTheReportTimeout() {
        nodes("a", "b");
        assign("u1", MATRIX);
        nowMs += RULES.reportTimeoutMs() - 1;
        seating.report(report("b", 10, 0, List.of()), nowMs);
        assertThat(seating.nodeIds()).containsExactlyInAnyOrder("a", "b");
        seating.advance(nowMs + 1);
        assertThat(seating.nodeIds()).containsExactly("b");
    }

    @Test
    void leasesRunOutUnlessTheNodeReportsViewersAndTheNewestSeatsAreRenewedFirst() {
        nodes("a");
        List<String> uids = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            uids.add("u" + i);
            assign("u" + i, MATRIX);
            nowMs += 1_000;
        }
        nowMs += 5_000;
        // two players still play: the oldest seat is the one not renewed
        seating.report(report("a", 10, 2, List.of(new RoomLoad(MATRIX, 2, false))), nowMs);
        seating.advance(1_000_000 + RULES.leaseMs());

        assertThat(seating.seat("u0")).isNull();
        assertThat(seating.seat("u1")).isNotNull();
        assertThat(seating.seat("u2").leaseUntilMs()).isEqualTo(nowMs + RULES.leaseMs());
        seating.advance(nowMs + RULES.leaseMs());
        assertThat(seating.userCount()).isZero();
        assertThat(seating.emptySinceMs(MATRIX, "a")).isEqualTo(nowMs + RULES.leaseMs());
    }

    private static RoomLoad players(RoomKey room, int viewers, String... uids) {
        return new RoomLoad(room, viewers, false, List.of(uids));
    }

    @Test
    void aPlayerReportedByItsUidKeepsItsSeatUntilItsSessionEndsThenTheSeatIsFreedAtOnce() {
        nodes("a");
        assign("u1", MATRIX);
        assign("u2", MATRIX);
        nowMs += 2_000;
        seating.report(report("a", 10, 2, List.of(players(MATRIX, 2, "u1", "u2"))), nowMs);

        assertThat(seating.seat("u1").playing()).isTrue();
        assertThat(seating.seat("u1").leaseUntilMs()).isEqualTo(nowMs + RULES.leaseMs());
        assertThat(seating.userView(seating.seat("u1")).playing()).isTrue();

        // u1's player ended: the next report lists u2 only, and u1's seat goes long before its lease would
        nowMs += 1_000;
        seating.report(report("a", 10, 1, List.of(players(MATRIX, 1, "u2"))), nowMs);
        assertThat(seating.seat("u1")).isNull();
        assertThat(seating.seat("u2").playing()).isTrue();
        assertThat(seating.seatsOn("a")).isEqualTo(1);

        // the last one ended: its room is empty from now and waits out its grace
        nowMs += 1_000;
        seating.report(report("a", 10, 0, List.of()), nowMs);
        assertThat(seating.userCount()).isZero();
        assertThat(seating.emptySinceMs(MATRIX, "a")).isEqualTo(nowMs);
    }

    @Test
    void aSeatWhosePlayerWasNeverReportedKeepsItsLeaseThroughReportsThatDoNotListIt() {
        nodes("a");
        Seat seat = assign("u1", MATRIX).seat();
        // the player has not set up its session yet: reports without u1 leave the seat alone
        for (int i = 0; i < 5; i++) {
            nowMs += 1_000;
            seating.report(report("a", 10, 1, List.of(players(MATRIX, 1, "someone-else"))), nowMs);
        }
        assertThat(seating.seat("u1")).isEqualTo(seat);
        assertThat(seating.seat("u1").playing()).isFalse();
        seating.advance(seat.leaseUntilMs());
        assertThat(seating.seat("u1")).isNull();
    }

    @Test
    void askingAgainForTheSameRoomWaitsForThePlayerAgain() {
        nodes("a");
        assign("u1", MATRIX);
        seating.report(report("a", 10, 1, List.of(players(MATRIX, 1, "u1"))), nowMs);
        assertThat(seating.seat("u1").playing()).isTrue();

        // the user replays: it asks again, and its new player has not reached the node yet
        nowMs += 1_000;
        assertThat(assign("u1", MATRIX).outcome()).isEqualTo(Outcome.SAME);
        assertThat(seating.seat("u1").playing()).isFalse();
        nowMs += 1_000;
        seating.report(report("a", 10, 0, List.of()), nowMs);
        assertThat(seating.seat("u1")).isNotNull();
        nowMs += 1_000;
        seating.report(report("a", 10, 1, List.of(players(MATRIX, 1, "u1"))), nowMs);
        assertThat(seating.seat("u1").playing()).isTrue();
    }

    @Test
    void aUidReportedInAnotherRoomOrOnAnotherNodeNeitherRenewsNorFreesTheSeat() {
        nodes("a", "b");
        seating.report(report("a", 10, 0, List.of(new RoomLoad(MATRIX, 0, false))), nowMs);
        Seat seat = assign("u1", MATRIX).seat();
        assertThat(seat.nodeId()).isEqualTo("a");
        assign("u2", ALIEN);

        // u1's old player of another film still plays on a, and a stale one on b
        seating.report(report("a", 10, 1, List.of(players(MATRIX, 0), players(ALIEN, 1, "u1"))), nowMs);
        seating.report(report("b", 10, 1, List.of(players(MATRIX, 1, "u1"))), nowMs);

        assertThat(seating.seat("u1")).isEqualTo(seat);
        assertThat(seating.seat("u1").playing()).isFalse();
    }

    @Test
    void playersWithoutAUidRenewTheNewestSeatsNotReportedByUid() {
        nodes("a");
        for (String uid : List.of("u0", "u1", "u2", "u3")) {
            assign(uid, MATRIX);
            nowMs += 1_000;
        }
        nowMs += 5_000;
        // u3 plays by uid, and one more player named none: it renews u2, the newest other seat
        seating.report(report("a", 10, 2, List.of(players(MATRIX, 2, "u3"))), nowMs);
        seating.advance(1_000_000 + RULES.leaseMs() + 1_000);

        assertThat(seating.seat("u0")).isNull();
        assertThat(seating.seat("u1")).isNull();
        assertThat(seating.seat("u2").leaseUntilMs()).isEqualTo(nowMs + RULES.leaseMs());
        assertThat(seating.seat("u2").playing()).isFalse();
        assertThat(seating.seat("u3").playing()).isTrue();
    }

    @Test
    void aRoomItsNodeNoLongerReportsTakesItsPlayingSeatsAlong() {
        seating.report(report("a", 10, 1, List.of(new RoomLoad(CAM, 0, true))), nowMs);
        assign("u1", CAM);
        seating.report(report("a", 10, 2, List.of(new RoomLoad(CAM, 1, true, List.of("u1")))), nowMs);
        assertThat(seating.seat("u1").playing()).isTrue();

        // the publisher stopped: the stream is gone from the node's report, and so is its viewer
        nowMs += 1_000;
        seating.report(report("a", 10, 0, List.of()), nowMs);
        assertThat(seating.seat("u1")).isNull();
    }

    @Test
    void aPulledStreamIsPulledUntilTheGraceAfterItsLastSeatLeft() {
        seating.report(report("a", 1, 1, List.of(new RoomLoad(CAM, 0, true))), nowMs);
        seating.report(report("b", 10, 0, List.of()), nowMs);
        Assignment seated = assign("u1", CAM);
        assertThat(seated.seat().nodeId()).isEqualTo("b");
        assertThat(seating.report(report("b", 10, 0, List.of()), nowMs).pulls()).hasSize(1);

        seating.leave("u1", nowMs);
        nowMs += RULES.roomGraceMs() - 1;
        seating.report(report("a", 1, 1, List.of(new RoomLoad(CAM, 0, true))), nowMs);
        assertThat(seating.report(report("b", 10, 1, List.of()), nowMs).pulls()).hasSize(1);
        nowMs += 1;
        seating.report(report("a", 1, 1, List.of(new RoomLoad(CAM, 0, true))), nowMs);
        assertThat(seating.report(report("b", 10, 1, List.of()), nowMs).pulls()).isEmpty();
    }

    @Test
    void seatingRulesRefuseTimingsShorterThanTwoReports() {
        assertThat(SeatingRules.ofSeconds(null, null, null)).isEqualTo(SeatingRules.DEFAULT);
        assertThat(SeatingRules.ofSeconds(20, 0, 3)).isEqualTo(new SeatingRules(20_000, 0, 3_000));
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SeatingRules.ofSeconds(1, 30, 6))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 s");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> SeatingRules.ofSeconds(15, -1, 6))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLeaveFreesTheSeat() {
        nodes("a");
        Seat seat = assign("u1", MATRIX).seat();
        assertThat(seating.leave("u1", nowMs)).isEqualTo(seat);
        assertThat(seating.leave("u1", nowMs)).isNull();
        assertThat(seating.seatsOn("a")).isZero();
    }

    @Test
    void roomUrlsEncodeEachPathSegment() {
        assertThat(RoomKey.film("a b/c+d.mp4").url("rtsp://h:1")).isEqualTo("rtsp://h:1/vod/a%20b/c%2Bd.mp4");
        assertThat(RoomKey.parsePath("vod/a/b.mp4")).isEqualTo(RoomKey.film("a/b.mp4"));
        assertThat(RoomKey.parsePath("live/cam")).isEqualTo(CAM);
        assertThat(RoomKey.parsePath("tv/cam")).isNull();
        assertThat(RoomKey.parsePath("vod/")).isNull();
    }

    @Test
    void aUsersUrlCarriesItsUidWholeAndTheNodeReadsItBack() {
        String url = RoomKey.film("a b.mp4").url("rtsp://h:1", "x/y&z=1 +");
        assertThat(url).isEqualTo("rtsp://h:1/vod/a%20b.mp4?uid=x%2Fy%26z%3D1%20%2B");
        // a player sets its tracks up after the query, as ffmpeg does with a key
        io.sluice.node.rtsp.RtspUrl parsed = io.sluice.node.rtsp.RtspUrl.parse(url + "/trackID=1");
        assertThat(parsed.uid()).isEqualTo("x/y&z=1 +");
        assertThat(parsed.control()).isEqualTo("trackID=1");
        assertThat(parsed.segments()).containsExactly("vod", "a b.mp4");
    }
}

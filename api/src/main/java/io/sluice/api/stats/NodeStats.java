package io.sluice.api.stats;

import io.netty.channel.EventLoop;
import io.sluice.api.ApiException;
import io.sluice.api.view.BitrateView;
import io.sluice.api.view.LossView;
import io.sluice.api.view.RetransmissionView;
import io.sluice.api.view.SessionView;
import io.sluice.api.view.StreamView;
import io.sluice.api.view.TrackView;
import io.sluice.node.MediaNode;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.live.LiveTrack;
import io.sluice.node.live.ReaderStats;
import io.sluice.node.nativeproto.NativePullerInfo;
import io.sluice.node.nativeproto.NativePushInfo;
import io.sluice.node.nativeproto.NativeServer;
import io.sluice.node.rtsp.RtspSessionInfo;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.node.vod.room.FilmRoom;
import io.sluice.node.vod.room.FilmViewer;
import io.sluice.rtp.NtpTime;
import io.sluice.rtp.ReceptionStatistics;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * Turns the node's counters into what people read: bitrates over 1, 3 and 10 s, loss over 2, 10 and
 * 60 s, per-path totals that only grow (for Prometheus counters).
 *
 * <p>A {@link #snapshot()} reads every stream's counters on its media loop, the thread that writes them,
 * so numbers of one stream are consistent with each other; {@link #record} keeps a snapshot in the
 * history that windows are measured against, once a second. The history is confined to the caller's
 * thread (the HTTP event loop). {@code nanoClock} must be the node's clock: stream ages are measured on it.
 */
public final class NodeStats {

    public static final long[] BITRATE_WINDOWS_NS = {seconds(1), seconds(3), seconds(10)};
    public static final long[] LOSS_WINDOWS_NS = {seconds(2), seconds(10), seconds(60)};
    private static final int HISTORY_SAMPLES = 64;
    private static final long SNAPSHOT_TIMEOUT_MS = 2000;
    private static final double DLSR_UNITS_PER_MS = 65.536;

    /**
     * Everything read at one tick: the streams, the RTSP sessions and the native protocol's pushers and pullers,
     * with the pushes by liveId and the pullers by each liveId they pull (looked up per stream, so that a tick
     * stays linear in streams plus sessions), and the film viewers by their RTSP session id.
     */
    public record Snapshot(long nowNs, List<StreamSample> streams, List<RtspSessionInfo> sessions,
                           List<NativePushInfo> pushes, List<NativePullerInfo> pullers,
                           Map<String, NativePushInfo> pushByLiveId,
                           Map<String, List<NativePullerInfo>> pullersByLiveId,
                           Map<String, FilmViewer> filmViewers) {

        static Snapshot of(long nowNs, List<StreamSample> streams, List<RtspSessionInfo> sessions,
                           List<NativePushInfo> pushes, List<NativePullerInfo> pullers,
                           Collection<FilmViewer> filmViewers) {
            Map<String, NativePushInfo> pushByLiveId = new HashMap<>();
            for (NativePushInfo p : pushes) {
                pushByLiveId.put(p.liveId(), p);
            }
            Map<String, List<NativePullerInfo>> pullersByLiveId = new HashMap<>();
            for (NativePullerInfo p : pullers) {
                for (String liveId : p.pulling()) {
                    pullersByLiveId.computeIfAbsent(liveId, k -> new ArrayList<>()).add(p);
                }
            }
            Map<String, FilmViewer> viewersById = new HashMap<>();
            for (FilmViewer v : filmViewers) {
                viewersById.put(v.id(), v);
            }
            return new Snapshot(nowNs, streams, sessions, pushes, pullers, pushByLiveId, pullersByLiveId,
                    viewersById);
        }

        /** RTSP and native sessions. */
        public int sessionCount() {
            return sessions.size() + pushes.size() + pullers.size();
        }

        /** The native push feeding {@code stream}, or null when it is not natively pushed. */
        public NativePushInfo pushOf(LiveStream stream) {
            NativePushInfo p = pushByLiveId.get(stream.name());
            return p != null && stream.publisherSessionId().equals(NATIVE_PREFIX + p.ssrc()) ? p : null;
        }

        /** The native pullers receiving {@code liveId}. */
        public List<NativePullerInfo> pullersOf(String liveId) {
            return pullersByLiveId.getOrDefault(liveId, List.of());
        }
    }

    /** What a native protocol session id starts with; a pusher's is its stream's publisher session id. */
    public static final String NATIVE_PREFIX = "native-";
    /** A native puller's session id is this and its client id. */
    public static final String NATIVE_PULLER_PREFIX = "native-pull-";
    /** The protocol of a film's path totals: its source is the library, as a stream's is its publisher. */
    public static final String FILM_PROTOCOL = "film";
    /** The publisher session id of a stream pulled from its origin node (see the cluster module). */
    private static final String ORIGIN_PREFIX = "pull-";

    /** Per live path, counters that never go down while the path exists, and its current gauges. */
    public static final class PathTotals {
        public final String path;
        public final String protocol;
        long bytesIn;
        long packetsIn;
        long bytesOut;
        long packetsOut;
        long drops;
        long keyframeSkips;
        long nacked;
        long resent;
        int readers;
        long lostIn;
        long lostOut;

        PathTotals(String path, String protocol) {
            this.path = path;
            this.protocol = protocol;
        }

        public long bytesIn() {
            return bytesIn;
        }

        public long packetsIn() {
            return packetsIn;
        }

        public long bytesOut() {
            return bytesOut;
        }

        public long packetsOut() {
            return packetsOut;
        }

        public long drops() {
            return drops;
        }

        public long keyframeSkips() {
            return keyframeSkips;
        }

        /** Packets readers asked for again (generic NACK). */
        public long nacked() {
            return nacked;
        }

        /** Packets sent again in answer, as originals or RTX. */
        public long resent() {
            return resent;
        }

        public int readers() {
            return readers;
        }

        /** Packets lost from the publisher now (expected minus received). */
        public long lostIn() {
            return lostIn;
        }

        /** Packets the readers' last Receiver Reports say they lost, summed. */
        public long lostOut() {
            return lostOut;
        }
    }

    /** What one stream's past looks like, and the readers' counts at the last tick. */
    private static final class StreamHistory {
        final CounterHistory bytesIn = new CounterHistory(HISTORY_SAMPLES);
        final CounterHistory bytesOut = new CounterHistory(HISTORY_SAMPLES);
        final Map<LiveReader, ReaderSample> lastReaders = new IdentityHashMap<>();
        long departedBytes;
        long departedPackets;
        long departedDrops;
        long departedSkips;
        long departedNacked;
        long departedResent;
        long lastBytesIn;
        long lastPacketsIn;
        long lastBytesOut;
        long lastPacketsOut;
        long lastDrops;
        long lastSkips;
        long lastNacked;
        long lastResent;
    }

    private static final class SessionHistory {
        final CounterHistory expected = new CounterHistory(HISTORY_SAMPLES);
        final CounterHistory lost = new CounterHistory(HISTORY_SAMPLES);
    }

    private final Supplier<Collection<LiveStream>> streamSource;
    private final Supplier<List<RtspSessionInfo>> sessionSource;
    private final Supplier<List<NativePushInfo>> pushSource;
    private final Supplier<List<NativePullerInfo>> pullerSource;
    private final Supplier<Collection<FilmViewer>> filmViewerSource;
    private final LongSupplier nanoClock;
    private final LongSupplier wallClockMs;
    private final Map<LiveStream, StreamHistory> streams = new IdentityHashMap<>();
    private final Map<String, SessionHistory> sessions = new HashMap<>();
    private final Map<String, PathTotals> paths = new LinkedHashMap<>();
    /** Film viewers as of the last record with (bytes, packets) sent; per film path, what viewers gone had been sent. */
    private final Map<FilmViewer, long[]> lastFilmViewers = new IdentityHashMap<>();
    private final Map<String, long[]> departedFilmOut = new HashMap<>();
    private final Map<String, long[]> lastFilmOut = new HashMap<>();
    private final CounterHistory filmBytesOut = new CounterHistory(HISTORY_SAMPLES);
    private long filmBytesTotal;
    private long filmBitrateOut;

    public NodeStats(Supplier<Collection<LiveStream>> streamSource, Supplier<List<RtspSessionInfo>> sessionSource,
                     Supplier<List<NativePushInfo>> pushSource, Supplier<List<NativePullerInfo>> pullerSource,
                     Supplier<Collection<FilmViewer>> filmViewerSource, LongSupplier nanoClock,
                     LongSupplier wallClockMs) {
        this.streamSource = streamSource;
        this.sessionSource = sessionSource;
        this.pushSource = pushSource;
        this.pullerSource = pullerSource;
        this.filmViewerSource = filmViewerSource;
        this.nanoClock = nanoClock;
        this.wallClockMs = wallClockMs;
    }

    public static NodeStats of(MediaNode node, LongSupplier nanoClock, LongSupplier wallClockMs) {
        NativeServer nativeServer = node.nativeServer();
        return new NodeStats(() -> node.paths().all(), node::rtspSessions, nativeServer::pushes, nativeServer::pullers,
                () -> filmViewers(node.films()), nanoClock, wallClockMs);
    }

    /** Every film viewer of every room; any thread. */
    private static List<FilmViewer> filmViewers(FilmLibrary films) {
        List<FilmViewer> viewers = new ArrayList<>();
        for (FilmRoom room : films.rooms().all()) {
            viewers.addAll(room.viewers());
        }
        return viewers;
    }

    /** Reads every stream on its media loop; waits for them at most two seconds (then answers 503). */
    public Snapshot snapshot() {
        Map<EventLoop, List<LiveStream>> byLoop = new IdentityHashMap<>();
        for (LiveStream s : streamSource.get()) {
            byLoop.computeIfAbsent(s.mediaLoop(), l -> new ArrayList<>()).add(s);
        }
        List<CompletableFuture<List<StreamSample>>> pending = new ArrayList<>();
        for (Map.Entry<EventLoop, List<LiveStream>> e : byLoop.entrySet()) {
            List<LiveStream> group = e.getValue();
            pending.add(CompletableFuture.supplyAsync(() -> {
                long nowNs = nanoClock.getAsLong();
                long nowMs = wallClockMs.getAsLong();
                return group.stream().map(s -> sample(s, nowNs, nowMs)).toList();
            }, e.getKey()));
        }
        List<StreamSample> samples = new ArrayList<>();
        try {
            for (CompletableFuture<List<StreamSample>> f : pending) {
                samples.addAll(f.get(SNAPSHOT_TIMEOUT_MS, TimeUnit.MILLISECONDS));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiException.unavailable("interrupted while reading the streams");
        } catch (ExecutionException | TimeoutException e) {
            throw ApiException.unavailable("the media loop did not answer: " + e);
        }
        samples.sort((a, b) -> a.stream().name().compareTo(b.stream().name()));
        List<NativePushInfo> pushes;
        List<NativePullerInfo> pullers;
        try {
            pushes = pushSource.get();
            pullers = pullerSource.get();
        } catch (IllegalStateException e) {
            throw ApiException.unavailable(e.getMessage());
        }
        return Snapshot.of(nanoClock.getAsLong(), samples, sessionSource.get(), pushes, pullers,
                filmViewerSource.get());
    }

    /**
     * Media loop: one stream's counters. Its readers include those of the stream presented in its place to RTSP
     * readers (a native push's TS demuxed into tracks, not among the paths), whose sessions name that stream.
     */
    static StreamSample sample(LiveStream s, long nowNs, long nowMs) {
        List<StreamSample.TrackSample> tracks = new ArrayList<>();
        long bytes = 0;
        long packets = 0;
        long expected = 0;
        long lost = 0;
        Double delayMs = null;
        for (LiveTrack t : s.tracks()) {
            ReceptionStatistics r = t.reception();
            long trackLost = Math.max(0, r.expected() - r.received());
            tracks.add(new StreamSample.TrackSample(t.index(), t.media().type(), t.encodingName(), t.clockRate(),
                    t.ssrcKnown() ? Integer.toUnsignedLong(t.ssrc()) : null, t.packetsReceived(), t.bytesReceived(),
                    trackLost, r.jitterTicks() * 1000.0 / t.clockRate()));
            bytes += t.bytesReceived();
            packets += t.packetsReceived();
            expected += r.expected();
            lost += trackLost;
            if (delayMs == null && t.srKnown()) {
                double sinceReportMs = r.delaySinceLastSrUnits(nowNs) / DLSR_UNITS_PER_MS;
                double reportWallMs = NtpTime.toEpochNanos(t.lastSrNtp()) / 1e6;
                delayMs = round1(nowMs - reportWallMs - sinceReportMs);
            }
        }
        List<ReaderSample> readers = new ArrayList<>();
        Map<LiveReader, ReaderSample> byReader = new IdentityHashMap<>();
        addReaders(s, readers, byReader);
        LiveStream presented = presentedIn(s);
        return new StreamSample(s, presented, nowNs, bytes, packets, expected, lost, delayMs, tracks, readers,
                byReader);
    }

    /** The stream RTSP readers of {@code s} play in its place, or null when they play {@code s}. */
    private static LiveStream presentedIn(LiveStream s) {
        CompletableFuture<LiveStream> p = s.presentation();
        if (!p.isDone() || p.isCompletedExceptionally()) {
            return null;
        }
        LiveStream presented = p.join();
        return presented != s ? presented : null;
    }

    private static void addReaders(LiveStream s, List<ReaderSample> readers, Map<LiveReader, ReaderSample> byReader) {
        List<LiveTrack> streamTracks = s.tracks();
        int clockRate = streamTracks.isEmpty() ? 90_000 : streamTracks.get(0).clockRate();
        for (LiveReader reader : s.readers()) {
            ReaderStats st = reader.stats();
            boolean reported = st.lastReportNs() != 0;
            readers.add(new ReaderSample(reader, reader.sessionId(), reader.transportKind(), st.bytesSent(),
                    st.packetsSent(), st.drops(), st.keyframeSkips(), Math.max(0, st.cumulativeLost()),
                    reported ? round1(st.jitterTicks() * 1000.0 / clockRate) : null,
                    st.roundTripNs() >= 0 ? round1(st.roundTripNs() / 1e6) : null, st.nackedPackets(), st.resent()));
            byReader.put(reader, readers.get(readers.size() - 1));
        }
    }

    /** Keeps a snapshot as the point later windows are measured from, and updates the path totals. */
    public void record(Snapshot snapshot) {
        Map<LiveStream, StreamHistory> seen = new IdentityHashMap<>();
        Map<String, PathTotals> livePaths = new LinkedHashMap<>();
        for (StreamSample s : snapshot.streams()) {
            StreamHistory h = streams.computeIfAbsent(s.stream(), k -> new StreamHistory());
            seen.put(s.stream(), h);
            Map<LiveReader, ReaderSample> now = new IdentityHashMap<>();
            for (ReaderSample r : s.readers()) {
                now.put(r.reader(), r);
            }
            for (Map.Entry<LiveReader, ReaderSample> gone : h.lastReaders.entrySet()) {
                if (!now.containsKey(gone.getKey())) {
                    ReaderSample r = gone.getValue();
                    h.departedBytes += r.bytes();
                    h.departedPackets += r.packets();
                    h.departedDrops += r.drops();
                    h.departedSkips += r.keyframeSkips();
                    h.departedNacked += r.nacked();
                    h.departedResent += r.resent();
                }
            }
            h.lastReaders.clear();
            h.lastReaders.putAll(now);
            long bytesOut = bytesOut(s, h);
            h.bytesIn.record(s.nowNs(), s.bytesIn());
            h.bytesOut.record(s.nowNs(), bytesOut);

            PathTotals p = paths.computeIfAbsent(s.stream().name(),
                    name -> new PathTotals(name, protocolOf(s.stream(), snapshot)));
            livePaths.put(p.path, p);
            long packetsOut = h.departedPackets + s.readers().stream().mapToLong(ReaderSample::packets).sum();
            long drops = h.departedDrops + s.readers().stream().mapToLong(ReaderSample::drops).sum();
            long skips = h.departedSkips + s.readers().stream().mapToLong(ReaderSample::keyframeSkips).sum();
            long nacked = h.departedNacked + s.readers().stream().mapToLong(ReaderSample::nacked).sum();
            long resent = h.departedResent + s.readers().stream().mapToLong(ReaderSample::resent).sum();
            p.bytesIn += Math.max(0, s.bytesIn() - h.lastBytesIn);
            p.packetsIn += Math.max(0, s.packetsIn() - h.lastPacketsIn);
            p.bytesOut += Math.max(0, bytesOut - h.lastBytesOut);
            p.packetsOut += Math.max(0, packetsOut - h.lastPacketsOut);
            p.drops += Math.max(0, drops - h.lastDrops);
            p.keyframeSkips += Math.max(0, skips - h.lastSkips);
            p.nacked += Math.max(0, nacked - h.lastNacked);
            p.resent += Math.max(0, resent - h.lastResent);
            p.readers = readerCount(s, snapshot);
            p.lostIn = s.lost();
            p.lostOut = s.readers().stream().mapToLong(ReaderSample::cumulativeLost).sum();
            h.lastBytesIn = s.bytesIn();
            h.lastPacketsIn = s.packetsIn();
            h.lastBytesOut = bytesOut;
            h.lastPacketsOut = packetsOut;
            h.lastDrops = drops;
            h.lastSkips = skips;
            h.lastNacked = nacked;
            h.lastResent = resent;
        }
        streams.keySet().retainAll(seen.keySet());
        recordFilms(snapshot, livePaths);
        paths.keySet().retainAll(livePaths.keySet());

        Map<String, SessionHistory> seenSessions = new HashMap<>();
        for (RtspSessionInfo info : snapshot.sessions()) {
            long[] el = expectedAndLost(info, snapshot);
            if (el == null) {
                continue;
            }
            SessionHistory h = sessions.computeIfAbsent(info.id(), k -> new SessionHistory());
            h.expected.record(snapshot.nowNs(), el[0]);
            h.lost.record(snapshot.nowNs(), el[1]);
            seenSessions.put(info.id(), h);
        }
        for (NativePushInfo push : snapshot.pushes()) {
            SessionHistory h = sessions.computeIfAbsent(NATIVE_PREFIX + push.ssrc(), k -> new SessionHistory());
            h.expected.record(snapshot.nowNs(), push.packetsReceived() + push.lost());
            h.lost.record(snapshot.nowNs(), push.lost());
            seenSessions.put(NATIVE_PREFIX + push.ssrc(), h);
        }
        sessions.keySet().retainAll(seenSessions.keySet());
    }

    /**
     * The films played now are paths {@code vod/FID} of protocol "film": what their viewers (RTSP and native)
     * were sent while the film had viewers, counting those who left since.
     */
    private void recordFilms(Snapshot snapshot, Map<String, PathTotals> livePaths) {
        Map<FilmViewer, long[]> now = new IdentityHashMap<>();
        Map<String, long[]> byPath = new HashMap<>();
        for (FilmViewer v : snapshot.filmViewers().values()) {
            long[] sent = {v.bytesSent(), v.packetsSent()};
            now.put(v, sent);
            long[] t = byPath.computeIfAbsent(filmPath(v), k -> new long[3]);
            t[0] += sent[0];
            t[1] += sent[1];
            t[2]++;
        }
        for (Map.Entry<FilmViewer, long[]> gone : lastFilmViewers.entrySet()) {
            if (!now.containsKey(gone.getKey())) {
                long[] d = departedFilmOut.computeIfAbsent(filmPath(gone.getKey()), k -> new long[2]);
                d[0] += gone.getValue()[0];
                d[1] += gone.getValue()[1];
            }
        }
        lastFilmViewers.clear();
        lastFilmViewers.putAll(now);
        for (Map.Entry<String, long[]> e : byPath.entrySet()) {
            PathTotals p = paths.computeIfAbsent(e.getKey(), name -> new PathTotals(name, FILM_PROTOCOL));
            livePaths.put(p.path, p);
            long[] departed = departedFilmOut.getOrDefault(e.getKey(), new long[2]);
            long[] last = lastFilmOut.getOrDefault(e.getKey(), new long[2]);
            long bytes = departed[0] + e.getValue()[0];
            long packets = departed[1] + e.getValue()[1];
            long grown = Math.max(0, bytes - last[0]);
            p.bytesOut += grown;
            p.packetsOut += Math.max(0, packets - last[1]);
            p.readers = (int) e.getValue()[2];
            filmBytesTotal += grown;
            lastFilmOut.put(e.getKey(), new long[] {bytes, packets});
        }
        departedFilmOut.keySet().retainAll(byPath.keySet());
        lastFilmOut.keySet().retainAll(byPath.keySet());
        filmBytesOut.record(snapshot.nowNs(), filmBytesTotal);
        filmBitrateOut = Math.round(filmBytesOut.over(snapshot.nowNs(), filmBytesTotal, BITRATE_WINDOWS_NS[1])
                .perSecond() * 8);
    }

    private static String filmPath(FilmViewer viewer) {
        return "vod/" + viewer.room().fid();
    }

    /** Bits per second sent to the viewers of films over the 3 s before the last {@link #record}. */
    public long filmBitrateOut() {
        return filmBitrateOut;
    }

    /** The totals of the live paths and of the films played, as of the last {@link #record}. */
    public Collection<PathTotals> pathTotals() {
        return paths.values();
    }

    public List<StreamView> streamViews(Snapshot snapshot) {
        return snapshot.streams().stream().map(s -> streamView(snapshot, s)).toList();
    }

    public StreamView streamView(Snapshot snapshot, StreamSample s) {
        LiveStream stream = s.stream();
        StreamHistory h = streams.get(stream);
        long bytesOut = h == null ? sumBytes(s) : bytesOut(s, h);
        long packetsOut = (h == null ? 0 : h.departedPackets) + s.readers().stream().mapToLong(ReaderSample::packets).sum();
        long[] bits = new long[BITRATE_WINDOWS_NS.length];
        for (int i = 0; i < bits.length; i++) {
            bits[i] = h == null ? 0 : Math.round(h.bytesIn.over(s.nowNs(), s.bytesIn(), BITRATE_WINDOWS_NS[i]).perSecond() * 8);
        }
        List<TrackView> tracks = s.tracks().stream()
                .map(t -> new TrackView(t.index(), t.media(), t.codec(), t.clockRate(), t.ssrc(), t.packets(),
                        t.bytes(), t.lost(), round1(t.jitterMs())))
                .toList();
        Long ssrc = tracks.isEmpty() ? null : tracks.get(0).ssrc();
        String publisherTransport = "-";
        String publisher = stream.publisherAddress();
        Double delayMs = s.delayMs();
        RetransmissionView fromPublisher = RetransmissionView.NONE;
        NativePushInfo push = snapshot.pushOf(stream);
        if (push != null) {
            publisherTransport = "udp";
            publisher = push.address() + ":" + push.port();
            delayMs = push.delayMs() < 0 ? null : (double) push.delayMs();
            fromPublisher = new RetransmissionView(push.retransmitRequests(), push.recovered());
        }
        for (RtspSessionInfo info : snapshot.sessions()) {
            if (info.id().equals(stream.publisherSessionId())) {
                publisherTransport = info.transport();
            }
        }
        long requested = (h == null ? 0 : h.departedNacked) + s.readers().stream().mapToLong(ReaderSample::nacked).sum();
        long resent = (h == null ? 0 : h.departedResent) + s.readers().stream().mapToLong(ReaderSample::resent).sum();
        List<NativePullerInfo> pullers = snapshot.pullersOf(stream.name());
        for (NativePullerInfo p : pullers) {
            requested += p.requested();
            resent += p.retransmitted();
        }
        return new StreamView(stream.name(), stream.state().name().toLowerCase(Locale.ROOT), ssrc, publisher,
                protocolOf(stream, snapshot), publisherTransport, tracks, new BitrateView(bits[0], bits[1], bits[2]),
                readerCount(s, snapshot), delayMs, s.bytesIn(), s.packetsIn(), bytesOut, packetsOut,
                Math.max(0, (s.nowNs() - stream.createdNs()) / 1_000_000), pullers.size(),
                new RetransmissionView(requested, resent), fromPublisher);
    }

    /** "native", "origin" (pulled from the node it is published on) or "rtsp". */
    private static String protocolOf(LiveStream stream, Snapshot snapshot) {
        if (snapshot.pushOf(stream) != null) {
            return "native";
        }
        return stream.publisherSessionId().startsWith(ORIGIN_PREFIX) ? "origin" : "rtsp";
    }

    /**
     * RTSP readers and native pullers. A puller is a reader of the stream itself when it is published as
     * MPEG-TS, else of a bridge that is one reader of the stream; either way it counts once, as a puller.
     */
    static int readerCount(StreamSample s, Snapshot snapshot) {
        int rtsp = 0;
        for (ReaderSample r : s.readers()) {
            if (!r.sessionId().startsWith(NATIVE_PREFIX)) {
                rtsp++;
            }
        }
        return rtsp + snapshot.pullersOf(s.stream().name()).size();
    }

    /** Bits per second sent to the readers of a stream over the last 3 s. */
    public long bitrateOut(StreamSample s) {
        StreamHistory h = streams.get(s.stream());
        return h == null ? 0 : Math.round(h.bytesOut.over(s.nowNs(), bytesOut(s, h), BITRATE_WINDOWS_NS[1]).perSecond() * 8);
    }

    public List<SessionView> sessionViews(Snapshot snapshot) {
        List<SessionView> views = new ArrayList<>();
        for (RtspSessionInfo info : snapshot.sessions()) {
            views.add(sessionView(info, snapshot));
        }
        Map<String, StreamSample> byName = new HashMap<>();
        for (StreamSample s : snapshot.streams()) {
            byName.put(s.stream().name(), s);
        }
        for (NativePushInfo push : snapshot.pushes()) {
            views.add(pushView(push, byName.get(push.liveId()), snapshot));
        }
        for (NativePullerInfo puller : snapshot.pullers()) {
            views.add(pullerView(puller, snapshot));
        }
        views.sort((a, b) -> a.path().equals(b.path()) ? a.role().compareTo(b.role()) : a.path().compareTo(b.path()));
        return views;
    }

    private SessionView sessionView(RtspSessionInfo info, Snapshot snapshot) {
        String address = info.remote() == null ? "-"
                : info.remote().getAddress().getHostAddress() + ":" + info.remote().getPort();
        String state = info.state() == null ? "-" : info.state().name();
        long bytes = 0;
        long packets = 0;
        Double jitterMs = null;
        Double rttMs = null;
        long drops = 0;
        long skips = 0;
        RetransmissionView retransmissions = RetransmissionView.NONE;
        StreamSample stream = find(snapshot, info.stream());
        FilmViewer film = snapshot.filmViewers().get(info.id());
        if (film != null) {
            bytes = film.bytesSent();
            packets = film.packetsSent();
        } else if ("publisher".equals(info.role()) && stream != null) {
            bytes = stream.bytesIn();
            packets = stream.packetsIn();
            for (StreamSample.TrackSample t : stream.tracks()) {
                jitterMs = round1(Math.max(jitterMs == null ? 0 : jitterMs, t.jitterMs()));
            }
        } else {
            ReaderSample r = readerOf(stream, info.reader());
            if (r != null) {
                bytes = r.bytes();
                packets = r.packets();
                jitterMs = r.jitterMs();
                rttMs = r.rttMs();
                drops = r.drops();
                skips = r.keyframeSkips();
                retransmissions = new RetransmissionView(r.nacked(), r.resent());
            }
        }
        return new SessionView(info.id(), address, "rtsp", info.role(), info.transport(), info.path(), state, bytes,
                packets, loss(info, snapshot), jitterMs, rttMs, drops, skips, retransmissions);
    }

    /** A native pusher's session; {@code stream} is the sample of its liveId, null when it has none now. */
    private SessionView pushView(NativePushInfo push, StreamSample stream, Snapshot snapshot) {
        String id = NATIVE_PREFIX + push.ssrc();
        long bytes = stream != null && stream.stream().publisherSessionId().equals(id) ? stream.bytesIn() : 0;
        SessionHistory h = sessions.get(id);
        double[] shares = new double[LOSS_WINDOWS_NS.length];
        for (int i = 0; h != null && i < shares.length; i++) {
            long expected = h.expected.over(snapshot.nowNs(), push.packetsReceived() + push.lost(),
                    LOSS_WINDOWS_NS[i]).value();
            long lost = h.lost.over(snapshot.nowNs(), push.lost(), LOSS_WINDOWS_NS[i]).value();
            shares[i] = expected <= 0 || lost <= 0 ? 0 : Math.min(1.0, (double) lost / expected);
        }
        return new SessionView(id, push.address() + ":" + push.port(), "native", "publisher", "udp", push.liveId(),
                "PUSH", bytes, push.packetsReceived(), new LossView(round4(shares[0]), round4(shares[1]),
                round4(shares[2])), null, null, 0, 0,
                new RetransmissionView(push.retransmitRequests(), push.recovered()));
    }

    private static SessionView pullerView(NativePullerInfo puller, Snapshot snapshot) {
        List<String> liveIds = puller.pulling().isEmpty() ? puller.waiting() : puller.pulling();
        // Its readers of streams published as MPEG-TS; those of a bridge's output are not among the paths.
        String readerPrefix = NATIVE_PREFIX + puller.clientId() + "/";
        long drops = 0;
        long skips = 0;
        for (StreamSample s : snapshot.streams()) {
            for (ReaderSample r : s.readers()) {
                if (r.sessionId().startsWith(readerPrefix)) {
                    drops += r.drops();
                    skips += r.keyframeSkips();
                }
            }
        }
        return new SessionView(NATIVE_PULLER_PREFIX + puller.clientId(), puller.address() + ":" + puller.port(),
                "native", "reader", "udp", String.join(",", liveIds), puller.pulling().isEmpty() ? "WAITING" : "PULL",
                puller.bytesSent(), puller.packetsSent(), new LossView(round4(puller.loss2s()),
                round4(puller.loss10s()), round4(puller.loss60s())), null, null, drops, skips,
                new RetransmissionView(puller.requested(), puller.retransmitted()));
    }

    private LossView loss(RtspSessionInfo info, Snapshot snapshot) {
        SessionHistory h = sessions.get(info.id());
        long[] el = expectedAndLost(info, snapshot);
        if (h == null || el == null) {
            return new LossView(0, 0, 0);
        }
        double[] shares = new double[LOSS_WINDOWS_NS.length];
        for (int i = 0; i < shares.length; i++) {
            long expected = h.expected.over(snapshot.nowNs(), el[0], LOSS_WINDOWS_NS[i]).value();
            long lost = h.lost.over(snapshot.nowNs(), el[1], LOSS_WINDOWS_NS[i]).value();
            shares[i] = expected <= 0 || lost <= 0 ? 0 : Math.min(1.0, (double) lost / expected);
        }
        return new LossView(round4(shares[0]), round4(shares[1]), round4(shares[2]));
    }

    /** (packets expected, packets lost) of a session so far, or null when it has no packets to count. */
    private static long[] expectedAndLost(RtspSessionInfo info, Snapshot snapshot) {
        StreamSample stream = find(snapshot, info.stream());
        if (stream == null) {
            return null;
        }
        if ("publisher".equals(info.role())) {
            return new long[] {stream.expected(), stream.lost()};
        }
        ReaderSample r = readerOf(stream, info.reader());
        return r == null ? null : new long[] {r.packets(), r.cumulativeLost()};
    }

    private static StreamSample find(Snapshot snapshot, LiveStream stream) {
        if (stream == null) {
            return null;
        }
        for (StreamSample s : snapshot.streams()) {
            if (s.stream() == stream || s.presented() == stream) {
                return s;
            }
        }
        return null;
    }

    private static ReaderSample readerOf(StreamSample stream, LiveReader reader) {
        // Looked up per session: a scan of the stream's readers made every sample O(readers squared).
        return stream == null || reader == null ? null : stream.readerSamples().get(reader);
    }

    private static long bytesOut(StreamSample s, StreamHistory h) {
        return h.departedBytes + sumBytes(s);
    }

    private static long sumBytes(StreamSample s) {
        return s.readers().stream().mapToLong(ReaderSample::bytes).sum();
    }

    private static long seconds(long s) {
        return TimeUnit.SECONDS.toNanos(s);
    }

    static double round1(double v) {
        return Math.round(v * 10) / 10.0;
    }

    private static double round4(double v) {
        return Math.round(v * 10_000) / 10_000.0;
    }
}

package io.sluice.node.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.EventLoop;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.NodeConfig;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.rtcp.RtcpPacket;
import io.sluice.rtp.rtcp.RtcpPacketType;
import io.sluice.rtp.rtcp.SenderReport;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A live path with its publisher: the announced tracks, the GOP cache and the readers it fans out to.
 *
 * <p>Every method that touches packets or readers runs on the stream's media loop, so the fan-out needs
 * no lock: a packet is parsed in place, offered to the GOP cache (which retains it) and handed to each
 * reader, whose transport retains what it sends. Readers are added and removed by tasks on the same loop.
 */
public final class LiveStream {

    private static final Logger log = LoggerFactory.getLogger(LiveStream.class);
    private static final long CATCH_UP_TICK_MS = 5;

    /** Where a stream is in its life: announced but not yet recording, relaying, or over. */
    public enum State { ANNOUNCED, LIVE, ENDED }

    private final String name;
    private final String publisherSessionId;
    private final String publisherAddress;
    private final SessionDescription announced;
    private final LiveTrack[] tracks;
    /**
     * The track whose keyframes readers start on, or -1: set from the start, or at the first keyframe of a
     * track whose format need not mark them (MPEG-TS).
     */
    private int keyframeTrack;
    /** The first track whose keyframes the node can find, or -1. */
    private final int keyframeCandidate;
    private final GopCache gopCache;
    private final EventLoop mediaLoop;
    private final ByteBufAllocator alloc;
    private final LongSupplier nanoClock;
    private final List<LiveReader> readers = new ArrayList<>();
    /** A copy for the API, which must not walk the media loop's list. */
    private final CopyOnWriteArrayList<LiveReader> readerView = new CopyOnWriteArrayList<>();
    private final long createdNs;
    private volatile State state = State.ANNOUNCED;
    private volatile long lastPacketNs;
    /** What RTSP readers play instead of this stream; null: this stream itself. */
    private volatile CompletableFuture<LiveStream> presentation;

    private final boolean offerNack;
    /** Packets held until their frame's last one (the marker), at most {@link #frameHoldNs}. */
    private final HeldPackets held = new HeldPackets();
    private final PacketRun run = new PacketRun();
    private final long frameHoldNs;
    private final Runnable holdTimeout = () -> {
        holdTimer = null;
        if (!held.isEmpty()) {
            fanOutHeld();
        }
    };
    /** The wait for the held frame's marker, or null: cancelled when the frame goes whole, so no wakeup is idle. */
    private io.netty.util.concurrent.ScheduledFuture<?> holdTimer;
    /** Per track, the RFC 4588 RTX payload type offered for its first format, or -1. */
    private final int[] rtxPayloadTypes;
    private final long rtxTimeMs;
    private final long catchUpBytesPerSecond;
    private final int catchUpBurstBytes;
    private final int catchUpSpeed;
    private final int catchUpMaxPackets;
    private io.netty.util.concurrent.ScheduledFuture<?> catchUpTick;
    private String endReason;

    LiveStream(String name, String publisherSessionId, String publisherAddress, SessionDescription announced,
               NodeConfig config, EventLoop mediaLoop, ByteBufAllocator alloc, LongSupplier nanoClock) {
        this.name = name;
        this.publisherSessionId = publisherSessionId;
        this.publisherAddress = publisherAddress;
        this.announced = announced;
        List<MediaDescription> media = announced.media();
        this.tracks = new LiveTrack[media.size()];
        int firstKeyframeTrack = -1;
        for (int i = 0; i < tracks.length; i++) {
            tracks[i] = new LiveTrack(i, media.get(i), new PacketRing(config.retransmissionHistory().toNanos(),
                    config.retransmissionMaxPackets()));
            if (firstKeyframeTrack < 0 && tracks[i].hasKeyframes()) {
                firstKeyframeTrack = i;
            }
        }
        this.keyframeCandidate = firstKeyframeTrack;
        boolean marked = firstKeyframeTrack >= 0 && tracks[firstKeyframeTrack].keyframesAlwaysMarked();
        this.keyframeTrack = marked ? firstKeyframeTrack : -1;
        this.gopCache = new GopCache(config.gopCacheMaxPackets(), config.gopCacheMaxBytes(),
                config.gopCacheMinStart().toNanos(),
                firstKeyframeTrack >= 0 ? tracks[firstKeyframeTrack].keyframeLeadPackets() : 0);
        this.offerNack = config.rtspNack();
        this.frameHoldNs = config.frameHold().toNanos();
        this.rtxPayloadTypes = offerNack ? chooseRtxPayloadTypes(media) : null;
        this.rtxTimeMs = config.retransmissionHistory().toMillis();
        this.catchUpBytesPerSecond = config.readerCatchUpBytesPerSecond();
        this.catchUpBurstBytes = config.readerCatchUpBurstBytes();
        this.catchUpSpeed = config.readerCatchUpSpeed();
        this.catchUpMaxPackets = 2 * config.gopCacheMaxPackets();
        this.mediaLoop = mediaLoop;
        this.alloc = alloc;
        this.nanoClock = nanoClock;
        this.createdNs = nanoClock.getAsLong();
    }

    /** A stream announced by a publisher; its limits (GOP cache, retransmission history) come from {@code config}. */
    public static LiveStream create(String name, String publisherSessionId, String publisherAddress,
                                    SessionDescription announced, NodeConfig config, EventLoop mediaLoop,
                                    ByteBufAllocator alloc, LongSupplier nanoClock) {
        return new LiveStream(name, publisherSessionId, publisherAddress, announced, config, mediaLoop, alloc,
                nanoClock);
    }

    public String name() {
        return name;
    }

    public String publisherSessionId() {
        return publisherSessionId;
    }

    public String publisherAddress() {
        return publisherAddress;
    }

    public State state() {
        return state;
    }

    public EventLoop mediaLoop() {
        return mediaLoop;
    }

    public List<LiveTrack> tracks() {
        return List.of(tracks);
    }

    public int trackCount() {
        return tracks.length;
    }

    /**
     * Everyone reading this path: this stream's readers and those of the stream presented in its place
     * ({@link #presentAs}), so that the API and the cluster's load count a native push's RTSP readers.
     */
    public List<LiveReader> readers() {
        CompletableFuture<LiveStream> p = presentation;
        LiveStream presented = p != null && p.isDone() && !p.isCompletedExceptionally() ? p.join() : this;
        if (presented == this) {
            return List.copyOf(readerView);
        }
        List<LiveReader> all = new ArrayList<>(readerView);
        all.addAll(presented.readerView);
        return all;
    }

    public long createdNs() {
        return createdNs;
    }

    public long lastPacketNs() {
        return lastPacketNs;
    }

    /** The index of the track a reader must start on a keyframe of, or -1 for streams without one. */
    public int keyframeTrack() {
        return keyframeTrack;
    }

    /**
     * One free dynamic payload type per track for RFC 4588 retransmission streams (SSRC-multiplexed in
     * the same session), or -1 where none is left.
     */
    private static int[] chooseRtxPayloadTypes(List<MediaDescription> media) {
        java.util.Set<String> used = new java.util.HashSet<>();
        for (MediaDescription m : media) {
            used.addAll(m.formats());
        }
        int[] chosen = new int[media.size()];
        int next = 96;
        for (int i = 0; i < chosen.length; i++) {
            while (next <= 127 && used.contains(Integer.toString(next))) {
                next++;
            }
            boolean rtp = media.get(i).protocol().startsWith("RTP/AVP") && !media.get(i).formats().isEmpty();
            chosen[i] = rtp && next <= 127 ? next++ : -1;
        }
        return chosen;
    }

    /**
     * The stream RTSP readers of this path play: this one, unless {@link #presentAs} put a stream made from
     * it on the node in its place (a native push's MPEG-TS demuxed into its tracks), which completes once
     * it can be described.
     */
    public CompletableFuture<LiveStream> presentation() {
        CompletableFuture<LiveStream> p = presentation;
        return p != null ? p : CompletableFuture.completedFuture(this);
    }

    /** Sends RTSP readers who come from now on to the stream {@code next} completes with. */
    public void presentAs(CompletableFuture<LiveStream> next) {
        presentation = next;
    }

    /** Recording has begun: readers may now DESCRIBE and PLAY the stream. */
    public void goLive() {
        if (state == State.ANNOUNCED) {
            state = State.LIVE;
        }
    }

    /**
     * The SDP served to readers: the publisher's, with the control URLs rewritten to {@code trackID=N}
     * (resolved against the Content-Base the server sends) and no addresses of the publisher's. With NACK
     * on, each section says {@code RTP/AVPF} and {@code a=rtcp-fb:PT nack}: ffmpeg sends generic NACKs
     * only for AVPF media, and a player that knows no AVPF reads the section as plain AVP.
     */
    public String readerSdp(String serverAddress) {
        SessionDescription sdp = SessionDescription.parse(announced.toString());
        sdp.origin("- " + (createdNs & 0x7fffffffL) + " 1 IN IP4 " + serverAddress);
        sdp.connection("IN IP4 0.0.0.0");
        sdp.removeAttribute("control");
        sdp.setAttribute("control", "*");
        List<MediaDescription> media = sdp.media();
        for (int i = 0; i < media.size(); i++) {
            MediaDescription m = media.get(i);
            m.port(0);
            m.control("trackID=" + i);
            if (offerNack && m.protocol().startsWith("RTP/AVP")) {
                m.protocol("RTP/AVPF");
                for (String pt : List.copyOf(m.formats())) {
                    m.addAttribute("rtcp-fb", pt + " nack");
                }
                int rtxPt = rtxPayloadTypes[i];
                if (rtxPt >= 0) {
                    m.formats().add(Integer.toString(rtxPt));
                    m.addAttribute("rtpmap", rtxPt + " rtx/" + tracks[i].clockRate());
                    m.addAttribute("fmtp", rtxPt + " apt=" + m.formats().get(0) + ";rtx-time=" + rtxTimeMs);
                }
            }
        }
        return sdp.toString();
    }

    /** Media loop: one RTP packet of the publisher's. The caller keeps its reference. */
    public void onRtp(int trackIndex, ByteBuf packet) {
        if (state == State.ENDED || trackIndex < 0 || trackIndex >= tracks.length) {
            return;
        }
        long nowNs = nanoClock.getAsLong();
        lastPacketNs = nowNs;
        boolean keyframeStart = tracks[trackIndex].onPacket(packet, nowNs);
        tracks[trackIndex].history().add(packet, nowNs);
        if (keyframeStart && keyframeTrack < 0 && trackIndex == keyframeCandidate) {
            // An MPEG-TS stream whose muxer marks keyframes: from now on readers start on them.
            keyframeTrack = trackIndex;
            log.info("stream {}: keyframes found in its {} track, new readers start on them", name,
                    tracks[trackIndex].encodingName());
        }
        boolean isKeyframeTrack = trackIndex == keyframeTrack;
        if (keyframeCandidate >= 0) {
            gopCache.onPacket(trackIndex, packet, isKeyframeTrack && keyframeStart, nowNs);
        }
        if (readers.isEmpty()) {
            return;
        }
        if (frameHoldNs == 0 || !tracks[trackIndex].marksFrames()) {
            fanOut(trackIndex, packet, isKeyframeTrack && keyframeStart, nowNs);
            return;
        }
        held.add(trackIndex, packet, isKeyframeTrack && keyframeStart);
        if (RtpPacket.marker(packet) || held.isFull()) {
            fanOutHeld();
        } else if (holdTimer == null) {
            holdTimer = mediaLoop.schedule(holdTimeout, frameHoldNs, java.util.concurrent.TimeUnit.NANOSECONDS);
        }
    }

    private void cancelHoldTimer() {
        if (holdTimer != null) {
            holdTimer.cancel(false);
            holdTimer = null;
        }
    }

    /**
     * Hands the held packets to every reader, track by track, in runs that one GSO send can carry. Each
     * run is copied once into one buffer that every steady UDP reader sends a reference of: one copy per
     * frame instead of a duplicate, a send entry and a reference count per packet per reader. Readers the
     * policy must treat packet by packet (catching up, awaiting a keyframe, TCP) get them so.
     */
    private void fanOutHeld() {
        long nowNs = nanoClock.getAsLong();
        for (int track = 0; track < tracks.length; track++) {
            run.reset();
            int runStart = -1;
            for (int p = 0, n = held.size(); p < n; p++) {
                if (held.track(p) != track) {
                    continue;
                }
                int length = held.packet(p).readableBytes();
                if (!run.accepts(length)) {
                    fanOutRun(track, runStart, p, nowNs);
                    run.reset();
                    runStart = -1;
                }
                if (runStart < 0) {
                    runStart = p;
                }
                run.add(length);
            }
            if (run.members() > 0) {
                fanOutRun(track, runStart, held.size(), nowNs);
            }
        }
        held.clear();
        // Sent, by its marker, a new reader or the timer itself: nothing is left to wait for.
        cancelHoldTimer();
    }

    /** Fans out the current run: the held packets of {@code track} between {@code from} and {@code to} (exclusive). */
    private void fanOutRun(int track, int from, int to, long nowNs) {
        ByteBuf burst = alloc.directBuffer(run.bytes());
        try {
            for (int p = from; p < to; p++) {
                if (held.track(p) == track) {
                    ByteBuf packet = held.packet(p);
                    burst.writeBytes(packet, packet.readerIndex(), packet.readableBytes());
                }
            }
            boolean isKeyframeTrack = track == keyframeTrack;
            int packets = run.members();
            int segmentSize = run.segmentSize();
            for (int i = 0; i < readers.size(); ) {
                LiveReader reader = readers.get(i);
                if (!reader.deliverBurst(track, burst, segmentSize, packets, isKeyframeTrack)) {
                    for (int p = from; p < to; p++) {
                        if (held.track(p) == track) {
                            reader.deliver(track, held.packet(p), isKeyframeTrack, held.keyframeStart(p), nowNs);
                        }
                    }
                }
                if (reader.isClosed()) {
                    readers.remove(i);
                    readerView.remove(reader);
                } else {
                    i++;
                }
            }
        } finally {
            burst.release();
        }
    }

    private void fanOut(int trackIndex, ByteBuf packet, boolean keyframeStart, long nowNs) {
        boolean isKeyframeTrack = trackIndex == keyframeTrack;
        for (int i = 0; i < readers.size(); ) {
            LiveReader reader = readers.get(i);
            reader.deliver(trackIndex, packet, isKeyframeTrack, keyframeStart, nowNs);
            if (reader.isClosed()) {
                readers.remove(i);
                readerView.remove(reader);
            } else {
                i++;
            }
        }
    }

    /** Media loop: a compound RTCP packet of the publisher's; its Sender Reports are relayed to readers. */
    public void onRtcp(int trackIndex, ByteBuf compound) {
        if (state == State.ENDED || trackIndex < 0 || trackIndex >= tracks.length
                || !RtcpPacket.isValidCompound(compound)) {
            return;
        }
        long nowNs = nanoClock.getAsLong();
        int end = compound.writerIndex();
        for (int off = compound.readerIndex(); off < end; off += RtcpPacket.packetLength(compound, off)) {
            if (RtcpPacket.packetType(compound, off) != RtcpPacketType.SR) {
                continue;
            }
            LiveTrack track = trackOfSsrc(RtcpPacket.senderSsrc(compound, off), trackIndex);
            track.onSenderReport(SenderReport.ntpTimestamp(compound, off), SenderReport.rtpTimestamp(compound, off), nowNs);
            for (int i = 0, n = readers.size(); i < n; i++) {
                readers.get(i).sendSenderReport(track, nowNs, alloc);
            }
        }
    }

    /** Media loop: starts a reader, first on the GOP cache so it decodes at once. Answers the RTP-Info of its start. */
    public void addReader(LiveReader reader) {
        if (state == State.ENDED) {
            reader.close("stream ended");
            return;
        }
        if (!held.isEmpty()) {
            // The held packets are in the GOP cache already: the new reader gets them from there.
            fanOutHeld();
        }
        long nowNs = nanoClock.getAsLong();
        reader.attach(tracks, rtxPayloadTypes);
        reader.awaitKeyframe(keyframeTrack >= 0);
        reader.announceSources(tracks, nowNs, alloc);
        int from = joinIndex();
        if (reader.pacesBursts() && gopCache.size() > from) {
            long ageNs = nowNs - gopCache.arrivalNs(from);
            CatchUpQueue backlog = reader.answersWithRtx()
                    ? CatchUpQueue.delayed(ageNs, clockRates(), catchUpMaxPackets)
                    : offerNack ? CatchUpQueue.timed(ageNs, clockRates(), catchUpMaxPackets, catchUpSpeed)
                    : new CatchUpQueue(catchUpBytesPerSecond, catchUpBurstBytes, catchUpMaxPackets);
            gopCache.forEach(from, (track, packet, keyframeStart, arrivalNs) -> backlog.add(track, packet,
                    track == keyframeTrack, keyframeStart && track == keyframeTrack, arrivalNs));
            reader.startCatchUp(backlog);
            if (!reader.drainCatchUp(nowNs)) {
                scheduleCatchUp();
            }
        } else {
            gopCache.forEach(from, (track, packet, keyframeStart, arrivalNs) ->
                    reader.deliver(track, packet, track == keyframeTrack, keyframeStart && track == keyframeTrack, nowNs));
        }
        readers.add(reader);
        readerView.add(reader);
        log.info("stream {}: reader {} joined over {} ({} cached packets), {} readers",
                name, reader.sessionId(), reader.transportKind(), gopCache.size() - from, readers.size());
    }

    /**
     * Where in the GOP cache a reader joining now starts. Decided by the time of the last packet, not of
     * the call, so that {@link #startPoints()} and {@link #addReader} agree within one media-loop task.
     */
    private int joinIndex() {
        return gopCache.startIndex(lastPacketNs);
    }

    private int[] clockRates() {
        int[] rates = new int[tracks.length];
        for (int i = 0; i < tracks.length; i++) {
            rates[i] = Math.max(tracks[i].clockRate(), 0);
        }
        return rates;
    }

    /** Drains the readers' catch-up backlogs every few milliseconds while any reader has one. */
    private void scheduleCatchUp() {
        if (catchUpTick == null) {
            catchUpTick = mediaLoop.scheduleAtFixedRate(this::drainCatchUps, CATCH_UP_TICK_MS, CATCH_UP_TICK_MS,
                    java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    private void drainCatchUps() {
        long nowNs = nanoClock.getAsLong();
        boolean pending = false;
        for (int i = readers.size() - 1; i >= 0; i--) {
            LiveReader reader = readers.get(i);
            pending |= !reader.drainCatchUp(nowNs);
            if (state == State.ENDED && !reader.owedAtEnd(nowNs)) {
                endReader(i);
            }
        }
        if (state == State.ENDED && readers.isEmpty()) {
            clearHistories();
        }
        if (state == State.ENDED ? readers.isEmpty() : !pending) {
            catchUpTick.cancel(false);
            catchUpTick = null;
        }
    }

    /**
     * Media loop: where each track of a reader that joins now will start, as (sequence, timestamp) of the
     * first packet it gets, or null for a track whose next packet is not known yet.
     */
    public long[] startPoints() {
        long[] points = new long[tracks.length];
        for (int i = 0; i < tracks.length; i++) {
            ByteBuf first = gopCache.firstPacketOf(i, joinIndex());
            points[i] = first == null ? -1 : ((long) RtpPacket.sequenceNumber(first) << 32) | RtpPacket.timestamp(first);
        }
        return points;
    }

    /** Media loop: stops sending to a reader (PAUSE, TEARDOWN, its connection closing). */
    public void removeReader(LiveReader reader) {
        reader.markClosed();
        if (readers.remove(reader)) {
            readerView.remove(reader);
            log.info("stream {}: reader {} left ({}), {} readers", name, reader.sessionId(), reader.summary(),
                    readers.size());
        }
    }

    /**
     * Media loop: ends one reader as if the stream had ended for it alone: it gets BYE and its session
     * closes. Answers false when the reader was not reading this stream.
     */
    public boolean kickReader(LiveReader reader, String reason) {
        if (!readers.remove(reader)) {
            return false;
        }
        readerView.remove(reader);
        reader.sendBye(tracks, alloc);
        reader.close(reason);
        log.info("stream {}: reader {} removed ({}), {} readers", name, reader.sessionId(), reason, readers.size());
        return true;
    }

    /** Media loop: the publisher has gone. Readers get BYE and their sessions close. */
    public void end(String reason) {
        if (state == State.ENDED) {
            return;
        }
        state = State.ENDED;
        endReason = reason;
        long nowNs = nanoClock.getAsLong();
        for (int i = readers.size() - 1; i >= 0; i--) {
            // A reader behind the live edge is still owed what reached the stream before the end: it ends
            // when that has gone (see drainCatchUps).
            if (!readers.get(i).owedAtEnd(nowNs)) {
                endReader(i);
            }
        }
        held.clear();
        cancelHoldTimer();
        gopCache.clear();
        if (readers.isEmpty()) {
            clearHistories();
        }
        log.info("stream {}: ended ({})", name, reason);
    }

    private void endReader(int index) {
        LiveReader reader = readers.remove(index);
        readerView.remove(reader);
        reader.sendBye(tracks, alloc);
        reader.close("stream ended: " + endReason);
        log.info("stream {}: reader {} ended ({})", name, reader.sessionId(), reader.summary());
    }

    private void clearHistories() {
        for (LiveTrack track : tracks) {
            track.history().clear();
        }
    }

    private LiveTrack trackOfSsrc(int ssrc, int fallbackIndex) {
        for (LiveTrack t : tracks) {
            if (t.ssrcKnown() && t.ssrc() == ssrc) {
                return t;
            }
        }
        return tracks[fallbackIndex];
    }
}

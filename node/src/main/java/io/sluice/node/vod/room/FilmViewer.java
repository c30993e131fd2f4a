package io.sluice.node.vod.room;

import io.netty.buffer.ByteBuf;
import io.sluice.node.live.ReaderTransport;
import io.sluice.node.vod.media.FilmTrack;
import io.sluice.rtp.NtpTime;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.rtcp.RtcpWriter;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * One player of a film: its cursor into the room's GOPs, its pacing, its own SSRCs, sequence numbers and
 * timestamp offsets, and its RTCP. Packets leave when their media time is due (a small lead ahead); a
 * transport that refuses a packet holds this viewer's clock until it takes packets again, so a slow TCP
 * reader slows its own film and nothing else. At the end of the film it sends BYE and stays, finished:
 * the session is the player's to end (TEARDOWN, or its timeout), and a PLAY starts the film again. Closing
 * the connection under a player that is about to send TEARDOWN would turn a clean end into its error.
 *
 * <p>Fast-forward ({@code Scale: N}, N from 2 to {@link #MAX_SCALE}) sends only the keyframe that starts each
 * GOP, paced N times as fast. Timestamps stay media time, so they advance N times as fast as the wall clock
 * and the Sender Reports say so; sequence numbers run on without a gap. Audio is not sent meanwhile.
 *
 * <p>Confined to the media loop.
 */
public final class FilmViewer {

    /** Hears the viewer end on its own (end of film, stalled transport, unreadable film). */
    @FunctionalInterface
    public interface EndListener {
        void ended(String reason);
    }

    /** The answer to a PLAY: where playing really starts, per track the first sequence number and timestamp. */
    public interface PlayAnswer {
        void playing(long startUs, int[] sequenceNumbers, long[] rtpTimestamps);

        void failed(String reason);
    }

    private enum State { READY, WAITING, PLAYING, PAUSED, FINISHED, ENDED }

    private static final long SENDER_REPORT_INTERVAL_NS = 1_000_000_000L;
    private static final long RETRY_NS = 5_000_000L;
    private static final String CNAME = "sluice";
    /** The fastest fast-forward: past it a GOP a second would leave faster than most demuxers read them. */
    public static final int MAX_SCALE = 8;

    private final String id;
    private final FilmRoom room;
    private final RoomContext context;
    private final ReaderTransport transport;
    /** The transport when it re-muxes the film, else null. */
    private final RemuxingTransport remuxing;
    private final boolean[] subscribed;
    private final List<FilmTrack> tracks;
    private final EndListener endListener;
    private final Pacer pacer;
    private final int[] ssrc;
    private final int[] sequence;
    private final long[] timestampOffset;
    private final long[] packetsSent;
    private final long[] octetsSent;
    /** All tracks' packets and bytes (RTP headers included) sent: written here only, read by the API from any thread. */
    private volatile long totalPackets;
    private volatile long totalBytes;
    private final int keyTrack;
    private final Runnable pumpTask = () -> {
        wake = null;
        pump();
    };
    private State state = State.READY;
    private Gop gop;
    private int index;
    private PlayAnswer pendingAnswer;
    private VodScheduler.Scheduled wake;
    private long nextReportNs;
    /** True while the room looks the next GOP up: a GOP found then was at hand, not waited for. */
    private boolean lookingUp;
    private long playingSinceNs;
    private int scale = 1;
    /** What the viewer waits for: the GOP holding this media time, or with {@code wantExact} starting at it. */
    long wantUs;
    boolean wantExact;
    /** The demuxer this viewer follows, or null. */
    DemuxSource source;

    public FilmViewer(String id, FilmRoom room, ReaderTransport transport, boolean[] subscribedTracks,
                      EndListener endListener) {
        this.id = id;
        this.room = room;
        this.context = room.context();
        this.transport = transport;
        this.remuxing = transport instanceof RemuxingTransport r ? r : null;
        this.subscribed = subscribedTracks.clone();
        this.tracks = room.film().tracks();
        this.endListener = endListener;
        this.pacer = new Pacer(context.leadNs());
        int n = tracks.size();
        ssrc = new int[n];
        sequence = new int[n];
        timestampOffset = new long[n];
        packetsSent = new long[n];
        octetsSent = new long[n];
        keyTrack = room.film().keyTrack();
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = 0; i < n; i++) {
            ssrc[i] = random.nextInt();
            sequence[i] = random.nextInt(1 << 16);
            timestampOffset[i] = random.nextLong(1, 1L << 32);
        }
        room.join(this);
    }

    public String id() {
        return id;
    }

    public FilmRoom room() {
        return room;
    }

    public String transportKind() {
        return transport.kind();
    }

    /** The SSRC of a track's packets, for the SETUP answer. */
    public int ssrc(int track) {
        return ssrc[track];
    }

    /** How long this viewer's film stood still because its transport took no packets (TCP back-pressure). */
    public long heldNs() {
        return pacer.heldTotalNs();
    }

    /** How long this viewer's film stood still waiting for GOPs a demuxer had not read yet. */
    public long lateNs() {
        return pacer.lateTotalNs();
    }

    /** The speed playing runs at: 1, or the fast-forward factor of the last PLAY. */
    public int scale() {
        return scale;
    }

    /** When the last PLAY was answered: playing started or resumed. */
    public long playingSinceNs() {
        return playingSinceNs;
    }

    /** Packets sent so far, all tracks; any thread. */
    public long packetsSent() {
        return totalPackets;
    }

    /** Bytes of RTP packets sent so far, all tracks; any thread. */
    public long bytesSent() {
        return totalBytes;
    }

    /** Starts, resumes or repositions playing at normal speed; see {@link #play(Long, int, PlayAnswer)}. */
    public void play(Long atUs, PlayAnswer answer) {
        play(atUs, 1, answer);
    }

    /**
     * Starts, resumes or repositions playing. {@code atUs} null resumes where the viewer paused (or starts
     * at the beginning, also after the film finished); otherwise playing moves to the GOP holding that media time. The answer comes on
     * the media loop, before the first packet, once the GOP is at hand. {@code requestedScale} above 1
     * fast-forwards (capped at {@link #MAX_SCALE}) when the film's GOPs start with a video keyframe the
     * viewer set up; otherwise playing runs at normal speed. {@link #scale()} tells which.
     */
    public void play(Long atUs, int requestedScale, PlayAnswer answer) {
        if (state == State.ENDED) {
            answer.failed("the film has ended for this session");
            return;
        }
        int applied = canFastForward() ? Math.clamp(requestedScale, 1, MAX_SCALE) : 1;
        if (atUs == null && state == State.PLAYING && applied == scale) {
            answer(answer, pacer.mediaUsAt(context.nanoClock().getAsLong()));
            return;
        }
        if (atUs == null && (state == State.PAUSED || state == State.PLAYING) && gop != null) {
            long nowNs = context.nanoClock().getAsLong();
            // Mid-GOP, fast-forward starts at the next keyframe; normal speed goes on with the next packet.
            if (applied > 1 && index > 0) {
                index = gop.count;
            }
            long positionUs = index < gop.count ? gop.sendUs[index] : gop.endUs;
            long clockUs = state == State.PLAYING ? Math.min(pacer.mediaUsAt(nowNs), positionUs) : positionUs;
            cancelWake();
            scale = applied;
            state = State.PLAYING;
            answer(answer, positionUs);
            pacer.start(clockUs, nowNs, scale);
            pump();
            return;
        }
        scale = applied;
        long startUs = atUs != null ? Math.max(atUs, 0) : (state == State.PAUSED || state == State.WAITING) ? wantUs : 0;
        cancelWake();
        releaseGop();
        state = State.WAITING;
        pendingAnswer = answer;
        wantUs = startUs;
        wantExact = false;
        room.find(this);
    }

    /** Media time where playing goes on after a pause: the next packet's, or where the viewer waits for a GOP. */
    public long resumeUs() {
        if (gop == null) {
            return wantUs;
        }
        return index < gop.count ? gop.sendUs[index] : gop.endUs;
    }

    /** Stops sending; {@link #play} with no position resumes at the same packet. */
    public void pause() {
        if (state == State.PLAYING) {
            state = State.PAUSED;
            cancelWake();
        } else if (state == State.WAITING) {
            state = State.PAUSED;
            if (pendingAnswer != null) {
                PlayAnswer answer = pendingAnswer;
                pendingAnswer = null;
                answer.failed("paused before playing started");
            }
        }
    }

    /** Ends the viewer (TEARDOWN, session gone): it leaves its room. Idempotent. */
    public void close() {
        cancelWake();
        releaseGop();
        state = State.ENDED;
        if (pendingAnswer != null) {
            PlayAnswer answer = pendingAnswer;
            pendingAnswer = null;
            answer.failed("the session closed before playing started");
        }
        room.leave(this);
    }

    private boolean canFastForward() {
        return tracks.get(keyTrack).isVideo() && subscribed[keyTrack];
    }

    boolean waiting() {
        return state == State.WAITING;
    }

    /** Where the viewer is in the film, for the demuxers' read-ahead. */
    long positionUs() {
        return gop != null ? gop.startUs : wantUs;
    }

    /** Room: the GOP the viewer waited for is at hand. */
    void onGop(Gop next) {
        context.cache().pin(next);
        gop = next;
        index = 0;
        state = State.PLAYING;
        long nowNs = context.nanoClock().getAsLong();
        long firstUs = next.count > 0 ? next.sendUs[0] : next.startUs;
        if (pendingAnswer != null) {
            PlayAnswer answer = pendingAnswer;
            pendingAnswer = null;
            answer(answer, next.startUs);
            pacer.start(Math.min(firstUs, next.startUs), nowNs, scale);
            nextReportNs = nowNs;
        } else if (!lookingUp) {
            pacer.catchUp(firstUs, nowNs);
        }
        pump();
    }

    /** Room: what the viewer waits for cannot be read. */
    void onUnavailable(String reason) {
        if (pendingAnswer != null) {
            PlayAnswer answer = pendingAnswer;
            pendingAnswer = null;
            state = State.READY;
            answer.failed(reason);
        } else {
            end(reason);
        }
    }

    private void answer(PlayAnswer answer, long startUs) {
        playingSinceNs = context.nanoClock().getAsLong();
        int n = tracks.size();
        int[] seq = new int[n];
        long[] rtpTime = new long[n];
        for (int i = 0; i < n; i++) {
            seq[i] = sequence[i] & 0xFFFF;
            rtpTime[i] = (timestampOffset[i] + tracks.get(i).ticks(startUs)) & 0xFFFFFFFFL;
        }
        answer.playing(startUs, seq, rtpTime);
    }

    private void pump() {
        if (state != State.PLAYING) {
            return;
        }
        long nowNs = context.nanoClock().getAsLong();
        if (nowNs - nextReportNs >= 0) {
            sendReports(nowNs);
            nextReportNs = nowNs + SENDER_REPORT_INTERVAL_NS;
        }
        while (true) {
            if (index == gop.count) {
                if (gop.last) {
                    long endNs = pacer.dueNs(gop.endUs) + context.leadNs();
                    if (nowNs - endNs >= 0) {
                        finish();
                    } else {
                        schedule(endNs - nowNs);
                    }
                    return;
                }
                long nextUs = gop.endUs;
                releaseGop();
                state = State.WAITING;
                wantUs = nextUs;
                wantExact = true;
                lookingUp = true;
                room.find(this);
                lookingUp = false;
                return;
            }
            int track = gop.tracks[index];
            if (!subscribed[track] || (scale > 1 && track != keyTrack)) {
                index++;
                continue;
            }
            if (scale > 1 && index >= gop.keyframeEnd) {
                index = gop.count;
                continue;
            }
            long dueUs = gop.sendUs[index];
            if (!pacer.isDue(dueUs, nowNs)) {
                schedule(pacer.dueNs(dueUs) - nowNs);
                return;
            }
            if (!send(track, gop.offsets[index], gop.lengths[index])) {
                pacer.hold(nowNs);
                if (transport.stalled(nowNs)) {
                    end("stalled: the connection took no packets for longer than the stall limit");
                } else {
                    schedule(RETRY_NS);
                }
                return;
            }
            pacer.release(nowNs);
            index++;
        }
    }

    private boolean send(int track, int offset, int length) {
        ByteBuf packet = context.alloc().buffer(length);
        try {
            packet.writeBytes(gop.data, offset, length);
            long timestamp = (RtpPacket.timestamp(packet) + timestampOffset[track]) & 0xFFFFFFFFL;
            packet.setShort(RtpPacket.SEQUENCE_NUMBER_OFFSET, sequence[track]);
            packet.setInt(RtpPacket.TIMESTAMP_OFFSET, (int) timestamp);
            packet.setInt(RtpPacket.SSRC_OFFSET, ssrc[track]);
            boolean taken = remuxing != null ? remuxing.sendRtp(track, packet, gop.sendUs[index])
                    : transport.sendRtp(track, packet);
            if (!taken) {
                return false;
            }
        } finally {
            packet.release();
        }
        sequence[track] = (sequence[track] + 1) & 0xFFFF;
        packetsSent[track]++;
        octetsSent[track] += length - RtpPacket.FIXED_HEADER_LENGTH;
        totalPackets++;
        totalBytes += length;
        return true;
    }

    /** A Sender Report per track: the wall clock now and the RTP time playing now. */
    private void sendReports(long nowNs) {
        long ntp = NtpTime.fromEpochNanos(nowNs + context.epochOffsetNs());
        long mediaUs = pacer.mediaUsAt(nowNs);
        for (int i = 0; i < tracks.size(); i++) {
            if (!subscribed[i]) {
                continue;
            }
            ByteBuf report = context.alloc().buffer(64);
            RtcpWriter.writeSenderReport(report, ssrc[i], ntp,
                    (timestampOffset[i] + tracks.get(i).ticks(mediaUs)) & 0xFFFFFFFFL, packetsSent[i], octetsSent[i]);
            RtcpWriter.writeSdesCname(report, ssrc[i], CNAME);
            transport.sendRtcp(i, report);
        }
    }

    /** The film played to its end: BYE, and the viewer waits for a PLAY or the session's end. */
    private void finish() {
        sendByes();
        releaseGop();
        state = State.FINISHED;
        wantUs = room.film().durationUs();
        source = null;
        if (remuxing != null) {
            remuxing.filmFinished();
        }
    }

    private void end(String reason) {
        if (state == State.ENDED) {
            return;
        }
        sendByes();
        close();
        endListener.ended(reason);
    }

    private void sendByes() {
        long nowNs = context.nanoClock().getAsLong();
        long ntp = NtpTime.fromEpochNanos(nowNs + context.epochOffsetNs());
        for (int i = 0; i < tracks.size(); i++) {
            if (!subscribed[i]) {
                continue;
            }
            ByteBuf bye = context.alloc().buffer(64);
            RtcpWriter.writeSenderReport(bye, ssrc[i], ntp,
                    (timestampOffset[i] + tracks.get(i).ticks(pacer.mediaUsAt(nowNs))) & 0xFFFFFFFFL,
                    packetsSent[i], octetsSent[i]);
            RtcpWriter.writeBye(bye, ssrc[i]);
            transport.sendRtcp(i, bye);
        }
    }

    private void schedule(long delayNs) {
        wake = context.scheduler().schedule(pumpTask, Math.max(delayNs, 0));
    }

    private void cancelWake() {
        if (wake != null) {
            wake.cancel();
            wake = null;
        }
    }

    private void releaseGop() {
        if (gop != null) {
            context.cache().unpin(gop);
            gop = null;
        }
    }
}

package io.sluice.node.live;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.rtp.NtpTime;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.rtcp.GenericNack;
import io.sluice.rtp.rtcp.ReceiverReport;
import io.sluice.rtp.rtcp.ReportBlock;
import io.sluice.rtp.rtcp.RtcpPacket;
import io.sluice.rtp.rtcp.RtcpPacketType;
import io.sluice.rtp.rtcp.RtcpWriter;
import io.sluice.rtp.rtcp.SenderReport;
import io.sluice.rtp.rtx.Rtx;

/**
 * One player of a live stream: which tracks it set up, where its packets go, and the slow-reader policy.
 *
 * <p>The policy: a reader never slows the publisher or other readers. When its transport refuses a packet
 * (queue full), the packet is dropped and counted and the reader waits for the next keyframe of the
 * stream's keyframe track before it gets video again, so what it decodes after an overflow is whole
 * pictures rather than smeared ones. A reader whose transport stays unwritable past the stall limit is
 * closed. Confined to the stream's media loop.
 */
public final class LiveReader {

    /** Closes the reader's session; called at most once, on the media loop. */
    @FunctionalInterface
    public interface CloseAction {
        void close(String reason);
    }

    private static final int SENT_REPORTS_KEPT = 4;
    private static final String CNAME = "sluice";

    private final String sessionId;
    private final ReaderTransport transport;
    private final boolean[] subscribed;
    private final long[] trackPackets;
    private final long[] trackOctets;
    private final long[] sentReportMiddle32 = new long[SENT_REPORTS_KEPT];
    private final long[] sentReportNs = new long[SENT_REPORTS_KEPT];
    private final ReaderStats stats = new ReaderStats();
    private final CloseAction closeAction;
    /** Resends remembered per track, by sequence slot, to suppress a NACK repeated within a round trip. */
    private static final int RESEND_SLOTS = 512;
    /** Without a measured round trip, a repeated NACK within this time gets no second resend. */
    private static final long DEFAULT_SUPPRESS_NS = 20_000_000L;
    private static final int RTX_COPIES = 2;
    /**
     * How long a reader whose stream ended is kept after its last packet so that its last NACKs are
     * answered: GStreamer asks for a lost last packet when the next one is overdue, in its next RTCP
     * packet, within a few hundred milliseconds.
     */
    private static final long END_GRACE_NS = 1_000_000_000L;

    private final CatchUpQueue.Sink catchUpSink = this::deliverNow;
    private CatchUpQueue catchUp;
    private LiveTrack[] tracks = new LiveTrack[0];
    private boolean rtx;
    private int[] rtxPayloadTypes;
    private int[] rtxSsrcs;
    /** RTX packets and payload octets sent per track, for the RTX stream's Sender Reports. */
    private long[] rtxPackets;
    private long[] rtxOctets;
    private int[] rtxSequences;
    private int[][] resentSequence;
    private long[][] resentNs;
    private int nextSentReport;
    private long lastSentNs;
    private boolean awaitingKeyframe;
    private boolean closed;

    public LiveReader(String sessionId, ReaderTransport transport, boolean[] subscribedTracks, CloseAction closeAction) {
        this.sessionId = sessionId;
        this.transport = transport;
        this.subscribed = subscribedTracks.clone();
        this.trackPackets = new long[subscribedTracks.length];
        this.trackOctets = new long[subscribedTracks.length];
        this.closeAction = closeAction;
    }

    public String sessionId() {
        return sessionId;
    }

    public ReaderStats stats() {
        return stats;
    }

    public String transportKind() {
        return transport.kind();
    }

    /** One line for the log: what the reader was sent, dropped and asked for again. */
    String summary() {
        return "sent " + stats.packetsSent + " packets, " + stats.drops + " drops, " + stats.nackedPackets
                + " nacked, " + stats.resent + " resent (" + stats.secondCopies + " twice), "
                + stats.resendMisses + " missed, "
                + stats.resendsSuppressed + " suppressed, loss " + stats.cumulativeLost;
    }

    boolean subscribes(int trackIndex) {
        return trackIndex < subscribed.length && subscribed[trackIndex];
    }

    /**
     * Answers this reader's NACKs with RFC 4588 RTX packets (a retransmission stream with its own SSRC,
     * payload type and sequence, the original sequence in its first two payload bytes) instead of the
     * original packets. GStreamer's rtspsrc with do-retransmission wants RTX; ffmpeg wants originals.
     */
    public void useRtx() {
        this.rtx = true;
    }

    /**
     * The stream's tracks, which the reader's NACKs are answered from, and the RTX payload type offered
     * per track (null or -1: none). Called once, when it joins.
     */
    void attach(LiveTrack[] streamTracks, int[] rtxPayloadTypes) {
        this.tracks = streamTracks;
        this.rtxPayloadTypes = rtxPayloadTypes;
        this.rtxSsrcs = new int[streamTracks.length];
        this.rtxSequences = new int[streamTracks.length];
        this.rtxPackets = new long[streamTracks.length];
        this.rtxOctets = new long[streamTracks.length];
        java.util.concurrent.ThreadLocalRandom random = java.util.concurrent.ThreadLocalRandom.current();
        for (int i = 0; i < streamTracks.length; i++) {
            rtxSsrcs[i] = random.nextInt();
            rtxSequences[i] = random.nextInt(1 << 16);
        }
        this.resentSequence = new int[streamTracks.length][RESEND_SLOTS];
        this.resentNs = new long[streamTracks.length][RESEND_SLOTS];
        for (int[] row : resentSequence) {
            java.util.Arrays.fill(row, -1);
        }
    }

    void awaitKeyframe(boolean await) {
        this.awaitingKeyframe = await;
    }

    boolean pacesBursts() {
        return transport.pacesBursts();
    }

    /** Whether NACKs are answered with RTX: GStreamer's rtspsrc, whose jitter buffer stamps packets by arrival. */
    boolean answersWithRtx() {
        return rtx;
    }

    /**
     * Starts the reader on a paced backlog (the GOP cache); live packets queue behind it until it is sent,
     * or for good when the backlog is {@linkplain CatchUpQueue#delayed delayed}.
     */
    void startCatchUp(CatchUpQueue backlog) {
        this.catchUp = backlog;
    }

    /**
     * Whether the reader is still owed packets when its stream has ended: what waits in its catch-up
     * queue, then {@value #END_GRACE_NS} ns in which its NACKs of the last ones are still answered.
     */
    boolean owedAtEnd(long nowNs) {
        return catchUp != null && !closed && !catchUp.isDone()
                && (!catchUp.isEmpty() || nowNs - lastSentNs < END_GRACE_NS);
    }

    boolean catchingUp() {
        return catchUp != null && !catchUp.isDone();
    }

    /** Sends what the catch-up budget allows; answers true when the reader has caught up. */
    boolean drainCatchUp(long nowNs) {
        return catchUp == null || closed || catchUp.drain(nowNs, catchUpSink);
    }

    /**
     * Hands one packet to the reader under the slow-reader policy, behind its catch-up backlog if it has one.
     *
     * @param keyframeTrack   whether {@code trackIndex} is the track whose keyframes the policy waits for
     * @param keyframeStart   whether the packet begins a keyframe of that track
     */
    void deliver(int trackIndex, ByteBuf packet, boolean keyframeTrack, boolean keyframeStart, long nowNs) {
        if (closed || !subscribes(trackIndex)) {
            return;
        }
        if (catchingUp()) {
            if (!catchUp.add(trackIndex, packet, keyframeTrack, keyframeStart, nowNs)) {
                // The backlog outgrew its bound: the reader restarts at the next keyframe, live.
                catchUp.clear();
                catchUp = null;
                stats.drops++;
                stats.keyframeSkips++;
                awaitingKeyframe = true;
                return;
            }
            // A delayed reader's packets become due as the stream goes on; the media loop's tick only
            // bounds the wait when the stream pauses.
            catchUp.drain(nowNs, catchUpSink);
            return;
        }
        deliverNow(trackIndex, packet, keyframeTrack, keyframeStart, nowNs);
    }

    /**
     * Takes a run of a track's packets copied into one buffer (see {@link ReaderTransport#sendBurst}) when
     * the policy needs nothing of them one by one: a steady reader, not catching up and not waiting for a
     * keyframe. Answers false when the caller must deliver the run's packets one by one instead.
     */
    boolean deliverBurst(int trackIndex, ByteBuf burst, int segmentSize, int packets, boolean keyframeTrack) {
        if (closed || !subscribes(trackIndex)) {
            return true;
        }
        if (catchingUp() || (keyframeTrack && awaitingKeyframe)
                || !transport.sendBurst(trackIndex, burst, segmentSize, packets)) {
            return false;
        }
        int length = burst.readableBytes();
        trackPackets[trackIndex] += packets;
        trackOctets[trackIndex] += length - 12L * packets;
        stats.packetsSent += packets;
        stats.bytesSent += length;
        return true;
    }

    private void deliverNow(int trackIndex, ByteBuf packet, boolean keyframeTrack, boolean keyframeStart, long nowNs) {
        if (closed) {
            return;
        }
        if (keyframeTrack && awaitingKeyframe) {
            if (!keyframeStart) {
                // Skipping sends nothing, but a reader that stays stuck must still be found.
                closeIfStalled(nowNs);
                return;
            }
            awaitingKeyframe = false;
        }
        if (transport.sendRtp(trackIndex, packet)) {
            lastSentNs = nowNs;
            int length = packet.readableBytes();
            trackPackets[trackIndex]++;
            trackOctets[trackIndex] += length - 12;
            stats.packetsSent++;
            stats.bytesSent += length;
            return;
        }
        stats.drops++;
        if (!awaitingKeyframe) {
            awaitingKeyframe = true;
            stats.keyframeSkips++;
        }
        closeIfStalled(nowNs);
    }

    private void closeIfStalled(long nowNs) {
        if (transport.stalled(nowNs)) {
            close("stalled: could not take packets for longer than the stall limit");
        }
    }

    /**
     * Sends a Sender Report for a track carrying the publisher's NTP&lt;-&gt;RTP mapping (the packets are
     * relayed with the publisher's SSRC and timestamps, so its mapping stays true) and this reader's own
     * packet and octet counts.
     */
    void sendSenderReport(LiveTrack track, long nowNs, ByteBufAllocator alloc) {
        if (track.srKnown()) {
            sendReports(track, nowNs, alloc);
        }
    }

    /**
     * Sends, before the reader's first RTP packet, RTCP from every SSRC it will receive on {@code tracks}:
     * the track's and its RTX stream's Sender Reports, or an empty Receiver Report from each while the
     * publisher's NTP/RTP mapping is not known yet. An RFC 3550 receiver such as GStreamer's rtpsession
     * puts an SSRC first heard in RTP on probation, during which a packet out of sequence (one lost just
     * before it) is dropped, not buffered; an SSRC first heard in RTCP is trusted from its first packet.
     */
    void announceSources(LiveTrack[] tracks, long nowNs, ByteBufAllocator alloc) {
        for (LiveTrack track : tracks) {
            sendReports(track, nowNs, alloc);
        }
    }

    /** A report from the track's SSRC and, for an RTX reader, one from its RTX stream's. */
    private void sendReports(LiveTrack track, long nowNs, ByteBufAllocator alloc) {
        int i = track.index();
        if (closed || !subscribes(i) || !track.ssrcKnown()) {
            return;
        }
        if (track.srKnown()) {
            sentReportMiddle32[nextSentReport] = NtpTime.middle32(track.lastSrNtp());
            sentReportNs[nextSentReport] = nowNs;
            nextSentReport = (nextSentReport + 1) % SENT_REPORTS_KEPT;
        }
        ByteBuf report = alloc.buffer(64);
        writeReport(report, track, track.ssrc(), trackPackets[i], trackOctets[i]);
        RtcpWriter.writeSdesCname(report, track.ssrc(), CNAME);
        transport.sendRtcp(i, report);
        if (sendsRtx(i)) {
            // The RTX stream is an RTP stream of its own (RFC 4588 section 6.3), under the same CNAME, so
            // that the player ties it to the original; RTX packets carry the original's timestamps, so the
            // same NTP/RTP mapping holds.
            ByteBuf rtxReport = alloc.buffer(64);
            writeReport(rtxReport, track, rtxSsrcs[i], rtxPackets[i], rtxOctets[i]);
            RtcpWriter.writeSdesCname(rtxReport, rtxSsrcs[i], CNAME);
            transport.sendRtcp(i, rtxReport);
        }
    }

    /** A Sender Report from {@code ssrc} with the publisher's NTP/RTP mapping, or an empty Receiver Report while it is unknown. */
    private static void writeReport(ByteBuf out, LiveTrack track, int ssrc, long packets, long octets) {
        if (track.srKnown()) {
            RtcpWriter.writeSenderReport(out, ssrc, track.lastSrNtp(), track.lastSrRtpTimestamp(), packets, octets);
        } else {
            RtcpWriter.writeReceiverReport(out, ssrc);
        }
    }

    /** Sends an RTCP BYE on every subscribed track of which the SSRC is known. */
    void sendBye(LiveTrack[] tracks, ByteBufAllocator alloc) {
        if (closed) {
            return;
        }
        for (LiveTrack track : tracks) {
            if (subscribes(track.index()) && track.ssrcKnown()) {
                ByteBuf bye = alloc.buffer(32);
                writeReport(bye, track, track.ssrc(), trackPackets[track.index()], trackOctets[track.index()]);
                RtcpWriter.writeBye(bye, track.ssrc());
                transport.sendRtcp(track.index(), bye);
            }
        }
    }

    /** Reads a compound RTCP packet the reader sent: its Receiver Reports feed the loss, jitter and RTT stats. */
    public void onRtcp(ByteBuf compound, long nowNs) {
        stats.lastReportNs = nowNs;
        if (!RtcpPacket.isValidCompound(compound)) {
            return;
        }
        int end = compound.writerIndex();
        for (int off = compound.readerIndex(); off < end; off += RtcpPacket.packetLength(compound, off)) {
            int type = RtcpPacket.packetType(compound, off);
            int blocks = RtcpPacket.count(compound, off);
            if (type == RtcpPacketType.RR) {
                for (int b = 0; b < blocks; b++) {
                    onReportBlock(compound, ReceiverReport.reportBlockOffset(off, b), nowNs);
                }
            } else if (type == RtcpPacketType.SR) {
                for (int b = 0; b < blocks; b++) {
                    onReportBlock(compound, SenderReport.reportBlockOffset(off, b), nowNs);
                }
            } else if (type == RtcpPacketType.RTPFB && blocks == RtcpPacketType.FMT_GENERIC_NACK) {
                onNack(compound, off, nowNs);
            }
        }
    }

    /**
     * Answers a generic NACK (RFC 4585 6.2.1) with the very packets it names, from the track's history:
     * ffmpeg wants the original packet (same SSRC and sequence) while it still waits in its reorder
     * queue. A packet asked for again within one round trip is not sent twice.
     */
    private void onNack(ByteBuf buf, int off, long nowNs) {
        LiveTrack track = trackOfSsrc(GenericNack.mediaSsrc(buf, off));
        if (track == null || closed || !subscribes(track.index())) {
            return;
        }
        long suppressNs = stats.roundTripNs > 0 ? stats.roundTripNs : DEFAULT_SUPPRESS_NS;
        GenericNack.forEachFci(buf, off, (pid, blp) -> answerFci(track, pid, blp, suppressNs, nowNs));
    }

    /**
     * Answers one FCI entry. An original packet goes a second time once every packet the entry names has
     * gone once, because ffmpeg asks at most once per 200 ms and gives a gap up after 100 ms: a lost
     * resend would be a lost packet. The order makes the copy harmless to ffmpeg, which parses a
     * duplicate of the packet it emitted last as a new one ({@code diff <= 1} in rtp_parse_one_packet)
     * and drops anything older: ffmpeg names a sequence only when it holds a later packet, and names
     * every missing one between, so when the second copy of {@code s} arrives, {@code s + 1} is already
     * there (held, or resent just before) and ffmpeg has moved past {@code s}. That is not known for
     * the last sequence an entry can name ({@code pid + 16}, whose successor the bitmask cannot
     * cover), which goes once. RTX packets, which a jitter buffer de-duplicates, go as {@link #resend}
     * says.
     */
    private void answerFci(LiveTrack track, int pid, int blp, long suppressNs, long nowNs) {
        int t = track.index();
        int resentNow = 0;
        for (int k = 0; k < GenericNack.SEQUENCES_PER_FCI; k++) {
            if (k > 0 && (blp & (1 << (k - 1))) == 0) {
                continue;
            }
            int seq = (pid + k) & 0xFFFF;
            stats.nackedPackets++;
            int slot = seq & (RESEND_SLOTS - 1);
            if (resentSequence[t][slot] == seq && nowNs - resentNs[t][slot] < suppressNs) {
                stats.resendsSuppressed++;
                continue;
            }
            ByteBuf packet = track.history().find(seq, nowNs);
            if (packet == null) {
                stats.resendMisses++;
                continue;
            }
            if (resend(t, packet)) {
                resentSequence[t][slot] = seq;
                resentNs[t][slot] = nowNs;
                stats.resent++;
                resentNow |= 1 << k;
            }
        }
        if (sendsRtx(t)) {
            return;
        }
        for (int k = 0; k < GenericNack.SEQUENCES_PER_FCI - 1; k++) {
            if ((resentNow & (1 << k)) != 0) {
                ByteBuf packet = track.history().find((pid + k) & 0xFFFF, nowNs);
                if (packet != null && transport.sendRtp(t, packet)) {
                    stats.secondCopies++;
                }
            }
        }
    }

    private boolean sendsRtx(int track) {
        return rtx && rtxPayloadTypes != null && rtxPayloadTypes[track] >= 0;
    }

    /**
     * Sends a packet again: an original once here (see {@link #answerFci} for its second copy), an RTX
     * packet {@value #RTX_COPIES} times at once, so a loss that does not come in bursts rarely takes
     * both; GStreamer's jitter buffer drops the duplicate.
     */
    private boolean resend(int track, ByteBuf original) {
        if (!sendsRtx(track)) {
            return transport.sendRtp(track, original);
        }
        int rtxPt = rtxPayloadTypes[track];
        boolean sent = false;
        for (int copy = 0; copy < RTX_COPIES; copy++) {
            ByteBuf packet = ByteBufAllocator.DEFAULT.buffer(original.readableBytes() + Rtx.OSN_LENGTH);
            try {
                Rtx.writeRtxPacket(packet, original, rtxPt, rtxSequences[track], rtxSsrcs[track]);
                rtxSequences[track] = (rtxSequences[track] + 1) & 0xFFFF;
                int payload = packet.readableBytes() - RtpPacket.headerLength(packet);
                if (transport.sendRtp(track, packet)) {
                    sent = true;
                    rtxPackets[track]++;
                    rtxOctets[track] += payload;
                }
            } finally {
                packet.release();
            }
        }
        return sent;
    }

    private LiveTrack trackOfSsrc(int ssrc) {
        for (LiveTrack track : tracks) {
            if (track.ssrcKnown() && track.ssrc() == ssrc) {
                return track;
            }
        }
        return null;
    }

    private void onReportBlock(ByteBuf buf, int block, long nowNs) {
        if (block + 24 > buf.writerIndex()) {
            return;
        }
        stats.fractionLost = ReportBlock.fractionLost(buf, block);
        stats.cumulativeLost = ReportBlock.cumulativeLost(buf, block);
        stats.jitterTicks = ReportBlock.jitter(buf, block);
        long lsr = ReportBlock.lastSr(buf, block);
        if (lsr == 0) {
            return;
        }
        long dlsrNs = ReportBlock.delaySinceLastSr(buf, block) * 1_000_000_000L / 65_536;
        for (int i = 0; i < SENT_REPORTS_KEPT; i++) {
            if (sentReportMiddle32[i] == lsr && sentReportNs[i] != 0) {
                long rtt = nowNs - sentReportNs[i] - dlsrNs;
                stats.roundTripNs = Math.max(rtt, 0);
                return;
            }
        }
    }

    /** Marks the reader closed so the stream skips it; the stream removes it from its list. */
    boolean markClosed() {
        if (closed) {
            return false;
        }
        closed = true;
        if (catchUp != null) {
            catchUp.clear();
        }
        return true;
    }

    void close(String reason) {
        if (markClosed()) {
            closeAction.close(reason);
        }
    }

    boolean isClosed() {
        return closed;
    }
}

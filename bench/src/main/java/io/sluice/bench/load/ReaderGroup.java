package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.format.KeyframeDetector;
import io.sluice.format.KeyframeDetectors;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.rtcp.RtcpWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N RTSP players over UDP in one process: each has its own RTSP connection and RTP/RTCP socket pair, and one
 * selector thread reads every socket. Per reader it counts packets and sequence gaps (the drops), and stamps
 * the arrival of the first packet and of the first keyframe start; while the latency window is open it
 * records, for every packet, arrival minus the publisher's send time of that sequence number. Every 5 s each
 * reader sends a Receiver Report, as players do, which also keeps its session alive.
 *
 * <p>The selector thread owns all counters. Other threads ask for a {@link Snapshot}, which the selector
 * thread answers between two reads.
 */
final class ReaderGroup implements AutoCloseable {

    private static final int RTP_RECEIVE_BUFFER_BYTES = 2 << 20;
    private static final int READS_PER_WAKEUP = 64;
    private static final long RECEIVER_REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int RTSP_TIMEOUT_MS = 20_000;

    /** Totals since the group started, and the latency samples of the window that this snapshot closed. */
    record Snapshot(long packets, long bytes, long gaps, long late, long unmatched, int started, int keyframed,
                    LatencyHistogram latency, long[] firstPacketNs, long[] firstKeyframeNs) {
    }

    private record SnapshotRequest(boolean openLatencyWindow, CompletableFuture<Snapshot> answer) {
    }

    /** One player; its counters belong to the selector thread. */
    static final class Reader {
        final int index;
        final DatagramChannel rtp;
        final DatagramChannel rtcp;
        RtspControl control;
        String sessionId;
        String teardownUrl;
        InetSocketAddress serverRtcp;
        int reporterSsrc;
        boolean started;
        int lastSequence;
        int mediaSsrc;
        long firstPacketNs;
        long firstKeyframeNs;
        long setupDoneNs;

        Reader(int index, DatagramChannel rtp, DatagramChannel rtcp) {
            this.index = index;
            this.rtp = rtp;
            this.rtcp = rtcp;
        }
    }

    private final String url;
    private final String host;
    private final int port;
    private final SendTimes sendTimes;
    private final Selector selector;
    private final Thread thread;
    private final List<Reader> readers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Reader> toRegister = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<SnapshotRequest> requests = new ConcurrentLinkedQueue<>();
    private final KeyframeDetector keyframes = KeyframeDetectors.forEncoding("H264");
    private volatile boolean running = true;

    // Selector thread state.
    private final List<Reader> registered = new ArrayList<>();
    private final ByteBuffer receive = ByteBuffer.allocateDirect(65536);
    private final ByteBuf receiveView = Unpooled.wrappedBuffer(receive);
    private final ByteBuffer discard = ByteBuffer.allocateDirect(65536);
    private final ByteBuf report = Unpooled.buffer(64);
    private final LatencyHistogram latency = new LatencyHistogram();
    private boolean latencyWindowOpen;
    private long packets;
    private long bytes;
    private long gaps;
    private long late;
    private long unmatched;
    private int started;
    private int keyframed;
    private long nextReportsNs;

    ReaderGroup(String url, String host, int port, SendTimes sendTimes) throws IOException {
        this.url = url;
        this.host = host;
        this.port = port;
        this.sendTimes = sendTimes;
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name("readers").daemon().unstarted(this::run);
        thread.start();
    }

    /** Opens the sockets of reader number {@code readers().size()}; {@link #join} then makes it play. */
    synchronized Reader add() throws IOException {
        DatagramChannel[] pair = UdpPorts.bindPair(RTP_RECEIVE_BUFFER_BYTES);
        Reader r = new Reader(readers.size(), pair[0], pair[1]);
        readers.add(r);
        return r;
    }

    /** The local ports of the readers' RTP sockets. */
    synchronized java.util.Set<Integer> rtpPorts() throws IOException {
        java.util.Set<Integer> ports = new java.util.HashSet<>();
        for (Reader r : readers) {
            if (r.rtp.isOpen()) {
                ports.add(((InetSocketAddress) r.rtp.getLocalAddress()).getPort());
            }
        }
        return ports;
    }

    synchronized List<Reader> readers() {
        return List.copyOf(readers);
    }

    /** DESCRIBE, SETUP (UDP, the reader's port pair), PLAY. Blocking; any thread. */
    void join(Reader r) throws IOException {
        RtspControl c = RtspControl.connect(host, port, RTSP_TIMEOUT_MS);
        r.control = c;
        RtspControl.Response describe = c.request("DESCRIBE", url, null, "Accept: application/sdp")
                .requireOk("DESCRIBE");
        SessionDescriptionInfo sdp = SessionDescriptionInfo.of(url, describe);
        int rtpPort = ((InetSocketAddress) r.rtp.getLocalAddress()).getPort();
        int rtcpPort = ((InetSocketAddress) r.rtcp.getLocalAddress()).getPort();
        RtspControl.Response setup = c.request("SETUP", sdp.setupUrl(), null,
                "Transport: RTP/AVP;unicast;client_port=" + rtpPort + "-" + rtcpPort).requireOk("SETUP");
        r.sessionId = RtspControl.sessionId(setup);
        int[] serverPorts = RtspControl.transportPorts(setup, "server_port");
        r.rtp.connect(new InetSocketAddress(host, serverPorts[0]));
        r.serverRtcp = new InetSocketAddress(host, serverPorts[1]);
        r.reporterSsrc = 0x5100_0000 | r.index;
        r.teardownUrl = sdp.playUrl();
        toRegister.add(r);
        selector.wakeup();
        c.request("PLAY", sdp.playUrl(), null, "Session: " + r.sessionId, "Range: npt=0.000-").requireOk("PLAY");
        r.setupDoneNs = System.nanoTime();
    }

    /** TEARDOWN and close; errors are ignored, the server may already have dropped the session. */
    void leave(Reader r) {
        RtspControl c = r.control;
        if (c != null && r.sessionId != null) {
            try {
                c.request("TEARDOWN", r.teardownUrl, null, "Session: " + r.sessionId);
            } catch (IOException ignored) {
                // the connection closes below either way
            }
        }
        UdpPorts.closeQuietly(c);
        UdpPorts.closeQuietly(r.rtp);
        UdpPorts.closeQuietly(r.rtcp);
    }

    /**
     * Totals now; the latency histogram of the window that ends here (empty when none was open). With
     * {@code openLatencyWindow} a new window starts right after.
     */
    Snapshot snapshot(boolean openLatencyWindow) throws IOException {
        CompletableFuture<Snapshot> answer = new CompletableFuture<>();
        requests.add(new SnapshotRequest(openLatencyWindow, answer));
        selector.wakeup();
        try {
            return answer.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException("reader thread did not answer a snapshot", e);
        }
    }

    private void run() {
        try {
            while (running) {
                registerPending();
                answerRequests();
                long nowNs = System.nanoTime();
                if (nowNs >= nextReportsNs) {
                    nextReportsNs = nowNs + RECEIVER_REPORT_INTERVAL_NS;
                    sendReceiverReports();
                }
                selector.select(this::onReady, 50);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("reader thread failed: " + e);
            running = false;
        }
    }

    private void registerPending() throws ClosedChannelException {
        for (Reader r; (r = toRegister.poll()) != null; ) {
            if (r.rtp.isOpen() && r.rtcp.isOpen()) {
                r.rtp.register(selector, SelectionKey.OP_READ, r);
                r.rtcp.register(selector, SelectionKey.OP_READ, r);
                registered.add(r);
            }
        }
    }

    private void answerRequests() {
        for (SnapshotRequest q; (q = requests.poll()) != null; ) {
            long[] firstPacket = new long[registered.size()];
            long[] firstKeyframe = new long[registered.size()];
            for (int i = 0; i < registered.size(); i++) {
                firstPacket[i] = registered.get(i).firstPacketNs;
                firstKeyframe[i] = registered.get(i).firstKeyframeNs;
            }
            q.answer.complete(new Snapshot(packets, bytes, gaps, late, unmatched, started, keyframed,
                    latency.copy(), firstPacket, firstKeyframe));
            latency.reset();
            latencyWindowOpen = q.openLatencyWindow;
        }
    }

    private void onReady(SelectionKey key) {
        Reader r = (Reader) key.attachment();
        try {
            if (key.channel() == r.rtp) {
                readRtp(r);
            } else {
                for (int i = 0; i < READS_PER_WAKEUP; i++) {
                    discard.clear();
                    if (r.rtcp.receive(discard) == null) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            key.cancel();
        }
    }

    private void readRtp(Reader r) throws IOException {
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            receive.clear();
            int n = r.rtp.read(receive);
            if (n <= 0) {
                return;
            }
            long nowNs = System.nanoTime();
            if (n < RtpPacket.FIXED_HEADER_LENGTH) {
                continue;
            }
            receiveView.setIndex(0, n);
            int sequence = RtpPacket.sequenceNumber(receiveView);
            packets++;
            bytes += n;
            if (!r.started) {
                r.started = true;
                r.firstPacketNs = nowNs;
                r.lastSequence = sequence;
                r.mediaSsrc = RtpPacket.ssrc(receiveView);
                started++;
            } else {
                int delta = (sequence - r.lastSequence) & 0xFFFF;
                if (delta == 0 || delta >= 0x8000) {
                    late++;
                } else {
                    gaps += delta - 1;
                    r.lastSequence = sequence;
                }
            }
            if (r.firstKeyframeNs == 0) {
                int header = RtpPacket.headerLength(receiveView);
                if (header < n) {
                    receiveView.setIndex(header, n);
                    if (keyframes.isKeyframe(receiveView)) {
                        r.firstKeyframeNs = nowNs;
                        keyframed++;
                    }
                }
            }
            if (latencyWindowOpen) {
                long sentNs = sendTimes.sentNs(sequence);
                if (sentNs == 0) {
                    unmatched++;
                } else {
                    latency.recordNs(nowNs - sentNs);
                }
            }
        }
    }

    private void sendReceiverReports() {
        for (Reader r : registered) {
            if (!r.started || !r.rtcp.isOpen()) {
                continue;
            }
            report.clear();
            RtcpWriter.writeReceiverReport(report, r.reporterSsrc, r.mediaSsrc, 0, 0, r.lastSequence, 0, 0, 0);
            try {
                r.rtcp.send(report.nioBuffer(), r.serverRtcp);
            } catch (IOException ignored) {
                // a refused report changes nothing for the measurement
            }
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        selector.wakeup();
        thread.join(5000);
        UdpPorts.closeQuietly(selector);
        for (Reader r : readers()) {
            UdpPorts.closeQuietly(r.control);
            UdpPorts.closeQuietly(r.rtp);
            UdpPorts.closeQuietly(r.rtcp);
        }
    }
}

package io.sluice.bench.vodload;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.bench.load.RtspControl;
import io.sluice.bench.load.SessionDescriptionInfo;
import io.sluice.bench.load.UdpPorts;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.rtcp.RtcpWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;

/**
 * N film viewers over RTSP/UDP in one process: each its own RTSP connection (DESCRIBE, SETUP of the video
 * track, PLAY from 0) and RTP/RTCP socket pair, one selector thread reading them all. While a measuring
 * window is open it counts packets, bytes and sequence gaps (drops), and, for each frame (a new RTP
 * timestamp), how far the arrival of its first packet strays from the media clock:
 * {@code |(arrival - previous frame's arrival) - (timestamp - previous timestamp) / 90 kHz|}, the send
 * jitter a player's buffer must absorb. It also keeps each viewer's RFC 3550 interarrival jitter over frame
 * starts. Every 5 s each viewer sends a Receiver Report, which keeps its session alive.
 */
final class FilmReaders implements AutoCloseable {

    private static final int RTP_RECEIVE_BUFFER_BYTES = 1 << 20;
    private static final int READS_PER_WAKEUP = 64;
    private static final long RECEIVER_REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int RTSP_TIMEOUT_MS = 30_000;
    private static final double VIDEO_CLOCK_HZ = 90_000.0;

    /**
     * What the viewers received while a window was open.
     *
     * @param deviationsUs per frame start, the stray from the media clock in microseconds, sorted
     * @param meanJitterUs the viewers' RFC 3550 jitter over frame starts at the window's end, averaged
     */
    record Window(long packets, long bytes, long gaps, long late, int receiving, long[] deviationsUs,
                  double meanJitterUs) {

        long deviationPercentileUs(double p) {
            if (deviationsUs.length == 0) {
                return 0;
            }
            return deviationsUs[Math.min(deviationsUs.length - 1, (int) Math.floor(p * deviationsUs.length))];
        }
    }

    private static final class Viewer {
        final int index;
        final DatagramChannel rtp;
        final DatagramChannel rtcp;
        RtspControl control;
        String sessionId;
        String playUrl;
        InetSocketAddress serverRtcp;
        boolean started;
        int lastSequence;
        int mediaSsrc;
        long frameTimestamp;
        long frameArrivalNs;
        double jitterNs;
        long packetsInWindow;

        Viewer(int index, DatagramChannel rtp, DatagramChannel rtcp) {
            this.index = index;
            this.rtp = rtp;
            this.rtcp = rtcp;
        }
    }

    private final String host;
    private final int port;
    private final Selector selector;
    private final Thread thread;
    private final List<Viewer> viewers = new ArrayList<>();
    private final ConcurrentLinkedQueue<Viewer> toRegister = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Window>> windowRequests = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<CompletableFuture<Window>> openRequests = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    // Selector thread state.
    private final List<Viewer> registered = new ArrayList<>();
    private final ByteBuffer receive = ByteBuffer.allocateDirect(65536);
    private final ByteBuf receiveView = Unpooled.wrappedBuffer(receive);
    private final ByteBuffer discard = ByteBuffer.allocateDirect(65536);
    private final ByteBuf report = Unpooled.buffer(64);
    private boolean windowOpen;
    private long packets;
    private long bytes;
    private long gaps;
    private long late;
    private long[] deviationsUs = new long[1 << 16];
    private int deviationCount;
    private long nextReportsNs;

    FilmReaders(String host, int port) throws IOException {
        this.host = host;
        this.port = port;
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name("film-readers").daemon().unstarted(this::run);
        thread.start();
    }

    /** A new viewer of {@code url}: DESCRIBE, SETUP (UDP), PLAY from the start. Blocking; any thread. */
    void join(String url) throws IOException {
        DatagramChannel[] pair = UdpPorts.bindPair(RTP_RECEIVE_BUFFER_BYTES);
        Viewer v;
        synchronized (viewers) {
            v = new Viewer(viewers.size(), pair[0], pair[1]);
            viewers.add(v);
        }
        RtspControl c = RtspControl.connect(host, port, RTSP_TIMEOUT_MS);
        v.control = c;
        RtspControl.Response describe = c.request("DESCRIBE", url, null, "Accept: application/sdp")
                .requireOk("DESCRIBE " + url);
        SessionDescriptionInfo sdp = SessionDescriptionInfo.of(url, describe);
        int rtpPort = ((InetSocketAddress) v.rtp.getLocalAddress()).getPort();
        RtspControl.Response setup = c.request("SETUP", sdp.setupUrl(), null,
                "Transport: RTP/AVP;unicast;client_port=" + rtpPort + "-" + (rtpPort + 1)).requireOk("SETUP");
        v.sessionId = RtspControl.sessionId(setup);
        int[] serverPorts = RtspControl.transportPorts(setup, "server_port");
        v.rtp.connect(new InetSocketAddress(host, serverPorts[0]));
        v.serverRtcp = new InetSocketAddress(host, serverPorts[1]);
        v.playUrl = sdp.playUrl();
        toRegister.add(v);
        selector.wakeup();
        c.request("PLAY", v.playUrl, null, "Session: " + v.sessionId, "Range: npt=0.000-").requireOk("PLAY");
    }

    /**
     * Closes the open window (if any) and answers what it saw; {@code open} starts a new one right after.
     */
    Window window(boolean open) throws IOException {
        CompletableFuture<Window> answer = new CompletableFuture<>();
        windowRequests.add(answer);
        selector.wakeup();
        try {
            Window w = answer.get(10, TimeUnit.SECONDS);
            if (open) {
                CompletableFuture<Window> opened = new CompletableFuture<>();
                openRequests.add(opened);
                selector.wakeup();
                opened.get(10, TimeUnit.SECONDS);
            }
            return w;
        } catch (Exception e) {
            throw new IOException("reader thread did not answer", e);
        }
    }

    /** TEARDOWN of every viewer, then their sockets closed. */
    void leaveAll() {
        for (Viewer v : snapshot()) {
            if (v.control != null && v.sessionId != null) {
                try {
                    v.control.request("TEARDOWN", v.playUrl, null, "Session: " + v.sessionId);
                } catch (IOException ignored) {
                    // the server may have ended the session; closing below is all that is left
                }
            }
            UdpPorts.closeQuietly(v.control);
        }
    }

    private List<Viewer> snapshot() {
        synchronized (viewers) {
            return List.copyOf(viewers);
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
                selector.select(this::onReady, 20);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("film reader thread failed: " + e);
            running = false;
        }
    }

    private void registerPending() throws IOException {
        for (Viewer v; (v = toRegister.poll()) != null; ) {
            if (v.rtp.isOpen() && v.rtcp.isOpen()) {
                v.rtp.register(selector, SelectionKey.OP_READ, v);
                v.rtcp.register(selector, SelectionKey.OP_READ, v);
                registered.add(v);
            }
        }
    }

    private void answerRequests() {
        for (CompletableFuture<Window> q; (q = windowRequests.poll()) != null; ) {
            long[] sorted = Arrays.copyOf(deviationsUs, deviationCount);
            Arrays.sort(sorted);
            double jitterSum = 0;
            int receiving = 0;
            for (Viewer v : registered) {
                if (v.packetsInWindow > 0) {
                    receiving++;
                    jitterSum += v.jitterNs / 1000.0;
                }
                v.packetsInWindow = 0;
            }
            q.complete(new Window(packets, bytes, gaps, late, receiving, sorted,
                    receiving == 0 ? 0 : jitterSum / receiving));
            windowOpen = false;
        }
        for (CompletableFuture<Window> q; (q = openRequests.poll()) != null; ) {
            packets = 0;
            bytes = 0;
            gaps = 0;
            late = 0;
            deviationCount = 0;
            windowOpen = true;
            q.complete(null);
        }
    }

    private void onReady(SelectionKey key) {
        Viewer v = (Viewer) key.attachment();
        try {
            if (key.channel() == v.rtp) {
                readRtp(v);
            } else {
                for (int i = 0; i < READS_PER_WAKEUP; i++) {
                    discard.clear();
                    if (v.rtcp.receive(discard) == null) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            key.cancel();
        }
    }

    private void readRtp(Viewer v) throws IOException {
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            receive.clear();
            int n = v.rtp.read(receive);
            if (n <= 0) {
                return;
            }
            long nowNs = System.nanoTime();
            if (n < RtpPacket.FIXED_HEADER_LENGTH) {
                continue;
            }
            receiveView.setIndex(0, n);
            int sequence = RtpPacket.sequenceNumber(receiveView);
            long timestamp = RtpPacket.timestamp(receiveView);
            if (!v.started) {
                v.started = true;
                v.lastSequence = sequence;
                v.mediaSsrc = RtpPacket.ssrc(receiveView);
                v.frameTimestamp = timestamp;
                v.frameArrivalNs = nowNs;
                continue;
            }
            int delta = (sequence - v.lastSequence) & 0xFFFF;
            boolean inOrder = delta != 0 && delta < 0x8000;
            if (inOrder) {
                v.lastSequence = sequence;
            }
            if (windowOpen) {
                packets++;
                bytes += n;
                v.packetsInWindow++;
                if (inOrder) {
                    gaps += delta - 1;
                } else {
                    late++;
                }
            }
            if (inOrder && timestamp != v.frameTimestamp) {
                long mediaNs = Math.round(((timestamp - v.frameTimestamp) & 0xFFFFFFFFL) * 1e9 / VIDEO_CLOCK_HZ);
                long strayNs = Math.abs((nowNs - v.frameArrivalNs) - mediaNs);
                v.jitterNs += (strayNs - v.jitterNs) / 16.0;
                if (windowOpen) {
                    record(strayNs / 1000);
                }
                v.frameTimestamp = timestamp;
                v.frameArrivalNs = nowNs;
            }
        }
    }

    private void record(long strayUs) {
        if (deviationCount == deviationsUs.length) {
            deviationsUs = Arrays.copyOf(deviationsUs, deviationCount * 2);
        }
        deviationsUs[deviationCount++] = strayUs;
    }

    private void sendReceiverReports() {
        for (Viewer v : registered) {
            if (!v.started || !v.rtcp.isOpen()) {
                continue;
            }
            report.clear();
            RtcpWriter.writeReceiverReport(report, 0x5200_0000 | v.index, v.mediaSsrc, 0, 0, v.lastSequence, 0, 0, 0);
            try {
                v.rtcp.send(report.nioBuffer(), v.serverRtcp);
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
        for (Viewer v : snapshot()) {
            UdpPorts.closeQuietly(v.control);
            UdpPorts.closeQuietly(v.rtp);
            UdpPorts.closeQuietly(v.rtcp);
        }
    }
}

package io.sluice.bench.common;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
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
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * N RTSP players over UDP in one process, the readers of the load benchmarks: each has its own RTSP
 * connection (DESCRIBE, SETUP with its client ports, PLAY from 0) and RTP/RTCP socket pair, and one
 * selector thread reads every socket. That thread drains RTCP, follows each player's RTP sequence, hands
 * every RTP packet to {@link #onRtp}, and every 5 s sends each player's Receiver Report, as players do,
 * which also keeps its session alive.
 *
 * <p>The selector thread owns the subclass's counters: {@link #onRtp} runs there, and other threads read
 * or reset them with {@link #onReaderThread}, which the thread runs between two reads. Receiving
 * allocates nothing per packet.
 *
 * @param <P> the subclass's player, with what it counts per player
 */
public abstract class RtspUdpPlayers<P extends RtspUdpPlayers.Player> implements AutoCloseable {

    private static final int READS_PER_WAKEUP = 64;
    private static final long RECEIVER_REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    private static final long TASK_TIMEOUT_S = 10;

    /**
     * How the players are set up.
     *
     * @param threadName         the selector thread's name
     * @param receiveBufferBytes SO_RCVBUF asked for each RTP socket
     * @param rtspTimeoutMs      connect and read timeout of the RTSP connections
     * @param selectTimeoutMs    longest wait of the selector thread between two rounds
     * @param reporterSsrcBase   SSRC of player 0's Receiver Reports; player i reports as base | i
     */
    public record Settings(String threadName, int receiveBufferBytes, int rtspTimeoutMs, long selectTimeoutMs,
                           int reporterSsrcBase) {
    }

    /**
     * One player; its sequence state belongs to the selector thread. The fields are package-private, not
     * private, because the base class reaches them through its type variable.
     */
    public static class Player {
        public final int index;
        final DatagramChannel rtp;
        final DatagramChannel rtcp;
        RtspUdpSession session;
        InetSocketAddress serverRtcp;
        boolean started;
        int lastSequence;
        int mediaSsrc;

        protected Player(int index, DatagramChannel rtp, DatagramChannel rtcp) {
            this.index = index;
            this.rtp = rtp;
            this.rtcp = rtcp;
        }

        /** The local port of its RTP socket, 0 once closed. */
        public int rtpPort() throws IOException {
            return rtp.isOpen() ? ((InetSocketAddress) rtp.getLocalAddress()).getPort() : 0;
        }
    }

    private final Settings settings;
    private final String host;
    private final int port;
    private final Selector selector;
    private final Thread thread;
    private final List<P> players = new ArrayList<>();
    private final ConcurrentLinkedQueue<P> toRegister = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FutureTask<?>> tasks = new ConcurrentLinkedQueue<>();
    private volatile boolean running = true;

    // Selector thread state.
    private final List<P> registered = new ArrayList<>();
    private final ByteBuffer receive = ByteBuffer.allocateDirect(65536);
    private final ByteBuf receiveView = Unpooled.wrappedBuffer(receive);
    private final ByteBuffer discard = ByteBuffer.allocateDirect(65536);
    private final ByteBuf report = Unpooled.buffer(64);
    private long nextReportsNs;

    /** Players of the RTSP server at {@code host:port}; the subclass calls {@link #start()} when constructed. */
    protected RtspUdpPlayers(Settings settings, String host, int port) throws IOException {
        this.settings = settings;
        this.host = host;
        this.port = port;
        this.selector = Selector.open();
        this.thread = Thread.ofPlatform().name(settings.threadName()).daemon().unstarted(this::run);
    }

    /** Starts the selector thread; the last step of the subclass's constructor. */
    protected final void start() {
        thread.start();
    }

    /** A new player with its bound, not yet connected socket pair. */
    protected abstract P newPlayer(int index, DatagramChannel rtp, DatagramChannel rtcp);

    /**
     * One RTP packet of at least a fixed header, on the selector thread: {@code packet} is readable from
     * the header on and may be re-indexed. {@code step} is how far its sequence number moves the player
     * on: 1 for the next one (and for the player's first packet), n &gt; 1 after n - 1 missing, 0 or less
     * for a late or repeated packet, which does not move it.
     */
    protected abstract void onRtp(P player, ByteBuf packet, long nowNs, boolean first, int step);

    /** Opens the sockets of player number {@code players().size()}; {@link #play} then makes it play. */
    public synchronized P add() throws IOException {
        DatagramChannel[] pair = UdpPorts.bindPair(settings.receiveBufferBytes());
        P p = newPlayer(players.size(), pair[0], pair[1]);
        players.add(p);
        return p;
    }

    public synchronized List<P> players() {
        return List.copyOf(players);
    }

    /** DESCRIBE {@code url}, SETUP (UDP, the player's port pair), PLAY from 0. Blocking; any thread. */
    public void play(P p, String url) throws IOException {
        RtspUdpSession s = RtspUdpSession.setup(host, port, settings.rtspTimeoutMs(), url,
                ((InetSocketAddress) p.rtp.getLocalAddress()).getPort(),
                ((InetSocketAddress) p.rtcp.getLocalAddress()).getPort());
        p.session = s;
        p.rtp.connect(new InetSocketAddress(host, s.serverRtpPort()));
        p.serverRtcp = new InetSocketAddress(host, s.serverRtcpPort());
        toRegister.add(p);
        selector.wakeup();
        s.play();
    }

    /** TEARDOWN and close. */
    public void leave(P p) {
        UdpPorts.closeQuietly(p.session);
        UdpPorts.closeQuietly(p.rtp);
        UdpPorts.closeQuietly(p.rtcp);
    }

    /** Runs {@code task} on the selector thread between two reads and answers its result. */
    protected final <T> T onReaderThread(Callable<T> task) throws IOException {
        FutureTask<T> future = new FutureTask<>(task);
        tasks.add(future);
        selector.wakeup();
        try {
            return future.get(TASK_TIMEOUT_S, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new IOException(settings.threadName() + " thread did not answer", e);
        }
    }

    /** The players the selector thread reads, in the order they started playing; on that thread only. */
    protected final List<P> registered() {
        return registered;
    }

    private void run() {
        try {
            while (running) {
                registerPending();
                for (FutureTask<?> t; (t = tasks.poll()) != null; ) {
                    t.run();
                }
                long nowNs = System.nanoTime();
                if (nowNs >= nextReportsNs) {
                    nextReportsNs = nowNs + RECEIVER_REPORT_INTERVAL_NS;
                    sendReceiverReports();
                }
                selector.select(this::onReady, settings.selectTimeoutMs());
            }
        } catch (IOException | RuntimeException e) {
            System.err.println(settings.threadName() + " thread failed: " + e);
            running = false;
        }
    }

    private void registerPending() throws ClosedChannelException {
        for (P p; (p = toRegister.poll()) != null; ) {
            if (p.rtp.isOpen() && p.rtcp.isOpen()) {
                p.rtp.register(selector, SelectionKey.OP_READ, p);
                p.rtcp.register(selector, SelectionKey.OP_READ, p);
                registered.add(p);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private void onReady(SelectionKey key) {
        P p = (P) key.attachment();
        try {
            if (key.channel() == p.rtp) {
                readRtp(p);
            } else {
                for (int i = 0; i < READS_PER_WAKEUP; i++) {
                    discard.clear();
                    if (p.rtcp.receive(discard) == null) {
                        break;
                    }
                }
            }
        } catch (IOException e) {
            key.cancel();
        }
    }

    private void readRtp(P p) throws IOException {
        for (int i = 0; i < READS_PER_WAKEUP; i++) {
            receive.clear();
            int n = p.rtp.read(receive);
            if (n <= 0) {
                return;
            }
            long nowNs = System.nanoTime();
            if (n < RtpPacket.FIXED_HEADER_LENGTH) {
                continue;
            }
            receiveView.setIndex(0, n);
            int sequence = RtpPacket.sequenceNumber(receiveView);
            boolean first = !p.started;
            int step;
            if (first) {
                p.started = true;
                p.lastSequence = sequence;
                p.mediaSsrc = RtpPacket.ssrc(receiveView);
                step = 1;
            } else {
                // Signed 16-bit distance: positive is ahead (in order), zero or negative is late or repeated.
                step = (short) (sequence - p.lastSequence);
                if (step > 0) {
                    p.lastSequence = sequence;
                }
            }
            onRtp(p, receiveView, nowNs, first, step);
        }
    }

    private void sendReceiverReports() {
        for (P p : registered) {
            if (!p.started || !p.rtcp.isOpen()) {
                continue;
            }
            report.clear();
            RtcpWriter.writeReceiverReport(report, settings.reporterSsrcBase() | p.index, p.mediaSsrc, 0, 0,
                    p.lastSequence, 0, 0, 0);
            try {
                p.rtcp.send(report.nioBuffer(), p.serverRtcp);
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
        for (P p : players()) {
            if (p.session != null) {
                p.session.disconnect();
            }
            UdpPorts.closeQuietly(p.rtp);
            UdpPorts.closeQuietly(p.rtcp);
        }
    }
}

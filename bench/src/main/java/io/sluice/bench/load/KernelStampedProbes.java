package io.sluice.bench.load;

import io.sluice.bench.common.LatencyHistogram;
import io.sluice.bench.common.Processes;
import io.sluice.bench.common.RtspUdpSession;
import io.sluice.bench.common.UdpPorts;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Readers whose arrivals the kernel stamps: the relay latency from the publisher's send to the datagram's
 * entry into the reader's receive path, without the load generator's own delay in draining its sockets.
 * {@code bench/src/main/c/rtp_probe.c} owns their sockets and reports each RTP datagram with its
 * {@code SO_TIMESTAMPNS} stamp on this JVM's {@link System#nanoTime()} clock; this class does their RTSP and
 * subtracts the publisher's send time. The probes join in among the other readers, so that they sit at
 * every depth of the server's fan-out, and count as readers of the step.
 *
 * <p>Also kept: how long the probe program took to read each datagram after the kernel stamped it, which
 * shows whether the probes' own reading is prompt.
 */
final class KernelStampedProbes implements AutoCloseable {

    /** As many as rtp_probe.c's MAX_PROBES; passed to it, so the two cannot disagree. */
    static final int MAX_PROBES = 1024;
    private static final long ANSWER_TIMEOUT_S = 10;

    /**
     * The latency samples of a window and its packet counts; {@code gapsSinceJoin} counts from each probe's
     * first packet on, windows or not.
     */
    record Window(LatencyHistogram relay, LatencyHistogram readLag, long packets, long gaps, long gapsSinceJoin,
                  long late, long unmatched) {
    }

    /** One probe: its index in the probe program, its ports, its RTSP session once joined. */
    static final class Probe {
        final int index;
        final int rtpPort;
        final int rtcpPort;
        volatile RtspUdpSession session;
        /** Highest sequence number seen, -1 before the first; the reader thread's, under the counters' lock. */
        int lastSequence = -1;

        Probe(int index, int rtpPort, int rtcpPort) {
            this.index = index;
            this.rtpPort = rtpPort;
            this.rtcpPort = rtcpPort;
        }
    }

    private final Process process;
    private final PrintStream commands;
    /** One command and its answer at a time; never held while the reader thread needs {@link #counters}. */
    private final Object commandLock = new Object();
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final String host;
    private final int port;
    private final String url;
    private final int rtspTimeoutMs;
    private final SendTimes sendTimes;
    private final List<Probe> probes = new CopyOnWriteArrayList<>();
    private volatile String failure;

    private final Object counters = new Object();
    // Guarded by counters: what the reader thread counts.
    private final LatencyHistogram relay = new LatencyHistogram(1, 10_000, 100, 1_000_000);
    private final LatencyHistogram readLag = new LatencyHistogram(1, 10_000, 100, 1_000_000);
    private boolean windowOpen;
    private long packets;
    private long gaps;
    private long gapsSinceJoin;
    private long late;
    private long unmatched;

    KernelStampedProbes(Path program, Path workDir, String host, int port, String url, int rtspTimeoutMs,
                        SendTimes sendTimes) throws IOException {
        this.host = host;
        this.port = port;
        this.url = url;
        this.rtspTimeoutMs = rtspTimeoutMs;
        this.sendTimes = sendTimes;
        this.process = Processes.startPiped(List.of(program.toString(), "--host", host, "--max-probes",
                Integer.toString(MAX_PROBES)), workDir, workDir.resolve("rtp-probe.log"));
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        this.reader = Thread.ofPlatform().name("probe-reader").daemon().start(this::readOutput);
    }

    /** Binds a new probe's socket pair in the probe program. */
    Probe add() throws IOException {
        synchronized (commandLock) {
            if (probes.size() >= MAX_PROBES) {
                throw new IOException("at most " + MAX_PROBES + " probes");
            }
            commands.println("open");
            String[] f = answer().split(" ");
            if (!f[0].equals("ports")) {
                throw new IOException("rtp_probe: " + String.join(" ", f));
            }
            Probe p = new Probe(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
            probes.add(p);
            return p;
        }
    }

    /** DESCRIBE, SETUP to the probe's ports, PLAY; the probe program then keeps the session alive. Any thread. */
    void join(Probe p) throws IOException {
        RtspUdpSession s = RtspUdpSession.setup(host, port, rtspTimeoutMs, url, p.rtpPort, p.rtcpPort);
        p.session = s;
        synchronized (commandLock) {
            commands.println("rtcp " + p.index + " " + s.serverRtcpPort());
        }
        s.play();
    }

    /** TEARDOWN of every probe, then their sockets closed. */
    void leaveAll() {
        for (Probe p : probes) {
            UdpPorts.closeQuietly(p.session);
            synchronized (commandLock) {
                commands.println("close " + p.index);
            }
        }
    }

    int count() {
        return probes.size();
    }

    /** The probes that joined: those with a session. */
    int joined() {
        return (int) probes.stream().filter(p -> p.session != null).count();
    }

    /**
     * The samples since the last call; with {@code open}, a new window starts right after. Throws when
     * the probe program's output stopped being read, since the counts would then be short.
     */
    Window window(boolean open) throws IOException {
        if (failure != null) {
            throw new IOException(failure);
        }
        synchronized (counters) {
            Window w = new Window(relay.copy(), readLag.copy(), packets, gaps, gapsSinceJoin, late, unmatched);
            relay.reset();
            readLag.reset();
            packets = 0;
            gaps = 0;
            late = 0;
            unmatched = 0;
            windowOpen = open;
            return w;
        }
    }

    private String answer() throws IOException {
        try {
            String a = answers.poll(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
            if (a == null) {
                throw new IOException("rtp_probe did not answer in " + ANSWER_TIMEOUT_S + " s"
                        + (failure == null ? "" : ": " + failure));
            }
            return a;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for rtp_probe", e);
        }
    }

    private void readOutput() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.US_ASCII))) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("rtp ")) {
                    onRtp(line);
                } else {
                    answers.add(line);
                }
            }
        } catch (IOException | RuntimeException e) {
            failure = "reading rtp_probe's output failed: " + e;
            answers.add("error " + failure);
        }
    }

    /** {@code rtp I SEQ KERNEL_NS READ_NS}; a sequence number moves its probe on only forward, as a player's does. */
    private void onRtp(String line) {
        String[] f = line.split(" ");
        Probe p = probes.get(Integer.parseInt(f[1]));
        int sequence = Integer.parseInt(f[2]);
        long kernelNs = Long.parseLong(f[3]);
        long readNs = Long.parseLong(f[4]);
        if (kernelNs == 0) {
            failure = "rtp_probe read a datagram without a kernel stamp (SO_TIMESTAMPNS)";
            return;
        }
        synchronized (counters) {
            int step = p.lastSequence < 0 ? 1 : (short) (sequence - p.lastSequence);
            if (step > 0) {
                p.lastSequence = sequence;
            }
            if (step > 1) {
                gapsSinceJoin += step - 1;
            }
            if (!windowOpen) {
                return;
            }
            packets++;
            if (step > 1) {
                gaps += step - 1;
            } else if (step <= 0) {
                late++;
            }
            long sentNs = sendTimes.sentNs(sequence);
            if (sentNs == 0) {
                unmatched++;
                return;
            }
            relay.recordNs(kernelNs - sentNs);
            readLag.recordNs(readNs - kernelNs);
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (Probe p : probes) {
            if (p.session != null) {
                p.session.disconnect();
            }
        }
        commands.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
        Processes.stop(process);
        reader.join(5000);
    }
}

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
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Readers whose arrivals the kernel stamps: the relay latency as the server delivers it, without the load
 * generator's own delay in draining its sockets. {@code bench/src/main/c/rtp_probe.c} owns their sockets and
 * reports each RTP datagram with its {@code SO_TIMESTAMPNS} stamp on this JVM's {@link System#nanoTime()}
 * clock; this class does their RTSP and subtracts the publisher's send time. The probes join in among the
 * other readers, so that they sit at every depth of the server's fan-out, and count as readers of the step.
 *
 * <p>Also kept: how long the probe program took to read each datagram after the kernel stamped it, which
 * shows whether the probes' own reading is prompt.
 */
final class KernelStampedProbes implements AutoCloseable {

    private static final long ANSWER_TIMEOUT_S = 10;

    /** The latency samples of a window and its packet counts. */
    record Window(LatencyHistogram relay, LatencyHistogram readLag, long packets, long gaps, long unmatched) {
    }

    /** One probe: its index in the probe program and its RTSP session once joined. */
    static final class Probe {
        final int index;
        final int rtpPort;
        final int rtcpPort;
        volatile RtspUdpSession session;

        Probe(int index, int rtpPort, int rtcpPort) {
            this.index = index;
            this.rtpPort = rtpPort;
            this.rtcpPort = rtcpPort;
        }
    }

    private final Process process;
    private final PrintStream commands;
    private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();
    private final Thread reader;
    private final String host;
    private final int port;
    private final String url;
    private final SendTimes sendTimes;
    private final List<Probe> probes = new ArrayList<>();

    // Guarded by this: what the reader thread counts.
    private final LatencyHistogram relay = new LatencyHistogram(1, 10_000, 100, 1_000_000);
    private final LatencyHistogram readLag = new LatencyHistogram(1, 10_000, 100, 1_000_000);
    private final int[] lastSequence = new int[1024];
    private boolean windowOpen;
    private long packets;
    private long gaps;
    private long unmatched;

    KernelStampedProbes(Path program, Path workDir, String host, int port, String url, SendTimes sendTimes)
            throws IOException {
        this.host = host;
        this.port = port;
        this.url = url;
        this.sendTimes = sendTimes;
        this.process = Processes.startPiped(List.of(program.toString(), "--host", host), workDir,
                workDir.resolve("rtp-probe.log"));
        this.commands = new PrintStream(process.getOutputStream(), true, StandardCharsets.US_ASCII);
        java.util.Arrays.fill(lastSequence, -1);
        this.reader = Thread.ofPlatform().name("probe-reader").daemon().start(this::readOutput);
    }

    /** Binds a new probe's socket pair in the probe program. */
    synchronized Probe add() throws IOException {
        commands.println("open");
        String answer = answer();
        String[] f = answer.split(" ");
        if (!f[0].equals("ports")) {
            throw new IOException("rtp_probe: " + answer);
        }
        Probe p = new Probe(Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]));
        probes.add(p);
        return p;
    }

    /** DESCRIBE, SETUP to the probe's ports, PLAY; the probe program then keeps the session alive. Any thread. */
    void join(Probe p) throws IOException {
        RtspUdpSession s = RtspUdpSession.setup(host, port, 20_000, url, p.rtpPort, p.rtcpPort);
        p.session = s;
        synchronized (this) {
            commands.println("rtcp " + p.index + " " + s.serverRtcpPort());
        }
        s.play();
    }

    /** TEARDOWN of every probe, then their sockets closed. */
    void leaveAll() {
        List<Probe> all;
        synchronized (this) {
            all = List.copyOf(probes);
        }
        for (Probe p : all) {
            UdpPorts.closeQuietly(p.session);
            synchronized (this) {
                commands.println("close " + p.index);
            }
        }
    }

    int count() {
        synchronized (this) {
            return probes.size();
        }
    }

    /** The samples since the last call; with {@code open}, a new window starts right after. */
    synchronized Window window(boolean open) {
        Window w = new Window(relay.copy(), readLag.copy(), packets, gaps, unmatched);
        relay.reset();
        readLag.reset();
        packets = 0;
        gaps = 0;
        unmatched = 0;
        windowOpen = open;
        return w;
    }

    private String answer() throws IOException {
        try {
            String a = answers.poll(ANSWER_TIMEOUT_S, TimeUnit.SECONDS);
            if (a == null) {
                throw new IOException("rtp_probe did not answer in " + ANSWER_TIMEOUT_S + " s");
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
            answers.add("error reading rtp_probe: " + e);
        }
    }

    /** {@code rtp I SEQ KERNEL_NS READ_NS}. */
    private synchronized void onRtp(String line) {
        String[] f = line.split(" ");
        int index = Integer.parseInt(f[1]);
        int sequence = Integer.parseInt(f[2]);
        long kernelNs = Long.parseLong(f[3]);
        long readNs = Long.parseLong(f[4]);
        int last = lastSequence[index];
        lastSequence[index] = sequence;
        if (!windowOpen) {
            return;
        }
        packets++;
        if (last >= 0) {
            gaps += Math.max(0, (short) (sequence - last) - 1);
        }
        long sentNs = sendTimes.sentNs(sequence);
        if (sentNs == 0 || kernelNs == 0) {
            unmatched++;
            return;
        }
        relay.recordNs(kernelNs - sentNs);
        readLag.recordNs(readNs - kernelNs);
    }

    @Override
    public void close() throws InterruptedException {
        commands.close();
        if (!process.waitFor(5, TimeUnit.SECONDS)) {
            Processes.stop(process);
        }
        reader.join(5000);
    }
}

package io.sluice.bench.load;

/**
 * One step of the relay benchmark: N readers of one server over one measure window.
 *
 * @param joinFailures      readers whose DESCRIBE/SETUP/PLAY failed
 * @param notStarted        readers that received no packet before the window
 * @param publishedPps      packets/s the publisher sent in the window
 * @param receivedPps       packets/s all readers received in the window
 * @param gaps              sequence numbers missing across all readers during the window (drops)
 * @param gapsSinceJoin     the same from each reader's first packet to the end of the window
 * @param serverCpuPct      server CPU in the window, % of one core (utime + stime of all its threads)
 * @param serverKernelCpuPct the kernel's part of it (stime): system calls and, on loopback, the readers'
 *                          receive path where it runs as a softirq in the sender's context and the kernel
 *                          accounts by tick (no IRQ_TIME_ACCOUNTING); what ksoftirqd runs is not in it
 * @param heapPerReaderKb   Java heap after full GC with the readers minus before them, per reader; NaN if not a JVM
 * @param rssPerReaderKb    resident set with the readers minus before them, per reader
 * @param probeLatency      the latency the kernel-stamped probes saw, when there were any; null otherwise
 * @param rcvbufErrors      datagrams the kernel dropped for full receive buffers during the window (host-wide)
 * @param otherCpuPct       CPU used on the host by everything but the server and the load generator, % of one core
 * @param stealPct          CPU stolen by the hypervisor, % of one core
 * @param readerBacklogKb   bytes queued in the readers' RTP sockets at the end of the window: the load
 *                          generator lagging, not the server
 */
record StepResult(String server, int readers, int joinFailures, int notStarted, double joinSeconds, double windowSeconds,
                  double publishedPps, double receivedPps, long gaps, long gapsSinceJoin, long late, long unmatched,
                  double serverCpuPct, double serverKernelCpuPct, double loadGeneratorCpuPct, double heapPerReaderKb, double rssPerReaderKb,
                  long latencySamples, long p50Us, long p99Us, long p999Us, long maxUs, ProbeLatency probeLatency,
                  long rcvbufErrors,
                  double otherCpuPct, double stealPct, long readerBacklogKb) {

    /**
     * The relay latency at the kernel-stamped probes: publisher send to the datagram's entry into the probe's
     * receive path, and how long the probe program then took to read it (its p99).
     */
    record ProbeLatency(int probes, long samples, long unmatched, long p50Us, long p99Us, long p999Us, long maxUs,
                        long readLagP99Us) {

        static ProbeLatency of(int probes, KernelStampedProbes.Window w) {
            return new ProbeLatency(probes, w.relay().count(), w.unmatched(), w.relay().percentileUs(0.50),
                    w.relay().percentileUs(0.99), w.relay().percentileUs(0.999), w.relay().maxUs(),
                    w.readLag().percentileUs(0.99));
        }
    }

    double expectedPps() {
        return publishedPps * readers;
    }

    double deliveredFraction() {
        return expectedPps() == 0 ? 0 : receivedPps / expectedPps();
    }

    /** % of one core per 100k packets/s delivered: the cost of a packet. */
    double cpuPer100kPps() {
        return per100kPps(serverCpuPct);
    }

    /** The kernel's part of {@link #cpuPer100kPps()}. */
    double kernelCpuPer100kPps() {
        return per100kPps(serverKernelCpuPct);
    }

    private double per100kPps(double cpuPct) {
        return receivedPps == 0 ? Double.NaN : cpuPct / (receivedPps / 100_000.0);
    }
}

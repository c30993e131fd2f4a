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
 * @param heapPerReaderKb   Java heap after full GC with the readers minus before them, per reader; NaN if not a JVM
 * @param rssPerReaderKb    resident set with the readers minus before them, per reader
 * @param rcvbufErrors      datagrams the kernel dropped for full receive buffers during the window (host-wide)
 * @param otherCpuPct       CPU used on the host by everything but the server and the load generator, % of one core
 * @param stealPct          CPU stolen by the hypervisor, % of one core
 * @param readerBacklogKb   bytes queued in the readers' RTP sockets at the end of the window: the load
 *                          generator lagging, not the server
 */
record StepResult(String server, int readers, int joinFailures, int notStarted, double joinSeconds, double windowSeconds,
                  double publishedPps, double receivedPps, long gaps, long gapsSinceJoin, long late, long unmatched,
                  double serverCpuPct, double loadGeneratorCpuPct, double heapPerReaderKb, double rssPerReaderKb,
                  long latencySamples, long p50Us, long p99Us, long p999Us, long maxUs, long rcvbufErrors,
                  double otherCpuPct, double stealPct, long readerBacklogKb) {

    double expectedPps() {
        return publishedPps * readers;
    }

    double deliveredFraction() {
        return expectedPps() == 0 ? 0 : receivedPps / expectedPps();
    }

    /** % of one core per 100k packets/s delivered: the cost of a packet. */
    double cpuPer100kPps() {
        return receivedPps == 0 ? Double.NaN : serverCpuPct / (receivedPps / 100_000.0);
    }
}

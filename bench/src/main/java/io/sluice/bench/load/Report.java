package io.sluice.bench.load;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/** The Markdown report of a run: per-server tables, the Sluice/GStreamer ratios and the join storms. */
final class Report {

    private Report() {
    }

    static String markdown(Instant started, String loadBefore, String loadAfter, RtpCapture capture, List<StepResult> steps, List<StormResult> storms,
                           String jfrSummary) {
        StringBuilder sb = new StringBuilder();
        sb.append("Run started ").append(started).append(", ").append(Runtime.getRuntime().availableProcessors())
                .append(" cores; stream: ").append(capture.packets().size()).append(" captured packets, ")
                .append(String.format(Locale.ROOT, "%.1f", capture.packetsPerSecond())).append(" packets/s.\n\n");
        sb.append("| server | N | pkt/s out | delivered | drops (window) | drops (since join) | late | server CPU % core"
                + " | % core per 100k pkt/s | of which kernel | latency p50 µs | p99 µs | p99.9 µs | max µs | heap/reader KB"
                + " | RSS/reader KB | loadgen CPU % | other procs CPU % | reader backlog KB | rcvbuf errs | join s |\n");
        sb.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: "
                + "| ---: | ---: | ---: | ---: | ---: |\n");
        for (StepResult r : steps) {
            sb.append(String.format(Locale.ROOT,
                    "| %s | %d | %.0f | %.4f | %d | %d | %d | %.1f | %.1f | %.1f | %s | %s | %s | %d | %s | %.1f | %.1f | %.0f | %d | %d | %.1f |%n",
                    r.server(), r.readers(), r.receivedPps(), r.deliveredFraction(), r.gaps(), r.gapsSinceJoin(), r.late(),
                    r.serverCpuPct(), r.cpuPer100kPps(), r.kernelCpuPer100kPps(), us(r.p50Us()), us(r.p99Us()), us(r.p999Us()), r.maxUs(),
                    Double.isNaN(r.heapPerReaderKb()) ? "n/a" : String.format(Locale.ROOT, "%.1f", r.heapPerReaderKb()),
                    r.rssPerReaderKb(), r.loadGeneratorCpuPct(), r.otherCpuPct(), r.readerBacklogKb(), r.rcvbufErrors(),
                    r.joinSeconds()));
        }
        boolean anyFailure = steps.stream().anyMatch(r -> r.joinFailures() > 0 || r.notStarted() > 0 || r.unmatched() > 0);
        if (anyFailure) {
            sb.append("\nJoin failures / readers without a packet / packets without a send time:\n");
            for (StepResult r : steps) {
                sb.append(String.format(Locale.ROOT, "- %s N=%d: %d / %d / %d%n", r.server(), r.readers(),
                        r.joinFailures(), r.notStarted(), r.unmatched()));
            }
        }
        if (steps.stream().anyMatch(r -> r.probeLatency() != null)) {
            sb.append("\nRelay latency at the kernel-stamped probes (publisher send to the datagram's entry into the"
                    + " probe's receive path, SO_TIMESTAMPNS; the probes are among the N readers, spread through the"
                    + " join order), and how long the probe program took to read a datagram after that (p99):\n\n"
                    + "| server | N | probes | samples | p50 µs | p99 µs | p99.9 µs | max µs | probe read lag p99 µs |\n"
                    + "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
            for (StepResult r : steps) {
                StepResult.ProbeLatency p = r.probeLatency();
                if (p != null) {
                    sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %d | %s | %s | %s | %d | %s |%n", r.server(),
                            r.readers(), p.probes(), p.samples(), us(p.p50Us()), us(p.p99Us()), us(p.p999Us()),
                            p.maxUs(), us(p.readLagP99Us())));
                }
            }
        }
        sb.append("\nSluice / GStreamer (\"Sluice's kernel part\": Sluice's stime alone per packet against GStreamer's"
                + " whole CPU per packet, the ratio Sluice would have if its own code cost nothing):\n\n"
                + "| N | CPU per packet | Sluice's kernel part | packets delivered | p99 latency |\n"
                + "| ---: | ---: | ---: | ---: | ---: |\n");
        for (StepResult s : steps) {
            if (!s.server().equals("Sluice")) {
                continue;
            }
            Optional<StepResult> g = steps.stream()
                    .filter(r -> r.server().equals("GStreamer") && r.readers() == s.readers()).findFirst();
            g.ifPresent(gst -> sb.append(String.format(Locale.ROOT, "| %d | %.2f | %.2f | %.3f | %.2f |%n", s.readers(),
                    s.cpuPer100kPps() / gst.cpuPer100kPps(), s.kernelCpuPer100kPps() / gst.cpuPer100kPps(),
                    s.receivedPps() / gst.receivedPps(),
                    s.p99Us() == Long.MAX_VALUE || gst.p99Us() == Long.MAX_VALUE ? Double.NaN
                            : (double) s.p99Us() / gst.p99Us())));
        }
        if (!storms.isEmpty()) {
            sb.append("\nJoin storm (ms from the common start, p50 / p99 / max over the readers):\n\n"
                    + "| server | readers | failures | PLAY answered | first packet | first keyframe | no packet (incl. failures) | no keyframe |\n"
                    + "| --- | ---: | ---: | --- | --- | --- | ---: | ---: |\n");
            for (StormResult s : storms) {
                sb.append(String.format(Locale.ROOT, "| %s | %d | %d | %s | %s | %s | %d | %d |%n", s.server(), s.readers(),
                        s.failures(), triple(s.playAnsweredMs()), triple(s.firstPacketMs()), triple(s.firstKeyframeMs()),
                        s.withoutPacket(), s.withoutKeyframe()));
            }
        }
        if (jfrSummary != null) {
            sb.append("\nJFR of the Sluice server during the largest step:\n\n").append(jfrSummary);
        }
        return sb.toString();
    }

    /** A percentile in µs; the histogram's last bucket holds everything over 1 s. */
    static String us(long percentileUs) {
        return percentileUs == Long.MAX_VALUE ? ">1000000" : Long.toString(percentileUs);
    }

    static String triple(double[] v) {
        return String.format(Locale.ROOT, "%.0f / %.0f / %.0f", v[0], v[1], v[2]);
    }
}

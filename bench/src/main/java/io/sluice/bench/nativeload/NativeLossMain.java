package io.sluice.bench.nativeload;

import io.netty.channel.EventLoopGroup;
import io.sluice.bench.common.LatencyHistogram;
import io.sluice.bench.common.Options;
import io.sluice.client.PullStreamClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Loss recovery of the native protocol: for each loss rate, two {@link LossArm}s run side by side in
 * this process, one with retransmission (the node asks the pusher, the pullers ask the node) and one
 * without (the original protocol), each node dropping that share of every datagram it receives and
 * sends. After every puller delivers and a warm-up, each pusher sends the same numbered content
 * payloads; then a tail keeps the streams going so that a loss at the end is noticed too. Reported per
 * arm: the share of content delivered (all pullers, and the worst one), and the latency from send to
 * delivery, p50 and p99, and what loss added to it against the 0% step. Options (defaults in brackets):
 * <pre>
 *   --loss 0,1,5,10      loss rates in percent, each way at the node (0 gives the reference latency)
 *   --pullers 20         pullers per arm
 *   --rate 200           datagrams per second pushed (1316 B of TS each)
 *   --content 4000       content datagrams per step (20 s at 200/s)
 *   --threads 2          event loops shared by all pullers
 *   --seed 1             of the loss generators
 *   --work-dir /tmp/sluice-bench-native   the report (native-loss.md)
 * </pre>
 */
public final class NativeLossMain {

    private static final long JOIN_TIMEOUT_MS = 60_000;
    private static final long WARM_UP_MS = 2000;
    /** Longer than the pullers' reorder wait (1 s) and the node's resend retries. */
    private static final long TAIL_MS = 3000;

    private NativeLossMain() {
    }

    private record Row(int lossPercent, boolean retransmission, double share, double worst, int complete, int pullers,
                       double p50Ms, double p99Ms, double maxMs, long resent, long fromPusher, long givenUp,
                       String dropped) {
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        List<Integer> losses = o.integers("loss", "0,1,5,10");
        int pullers = o.integer("pullers", 20);
        int rate = o.integer("rate", 200);
        int content = o.integer("content", 4000);
        long seed = o.integer("seed", 1);
        Path work = Files.createDirectories(Path.of(o.string("work-dir", "/tmp/sluice-bench-native")));
        EventLoopGroup group = PullerFleet.sharedGroup(o.integer("threads", 2), "lossy-pullers");
        TableReport report = new TableReport("Native loss recovery, " + Instant.now() + ": " + pullers
                + " pullers per arm, " + rate + " datagrams/s, " + content
                + " content datagrams per step; loss injected at the node's sockets, each way\n\n"
                + "| loss | retransmission | delivered | worst puller | pullers with all | latency p50 ms | p99 ms | max ms |"
                + " added p50 ms | added p99 ms | resent by node | node recovered from pusher | given up by pullers | node dropped in/out |\n"
                + "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n");
        Map<Boolean, Row> reference = new HashMap<>();
        try {
            for (int loss : losses) {
                Row[] rows = step(loss, seed + 10L * loss, pullers, rate, content, group);
                for (Row r : rows) {
                    if (loss == 0) {
                        reference.put(r.retransmission, r);
                    }
                    report.row(format(r, reference.get(r.retransmission)));
                }
            }
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
        report.write(work.resolve("native-loss.md"));
    }

    private static Row[] step(int lossPercent, long seed, int pullers, int rate, int content, EventLoopGroup group)
            throws Exception {
        try (LossArm with = LossArm.open(true, lossPercent / 100.0, seed, pullers, rate, group);
             LossArm without = LossArm.open(false, lossPercent / 100.0, seed + 2, pullers, rate, group)) {
            LossArm[] arms = {with, without};
            for (LossArm arm : arms) {
                if (!arm.fleet().awaitAllReceiving(JOIN_TIMEOUT_MS)) {
                    throw new IllegalStateException(arm.fleet().receiving() + " of " + pullers + " pullers receive at "
                            + lossPercent + "% loss after " + JOIN_TIMEOUT_MS + " ms");
                }
            }
            Thread.sleep(WARM_UP_MS);
            for (LossArm arm : arms) {
                arm.fleet().latencyOfContentOnly();
                arm.fleet().resetLatencies();
            }
            for (LossArm arm : arms) {
                arm.pacer().sendContent(content);
            }
            for (LossArm arm : arms) {
                arm.pacer().awaitContentSent();
            }
            Thread.sleep(TAIL_MS);
            Row[] rows = new Row[arms.length];
            for (int i = 0; i < arms.length; i++) {
                rows[i] = measure(arms[i], lossPercent, content);
            }
            return rows;
        }
    }

    private static Row measure(LossArm arm, int lossPercent, int content) {
        long delivered = 0;
        int worst = Integer.MAX_VALUE;
        int complete = 0;
        List<PullerFleet.Puller> pullers = arm.fleet().pullers();
        for (PullerFleet.Puller p : pullers) {
            int got = p.contentDelivered();
            delivered += got;
            worst = Math.min(worst, got);
            if (got == content) {
                complete++;
            }
        }
        LatencyHistogram latency = arm.fleet().latencies();
        long givenUp = arm.pullerStatistics().stream().mapToLong(PullStreamClient.Statistics::lost).sum();
        long[] dropped = arm.dropped();
        long[] seen = arm.seen();
        return new Row(lossPercent, arm.retransmission, (double) delivered / ((long) content * pullers.size()),
                (double) worst / content, complete, pullers.size(), latency.percentileMs(0.5), latency.percentileMs(0.99),
                latency.maxMs(), arm.resentToPullers(), arm.recoveredFromPusher(), givenUp,
                String.format("%d/%d, %d/%d", dropped[0], seen[0], dropped[1], seen[1]));
    }

    private static String format(Row r, Row reference) {
        String addedP50 = reference == null ? "" : String.format("%+.2f", r.p50Ms - reference.p50Ms);
        String addedP99 = reference == null ? "" : String.format("%+.2f", r.p99Ms - reference.p99Ms);
        return String.format("| %d%% | %s | %.4f%% | %.2f%% | %d/%d | %.2f | %.2f | %.1f | %s | %s | %d | %d | %d | %s |",
                r.lossPercent, r.retransmission ? "on" : "off", 100 * r.share, 100 * r.worst, r.complete, r.pullers,
                r.p50Ms, r.p99Ms, r.maxMs, addedP50, addedP99, r.resent, r.fromPusher, r.givenUp, r.dropped);
    }
}

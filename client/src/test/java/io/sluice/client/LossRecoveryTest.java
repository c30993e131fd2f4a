package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.rtp.loss.RandomLossGenerator;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loss injected at the server's socket, 5% of the datagrams it receives and 5% of those it sends, so
 * both the pusher's and the puller's links lose 5% each way: the SDK puller still delivers every
 * packet of the stream, once and in order, because the server asks the pusher again and the puller
 * asks the server again.
 */
class LossRecoveryTest {

    private static final Logger log = LoggerFactory.getLogger(LossRecoveryTest.class);
    private static final int WARM_UP = 0;
    private static final int CONTENT = 1;
    private static final int CONTENT_PACKETS = 3000;

    static byte[] packet(int kind, int index) {
        byte[] b = new byte[1316];
        ByteBuffer.wrap(b).putInt(kind).putInt(index);
        return b;
    }

    @Test
    void theSdkPullerDeliversTheWholeStreamAtFivePercentLossBothWays() throws Exception {
        RandomLossGenerator serverIn = new RandomLossGenerator(0.05, 1);
        RandomLossGenerator serverOut = new RandomLossGenerator(0.05, 2);
        try (TestNode node = TestNode.start(l -> {
            l.receiveLoss = serverIn;
            l.sendLoss = serverOut;
            l.pullAnswerResend = Duration.ofMillis(500);
        })) {
            String code = node.key("cam");
            List<Integer> content = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger warmUps = new AtomicInteger();
            EventLog pullEvents = new EventLog(d -> {
                ByteBuffer b = ByteBuffer.wrap(d.data());
                if (b.getInt() == CONTENT) {
                    content.add(b.getInt());
                } else {
                    warmUps.incrementAndGet();
                }
            });
            EventLog pushEvents = new EventLog();
            try (PushStreamClient push = new PushStreamClient("127.0.0.1", 0, node.push(), pushEvents);
                 PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), pullEvents)) {
                push.auth("cam", code);
                pushEvents.await(NativeEvent.AuthRsp.class, NativeEvent.AuthRsp::accepted, 10_000);
                pull.pullStreamStart();
                pull.pullStreamData(List.of("cam"));
                // Warm-up packets until data reaches the puller: the handshake itself crosses the lossy link.
                long deadline = System.currentTimeMillis() + 20_000;
                for (int i = 0; warmUps.get() == 0; i++) {
                    assertThat(System.currentTimeMillis()).as("data reaches the puller").isLessThan(deadline);
                    push.pushStreamData("cam", packet(WARM_UP, i));
                    Thread.sleep(5);
                }
                long startNs = System.nanoTime();
                for (int i = 0; i < CONTENT_PACKETS; i++) {
                    push.pushStreamData("cam", packet(CONTENT, i));
                    if (i % 10 == 9) {
                        Thread.sleep(10);
                    }
                }
                // Keep the stream going so that a loss at its very end is noticed too.
                for (int i = 0; content.size() < CONTENT_PACKETS && i < 1000; i++) {
                    push.pushStreamData("cam", packet(WARM_UP, 100_000 + i));
                    Thread.sleep(5);
                }
                double seconds = (System.nanoTime() - startNs) / 1e9;
                PullStreamClient.Statistics stats = pull.statistics();
                log.info("{} content packets in {} s; server dropped {} of {} in and {} of {} out; puller {}; server {}",
                        content.size(), String.format("%.2f", seconds), serverIn.dropped(),
                        serverIn.seen(), serverOut.dropped(), serverOut.seen(), stats,
                        node.node.nativeServer().counters().snapshot());
                synchronized (content) {
                    assertThat(content).containsExactlyElementsOf(
                            java.util.stream.IntStream.range(0, CONTENT_PACKETS).boxed().toList());
                }
                assertThat(serverIn.dropped()).isGreaterThan(100);
                assertThat(serverOut.dropped()).isGreaterThan(100);
                assertThat(stats.recovered()).isGreaterThan(100);
                assertThat(node.node.nativeServer().counters().pusherRecovered.sum()).isGreaterThan(100);
            }
        }
    }
}

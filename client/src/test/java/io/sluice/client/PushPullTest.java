package io.sluice.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The SDK against an in-process node: the events of the seed's flows, and data through in order. */
class PushPullTest {

    private TestNode node;

    @BeforeEach
    void start() {
        node = TestNode.start(l -> { });
    }

    @AfterEach
    void stop() throws Exception {
        node.close();
    }

    static byte[] numbered(int n, int length) {
        byte[] b = new byte[length];
        ByteBuffer.wrap(b).putInt(n);
        return b;
    }

    @Test
    void pushAuthPullAndStop() {
        String code = node.key("cam");
        EventLog pushEvents = new EventLog();
        List<Integer> received = new CopyOnWriteArrayList<>();
        EventLog pullEvents = new EventLog(d -> received.add(ByteBuffer.wrap(d.data()).getInt()));
        try (PushStreamClient push = new PushStreamClient("127.0.0.1", 0, node.push(), pushEvents);
             PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), pullEvents)) {
            push.pushStreamData("cam", new byte[188]);
            assertThat(pushEvents.await(NativeEvent.PushStreamError.class, 2000).errCode())
                    .isEqualTo(NativeEvent.PushStreamError.NOT_AUTHENTICATED);
            push.auth("cam", "wrong");
            assertThat(pushEvents.await(NativeEvent.AuthRsp.class, 3000)).isEqualTo(new NativeEvent.AuthRsp("cam", false));
            push.auth("cam", code);
            pushEvents.await(NativeEvent.AuthRsp.class, NativeEvent.AuthRsp::accepted, 3000);

            pull.pullStreamData(List.of("cam", "nosuch"));
            pull.pullStreamStart();
            pullEvents.await(NativeEvent.PullStreamReady.class, 3000);
            assertThat(pullEvents.await(NativeEvent.PullStreamReqSuccess.class, 3000).liveIds()).containsExactly("cam");
            assertThat(pullEvents.await(NativeEvent.NoStream.class, 3000).liveIds()).containsExactly("nosuch");
            pullEvents.awaitCondition(() -> node.node.nativeServer().pullers().stream()
                    .anyMatch(p -> p.pulling().contains("cam")), 3000, "the acknowledgement");

            for (int i = 0; i < 500; i++) {
                push.pushStreamData("cam", numbered(i, 1316));
            }
            // One call of 3 x 1316 bytes leaves as three datagrams.
            byte[] three = new byte[3 * 1316];
            for (int i = 0; i < 3; i++) {
                ByteBuffer.wrap(three, i * 1316, 4).putInt(500 + i);
            }
            push.pushStreamData("cam", three);
            pullEvents.awaitCondition(() -> received.size() >= 503, 5000, "503 packets");
            assertThat(received).containsExactlyElementsOf(java.util.stream.IntStream.range(0, 503).boxed().toList());

            push.stopPush(List.of("cam"));
            assertThat(pullEvents.await(NativeEvent.StreamStop.class, 3000).liveId()).isEqualTo("cam");
            assertThat(pull.statistics().delivered()).isEqualTo(503);
            assertThat(pull.statistics().lost()).isZero();
        }
    }

    @Test
    void aLaterPullRequestReplacesTheList() {
        String codeA = node.key("a");
        String codeB = node.key("b");
        EventLog pushEvents = new EventLog();
        List<String> dataOf = new CopyOnWriteArrayList<>();
        EventLog pullEvents = new EventLog(d -> dataOf.add(d.liveId()));
        try (PushStreamClient push = new PushStreamClient("127.0.0.1", 0, node.push(), pushEvents);
             PullStreamClient pull = new PullStreamClient("127.0.0.1", 0, node.pull(), pullEvents)) {
            push.auth("a", codeA);
            push.auth("b", codeB);
            pushEvents.awaitCondition(() -> pushEvents.events().size() == 2, 3000, "two auth answers");
            pull.pullStreamStart();
            pull.pullStreamData(List.of("a"));
            pullEvents.awaitCondition(() -> node.node.nativeServer().pullers().stream()
                    .anyMatch(p -> p.pulling().equals(List.of("a"))), 3000, "pulling a");
            pull.pullStreamData(List.of("b"));
            pullEvents.awaitCondition(() -> node.node.nativeServer().pullers().stream()
                    .anyMatch(p -> p.pulling().equals(List.of("b"))), 3000, "pulling b only");
            push.pushStreamData("a", new byte[188]);
            push.pushStreamData("b", new byte[188]);
            pullEvents.awaitCondition(() -> dataOf.contains("b"), 3000, "data of b");
            push.pushStreamData("b", new byte[188]);
            pullEvents.awaitCondition(() -> dataOf.size() == 2, 3000, "second packet of b");
            assertThat(dataOf).containsExactly("b", "b");
        }
    }
}

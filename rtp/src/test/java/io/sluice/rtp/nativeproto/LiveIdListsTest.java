package io.sluice.rtp.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class LiveIdListsTest {

    @Test
    void splitsAndJoinsBothSeparators() {
        assertThat(LiveIdLists.split("a#b##c#", '#')).containsExactly("a", "b", "c");
        assertThat(LiveIdLists.split("a;b", ';')).containsExactly("a", "b");
        assertThat(LiveIdLists.split("", '#')).isEmpty();
        assertThat(LiveIdLists.join(List.of("a", "b"), ';')).isEqualTo("a;b");
    }

    @Test
    void chunksA2000ByteRequestInto738ByteDatagramsThatRejoin() {
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            ids.add("stream-" + i);
        }
        List<byte[]> chunks = LiveIdLists.pullRequestChunks(ids);
        int total = LiveIdLists.join(ids, '#').getBytes(StandardCharsets.UTF_8).length;
        assertThat(chunks).hasSize((total + 737) / 738);
        assertThat(chunks.subList(0, chunks.size() - 1)).allSatisfy(c -> assertThat(c).hasSize(738));
        ByteArrayOutputStream joined = new ByteArrayOutputStream();
        chunks.forEach(joined::writeBytes);
        assertThat(LiveIdLists.split(joined.toString(StandardCharsets.UTF_8), '#')).isEqualTo(ids);
    }

    @Test
    void anEmptyListIsOneEmptyChunk() {
        assertThat(LiveIdLists.pullRequestChunks(List.of())).singleElement().satisfies(c -> assertThat(c).isEmpty());
    }
}

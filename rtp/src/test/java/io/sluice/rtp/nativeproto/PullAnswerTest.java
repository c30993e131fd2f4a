package io.sluice.rtp.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.rtp.nativeproto.PullAnswer.Entry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PullAnswerTest {

    @Test
    void formatsAndParsesBackTwentyEntriesPerPayload() {
        List<Entry> entries = new ArrayList<>();
        for (int i = 0; i < 45; i++) {
            entries.add(i % 3 == 0 ? Entry.missing("s" + i) : Entry.of("s" + i, 1000 + i));
        }
        List<String> payloads = PullAnswer.format(entries);
        assertThat(payloads).hasSize(3);
        assertThat(payloads.get(0)).startsWith("s0#null;s1#1001;s2#1002;s3#null");
        List<Entry> parsed = new ArrayList<>();
        payloads.forEach(p -> parsed.addAll(PullAnswer.parse(p)));
        assertThat(parsed).isEqualTo(entries);
    }

    @Test
    void readsSignedAndUnsignedSsrcsAndSkipsGarbage() {
        assertThat(PullAnswer.parse("a#-1;b#4294967295;c;d#x;#5;e#99999999999"))
                .containsExactly(Entry.of("a", -1), Entry.of("b", -1));
    }
}

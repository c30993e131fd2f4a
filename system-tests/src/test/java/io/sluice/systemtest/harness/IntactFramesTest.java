package io.sluice.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The intact-frame count on a 12-frame clip with keyframes k0, k4 and k8. */
class IntactFramesTest {

    private static final List<String> SOURCE = List.of("k0", "a", "b", "c", "k4", "d", "e", "f", "k8", "g", "h", "i");
    private static final Clip CLIP = new Clip(Path.of("clip"), SOURCE, Set.of("k0", "k4", "k8"), 25);

    record Case(String name, List<String> received, int firstFrame, int intact, int afterFirstGopIntact) {
    }

    @Test
    void countsFromTheKeyframeWhereTheReaderBegan() {
        List<Case> cases = List.of(
                new Case("all intact from the start", SOURCE, 0, 12, 8),
                new Case("joined at the second GOP", SOURCE.subList(4, 12), 4, 8, 4),
                new Case("a frame of the second GOP corrupt, the rest of it too",
                        List.of("k0", "a", "b", "c", "k4", "x", "x", "x", "k8", "g", "h", "i"), 0, 9, 5),
                new Case("the whole first GOP corrupt: it still began at frame 0",
                        List.of("x", "x", "x", "x", "k4", "d", "e", "f", "k8", "g", "h", "i"), 0, 8, 8),
                new Case("nothing intact", List.of("x", "y"), -1, 0, 0));
        for (Case c : cases) {
            IntactFrames whole = IntactFrames.measure(CLIP, c.received());
            assertThat(whole.firstFrame()).as(c.name()).isEqualTo(c.firstFrame());
            assertThat(whole.intact()).as(c.name()).isEqualTo(c.intact());
            assertThat(IntactFrames.measureAfterFirstGop(CLIP, c.received()).intact()).as(c.name())
                    .isEqualTo(c.afterFirstGopIntact());
        }
    }
}

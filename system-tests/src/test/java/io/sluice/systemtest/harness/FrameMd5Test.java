package io.sluice.systemtest.harness;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class FrameMd5Test {

    private static final String A = "1780c35619105b6273678872316827b3";
    private static final String B = "5725b44a70cc10f3bf72612212d75210";
    private static final String C = "3e2be535d4b18f36029eb72a8a8c3d43";
    private static final String D = "590944a9a62a0548a891115a1214b899";
    private static final String E = "9fd7e8f5c5483c27b8fe9ccdbdd1fdff";
    private static final List<String> SOURCE = List.of(A, B, C, D, E);

    @Test
    void parsesDataLinesAndSkipsHeaderAndSideData() {
        List<String> lines = List.of(
                "#format: frame checksums",
                "#stream#, dts,        pts, duration,     size, hash",
                "0,          0,          0,        1,   115200, " + A,
                "0,       3600,       3600,     3600,     1346, " + B + ", S=1,        1, ec2d11028766e06ac33648e2f0a67320",
                "",
                "0,          2,          2,        1,   1152");
        assertThat(FrameMd5.parse(lines)).containsExactly(A, B);
    }

    @Test
    void acceptsARunStartingMidSource() {
        assertThatCode(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(B, C, D), 3)).doesNotThrowAnyException();
    }

    @Test
    void reportsALostFrame() {
        assertThatThrownBy(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(A, B, D, E), 1))
                .hasMessageContaining("breaks at received frame 2 of 4")
                .hasMessageContaining("expected source frame 2")
                .hasMessageContaining("1 frames lost");
    }

    @Test
    void reportsARewind() {
        assertThatThrownBy(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(B, C, A), 1))
                .hasMessageContaining("breaks at received frame 2")
                .hasMessageContaining("source frame 0 (repeated or rewound)");
    }

    @Test
    void reportsAFrameThatIsNoSourceFrame() {
        String corrupt = "00000000000000000000000000000000";
        assertThatThrownBy(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(A, corrupt), 1))
                .hasMessageContaining("no source frame");
        assertThatThrownBy(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(corrupt, A), 1))
                .hasMessageContaining("first received frame " + corrupt + " is not a source frame");
    }

    @Test
    void reportsTooShortARunAndNothingAtAll() {
        assertThatThrownBy(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(C, D), 3))
                .hasMessageContaining("unbroken run of 2 frames (source frames 2..3), expected at least 3");
        assertThatThrownBy(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(), 1))
                .hasMessageContaining("received no frames");
    }

    @Test
    void reportsFramesPastTheEndOfTheSource() {
        assertThatThrownBy(() -> FrameMd5.assertUnbrokenRun(SOURCE, List.of(D, E, A), 1))
                .hasMessageContaining("after the last source frame");
    }
}

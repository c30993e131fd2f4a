package io.sluice.bench.nativeload;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StampTest {

    @Test
    void aPayloadIsSevenNullTsPacketsCarryingKindIndexAndSendTime() {
        long beforeNs = System.nanoTime();
        byte[] b = Stamp.payload(Stamp.CONTENT, 0x01020304);
        long afterNs = System.nanoTime();

        assertThat(b).hasSize(1316);
        for (int p = 0; p < 7; p++) {
            assertThat(new byte[] {b[188 * p], b[188 * p + 1], b[188 * p + 2], b[188 * p + 3]})
                    .as("TS header of packet %d: sync, PID 0x1FFF, payload only", p)
                    .containsExactly(0x47, 0x1F, 0xFF, 0x10);
        }
        assertThat(new byte[] {b[16], b[17], b[18], b[19]}).containsExactly(1, 2, 3, 4);
        assertThat(Stamp.isStamp(b)).isTrue();
        assertThat(Stamp.kind(b)).isEqualTo(Stamp.CONTENT);
        assertThat(Stamp.index(b)).isEqualTo(0x01020304);
        assertThat(Stamp.sendNs(b)).isBetween(beforeNs, afterNs);
        assertThat(b[20]).isEqualTo((byte) 0xFF);
    }

    @Test
    void aTruncatedOrForeignPayloadIsNoStamp() {
        byte[] b = Stamp.payload(Stamp.WARM_UP, 7);
        assertThat(Stamp.isStamp(java.util.Arrays.copyOf(b, 188))).isFalse();
        b[1] = 0x00;
        assertThat(Stamp.isStamp(b)).isFalse();
    }
}

package io.sluice.rtp;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class SequenceUnwrapperTest {

    private static long[] unwrapAll(SequenceUnwrapper unwrapper, int... seqs) {
        long[] out = new long[seqs.length];
        for (int i = 0; i < seqs.length; i++) {
            out[i] = unwrapper.unwrap(seqs[i]);
        }
        return out;
    }

    @Test
    void firstValueIsKeptAndCountingContinuesAcrossWraps() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        assertThat(unwrapper.started()).isFalse();
        assertThat(unwrapAll(unwrapper, 65533, 65534, 65535, 0, 1, 2))
                .containsExactly(65533, 65534, 65535, 65536, 65537, 65538);
        assertThat(unwrapper.started()).isTrue();
    }

    @Test
    void countsThroughManyWraps() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        long last = -1;
        for (long n = 0; n < 6 * 65536L; n += 1000) {
            last = unwrapper.unwrap((int) (n & 0xFFFF));
            assertThat(last).isEqualTo(n);
        }
        assertThat(last).isGreaterThan(5 * 65536L);
    }

    @Test
    void reorderedPacketsAcrossAWrapLandOnTheRightSide() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        // 65535 and 65534 are delayed past the wrap; 3 arrives before 2.
        assertThat(unwrapAll(unwrapper, 65533, 0, 65535, 1, 65534, 3, 2))
                .containsExactly(65533, 65536, 65535, 65537, 65534, 65539, 65538);
    }

    @Test
    void lateValueBeforeTheFirstAcrossAWrapIsNegative() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        assertThat(unwrapAll(unwrapper, 2, 65535, 3)).containsExactly(2, -1, 3);
    }

    @Test
    void resetStartsAfresh() {
        SequenceUnwrapper unwrapper = new SequenceUnwrapper();
        unwrapAll(unwrapper, 65000, 100);
        unwrapper.reset();
        assertThat(unwrapper.started()).isFalse();
        assertThat(unwrapper.unwrap(50_000)).isEqualTo(50_000);
    }
}

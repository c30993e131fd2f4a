package io.sluice.node.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The budgets of film controls (a full bucket) and resends (an empty one), on an injected clock. */
class TokenBucketTest {

    private static final long MS = 1_000_000L;

    private static int takes(TokenBucket bucket, long nowNs, int attempts) {
        int taken = 0;
        for (int i = 0; i < attempts; i++) {
            taken += bucket.take(nowNs) ? 1 : 0;
        }
        return taken;
    }

    @Test
    void aFullBucketAllowsOneSecondAtOnceThenRefillsAtItsRate() {
        TokenBucket bucket = new TokenBucket(20, 1000 * MS);
        assertThat(takes(bucket, 1000 * MS, 30)).isEqualTo(20);
        assertThat(takes(bucket, 1040 * MS, 5)).as("0.8 of a token in 40 ms").isZero();
        assertThat(takes(bucket, 1125 * MS, 5)).as("2.5 tokens by 125 ms").isEqualTo(2);
        assertThat(takes(bucket, 9000 * MS, 30)).as("never more than one second's worth").isEqualTo(20);
    }

    @Test
    void anEmptyBucketAllowsNothingBeforeItsFirstToken() {
        TokenBucket bucket = TokenBucket.empty(5000, 1000 * MS);
        assertThat(takes(bucket, 1000 * MS, 3)).isZero();
        assertThat(takes(bucket, 1001 * MS, 10)).as("5 tokens in 1 ms").isEqualTo(5);
        assertThat(takes(bucket, 3000 * MS, 6000)).isEqualTo(5000);
    }
}

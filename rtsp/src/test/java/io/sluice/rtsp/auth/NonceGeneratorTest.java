package io.sluice.rtsp.auth;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class NonceGeneratorTest {

    private static final byte[] SECRET = "0123456789abcdef0123456789abcdef".getBytes();

    @Test
    void validUntilExpiry() {
        AtomicLong nowMs = new AtomicLong(1_700_000_000_000L);
        NonceGenerator g = new NonceGenerator(SECRET, 60_000, nowMs::get);
        String nonce = g.next();
        assertThat(nonce).hasSize(64).matches("[0-9a-f]+").startsWith("0000018bcfe56800");
        assertThat(g.isValid(nonce)).isTrue();
        nowMs.addAndGet(59_999);
        assertThat(g.isValid(nonce)).isTrue();
        assertThat(g.isStale(nonce)).isFalse();
        nowMs.addAndGet(1);
        assertThat(g.isValid(nonce)).isFalse();
        assertThat(g.isAuthentic(nonce)).isTrue();
        assertThat(g.isStale(nonce)).isTrue();
    }

    @Test
    void noncesDifferAndAreBoundToTheSecret() {
        AtomicLong nowMs = new AtomicLong(1000);
        NonceGenerator g = new NonceGenerator(SECRET, 60_000, nowMs::get);
        String a = g.next();
        String b = g.next();
        assertThat(a).isNotEqualTo(b);
        NonceGenerator sameSecret = new NonceGenerator(SECRET.clone(), 60_000, nowMs::get);
        assertThat(sameSecret.isValid(a)).isTrue();
        NonceGenerator other = new NonceGenerator("fedcba9876543210fedcba9876543210".getBytes(), 60_000, nowMs::get);
        assertThat(other.isValid(a)).isFalse();
        assertThat(other.isStale(a)).isFalse();
    }

    @Test
    void tamperedOrMalformedNoncesAreRejected() {
        AtomicLong nowMs = new AtomicLong(1000);
        NonceGenerator g = new NonceGenerator(SECRET, 60_000, nowMs::get);
        String nonce = g.next();
        // Moving the issue time forward to extend the validity breaks the signature.
        String extended = "00000000000fffff" + nonce.substring(16);
        assertThat(g.isValid(extended)).isFalse();
        char last = nonce.charAt(63);
        assertThat(g.isValid(nonce.substring(0, 63) + (last == '0' ? '1' : '0'))).isFalse();
        assertThat(g.isValid(nonce.substring(1))).isFalse();
        assertThat(g.isValid("z".repeat(64))).isFalse();
        assertThat(g.isValid(null)).isFalse();
    }

    @Test
    void nonceFromTheFarFutureIsRejected() {
        AtomicLong nowMs = new AtomicLong(100_000);
        NonceGenerator g = new NonceGenerator(SECRET, 60_000, nowMs::get);
        String nonce = g.next();
        nowMs.set(100_000 - 10_000);
        assertThat(g.isValid(nonce)).isFalse();
    }
}

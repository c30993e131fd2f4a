package io.sluice.rtsp.auth;

import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.function.LongSupplier;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Issues Digest nonces that the server can verify later without remembering them: each nonce
 * carries its issue time and a random part, signed with HMAC-SHA256 under a secret of this
 * generator. A nonce is valid while its signature matches and it is younger than the validity.
 *
 * <pre>
 * nonce (64 hex digits) = issuedMs (16 hex) | random (16 hex) | HMAC-SHA256(secret, issuedMs|random)[0..16) (32 hex)
 * </pre>
 *
 * Replays within the validity window are not detected (clients reuse a nonce for every request of
 * a connection, which is what makes stateless nonces practical). Thread-safe.
 */
public final class NonceGenerator {

    private static final String HMAC = "HmacSHA256";
    private static final int TIME_BYTES = 8;
    private static final int RANDOM_BYTES = 8;
    private static final int MAC_BYTES = 16;
    private static final int NONCE_BYTES = TIME_BYTES + RANDOM_BYTES + MAC_BYTES;
    private static final HexFormat HEX = HexFormat.of();
    /** Clock skew tolerated for nonces issued "in the future" by another node of the cluster. */
    private static final long MAX_FUTURE_MS = 5_000;

    private final SecretKeySpec key;
    private final long validityMs;
    private final LongSupplier clockMs;

    /**
     * @param secret     the HMAC key; nodes sharing it accept each other's nonces
     * @param validityMs how long a nonce stays valid
     * @param clockMs    the wall clock in milliseconds
     */
    public NonceGenerator(byte[] secret, long validityMs, LongSupplier clockMs) {
        if (secret.length < 16) {
            throw new IllegalArgumentException("secret must have at least 16 bytes");
        }
        if (validityMs <= 0) {
            throw new IllegalArgumentException("validityMs must be positive: " + validityMs);
        }
        this.key = new SecretKeySpec(secret.clone(), HMAC);
        this.validityMs = validityMs;
        this.clockMs = clockMs;
    }

    /** A generator with a random secret and the system clock. */
    public NonceGenerator(long validityMs) {
        this(Authentication.randomBytes(32), validityMs, System::currentTimeMillis);
    }

    /** A fresh nonce. */
    public String next() {
        ByteBuffer b = ByteBuffer.allocate(NONCE_BYTES);
        b.putLong(clockMs.getAsLong());
        b.put(Authentication.randomBytes(RANDOM_BYTES));
        b.put(mac(b.array()));
        return HEX.formatHex(b.array());
    }

    /** True when this generator (or one with the same secret) issued the nonce, whatever its age. */
    public boolean isAuthentic(String nonce) {
        byte[] bytes = decode(nonce);
        return bytes != null && MessageDigest.isEqual(mac(bytes), Arrays.copyOfRange(bytes, TIME_BYTES + RANDOM_BYTES, NONCE_BYTES));
    }

    /** True when the nonce is authentic and not expired. */
    public boolean isValid(String nonce) {
        if (!isAuthentic(nonce)) {
            return false;
        }
        long issuedMs = ByteBuffer.wrap(decode(nonce)).getLong();
        long ageMs = clockMs.getAsLong() - issuedMs;
        return ageMs < validityMs && ageMs > -MAX_FUTURE_MS;
    }

    /** True when the nonce is authentic but expired: answer 401 with {@code stale=TRUE}. */
    public boolean isStale(String nonce) {
        return isAuthentic(nonce) && !isValid(nonce);
    }

    private static byte[] decode(String nonce) {
        if (nonce == null || nonce.length() != NONCE_BYTES * 2) {
            return null;
        }
        try {
            return HEX.parseHex(nonce);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    /** The MAC over the time and random part of {@code nonce}. */
    private byte[] mac(byte[] nonce) {
        try {
            Mac mac = Mac.getInstance(HMAC);
            mac.init(key);
            mac.update(nonce, 0, TIME_BYTES + RANDOM_BYTES);
            return Arrays.copyOf(mac.doFinal(), MAC_BYTES);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every JDK has " + HMAC, e);
        }
    }
}

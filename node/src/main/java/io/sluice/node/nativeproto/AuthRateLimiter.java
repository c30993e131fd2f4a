package io.sluice.node.nativeproto;

import java.net.InetAddress;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Limits liveCode guessing: a source IP (any port) that had {@code maxFailures} auth requests refused
 * within a minute is not heard again until that minute, counted from its first failure, is over. A
 * request counts from its arrival and is forgiven when accepted, so a burst of guesses cannot slip
 * through while the first ones are being checked. The
 * table of remembered sources is bounded; past its size the source remembered longest is forgotten
 * (an attacker with that many addresses gains nothing it would not have from a fresh one).
 * Confined to the media loop.
 */
final class AuthRateLimiter {

    private static final long WINDOW_NS = 60_000_000_000L;

    private final int maxFailures;
    private final Map<InetAddress, long[]> failures;

    AuthRateLimiter(int maxFailures, int maxSources) {
        this.maxFailures = maxFailures;
        this.failures = new LinkedHashMap<>(16, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<InetAddress, long[]> eldest) {
                return size() > maxSources;
            }
        };
    }

    /** True when {@code source} may try now. */
    boolean allows(InetAddress source, long nowNs) {
        long[] entry = failures.get(source);
        if (entry == null) {
            return true;
        }
        if (nowNs - entry[0] >= WINDOW_NS) {
            failures.remove(source);
            return true;
        }
        return entry[1] < maxFailures;
    }

    /**
     * Counts a request of {@code source} as refused until {@link #forgive} says otherwise: requests
     * that arrive while the key store is still checking the first ones must already count.
     */
    void onAttempt(InetAddress source, long nowNs) {
        long[] entry = failures.get(source);
        if (entry == null || nowNs - entry[0] >= WINDOW_NS) {
            failures.remove(source);
            failures.put(source, new long[] {nowNs, 1});
        } else {
            entry[1]++;
        }
    }

    /** Takes back one counted attempt of {@code source}: it was accepted. */
    void forgive(InetAddress source) {
        long[] entry = failures.get(source);
        if (entry != null && --entry[1] <= 0) {
            failures.remove(source);
        }
    }

    int size() {
        return failures.size();
    }
}

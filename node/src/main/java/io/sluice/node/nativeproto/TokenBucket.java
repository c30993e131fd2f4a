package io.sluice.node.nativeproto;

/** A budget of {@code perSecond} actions with one second of burst. Confined to one thread. */
final class TokenBucket {

    private final int perSecond;
    private double tokens;
    private long atNs;

    /** A full bucket: {@code perSecond} actions may come at once. */
    TokenBucket(int perSecond, long nowNs) {
        this(perSecond, perSecond, nowNs);
    }

    private TokenBucket(int perSecond, double tokens, long nowNs) {
        this.perSecond = perSecond;
        this.tokens = tokens;
        this.atNs = nowNs;
    }

    /** An empty bucket: actions are allowed as it fills, none before the first {@code 1 / perSecond} s. */
    static TokenBucket empty(int perSecond, long nowNs) {
        return new TokenBucket(perSecond, 0, nowNs);
    }

    /** Takes one token; false when the budget is spent. */
    boolean take(long nowNs) {
        tokens = Math.min(perSecond, tokens + (nowNs - atNs) * perSecond / 1e9);
        atNs = nowNs;
        if (tokens < 1) {
            return false;
        }
        tokens--;
        return true;
    }
}

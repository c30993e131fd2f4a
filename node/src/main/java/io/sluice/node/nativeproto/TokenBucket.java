package io.sluice.node.nativeproto;

/** A budget of {@code perSecond} actions with one second of burst. Confined to one thread. */
final class TokenBucket {

    private final int perSecond;
    private double tokens;
    private long atNs;

    TokenBucket(int perSecond, long nowNs) {
        this.perSecond = perSecond;
        this.tokens = perSecond;
        this.atNs = nowNs;
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

package io.sluice.node.live;

/**
 * What a reader's Receiver Reports and its queue say about it, kept for the API. Written on the media
 * loop, read from anywhere.
 */
public final class ReaderStats {
    volatile long packetsSent;
    volatile long bytesSent;
    volatile long drops;
    volatile long keyframeSkips;
    volatile int fractionLost;
    volatile int cumulativeLost;
    volatile long jitterTicks;
    volatile long roundTripNs = -1;
    volatile long lastReportNs;
    volatile long nackedPackets;
    volatile long resent;
    volatile long resendMisses;
    volatile long resendsSuppressed;
    volatile long secondCopies;

    public long packetsSent() {
        return packetsSent;
    }

    public long bytesSent() {
        return bytesSent;
    }

    /** Packets not sent because the reader's queue was full. */
    public long drops() {
        return drops;
    }

    /** Times the reader was moved to the next keyframe after an overflow. */
    public long keyframeSkips() {
        return keyframeSkips;
    }

    /** The loss fraction of the reader's last Receiver Report, in 1/256. */
    public int fractionLost() {
        return fractionLost;
    }

    public int cumulativeLost() {
        return cumulativeLost;
    }

    public long jitterTicks() {
        return jitterTicks;
    }

    /** Round trip from the reader's last report, or -1 when unknown. */
    public long roundTripNs() {
        return roundTripNs;
    }

    public long lastReportNs() {
        return lastReportNs;
    }

    /** Sequence numbers the reader asked for again (generic NACK). */
    public long nackedPackets() {
        return nackedPackets;
    }

    /** Packets sent again in answer to a NACK. */
    public long resent() {
        return resent;
    }

    /** NACKed packets no longer in the history (too old or evicted). */
    public long resendMisses() {
        return resendMisses;
    }

    /** NACKed packets not sent again because they had been within one round trip. */
    public long resendsSuppressed() {
        return resendsSuppressed;
    }

    /** Originals sent a second time right after a NACK's first copies (never to RTX readers). */
    public long secondCopies() {
        return secondCopies;
    }
}

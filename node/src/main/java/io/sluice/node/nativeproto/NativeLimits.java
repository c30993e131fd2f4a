package io.sluice.node.nativeproto;

import io.sluice.rtp.loss.LossGenerator;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits and timings of the native protocol server. Every per-client table is bounded here; the
 * timings are those of the original server unless said otherwise.
 *
 * <table>
 *   <caption>Native protocol limits</caption>
 *   <tr><th>field</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>maxPushStreams</td><td>1024</td><td>streams pushed at once; more auth requests are refused (103)</td></tr>
 *   <tr><td>maxPullers</td><td>10000</td><td>pull clients (client ids) at once; more 114s are dropped</td></tr>
 *   <tr><td>maxLiveIdsPerPuller</td><td>256</td><td>liveIds one pull request may name; beyond, the rest are ignored</td></tr>
 *   <tr><td>maxPullRequestBytes</td><td>65536</td><td>bytes of one multi-chunk pull request being assembled</td></tr>
 *   <tr><td>maxAuthSources</td><td>4096</td><td>source addresses whose auth failures are remembered (oldest forgotten)</td></tr>
 *   <tr><td>authFailuresPerMinute</td><td>10</td><td>refused auth requests per source IP and minute; further
 *       requests from it are dropped until the minute is over</td></tr>
 *   <tr><td>maxPendingAuths</td><td>64</td><td>auth requests waiting for the key store</td></tr>
 *   <tr><td>maxDatagramBytes</td><td>1500</td><td>a longer datagram is dropped as oversized</td></tr>
 *   <tr><td>retransmitsPerSecond</td><td>5000</td><td>packets resent to one puller per second</td></tr>
 *   <tr><td>pullRequestTimeout</td><td>1 s</td><td>time for the chunks of a pull request to arrive, else 113</td></tr>
 *   <tr><td>pullerTimeout</td><td>10 s</td><td>a puller without a heartbeat (116) for this long is ended</td></tr>
 *   <tr><td>streamIdleTimeout</td><td>30 s</td><td>a pushed stream without data for this long is stopped (121)</td></tr>
 *   <tr><td>pullAnswerResend</td><td>5 s</td><td>112 is re-sent at this interval until the puller acknowledges (99)</td></tr>
 *   <tr><td>maxFilmPulls</td><td>1000</td><td>films pulled natively at once on the node (each a viewer of its
 *       film's room); a pull of one more is answered {@code null}</td></tr>
 *   <tr><td>maxFilmsPerPuller</td><td>4</td><td>films one puller pulls at once; more are answered {@code null}</td></tr>
 *   <tr><td>filmControlsPerSecond</td><td>20</td><td>film starts and film controls (124 pause, 125 play) per puller
 *       and second, one second of burst; more are dropped (a seek may open a demuxer)</td></tr>
 *   <tr><td>askPushers</td><td>true</td><td>ask pushers to resend what the server missed (Sluice extension)</td></tr>
 *   <tr><td>receiveLoss / sendLoss</td><td>none</td><td>loss injected at the server's sockets, for tests</td></tr>
 *   <tr><td>maxPesBytes</td><td>2 MiB</td><td>one PES packet (a picture) of a pushed TS being reassembled for RTSP
 *       readers; a longer one is dropped</td></tr>
 *   <tr><td>describeWait</td><td>3 s</td><td>how long an RTSP DESCRIBE of a push waits for its tracks to be known
 *       (PAT, PMT, parameter sets, ADTS) before it is answered 503</td></tr>
 *   <tr><td>trackWait</td><td>1 s</td><td>stream time (PTS) a pushed program's tracks may lag behind its first
 *       described one; a track still without its configuration then is left out of the description</td></tr>
 * </table>
 */
public record NativeLimits(
        int maxPushStreams,
        int maxPullers,
        int maxLiveIdsPerPuller,
        int maxPullRequestBytes,
        int maxAuthSources,
        int authFailuresPerMinute,
        int maxPendingAuths,
        int maxDatagramBytes,
        int retransmitsPerSecond,
        Duration pullRequestTimeout,
        Duration pullerTimeout,
        Duration streamIdleTimeout,
        Duration pullAnswerResend,
        int maxFilmPulls,
        int maxFilmsPerPuller,
        int filmControlsPerSecond,
        boolean askPushers,
        LossGenerator receiveLoss,
        LossGenerator sendLoss,
        int maxPesBytes,
        Duration describeWait,
        Duration trackWait) {

    public NativeLimits {
        positive("maxPushStreams", maxPushStreams);
        positive("maxPullers", maxPullers);
        positive("maxLiveIdsPerPuller", maxLiveIdsPerPuller);
        positive("maxPullRequestBytes", maxPullRequestBytes);
        positive("maxAuthSources", maxAuthSources);
        positive("authFailuresPerMinute", authFailuresPerMinute);
        positive("maxPendingAuths", maxPendingAuths);
        if (maxDatagramBytes < 12 + 7 * 188 || maxDatagramBytes > 65_507) {
            throw new IllegalArgumentException("maxDatagramBytes must be 1328..65507: " + maxDatagramBytes);
        }
        positive("retransmitsPerSecond", retransmitsPerSecond);
        positive("maxFilmPulls", maxFilmPulls);
        positive("maxFilmsPerPuller", maxFilmsPerPuller);
        positive("filmControlsPerSecond", filmControlsPerSecond);
        for (Duration d : new Duration[] {pullRequestTimeout, pullerTimeout, streamIdleTimeout, pullAnswerResend}) {
            if (d.isNegative() || d.isZero()) {
                throw new IllegalArgumentException("native protocol timeouts must be positive: " + d);
            }
        }
        Objects.requireNonNull(receiveLoss, "receiveLoss");
        Objects.requireNonNull(sendLoss, "sendLoss");
        if (maxPesBytes < 64 * 1024) {
            throw new IllegalArgumentException("maxPesBytes must be at least 65536: " + maxPesBytes);
        }
        if (describeWait.isNegative() || describeWait.toSeconds() > 60) {
            throw new IllegalArgumentException("describeWait must be 0 to 60 s: " + describeWait);
        }
        if (trackWait.isNegative() || trackWait.toSeconds() > 60) {
            throw new IllegalArgumentException("trackWait must be 0 to 60 s: " + trackWait);
        }
    }

    public static NativeLimits defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void positive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Mutable builder holding the documented defaults. */
    public static final class Builder {
        public int maxPushStreams = 1024;
        public int maxPullers = 10_000;
        public int maxLiveIdsPerPuller = 256;
        public int maxPullRequestBytes = 65_536;
        public int maxAuthSources = 4096;
        public int authFailuresPerMinute = 10;
        public int maxPendingAuths = 64;
        public int maxDatagramBytes = 1500;
        public int retransmitsPerSecond = 5000;
        public Duration pullRequestTimeout = Duration.ofSeconds(1);
        public Duration pullerTimeout = Duration.ofSeconds(10);
        public Duration streamIdleTimeout = Duration.ofSeconds(30);
        public Duration pullAnswerResend = Duration.ofSeconds(5);
        public int maxFilmPulls = 1000;
        public int maxFilmsPerPuller = 4;
        public int filmControlsPerSecond = 20;
        public boolean askPushers = true;
        public LossGenerator receiveLoss = LossGenerator.NONE;
        public LossGenerator sendLoss = LossGenerator.NONE;
        public int maxPesBytes = 2 * 1024 * 1024;
        public Duration describeWait = Duration.ofSeconds(3);
        public Duration trackWait = Duration.ofSeconds(1);

        public NativeLimits build() {
            return new NativeLimits(maxPushStreams, maxPullers, maxLiveIdsPerPuller, maxPullRequestBytes,
                    maxAuthSources, authFailuresPerMinute, maxPendingAuths, maxDatagramBytes, retransmitsPerSecond,
                    pullRequestTimeout, pullerTimeout, streamIdleTimeout, pullAnswerResend, maxFilmPulls,
                    maxFilmsPerPuller, filmControlsPerSecond, askPushers, receiveLoss, sendLoss, maxPesBytes,
                    describeWait, trackWait);
        }
    }
}

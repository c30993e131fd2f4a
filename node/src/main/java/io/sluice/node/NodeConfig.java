package io.sluice.node;

import io.sluice.node.nativeproto.NativeLimits;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything a media node needs to know to run: where it listens, where it keeps state, and every limit
 * that protects its memory. Each field maps to one key of {@code sluice.yml} and one command-line flag.
 *
 * <table>
 *   <caption>Limits</caption>
 *   <tr><th>field</th><th>default</th><th>what it bounds</th></tr>
 *   <tr><td>maxRtspConnections</td><td>1024</td><td>open RTSP TCP connections; more are closed at accept</td></tr>
 *   <tr><td>maxSessions</td><td>10000</td><td>RTSP sessions at once; SETUP beyond it answers 453</td></tr>
 *   <tr><td>maxInitialLineLength</td><td>4096</td><td>RTSP request line bytes; longer answers 400 and closes</td></tr>
 *   <tr><td>maxHeaderSize</td><td>8192</td><td>RTSP header block bytes; larger answers 400 and closes</td></tr>
 *   <tr><td>maxContentLength</td><td>65536</td><td>RTSP body bytes (SDP); larger answers 400 and closes</td></tr>
 *   <tr><td>maxTracksPerStream</td><td>8</td><td>media sections in an announced SDP</td></tr>
 *   <tr><td>gopCacheMaxPackets / gopCacheMaxBytes</td><td>8192 / 16 MiB</td><td>one stream's GOP cache; past
 *       it the cache is dropped until the next keyframe</td></tr>
 *   <tr><td>gopCacheMinStart</td><td>1 s</td><td>a new reader starts at the latest keyframe that leaves it at
 *       least this much media (else at the one before), so a player can probe the stream at once</td></tr>
 *   <tr><td>readerQueueHighBytes / readerQueueLowBytes</td><td>2 MiB / 1 MiB</td><td>bytes queued for one TCP
 *       reader; above the high mark the reader skips to the next keyframe</td></tr>
 *   <tr><td>readerStallTimeout</td><td>10 s</td><td>how long a TCP reader may stay unwritable before it is
 *       closed</td></tr>
 *   <tr><td>udpSocketBufferBytes</td><td>4 MiB</td><td>kernel send and receive buffers of the shared RTP
 *       and RTCP sockets (absorbs the GOP burst to a new reader)</td></tr>
 *   <tr><td>retransmissionHistory / retransmissionMaxPackets</td><td>4 s / 8192</td><td>the packets of one
 *       track kept to answer NACKs (rounded up to a power of two); it spans the GOP cache, whose packets a
 *       new reader may NACK</td></tr>
 *   <tr><td>readerCatchUpBytesPerSecond / readerCatchUpBurstBytes</td><td>2.5 MB/s / 64 KiB</td><td>how fast a
 *       new UDP reader is sent the GOP cache when the server offers no NACK: a whole GOP at once would
 *       overflow a player's socket buffer (GStreamer's is the kernel default of about 200 KiB)</td></tr>
 *   <tr><td>readerCatchUpSpeed</td><td>4</td><td>with NACK offered, a new UDP reader (other than an RTX one,
 *       which gets RTP time) is sent the GOP cache at this many times its RTP time until it reaches the live
 *       edge: ffmpeg asks at most once per 200 ms, so a burst packs more gaps than it can ask for in time;
 *       1 keeps the reader the cache's age behind for its whole read, and delays ffmpeg's first frame past
 *       1 s, as its probe then waits for frames in real time</td></tr>
 *   <tr><td>rtxUserAgents</td><td>GStreamer</td><td>readers whose User-Agent contains one of these get NACKs
 *       answered as RFC 4588 RTX; the others (ffmpeg) get the original packets</td></tr>
 *   <tr><td>frameHold</td><td>5 ms</td><td>how long a frame's packets wait for its last one (the marker) before
 *       they are fanned out anyway; 0 fans out every packet at once</td></tr>
 *   <tr><td>sessionTimeout</td><td>60 s</td><td>a session with no RTSP, RTP or RTCP activity is closed</td></tr>
 *   <tr><td>vodCacheMaxBytes</td><td>256 MiB</td><td>packetized GOPs of every film room; past it GOPs no viewer
 *       is playing are dropped, oldest first, and demuxers wait</td></tr>
 *   <tr><td>vodRoomGrace</td><td>30 s</td><td>how long a film room without viewers keeps its demuxers and
 *       GOPs</td></tr>
 *   <tr><td>vodSendLead</td><td>200 ms</td><td>how far ahead of its media time a film's packet is sent</td></tr>
 *   <tr><td>nativePushPort / nativePullPort</td><td>61040 / 61041</td><td>UDP ports of the native protocol
 *       (0 picks free ports); its own limits are in {@link NativeLimits}</td></tr>
 *   <tr><td>vodLibraryRescan</td><td>30 s</td><td>interval between scans of the media directory for new or
 *       changed films</td></tr>
 * </table>
 */
public record NodeConfig(
        String bindAddress,
        int rtspPort,
        int rtpPort,
        Path dataDir,
        Path mediaDir,
        Duration sessionTimeout,
        int maxRtspConnections,
        int maxSessions,
        int maxInitialLineLength,
        int maxHeaderSize,
        int maxContentLength,
        int maxTracksPerStream,
        int gopCacheMaxPackets,
        long gopCacheMaxBytes,
        int readerQueueHighBytes,
        int readerQueueLowBytes,
        Duration readerStallTimeout,
        int udpSocketBufferBytes,
        boolean udpSegmentationOffload,
        Duration retransmissionHistory,
        int retransmissionMaxPackets,
        boolean rtspNack,
        Duration frameHold,
        java.util.List<String> rtxUserAgents,
        long readerCatchUpBytesPerSecond,
        Duration gopCacheMinStart,
        int readerCatchUpBurstBytes,
        int readerCatchUpSpeed,
        int ioThreads,
        long vodCacheMaxBytes,
        Duration vodRoomGrace,
        Duration vodSendLead,
        Duration vodLibraryRescan,
        int nativePushPort,
        int nativePullPort,
        NativeLimits nativeLimits) {

    public NodeConfig {
        Objects.requireNonNull(bindAddress, "bindAddress");
        requirePort("nativePushPort", nativePushPort);
        requirePort("nativePullPort", nativePullPort);
        Objects.requireNonNull(nativeLimits, "nativeLimits");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(mediaDir, "mediaDir");
        requirePort("rtspPort", rtspPort);
        requirePort("rtpPort", rtpPort);
        if (rtpPort == 65535) {
            throw new IllegalArgumentException("rtpPort must be below 65535: RTCP uses rtpPort + 1");
        }
        requirePositive("maxRtspConnections", maxRtspConnections);
        requirePositive("maxSessions", maxSessions);
        requirePositive("maxInitialLineLength", maxInitialLineLength);
        requirePositive("maxHeaderSize", maxHeaderSize);
        requirePositive("maxContentLength", maxContentLength);
        requirePositive("maxTracksPerStream", maxTracksPerStream);
        requirePositive("gopCacheMaxPackets", gopCacheMaxPackets);
        requirePositive("gopCacheMaxBytes", gopCacheMaxBytes);
        requirePositive("readerQueueLowBytes", readerQueueLowBytes);
        if (readerQueueHighBytes <= readerQueueLowBytes) {
            throw new IllegalArgumentException("readerQueueHighBytes must exceed readerQueueLowBytes");
        }
        if (sessionTimeout.isNegative() || sessionTimeout.isZero()) {
            throw new IllegalArgumentException("sessionTimeout must be positive");
        }
        if (readerStallTimeout.isNegative() || readerStallTimeout.isZero()) {
            throw new IllegalArgumentException("readerStallTimeout must be positive");
        }
        requirePositive("udpSocketBufferBytes", udpSocketBufferBytes);
        requirePositive("retransmissionMaxPackets", retransmissionMaxPackets);
        if (frameHold.isNegative() || frameHold.toMillis() > 100) {
            throw new IllegalArgumentException("frameHold must be 0 to 100 ms");
        }
        rtxUserAgents = java.util.List.copyOf(rtxUserAgents);
        requirePositive("readerCatchUpBytesPerSecond", readerCatchUpBytesPerSecond);
        requirePositive("readerCatchUpBurstBytes", readerCatchUpBurstBytes);
        requirePositive("readerCatchUpSpeed", readerCatchUpSpeed);
        if (gopCacheMinStart.isNegative()) {
            throw new IllegalArgumentException("gopCacheMinStart must not be negative");
        }
        if (retransmissionHistory.isNegative() || retransmissionHistory.isZero()) {
            throw new IllegalArgumentException("retransmissionHistory must be positive");
        }
        if (ioThreads < 0) {
            throw new IllegalArgumentException("ioThreads must be >= 0 (0 = one per core)");
        }
        requirePositive("vodCacheMaxBytes", vodCacheMaxBytes);
        if (vodRoomGrace.isNegative()) {
            throw new IllegalArgumentException("vodRoomGrace must not be negative");
        }
        if (vodSendLead.isNegative() || vodSendLead.toMillis() > 10_000) {
            throw new IllegalArgumentException("vodSendLead must be 0 to 10 s");
        }
        if (vodLibraryRescan.toMillis() < 1) {
            throw new IllegalArgumentException("vodLibraryRescan must be at least 1 ms");
        }
    }

    public int rtcpPort() {
        return rtpPort + 1;
    }

    public static Builder builder() {
        return new Builder();
    }

    private static void requirePort(String name, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(name + " out of range: " + port);
        }
    }

    private static void requirePositive(String name, long value) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be positive: " + value);
        }
    }

    /** Mutable builder holding the documented defaults. */
    public static final class Builder {
        public String bindAddress = "0.0.0.0";
        public int rtspPort = 8554;
        public int rtpPort = 8000;
        public Path dataDir = Path.of("data");
        public Path mediaDir = Path.of("media");
        public Duration sessionTimeout = Duration.ofSeconds(60);
        public int maxRtspConnections = 1024;
        public int maxSessions = 10_000;
        public int maxInitialLineLength = 4096;
        public int maxHeaderSize = 8192;
        public int maxContentLength = 65_536;
        public int maxTracksPerStream = 8;
        public int gopCacheMaxPackets = 8192;
        public long gopCacheMaxBytes = 16L << 20;
        public int readerQueueHighBytes = 2 << 20;
        public int readerQueueLowBytes = 1 << 20;
        public Duration readerStallTimeout = Duration.ofSeconds(10);
        public int udpSocketBufferBytes = 4 << 20;
        public boolean udpSegmentationOffload = true;
        public Duration retransmissionHistory = Duration.ofSeconds(4);
        public int retransmissionMaxPackets = 8192;
        public boolean rtspNack = true;
        public Duration frameHold = Duration.ofMillis(5);
        public java.util.List<String> rtxUserAgents = java.util.List.of("GStreamer");
        public long readerCatchUpBytesPerSecond = 2_500_000;
        public Duration gopCacheMinStart = Duration.ofSeconds(1);
        public int readerCatchUpBurstBytes = 65_536;
        public int readerCatchUpSpeed = 4;
        public int ioThreads = 0;
        public long vodCacheMaxBytes = 256L << 20;
        public Duration vodRoomGrace = Duration.ofSeconds(30);
        public Duration vodSendLead = Duration.ofMillis(200);
        public Duration vodLibraryRescan = Duration.ofSeconds(30);
        public int nativePushPort = 61040;
        public int nativePullPort = 61041;
        public NativeLimits nativeLimits = NativeLimits.defaults();

        public NodeConfig build() {
            return new NodeConfig(bindAddress, rtspPort, rtpPort, dataDir, mediaDir, sessionTimeout,
                    maxRtspConnections, maxSessions, maxInitialLineLength, maxHeaderSize, maxContentLength,
                    maxTracksPerStream, gopCacheMaxPackets, gopCacheMaxBytes, readerQueueHighBytes,
                    readerQueueLowBytes, readerStallTimeout, udpSocketBufferBytes, udpSegmentationOffload, retransmissionHistory, retransmissionMaxPackets, rtspNack, frameHold,
                    rtxUserAgents,
                    readerCatchUpBytesPerSecond, gopCacheMinStart, readerCatchUpBurstBytes, readerCatchUpSpeed,
                    ioThreads, vodCacheMaxBytes, vodRoomGrace, vodSendLead, vodLibraryRescan,
                    nativePushPort, nativePullPort, nativeLimits);
        }
    }
}

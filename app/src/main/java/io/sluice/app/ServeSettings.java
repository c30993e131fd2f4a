package io.sluice.app;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.sluice.cluster.hz.ClusterSettings;
import io.sluice.cluster.member.NodeAgent;
import io.sluice.cluster.seating.SeatingRules;
import io.sluice.node.NodeConfig;
import io.sluice.node.nativeproto.NativeLimits;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The settings of {@code sluice serve}. Each field is a key of {@code sluice.yml} (kebab-case, the same
 * name as the flag) and a flag; a flag beats the file, the file beats the built-in default. A null field
 * is "not given".
 */
@JsonNaming(PropertyNamingStrategies.KebabCaseStrategy.class)
@JsonIgnoreProperties(ignoreUnknown = false)
public final class ServeSettings {

    static final int DEFAULT_HTTP_PORT = 8080;

    @Option(names = "--bind-address", description = "Address every listener binds (default 0.0.0.0).")
    public String bindAddress;

    @Option(names = "--rtsp-port", description = "RTSP TCP port (default 8554).")
    public Integer rtspPort;

    @Option(names = "--rtp-port", description = "Shared RTP UDP port; RTCP is this + 1 (default 8000).")
    public Integer rtpPort;

    @Option(names = "--native-push-port", description = "Native protocol auth and push UDP port (default 61040).")
    public Integer nativePushPort;

    @Option(names = "--native-pull-port", description = "Native protocol pull UDP port (default 61041).")
    public Integer nativePullPort;

    @Option(names = "--native-max-push-streams", description = "Natively pushed streams at once at most (default 1024).")
    public Integer nativeMaxPushStreams;

    @Option(names = "--native-max-pullers", description = "Native pull clients at once at most (default 10000).")
    public Integer nativeMaxPullers;

    @Option(names = "--native-auth-failures-per-minute", description = "Refused native auth requests per source IP "
            + "and minute before it is not heard for the rest of the minute (default 10).")
    public Integer nativeAuthFailuresPerMinute;

    @Option(names = "--native-max-live-ids-per-puller", description = "LiveIds one native pull request may name; "
            + "the rest are ignored (default 256).")
    public Integer nativeMaxLiveIdsPerPuller;

    @Option(names = "--native-max-pull-request-bytes", description = "Bytes of one multi-chunk native pull request "
            + "being assembled at most (default 65536).")
    public Integer nativeMaxPullRequestBytes;

    @Option(names = "--native-max-auth-sources", description = "Source addresses whose refused native auth requests "
            + "are remembered; the oldest is forgotten (default 4096).")
    public Integer nativeMaxAuthSources;

    @Option(names = "--native-max-pending-auths", description = "Native auth requests waiting for the key store at "
            + "most; more are dropped (default 64).")
    public Integer nativeMaxPendingAuths;

    @Option(names = "--native-max-datagram-bytes", description = "Longest native protocol datagram; a longer one is "
            + "dropped as oversized (1328..65507, default 1500).")
    public Integer nativeMaxDatagramBytes;

    @Option(names = "--native-retransmits-per-second", description = "Packets resent to one native puller per second "
            + "at most (default 5000).")
    public Integer nativeRetransmitsPerSecond;

    @Option(names = "--native-ask-pushers", arity = "1", description = "Ask native pushers to resend what the server "
            + "missed (PT 120; default true).")
    public Boolean nativeAskPushers;

    @Option(names = "--native-max-film-pulls", description = "Films pulled natively (liveId vod/PATH) at once on the "
            + "node at most (default 1000).")
    public Integer nativeMaxFilmPulls;

    @Option(names = "--native-max-films-per-puller", description = "Films one native puller pulls at once at most "
            + "(default 4).")
    public Integer nativeMaxFilmsPerPuller;

    @Option(names = "--native-film-controls-per-second", description = "Film starts, pauses, resumes and seeks per "
            + "native puller and second; more are dropped (default 20).")
    public Integer nativeFilmControlsPerSecond;

    @Option(names = "--native-describe-wait", description = "Milliseconds an RTSP DESCRIBE of a native push waits "
            + "for its tracks (PMT, parameter sets, ADTS) before answering 503 (default 3000).")
    public Integer nativeDescribeWait;

    @Option(names = "--native-track-wait", description = "Milliseconds of stream time a native push's tracks may lag "
            + "behind its first one before it is described without them (default 1000).")
    public Integer nativeTrackWait;

    @Option(names = "--native-max-pes-bytes", description = "Largest PES packet (a picture) of a native push "
            + "demuxed for RTSP readers; a longer one is dropped (default 2097152).")
    public Integer nativeMaxPesBytes;

    @Option(names = "--http-port", description = "HTTP API port (default 8080).")
    public Integer httpPort;

    @Option(names = "--port-offset", description = "Added to every port, for several nodes on one machine (default 0).")
    public Integer portOffset;

    @Option(names = "--media-dir", description = "Film library folder (default ./media).")
    public Path mediaDir;

    @Option(names = "--data-dir", description = "Where keys and state persist (default ./data).")
    public Path dataDir;

    @Option(names = "--log-level", description = "trace, debug, info, warn or error (default info).")
    public String logLevel;

    @Option(names = "--session-timeout", description = "Seconds without RTSP, RTP or RTCP activity before a session closes (default 60).")
    public Integer sessionTimeout;

    @Option(names = "--max-rtsp-connections", description = "Open RTSP connections at most (default 1024).")
    public Integer maxRtspConnections;

    @Option(names = "--max-sessions", description = "RTSP sessions at most (default 10000).")
    public Integer maxSessions;

    @Option(names = "--max-request-line", description = "RTSP request line bytes at most (default 4096).")
    public Integer maxRequestLine;

    @Option(names = "--max-header-size", description = "RTSP header bytes at most (default 8192).")
    public Integer maxHeaderSize;

    @Option(names = "--max-content-length", description = "RTSP body bytes at most (default 65536).")
    public Integer maxContentLength;

    @Option(names = "--max-tracks-per-stream", description = "Media sections in an announced SDP at most (default 8).")
    public Integer maxTracksPerStream;

    @Option(names = "--gop-cache-max-packets", description = "Packets in one stream's GOP cache at most (default 8192).")
    public Integer gopCacheMaxPackets;

    @Option(names = "--gop-cache-max-bytes", description = "Bytes in one stream's GOP cache at most (default 16777216).")
    public Long gopCacheMaxBytes;

    @Option(names = "--reader-queue-high-bytes", description = "Bytes queued for a TCP reader before it skips to the next keyframe (default 2097152).")
    public Integer readerQueueHighBytes;

    @Option(names = "--reader-queue-low-bytes", description = "Queue level at which a TCP reader is writable again (default 1048576).")
    public Integer readerQueueLowBytes;

    @Option(names = "--reader-stall-timeout", description = "Seconds a TCP reader may stay unwritable before it is closed (default 10).")
    public Integer readerStallTimeout;

    @Option(names = "--udp-socket-buffer-bytes", description = "Kernel buffers of the shared RTP/RTCP sockets (default 4194304).")
    public Integer udpSocketBufferBytes;

    @Option(names = "--udp-gso", arity = "1", description = "Send RTP bursts with UDP GSO where the kernel supports it (default true).")
    public Boolean udpGso;

    @Option(names = "--rtsp-nack", arity = "1", description = "Offer RTP/AVPF with NACK to RTSP readers and answer their NACKs (default true).")
    public Boolean rtspNack;

    @Option(names = "--rtx-user-agents", split = ",", description = "RTSP readers whose User-Agent contains one of these get NACKs answered as RFC 4588 RTX (default GStreamer).")
    public java.util.List<String> rtxUserAgents;

    @Option(names = "--frame-hold", description = "Milliseconds a frame's packets wait for its last one before fan-out, so each reader gets the frame in one GSO send; 0 = none (default 5).")
    public Integer frameHold;

    @Option(names = "--retransmission-history", description = "Milliseconds of packets kept per track to answer NACKs (default 4000).")
    public Integer retransmissionHistory;

    @Option(names = "--retransmission-max-packets", description = "Packets kept per track to answer NACKs at most (default 8192).")
    public Integer retransmissionMaxPackets;

    @Option(names = "--gop-cache-min-start", description = "Milliseconds of media a new reader must get from the GOP cache; if the last GOP is younger it starts one keyframe earlier (default 1000).")
    public Integer gopCacheMinStart;

    @Option(names = "--reader-catch-up-rate", description = "With --rtsp-nack false, bytes per second at which a new UDP reader is sent the GOP cache (default 2500000).")
    public Long readerCatchUpRate;

    @Option(names = "--reader-catch-up-burst", description = "With --rtsp-nack false, bytes of the GOP cache sent to a new UDP reader at once (default 65536).")
    public Integer readerCatchUpBurst;

    @Option(names = "--reader-catch-up-speed", description = "With NACK on, a new UDP reader is sent the GOP cache at this many times real time until it is live (default 4).")
    public Integer readerCatchUpSpeed;

    @Option(names = "--io-threads", description = "Network threads, 0 = one per core (default 0).")
    public Integer ioThreads;

    @Option(names = "--vod-cache-bytes", description = "Bytes of packetized film GOPs kept for all film rooms (default 268435456).")
    public Long vodCacheBytes;

    @Option(names = "--vod-room-grace", description = "Seconds a film room without viewers stays open (default 30).")
    public Integer vodRoomGrace;

    @Option(names = "--vod-send-lead", description = "Milliseconds a film's packets are sent ahead of their media time (default 200).")
    public Integer vodSendLead;

    @Option(names = "--vod-library-rescan", description = "Seconds between scans of the media directory for new or changed films (default 30).")
    public Integer vodLibraryRescan;

    @Option(names = "--max-http-body", description = "HTTP request body bytes at most (default 65536).")
    public Integer maxHttpBody;

    @Option(names = "--api-token", description = "Admin token for changes through the HTTP API (default: the "
            + "data directory's api-token file, made and printed at the first start).")
    public String apiToken;

    @Option(names = "--api-loopback-trust", arity = "1", description = "Whether callers on this machine may change "
            + "the node without the token (default true).")
    public Boolean apiLoopbackTrust;

    @Option(names = "--cluster", arity = "0..1", description = "Join a cluster of Sluice processes, or form one "
            + "(default false).")
    public Boolean cluster;

    @Option(names = "--cluster-name", description = "Only processes with the same cluster name join (default sluice).")
    public String clusterName;

    @Option(names = "--cluster-port", description = "First cluster port; this process binds the first free one of "
            + "it and the 19 after it (default 5701; --port-offset does not shift it).")
    public Integer clusterPort;

    @Option(names = "--cluster-members", split = ",", description = "host[:port],... of members to contact; a host "
            + "without a port is tried on the cluster ports (default 127.0.0.1).")
    public List<String> clusterMembers;

    @Option(names = "--capacity-viewers", description = "Viewers this node takes at most; the load balancer "
            + "seats no more here (default 1000).")
    public Integer capacityViewers;

    @Option(names = "--capacity-mbps", description = "Megabits per second this node sends at most; 0 for no "
            + "limit (default 0).")
    public Long capacityMbps;

    @Option(names = "--cluster-seat-lease", description = "Seconds a viewer's seat lives while its node does not "
            + "report its player and its user does not ask again; a player reported by its uid frees its seat as "
            + "soon as it ends (default 15).")
    public Integer clusterSeatLease;

    @Option(names = "--cluster-room-grace", description = "Seconds a node's room for a film or stream stays open and "
            + "preferred after its last seat left; a live stream pulled from another node is pulled until then "
            + "(default 30).")
    public Integer clusterRoomGrace;

    @Option(names = "--cluster-node-timeout", description = "Seconds without a load report before the cluster drops "
            + "a node and its seats, even with no membership event (default 6).")
    public Integer clusterNodeTimeout;

    @Option(names = "--advertised-host", description = "Host players and other nodes reach this node's RTSP "
            + "server on (default: the bind address, else the address the cluster knows this process by).")
    public String advertisedHost;

    /** Reads a {@code sluice.yml}; unknown keys are an error, so a typo does not silently fall back to a default. */
    static ServeSettings load(Path file) throws IOException {
        ServeSettings s = readYaml(file, ServeSettings.class);
        return s == null ? new ServeSettings() : s;
    }

    /** A YAML file read as {@code type}; null when the file or its document is empty. */
    static <T> T readYaml(Path file, Class<T> type) throws IOException {
        if (Files.size(file) == 0) {
            return null;
        }
        return new ObjectMapper(new YAMLFactory()).readValue(file.toFile(), type);
    }

    /** This file's settings overridden by every non-null field of {@code flags}. */
    ServeSettings overriddenBy(ServeSettings flags) {
        ServeSettings merged = new ServeSettings();
        try {
            for (Field f : ServeSettings.class.getDeclaredFields()) {
                if (java.lang.reflect.Modifier.isStatic(f.getModifiers())) {
                    continue;
                }
                Object flag = f.get(flags);
                f.set(merged, flag != null ? flag : f.get(this));
            }
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return merged;
    }

    int offset() {
        return portOffset == null ? 0 : portOffset;
    }

    int httpPort() {
        return (httpPort == null ? DEFAULT_HTTP_PORT : httpPort) + offset();
    }

    int maxHttpBodyBytes() {
        return maxHttpBody == null ? 65_536 : maxHttpBody;
    }

    boolean apiLoopbackTrustOrDefault() {
        return apiLoopbackTrust == null || apiLoopbackTrust;
    }

    boolean clusterEnabled() {
        return cluster != null && cluster;
    }

    ClusterSettings clusterSettings() {
        return new ClusterSettings(clusterName == null ? ClusterSettings.DEFAULT_NAME : clusterName,
                clusterPort == null ? ClusterSettings.DEFAULT_PORT : clusterPort,
                clusterMembers == null ? ClusterSettings.DEFAULT_MEMBERS : clusterMembers);
    }

    SeatingRules seatingRules() {
        return SeatingRules.ofSeconds(clusterSeatLease, clusterRoomGrace, clusterNodeTimeout);
    }

    NodeAgent.Capacity capacity() {
        return new NodeAgent.Capacity(capacityViewers == null ? 1000 : capacityViewers,
                (capacityMbps == null ? 0 : capacityMbps) * 1_000_000);
    }

    /** The host the node tells the cluster, or null to use the cluster member's own address. */
    String advertisedHostOrNull() {
        if (advertisedHost != null) {
            return advertisedHost;
        }
        return bindAddress == null || bindAddress.equals("0.0.0.0") || bindAddress.equals("::") ? null : bindAddress;
    }

    String bindAddressOrDefault() {
        return bindAddress == null ? "0.0.0.0" : bindAddress;
    }

    NodeConfig toNodeConfig() {
        NodeConfig.Builder b = NodeConfig.builder();
        int off = offset();
        if (bindAddress != null) {
            b.bindAddress = bindAddress;
        }
        b.rtspPort = (rtspPort == null ? b.rtspPort : rtspPort) + off;
        b.rtpPort = (rtpPort == null ? b.rtpPort : rtpPort) + off;
        b.nativePushPort = (nativePushPort == null ? b.nativePushPort : nativePushPort) + off;
        b.nativePullPort = (nativePullPort == null ? b.nativePullPort : nativePullPort) + off;
        NativeLimits.Builder nativeLimits = NativeLimits.builder();
        if (nativeMaxPushStreams != null) {
            nativeLimits.maxPushStreams = nativeMaxPushStreams;
        }
        if (nativeMaxPullers != null) {
            nativeLimits.maxPullers = nativeMaxPullers;
        }
        if (nativeAuthFailuresPerMinute != null) {
            nativeLimits.authFailuresPerMinute = nativeAuthFailuresPerMinute;
        }
        if (nativeMaxLiveIdsPerPuller != null) {
            nativeLimits.maxLiveIdsPerPuller = nativeMaxLiveIdsPerPuller;
        }
        if (nativeMaxPullRequestBytes != null) {
            nativeLimits.maxPullRequestBytes = nativeMaxPullRequestBytes;
        }
        if (nativeMaxAuthSources != null) {
            nativeLimits.maxAuthSources = nativeMaxAuthSources;
        }
        if (nativeMaxPendingAuths != null) {
            nativeLimits.maxPendingAuths = nativeMaxPendingAuths;
        }
        if (nativeMaxDatagramBytes != null) {
            nativeLimits.maxDatagramBytes = nativeMaxDatagramBytes;
        }
        if (nativeRetransmitsPerSecond != null) {
            nativeLimits.retransmitsPerSecond = nativeRetransmitsPerSecond;
        }
        if (nativeAskPushers != null) {
            nativeLimits.askPushers = nativeAskPushers;
        }
        if (nativeMaxFilmPulls != null) {
            nativeLimits.maxFilmPulls = nativeMaxFilmPulls;
        }
        if (nativeMaxFilmsPerPuller != null) {
            nativeLimits.maxFilmsPerPuller = nativeMaxFilmsPerPuller;
        }
        if (nativeFilmControlsPerSecond != null) {
            nativeLimits.filmControlsPerSecond = nativeFilmControlsPerSecond;
        }
        if (nativeDescribeWait != null) {
            nativeLimits.describeWait = Duration.ofMillis(nativeDescribeWait);
        }
        if (nativeTrackWait != null) {
            nativeLimits.trackWait = Duration.ofMillis(nativeTrackWait);
        }
        if (nativeMaxPesBytes != null) {
            nativeLimits.maxPesBytes = nativeMaxPesBytes;
        }
        b.nativeLimits = nativeLimits.build();
        if (mediaDir != null) {
            b.mediaDir = mediaDir;
        }
        if (dataDir != null) {
            b.dataDir = dataDir;
        }
        if (sessionTimeout != null) {
            b.sessionTimeout = Duration.ofSeconds(sessionTimeout);
        }
        if (maxRtspConnections != null) {
            b.maxRtspConnections = maxRtspConnections;
        }
        if (maxSessions != null) {
            b.maxSessions = maxSessions;
        }
        if (maxRequestLine != null) {
            b.maxInitialLineLength = maxRequestLine;
        }
        if (maxHeaderSize != null) {
            b.maxHeaderSize = maxHeaderSize;
        }
        if (maxContentLength != null) {
            b.maxContentLength = maxContentLength;
        }
        if (maxTracksPerStream != null) {
            b.maxTracksPerStream = maxTracksPerStream;
        }
        if (gopCacheMaxPackets != null) {
            b.gopCacheMaxPackets = gopCacheMaxPackets;
        }
        if (gopCacheMaxBytes != null) {
            b.gopCacheMaxBytes = gopCacheMaxBytes;
        }
        if (readerQueueHighBytes != null) {
            b.readerQueueHighBytes = readerQueueHighBytes;
        }
        if (readerQueueLowBytes != null) {
            b.readerQueueLowBytes = readerQueueLowBytes;
        }
        if (readerStallTimeout != null) {
            b.readerStallTimeout = Duration.ofSeconds(readerStallTimeout);
        }
        if (udpSocketBufferBytes != null) {
            b.udpSocketBufferBytes = udpSocketBufferBytes;
        }
        if (gopCacheMinStart != null) {
            b.gopCacheMinStart = Duration.ofMillis(gopCacheMinStart);
        }
        if (readerCatchUpRate != null) {
            b.readerCatchUpBytesPerSecond = readerCatchUpRate;
        }
        if (readerCatchUpBurst != null) {
            b.readerCatchUpBurstBytes = readerCatchUpBurst;
        }
        if (readerCatchUpSpeed != null) {
            b.readerCatchUpSpeed = readerCatchUpSpeed;
        }
        if (rtspNack != null) {
            b.rtspNack = rtspNack;
        }
        if (rtxUserAgents != null) {
            b.rtxUserAgents = rtxUserAgents;
        }
        if (frameHold != null) {
            b.frameHold = Duration.ofMillis(frameHold);
        }
        if (retransmissionHistory != null) {
            b.retransmissionHistory = Duration.ofMillis(retransmissionHistory);
        }
        if (retransmissionMaxPackets != null) {
            b.retransmissionMaxPackets = retransmissionMaxPackets;
        }
        if (udpGso != null) {
            b.udpSegmentationOffload = udpGso;
        }
        if (ioThreads != null) {
            b.ioThreads = ioThreads;
        }
        if (vodCacheBytes != null) {
            b.vodCacheMaxBytes = vodCacheBytes;
        }
        if (vodRoomGrace != null) {
            b.vodRoomGrace = Duration.ofSeconds(vodRoomGrace);
        }
        if (vodSendLead != null) {
            b.vodSendLead = Duration.ofMillis(vodSendLead);
        }
        if (vodLibraryRescan != null) {
            b.vodLibraryRescan = Duration.ofSeconds(vodLibraryRescan);
        }
        return b.build();
    }
}

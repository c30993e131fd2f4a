package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.sluice.node.NodeConfig;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.live.LiveTrack;
import io.sluice.node.live.PacketRing;
import io.sluice.node.live.PathRegistry;
import io.sluice.node.vod.FilmLibrary;
import io.sluice.rtp.nativeproto.LiveIdLists;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import io.sluice.rtp.nativeproto.PullAnswer;
import io.sluice.rtp.nativeproto.RetransmissionRequest;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pull port (61041): client ids (114 -&gt; 115), pull requests in chunks (111 -&gt; 112, or 113 when
 * chunks are missing after 1 s), acknowledgements (99) after which data flows, heartbeats (116), stop
 * pulling (117 -&gt; 118), stream stopped (121), and Sluice's retransmission requests (120), answered
 * from the stream's packet history.
 *
 * <p>Each acknowledged liveId is a {@link LiveReader} of its source stream whose transport sends the
 * packets from this port to the puller; the fan-out, the slow-reader policy and the paced start on the
 * GOP cache are the node's, as for RTSP readers. A pulled RTSP stream of H.264/H.265 and AAC is muxed
 * to MPEG-TS by one {@link TsBridge} shared by all its pullers, closed when none has used it for
 * {@value #BRIDGE_LINGER_S} s. Confined to the media loop.
 */
final class PullService {

    private static final Logger log = LoggerFactory.getLogger(PullService.class);

    static final long RESEND_SUPPRESS_NS = 10_000_000L;
    static final int BRIDGE_LINGER_S = 10;
    private static final long WAITING_CHECK_NS = 1_000_000_000L;
    private static final String PACKET_LOSS = "packetloss";

    /** The node's settings for the bridges pulls start; media loop only. */
    private NodeConfig config;
    private final NativeLimits limits;
    private final NativeEndpoint endpoint;
    private final PathRegistry paths;
    private final PushService pushes;
    private final NativeCounters counters;
    private final LongSupplier nanoClock;
    private final Map<InetSocketAddress, NativePuller> pullers = new HashMap<>();
    private final IntObjectHashMap<NativePuller> byClientId = new IntObjectHashMap<>();
    private final Map<String, NativeSource> sources = new HashMap<>();
    private final Map<NativePuller, Long> lastWaitingCheckNs = new HashMap<>();
    /** The films of the library, once the node serves one; until then {@code vod/} liveIds are like any other. */
    private FilmPulls films;
    private final IntConsumer resendVisitor = this::resend;
    private NativePuller resendPuller;
    private Subscription resendSubscription;
    private PacketRing resendRing;
    private long resendNowNs;

    /** Media loop: bridges opened from now on (a native pull of an RTSP stream) take {@code next}'s limits. */
    void reconfigure(NodeConfig next) {
        config = next;
    }

    PullService(NodeConfig config, NativeEndpoint endpoint, PathRegistry paths, PushService pushes,
                NativeCounters counters, LongSupplier nanoClock) {
        this.config = config;
        this.limits = config.nativeLimits();
        this.endpoint = endpoint;
        this.paths = paths;
        this.pushes = pushes;
        this.counters = counters;
        this.nanoClock = nanoClock;
    }

    void onDatagram(ByteBuf datagram, InetSocketAddress sender, long nowNs) {
        if (!NativeHeader.isWellFormed(datagram)) {
            counters.malformed.increment();
            return;
        }
        int type = NativeHeader.payloadType(datagram);
        if (type == NativeMessageType.GET_CLIENT_ID) {
            onGetClientId(sender, nowNs);
            return;
        }
        NativePuller puller = pullers.get(sender);
        if (puller == null
                || type != NativeMessageType.RETRANSMISSION_REQUEST && NativeHeader.ssrc(datagram) != puller.clientId) {
            counters.unknownPuller.increment();
            return;
        }
        puller.lastHeartbeatNs = nowNs;
        switch (type) {
            case NativeMessageType.PULL_REQUEST -> onPullRequest(puller, datagram, nowNs);
            case NativeMessageType.SUBSCRIBER_ACK -> onAck(puller, datagram);
            case NativeMessageType.HEARTBEAT -> {
                // Its arrival has renewed the puller.
            }
            case NativeMessageType.STOP_PULL -> {
                remove(puller, nowNs);
                answer(NativeMessageType.STOP_PULL_ACK, 0, "", sender);
            }
            case NativeMessageType.RETRANSMISSION_REQUEST -> onRetransmissionRequest(puller, datagram, nowNs);
            case NativeMessageType.FILM_PAUSE, NativeMessageType.FILM_PLAY -> {
                if (films != null) {
                    films.control(puller, datagram, nowNs);
                } else {
                    counters.unknownType.increment();
                }
            }
            default -> counters.unknownType.increment();
        }
    }

    private void onGetClientId(InetSocketAddress sender, long nowNs) {
        NativePuller puller = pullers.get(sender);
        if (puller == null) {
            if (pullers.size() >= limits.maxPullers()) {
                counters.pullerTableFull.increment();
                return;
            }
            int clientId;
            do {
                clientId = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            } while (byClientId.containsKey(clientId));
            puller = new NativePuller(sender, clientId, limits.retransmitsPerSecond(), nowNs);
            pullers.put(sender, puller);
            byClientId.put(clientId, puller);
            log.debug("native puller {} at {}", Integer.toUnsignedString(clientId), sender);
        }
        puller.lastHeartbeatNs = nowNs;
        answer(NativeMessageType.CLIENT_ID, puller.clientId, "", sender);
    }

    private void onPullRequest(NativePuller puller, ByteBuf datagram, long nowNs) {
        byte[] request;
        try {
            request = puller.addChunk(NativeHeader.sequence(datagram), NativeHeader.marker(datagram),
                    ByteBufUtil.getBytes(datagram, NativeHeader.payloadOffset(datagram),
                            NativeHeader.payloadLength(datagram)),
                    limits.maxPullRequestBytes(), nowNs);
        } catch (IllegalArgumentException e) {
            counters.malformed.increment();
            return;
        }
        if (request == null) {
            return;
        }
        Set<String> wanted = new LinkedHashSet<>();
        for (String id : LiveIdLists.split(new String(request, StandardCharsets.UTF_8), LiveIdLists.PULL_SEPARATOR)) {
            if (wanted.size() == limits.maxLiveIdsPerPuller()) {
                break;
            }
            wanted.add(id);
        }
        for (Iterator<Subscription> it = puller.subscriptions.values().iterator(); it.hasNext(); ) {
            Subscription s = it.next();
            if (!wanted.contains(s.liveId)) {
                detach(s, nowNs);
                it.remove();
            }
        }
        List<PullAnswer.Entry> entries = new ArrayList<>();
        for (String id : wanted) {
            Subscription s = puller.subscriptions.computeIfAbsent(id, Subscription::new);
            if (isFilm(id) && s.state == Subscription.State.WAITING) {
                // Answered once its file is found, or not.
                films.request(puller, s, nowNs);
                continue;
            }
            if (s.state == Subscription.State.WAITING) {
                offer(s, nowNs);
            }
            entries.add(s.state == Subscription.State.WAITING ? PullAnswer.Entry.missing(id)
                    : PullAnswer.Entry.of(id, s.ssrc()));
        }
        sendAnswers(puller, entries);
    }

    private void onAck(NativePuller puller, ByteBuf datagram) {
        for (String id : LiveIdLists.split(NativeHeader.payloadText(datagram), LiveIdLists.ACK_SEPARATOR)) {
            Subscription s = puller.subscriptions.get(id);
            if (s != null && s.state == Subscription.State.OFFERED) {
                activate(puller, s);
            }
        }
    }

    private void activate(NativePuller puller, Subscription s) {
        if (s.film != null) {
            films.activate(s);
            return;
        }
        Activation activation = new Activation(puller, s);
        s.state = Subscription.State.ACTIVE;
        s.reader = activation.reader;
        s.source.stream().addReader(activation.reader);
    }

    private void onRetransmissionRequest(NativePuller puller, ByteBuf datagram, long nowNs) {
        if (!RetransmissionRequest.isWellFormed(datagram)) {
            counters.malformed.increment();
            return;
        }
        Subscription s = puller.subscriptionOfSsrc(NativeHeader.ssrc(datagram));
        if (s == null) {
            counters.retransmitMissing.increment();
            return;
        }
        resendPuller = puller;
        resendSubscription = s;
        resendRing = s.history();
        resendNowNs = nowNs;
        try {
            RetransmissionRequest.forEachSequence(datagram, resendVisitor);
        } finally {
            resendPuller = null;
            resendSubscription = null;
            resendRing = null;
        }
    }

    private void resend(int seq) {
        counters.retransmitRequested.increment();
        NativePuller puller = resendPuller;
        puller.requested++;
        if (!resendSubscription.askedBefore(seq)) {
            puller.lost.add(1, resendNowNs);
        }
        if (resendSubscription.suppressResend(seq, resendNowNs, RESEND_SUPPRESS_NS)
                || !puller.resends.take(resendNowNs)) {
            counters.retransmitSuppressed.increment();
            return;
        }
        ByteBuf packet = resendRing.find(seq, resendNowNs);
        if (packet == null) {
            counters.retransmitMissing.increment();
            return;
        }
        puller.send(endpoint, packet, resendNowNs);
        counters.retransmitSent.increment();
        puller.retransmitted++;
    }

    /** From now on {@code vod/RELATIVE/PATH} liveIds play the library's films. */
    void serveFilms(FilmLibrary library) {
        this.films = new FilmPulls(library, config, endpoint, counters, nanoClock);
    }

    private boolean isFilm(String liveId) {
        return films != null && FilmPulls.isFilm(liveId);
    }

    /** A stream appeared under {@code liveId}: pullers waiting for it are offered it at once. */
    void streamAvailable(String liveId) {
        long nowNs = nanoClock.getAsLong();
        for (NativePuller puller : pullers.values()) {
            Subscription s = puller.subscriptions.get(liveId);
            if (s != null && s.state == Subscription.State.WAITING && offer(s, nowNs)) {
                sendAnswers(puller, List.of(PullAnswer.Entry.of(liveId, s.source.ssrc())));
            }
        }
    }

    /** WAITING to OFFERED when the liveId has a source now. Films are offered when found, not polled. */
    private boolean offer(Subscription s, long nowNs) {
        if (isFilm(s.liveId)) {
            return false;
        }
        NativeSource source = resolve(s.liveId, nowNs);
        if (source == null) {
            return false;
        }
        s.source = source;
        s.state = Subscription.State.OFFERED;
        s.offeredNs = nowNs;
        source.subscribe();
        return true;
    }

    /** Back to WAITING, stopping the data if it flows. Not for use while the source walks its readers. */
    private void detach(Subscription s, long nowNs) {
        if (s.film != null) {
            films.close(s);
            s.state = Subscription.State.WAITING;
            return;
        }
        if (s.state == Subscription.State.ACTIVE) {
            s.source.stream().removeReader(s.reader);
        }
        if (s.state != Subscription.State.WAITING) {
            s.source.unsubscribe(nowNs);
        }
        s.state = Subscription.State.WAITING;
        s.source = null;
        s.reader = null;
    }

    private void remove(NativePuller puller, long nowNs) {
        for (Subscription s : puller.subscriptions.values()) {
            detach(s, nowNs);
        }
        puller.subscriptions.clear();
        pullers.remove(puller.address, puller);
        byClientId.remove(puller.clientId);
        lastWaitingCheckNs.remove(puller);
    }

    /** The source of {@code liveId} now, opening a bridge for an RTSP stream of elementary streams. */
    private NativeSource resolve(String liveId, long nowNs) {
        NativeSource known = sources.get(liveId);
        if (known != null && !known.ended() && isCurrent(known)) {
            return known;
        }
        NativeSource source = null;
        NativePush push = pushes.push(liveId);
        if (push != null) {
            source = new NativeSource(liveId, push.stream, push.ssrc, null, nowNs);
        } else {
            LiveStream stream = paths.live(liveId);
            if (stream != null) {
                source = relayOrBridge(liveId, stream, nowNs);
            }
        }
        if (source == null) {
            return null;
        }
        if (known != null && known.bridge() != null && known.unusedNs(nowNs) > 0) {
            known.bridge().close("replaced");
        }
        sources.put(liveId, source);
        return source;
    }

    private boolean isCurrent(NativeSource source) {
        LiveStream published = paths.live(source.liveId());
        return source.bridge() != null ? published == source.bridge().source() : published == source.stream();
    }

    private NativeSource relayOrBridge(String liveId, LiveStream stream, long nowNs) {
        List<LiveTrack> tracks = stream.tracks();
        if (tracks.size() == 1 && tracks.get(0).encodingName().equalsIgnoreCase("MP2T")) {
            return tracks.get(0).ssrcKnown() ? new NativeSource(liveId, stream, tracks.get(0).ssrc(), null, nowNs) : null;
        }
        TsBridge bridge = TsBridge.open(stream, ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE), config,
                endpoint.alloc(), nanoClock);
        return bridge == null ? null : new NativeSource(liveId, bridge.output(), bridge.ssrc(), bridge, nowNs);
    }

    /** Media loop: nothing to time, no puller and no stream or bridge kept for one. */
    boolean idle() {
        return pullers.isEmpty() && sources.isEmpty();
    }

    /** Media loop, a few times a second: timeouts, 112 re-sent until acknowledged, 113, waiting liveIds. */
    void housekeeping(long nowNs) {
        long pullerTimeoutNs = limits.pullerTimeout().toNanos();
        long requestTimeoutNs = limits.pullRequestTimeout().toNanos();
        long resendNs = limits.pullAnswerResend().toNanos();
        for (NativePuller puller : new ArrayList<>(pullers.values())) {
            if (nowNs - puller.lastHeartbeatNs > pullerTimeoutNs) {
                counters.pullerTimeouts.increment();
                remove(puller, nowNs);
                continue;
            }
            if (puller.requestTimedOut(nowNs, requestTimeoutNs)) {
                puller.resetRequest();
                counters.pullRequestsIncomplete.increment();
                answer(NativeMessageType.PULL_REFUSED, 0, PACKET_LOSS, puller.address);
            }
            boolean checkWaiting = nowNs - lastWaitingCheckNs.getOrDefault(puller, 0L) >= WAITING_CHECK_NS;
            if (checkWaiting) {
                lastWaitingCheckNs.put(puller, nowNs);
            }
            List<PullAnswer.Entry> offers = new ArrayList<>();
            for (Subscription s : puller.subscriptions.values()) {
                if (s.state == Subscription.State.OFFERED && s.film == null && s.source.ended()) {
                    detach(s, nowNs);
                    answer(NativeMessageType.STREAM_STOPPED, 0, s.liveId, puller.address);
                } else if (s.state == Subscription.State.OFFERED && nowNs - s.offeredNs >= resendNs) {
                    s.offeredNs = nowNs;
                    offers.add(PullAnswer.Entry.of(s.liveId, s.ssrc()));
                } else if (s.state == Subscription.State.WAITING && checkWaiting && offer(s, nowNs)) {
                    offers.add(PullAnswer.Entry.of(s.liveId, s.source.ssrc()));
                }
            }
            if (!offers.isEmpty()) {
                sendAnswers(puller, offers);
            }
        }
        long lingerNs = BRIDGE_LINGER_S * 1_000_000_000L;
        for (Iterator<NativeSource> it = sources.values().iterator(); it.hasNext(); ) {
            NativeSource source = it.next();
            if (source.bridge() != null && source.unusedNs(nowNs) > lingerNs) {
                source.bridge().close("no native puller for " + BRIDGE_LINGER_S + " s");
                it.remove();
            } else if (source.ended() && source.unusedNs(nowNs) > 0) {
                it.remove();
            }
        }
    }

    List<NativePullerInfo> infos(long nowNs) {
        List<NativePullerInfo> out = new ArrayList<>();
        for (NativePuller puller : pullers.values()) {
            out.add(puller.info(nowNs));
        }
        return out;
    }

    /** Ends a puller as if it had stopped pulling, telling it 121 for each stream it received; false when unknown. */
    boolean kick(int clientId, long nowNs) {
        NativePuller puller = byClientId.get(clientId);
        if (puller == null) {
            return false;
        }
        for (Subscription s : puller.subscriptions.values()) {
            if (s.state != Subscription.State.WAITING) {
                answer(NativeMessageType.STREAM_STOPPED, 0, s.liveId, puller.address);
            }
        }
        remove(puller, nowNs);
        return true;
    }

    int pullerCount() {
        return pullers.size();
    }

    void closeAll() {
        long nowNs = nanoClock.getAsLong();
        for (NativePuller puller : new ArrayList<>(pullers.values())) {
            remove(puller, nowNs);
        }
        for (NativeSource source : sources.values()) {
            if (source.bridge() != null) {
                source.bridge().close("server closing");
            }
        }
        sources.clear();
    }

    private void sendAnswers(NativePuller puller, List<PullAnswer.Entry> entries) {
        for (String payload : PullAnswer.format(entries)) {
            answer(NativeMessageType.PULL_ANSWER, 0, payload, puller.address);
        }
    }

    private void answer(int payloadType, int ssrc, String text, InetSocketAddress to) {
        ByteBuf out = endpoint.alloc().buffer(NativeHeader.LENGTH + text.length() * 3);
        NativeHeader.writeControl(out, payloadType, System.currentTimeMillis(), ssrc, text);
        endpoint.send(out, to);
    }

    /** One acknowledged liveId of a puller: its reader, and what happens when the stream closes it. */
    private final class Activation extends NativeReaderTransport {
        final NativePuller puller;
        final Subscription subscription;
        final LiveReader reader;

        Activation(NativePuller puller, Subscription subscription) {
            super("native");
            this.puller = puller;
            this.subscription = subscription;
            this.reader = new LiveReader("native-" + Integer.toUnsignedString(puller.clientId) + "/"
                    + subscription.liveId, this, new boolean[] {true}, this::closed);
        }

        /** The stream ended or dropped the reader: the original tells the puller with 121. */
        private void closed(String reason) {
            if (subscription.reader != reader) {
                return;
            }
            // Called while the stream walks its readers: only our own state changes here.
            subscription.source.unsubscribe(nanoClock.getAsLong());
            subscription.state = Subscription.State.WAITING;
            subscription.source = null;
            subscription.reader = null;
            answer(NativeMessageType.STREAM_STOPPED, 0, subscription.liveId, puller.address);
        }

        @Override
        public boolean sendRtp(int trackIndex, ByteBuf packet) {
            if (!endpoint.writable()) {
                return false;
            }
            puller.send(endpoint, packet, nanoClock.getAsLong());
            return true;
        }

        @Override
        public boolean pacesBursts() {
            return true;
        }
    }
}

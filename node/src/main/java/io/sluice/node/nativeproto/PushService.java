package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoop;
import io.netty.util.collection.IntObjectHashMap;
import io.sluice.node.NodeConfig;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.node.live.LiveStream;
import io.sluice.node.live.PathRegistry;
import io.sluice.rtp.LossTracker;
import io.sluice.rtp.nativeproto.LiveIdLists;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import io.sluice.rtp.nativeproto.RetransmissionRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntConsumer;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The push port (61040): auth (101 -&gt; 102/103), stream data (33), stop push (122 -&gt; 123) and the
 * delay probe (11 -&gt; 12), and Sluice's requests to pushers for what the server missed (120).
 *
 * <p>An accepted auth creates a live stream of one MP2T track under the liveId, pulled natively as it is
 * and read over RTSP as its elementary streams ({@link TsDemuxBridge}); its data is taken only from the address that authenticated, on the SSRC the auth gave out.
 * A correct liveCode from another address takes the stream over (a restarted pusher need not wait for
 * the idle timeout). Key checks run on their own thread, never on the media loop; a source IP whose
 * requests were refused too often is not heard for a minute. Confined to the media loop.
 */
final class PushService {

    private static final Logger log = LoggerFactory.getLogger(PushService.class);

    /** Called when a stream becomes pullable, so that pullers waiting for it get their answer at once. */
    @FunctionalInterface
    interface StreamListener {
        void streamAvailable(String liveId);
    }

    /** The node's settings for the streams pushes start; media loop only. */
    private NodeConfig config;
    private final NativeLimits limits;
    private final NativeEndpoint endpoint;
    private final EventLoop loop;
    private final PathRegistry paths;
    private final StreamKeyStore keys;
    private final ExecutorService authExecutor;
    private final NativeCounters counters;
    private final LongSupplier nanoClock;
    private final StreamListener streamListener;
    private final AuthRateLimiter rateLimiter;
    private final IntObjectHashMap<NativePush> bySsrc = new IntObjectHashMap<>();
    private final Map<String, NativePush> byLiveId = new HashMap<>();
    private final RetransmissionRequest.Writer requestWriter = new RetransmissionRequest.Writer();
    private final int[] due = new int[NativePush.RETRANSMISSION_WINDOW];
    private final IntConsumer dueCollector = this::collect;
    private int dueCount;
    private int pendingAuths;

    /** Media loop: pushes authorized from now on start their streams with {@code next}'s limits. */
    void reconfigure(NodeConfig next) {
        config = next;
    }

    PushService(NodeConfig config, NativeEndpoint endpoint, EventLoop loop, PathRegistry paths, StreamKeyStore keys,
                ExecutorService authExecutor, NativeCounters counters, LongSupplier nanoClock,
                StreamListener streamListener) {
        this.config = config;
        this.limits = config.nativeLimits();
        this.endpoint = endpoint;
        this.loop = loop;
        this.paths = paths;
        this.keys = keys;
        this.authExecutor = authExecutor;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.streamListener = streamListener;
        this.rateLimiter = new AuthRateLimiter(limits.authFailuresPerMinute(), limits.maxAuthSources());
    }

    void onDatagram(ByteBuf datagram, InetSocketAddress sender, long nowNs) {
        if (!NativeHeader.isWellFormed(datagram)) {
            counters.malformed.increment();
            return;
        }
        switch (NativeHeader.payloadType(datagram)) {
            case NativeMessageType.STREAM_DATA -> onData(datagram, sender, nowNs);
            case NativeMessageType.AUTH_REQUEST -> onAuth(datagram, sender, nowNs);
            case NativeMessageType.STOP_PUSH -> onStopPush(datagram, sender);
            case NativeMessageType.DELAY_PROBE -> onDelayProbe(datagram, sender);
            default -> counters.unknownType.increment();
        }
    }

    private void onData(ByteBuf datagram, InetSocketAddress sender, long nowNs) {
        NativePush push = bySsrc.get(NativeHeader.ssrc(datagram));
        if (push == null) {
            counters.dataUnknownSsrc.increment();
            return;
        }
        if (!push.address.equals(sender)) {
            counters.dataWrongSource.increment();
            return;
        }
        if (push.stream.state() == LiveStream.State.ENDED) {
            forget(push);
            counters.dataUnknownSsrc.increment();
            return;
        }
        if (NativeHeader.payloadLength(datagram) == 0) {
            counters.malformed.increment();
            return;
        }
        long recoveredBefore = push.requester.recovered();
        LossTracker.Result result = push.requester.onPacket(NativeHeader.sequence(datagram), nowNs);
        if (result != LossTracker.Result.NEW) {
            counters.dataDuplicate.increment();
            return;
        }
        if (push.requester.recovered() != recoveredBefore) {
            counters.pusherRecovered.increment();
        }
        push.lastDataNs = nowNs;
        push.packets++;
        push.bytes.add(datagram.readableBytes(), nowNs);
        push.stream.onRtp(0, datagram);
        push.demux.onData(datagram, nowNs);
        if (limits.askPushers() && push.requester.missingCount() > 0) {
            askPusher(push, nowNs);
        }
    }

    /** Media loop, every few ms: asks each pusher for what is due to be asked again, and demuxes what waited for it. */
    void tick(long nowNs) {
        for (NativePush push : bySsrc.values()) {
            push.demux.tick(nowNs);
        }
        if (!limits.askPushers()) {
            return;
        }
        for (NativePush push : bySsrc.values()) {
            if (push.requester.missingCount() > 0) {
                askPusher(push, nowNs);
            }
        }
    }

    private void askPusher(NativePush push, long nowNs) {
        dueCount = 0;
        push.requester.collectDue(nowNs, dueCollector);
        int from = 0;
        while (from < dueCount) {
            ByteBuf request = endpoint.alloc().buffer(RetransmissionRequest.MAX_LENGTH);
            requestWriter.begin(request, push.requestNumber++, System.currentTimeMillis(), push.ssrc);
            int pid = -1;
            for (; from < dueCount; from++) {
                int seq = due[from];
                boolean joinsEntry = pid >= 0 && ((seq - pid - 1) & 0xFFFF) < 16;
                if (!joinsEntry && !requestWriter.hasRoom()) {
                    break;
                }
                if (!joinsEntry) {
                    pid = seq;
                }
                requestWriter.accept(seq);
                counters.pusherRequested.increment();
            }
            requestWriter.finish();
            endpoint.send(request, push.address);
        }
    }

    private void collect(int seq) {
        if (dueCount < due.length) {
            due[dueCount++] = seq;
        }
    }

    private void onAuth(ByteBuf datagram, InetSocketAddress sender, long nowNs) {
        if (!rateLimiter.allows(sender.getAddress(), nowNs)) {
            counters.authRateLimited.increment();
            return;
        }
        rateLimiter.onAttempt(sender.getAddress(), nowNs);
        String text = NativeHeader.payloadText(datagram);
        int hash = text.indexOf(LiveIdLists.PULL_SEPARATOR);
        String liveId = hash < 0 ? text : text.substring(0, hash);
        String liveCode = hash < 0 ? "" : text.substring(hash + 1);
        if (!StreamKeyStore.LIVE_ID.matcher(liveId).matches()) {
            counters.malformed.increment();
            refuse(liveId, sender);
            return;
        }
        if (pendingAuths >= limits.maxPendingAuths()) {
            rateLimiter.forgive(sender.getAddress());
            counters.authOverloaded.increment();
            return;
        }
        pendingAuths++;
        try {
            authExecutor.execute(() -> {
                boolean accepted = verify(liveId, liveCode);
                loop.execute(() -> {
                    pendingAuths--;
                    onAuthChecked(liveId, accepted, sender);
                });
            });
        } catch (RejectedExecutionException e) {
            pendingAuths--;
            rateLimiter.forgive(sender.getAddress());
        }
    }

    private boolean verify(String liveId, String liveCode) {
        try {
            return keys.verify(liveId, liveCode);
        } catch (RuntimeException e) {
            log.warn("native auth of {}: key store failed: {}", liveId, e.getMessage());
            return false;
        }
    }

    private void onAuthChecked(String liveId, boolean accepted, InetSocketAddress sender) {
        long nowNs = nanoClock.getAsLong();
        if (!accepted) {
            refuse(liveId, sender);
            return;
        }
        rateLimiter.forgive(sender.getAddress());
        NativePush existing = byLiveId.get(liveId);
        if (existing != null && existing.stream.state() != LiveStream.State.ENDED) {
            if (existing.address.equals(sender)) {
                answer(NativeMessageType.AUTH_ACCEPTED, existing.ssrc, liveId, sender);
                return;
            }
            stop(existing, "taken over by a pusher from " + sender);
        } else if (existing != null) {
            forget(existing);
        }
        if (byLiveId.size() >= limits.maxPushStreams()) {
            counters.authRefused.increment();
            answer(NativeMessageType.AUTH_REFUSED, 0, liveId, sender);
            return;
        }
        int ssrc = newSsrc();
        LiveStream stream = LiveStream.create(liveId, "native-" + Integer.toUnsignedString(ssrc),
                sender.getAddress().getHostAddress(), NativeSdp.mp2t(liveId), config, loop, endpoint.alloc(),
                nanoClock);
        if (!paths.reserve(stream)) {
            log.info("native push of {} from {} refused: the name is published over RTSP", liveId, sender);
            counters.authRefused.increment();
            answer(NativeMessageType.AUTH_REFUSED, 0, liveId, sender);
            return;
        }
        stream.goLive();
        NativePush push = new NativePush(liveId, ssrc, sender, stream,
                TsDemuxBridge.open(stream, config, endpoint.alloc(), nanoClock, counters), nowNs);
        bySsrc.put(ssrc, push);
        byLiveId.put(liveId, push);
        answer(NativeMessageType.AUTH_ACCEPTED, ssrc, liveId, sender);
        log.info("native push of {} from {} accepted, SSRC {}", liveId, sender, Integer.toUnsignedString(ssrc));
        streamListener.streamAvailable(liveId);
    }

    private void refuse(String liveId, InetSocketAddress sender) {
        counters.authRefused.increment();
        answer(NativeMessageType.AUTH_REFUSED, 0, liveId, sender);
    }

    private void onStopPush(ByteBuf datagram, InetSocketAddress sender) {
        boolean owner = false;
        for (String liveId : LiveIdLists.split(NativeHeader.payloadText(datagram), LiveIdLists.PULL_SEPARATOR)) {
            NativePush push = byLiveId.get(liveId);
            if (push != null && push.address.equals(sender)) {
                owner = true;
                push.demux.finish("the pusher stopped");
                stop(push, "the pusher stopped");
            }
        }
        if (!owner) {
            counters.notOwner.increment();
            return;
        }
        answer(NativeMessageType.STOP_PUSH_ACK, 0, "", sender);
    }

    private void onDelayProbe(ByteBuf datagram, InetSocketAddress sender) {
        String liveId = NativeHeader.payloadText(datagram);
        NativePush push = byLiveId.get(liveId);
        if (push == null || !push.address.equals(sender)) {
            // Echoing to anyone would make the server a reflector for spoofed sources.
            counters.notOwner.increment();
            return;
        }
        long sentMs = NativeHeader.timestampMs(datagram);
        push.delayMs = (int) (System.currentTimeMillis() - sentMs);
        ByteBuf echo = endpoint.alloc().buffer(NativeHeader.LENGTH + liveId.length());
        NativeHeader.writeControl(echo, NativeMessageType.DELAY_ECHO, sentMs, 0, liveId);
        endpoint.send(echo, sender);
    }

    /** Media loop: nothing to time, no push and no authentication under way. */
    boolean idle() {
        return byLiveId.isEmpty() && bySsrc.isEmpty() && pendingAuths == 0;
    }

    /** Media loop: stops pushes idle past the timeout and forgets those ended from elsewhere (the API). */
    void housekeeping(long nowNs) {
        long idleNs = limits.streamIdleTimeout().toNanos();
        for (NativePush push : new ArrayList<>(byLiveId.values())) {
            if (push.stream.state() == LiveStream.State.ENDED) {
                forget(push);
            } else if (nowNs - push.lastDataNs > idleNs) {
                stop(push, "no data for " + limits.streamIdleTimeout().toSeconds() + " s");
            }
        }
    }

    private void stop(NativePush push, String reason) {
        forget(push);
        push.stream.end(reason);
        paths.release(push.stream);
    }

    private void forget(NativePush push) {
        bySsrc.remove(push.ssrc, push);
        byLiveId.remove(push.liveId, push);
        paths.release(push.stream);
        push.demux.close("the push ended");
    }

    /** The push of {@code liveId}, or null. */
    NativePush push(String liveId) {
        NativePush push = byLiveId.get(liveId);
        return push == null || push.stream.state() == LiveStream.State.ENDED ? null : push;
    }

    List<NativePushInfo> infos(long nowNs) {
        List<NativePushInfo> out = new ArrayList<>();
        for (NativePush push : byLiveId.values()) {
            out.add(push.info(nowNs));
        }
        return out;
    }

    void closeAll() {
        for (NativePush push : new ArrayList<>(byLiveId.values())) {
            stop(push, "server closing");
        }
    }

    private int newSsrc() {
        int ssrc;
        do {
            ssrc = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
        } while (bySsrc.containsKey(ssrc));
        return ssrc;
    }

    private void answer(int payloadType, int ssrc, String text, InetSocketAddress to) {
        ByteBuf out = endpoint.alloc().buffer(NativeHeader.LENGTH + text.length() * 3);
        NativeHeader.writeControl(out, payloadType, System.currentTimeMillis(), ssrc, text);
        endpoint.send(out, to);
    }
}

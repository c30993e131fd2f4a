package io.sluice.client;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.util.collection.IntObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.rtp.nativeproto.FilmControl;
import io.sluice.rtp.nativeproto.LiveIdLists;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import io.sluice.rtp.nativeproto.PullAnswer;
import io.sluice.rtp.nativeproto.RetransmissionRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.IntConsumer;

/**
 * Pulls live streams from a Sluice node (or an original server) over the native protocol.
 *
 * <pre>{@code
 * PullStreamClient pull = new PullStreamClient("0.0.0.0", 0, new InetSocketAddress("node", 61041), event -> {
 *     switch (event) {
 *         case NativeEvent.PullStreamReady r -> ...            // now pullStreamData may be called
 *         case NativeEvent.PullStreamData(String liveId, byte[] ts) -> ...   // in order, without duplicates
 *         case NativeEvent.StreamStop(String liveId) -> ...
 *         default -> { }
 *     }
 * });
 * pull.pullStreamStart();
 * pull.pullStreamData(List.of("cam1", "cam2"));   // a later call replaces the list
 * pull.close();
 * }</pre>
 *
 * <p>The handshake is the original's: a client id (114/115, asked again every second until it comes),
 * heartbeats every second, pull requests in 738-byte chunks (sent again when the server reports lost
 * chunks with 113, or answers nothing within 2 s), and an acknowledgement (99) of every SSRC the server
 * announces (112). What Sluice adds: each stream's packets are de-duplicated, put back in sequence order
 * and, where one is missing, asked for again (PT 120, every 15 ms or 1.5 round trips) for up to
 * {@link ClientOptions#maxReorderDelay()}, after which the gap is given up and counted
 * ({@link Statistics#lost()}). Original servers never answer those requests; the client then simply
 * delivers in order, late by the reorder delay after a loss.
 *
 * <p>Films of the node's library are pulled as liveId {@code vod/RELATIVE/PATH}: they play at media speed
 * from their start, {@link #pause}, {@link #resume} and {@link #play} steer them (Sluice's film controls,
 * each repeated until the server answers with a {@link NativeEvent.FilmState}), and the end of the film
 * is a {@link NativeEvent.StreamStop}.
 *
 * <p>Every method may be called from any thread; the work runs on the client's event loop, in call
 * order, and the listener is called on that loop (see {@link io.sluice.client}).
 */
public final class PullStreamClient implements AutoCloseable {

    static final long TICK_MS = 5;
    static final long REQUEST_TIMEOUT_NS = 2_000_000_000L;
    static final int REQUEST_ATTEMPTS = 5;
    static final long CONTROL_RETRY_NS = 250_000_000L;
    static final int CONTROL_ATTEMPTS = 8;

    /**
     * What the client received, over its life.
     *
     * @param delivered          stream-data packets handed to the listener
     * @param lost               packets given up on after {@link ClientOptions#maxReorderDelay()}
     * @param duplicates         packets received twice (a resend that crossed a late original), dropped
     * @param retransmitRequests sequence numbers asked for again, each retry counted
     * @param recovered          asked-for packets that arrived
     */
    public record Statistics(long delivered, long lost, long duplicates, long retransmitRequests, long recovered) {
    }

    private final ClientSocket socket;
    private final Consumer<NativeEvent> listener;
    private final ClientOptions options;
    private final IntObjectHashMap<OrderedReceiver> receivers = new IntObjectHashMap<>();
    private final Map<String, OrderedReceiver> receiverOf = new HashMap<>();
    private final RetransmissionRequest.Writer requestWriter = new RetransmissionRequest.Writer();
    private final ScheduledFuture<?> ticker;
    private final IntConsumer requestCollector = this::collectRequest;
    private final long[] retired = new long[5];
    private ScheduledFuture<?> clientIdRetry;
    private ScheduledFuture<?> heartbeat;
    private int clientId;
    private boolean ready;
    private boolean closed;
    private List<String> wanted;
    private boolean requestAnswered = true;
    private long requestSentNs;
    private int requestAttempts;
    private int requestNumber;
    private ByteBuf pendingRequest;
    private OrderedReceiver requestReceiver;
    /** Film controls waiting for their answer (126), by liveId: a later one replaces an earlier one. */
    private final Map<String, FilmRequest> filmRequests = new HashMap<>();
    private int filmRequestNumber;

    /** A film control sent and not answered yet. */
    private static final class FilmRequest {
        final String liveId;
        final int number;
        final boolean pause;
        final long positionMs;
        int attempts;
        long sentNs;

        FilmRequest(String liveId, int number, boolean pause, long positionMs) {
            this.liveId = liveId;
            this.number = number;
            this.pause = pause;
            this.positionMs = positionMs;
        }
    }

    /**
     * Binds {@code localHost:localPort} (port 0 picks one) and talks to the server's pull port.
     *
     * @param listener receives every {@link NativeEvent} but the pusher's
     */
    public PullStreamClient(String localHost, int localPort, InetSocketAddress pullDst, Consumer<NativeEvent> listener) {
        this(localHost, localPort, pullDst, listener, ClientOptions.defaults());
    }

    /** As {@link #PullStreamClient(String, int, InetSocketAddress, Consumer)}, tuned by {@code options}. */
    public PullStreamClient(String localHost, int localPort, InetSocketAddress pullDst, Consumer<NativeEvent> listener,
                            ClientOptions options) {
        this.listener = listener;
        this.options = options;
        this.socket = new ClientSocket(localHost, localPort, pullDst, options, "sluice-pull", this::onDatagram);
        this.ticker = socket.every(TICK_MS, this::tick);
    }

    /** The bound local address. */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Asks for a client id; {@link NativeEvent.PullStreamReady} follows once the server gives one. */
    public void pullStreamStart() {
        socket.execute(() -> {
            if (closed || ready || clientIdRetry != null) {
                return;
            }
            sendControl(NativeMessageType.GET_CLIENT_ID, 0, "");
            clientIdRetry = socket.every(1000, () -> sendControl(NativeMessageType.GET_CLIENT_ID, 0, ""));
        });
    }

    /**
     * Asks for these liveIds, replacing the previous list. Called before {@link NativeEvent.PullStreamReady},
     * the request waits for it. Answers come as {@link NativeEvent.PullStreamReqSuccess} and
     * {@link NativeEvent.NoStream}, data as {@link NativeEvent.PullStreamData}.
     */
    public void pullStreamData(List<String> liveIds) {
        List<String> ids = List.copyOf(liveIds);
        socket.execute(() -> {
            if (closed) {
                return;
            }
            wanted = ids;
            requestAttempts = 0;
            for (String id : new ArrayList<>(receiverOf.keySet())) {
                if (!ids.contains(id)) {
                    retire(receiverOf.get(id));
                }
            }
            if (ready) {
                sendRequest();
            }
        });
    }

    /**
     * Pauses a film this client pulls ({@code vod/...}): its data stops until {@link #resume} or
     * {@link #play}. Answered by a {@link NativeEvent.FilmState}, {@code PAUSED} with where it stopped.
     */
    public void pause(String liveId) {
        filmControl(liveId, true, FilmControl.RESUME);
    }

    /**
     * Resumes a paused film with the packet after the last one sent: no frame is missed or repeated.
     * Answered by a {@link NativeEvent.FilmState}, {@code PLAYING}.
     */
    public void resume(String liveId) {
        filmControl(liveId, false, FilmControl.RESUME);
    }

    /**
     * Plays a film from the keyframe at or before {@code positionMs} of media time, paused or not. Answered
     * by a {@link NativeEvent.FilmState}, {@code PLAYING} from where it really starts.
     */
    public void play(String liveId, long positionMs) {
        if (positionMs < 0) {
            throw new IllegalArgumentException("position must not be negative: " + positionMs);
        }
        filmControl(liveId, false, positionMs);
    }

    private void filmControl(String liveId, boolean pause, long positionMs) {
        socket.execute(() -> {
            if (closed || !ready) {
                listener.accept(new NativeEvent.FilmState(liveId, FilmControl.Playback.REFUSED, 0));
                return;
            }
            FilmRequest request = new FilmRequest(liveId, filmRequestNumber++ & 0xFFFF, pause, positionMs);
            filmRequests.put(liveId, request);
            sendFilmRequest(request, System.nanoTime());
        });
    }

    private void sendFilmRequest(FilmRequest r, long nowNs) {
        r.attempts++;
        r.sentNs = nowNs;
        ByteBuf out = socket.alloc().buffer(NativeHeader.LENGTH + r.liveId.length() * 3 + 16);
        if (r.pause) {
            FilmControl.writePause(out, r.number, System.currentTimeMillis(), clientId, r.liveId);
        } else {
            FilmControl.writePlay(out, r.number, System.currentTimeMillis(), clientId, r.liveId, r.positionMs);
        }
        socket.send(out);
    }

    private void onFilmState(ByteBuf datagram) {
        FilmControl.State state = FilmControl.parseState(datagram);
        if (state == null) {
            return;
        }
        FilmRequest r = filmRequests.get(state.liveId());
        if (r == null || r.number != NativeHeader.sequence(datagram)) {
            // The answer to a repeat of a request answered already, or to one replaced since.
            return;
        }
        filmRequests.remove(state.liveId());
        listener.accept(new NativeEvent.FilmState(state.liveId(), state.playback(), state.positionMs()));
    }

    /** Counts over the client's life; waits for its event loop. */
    public Statistics statistics() {
        if (socket.loop().inEventLoop()) {
            return computeStatistics();
        }
        return socket.loop().submit(this::computeStatistics).syncUninterruptibly().getNow();
    }

    private Statistics computeStatistics() {
        long[] sums = retired.clone();
        for (OrderedReceiver r : receivers.values()) {
            sums[0] += r.delivered();
            sums[1] += r.lost();
            sums[2] += r.duplicates();
            sums[3] += r.requested();
            sums[4] += r.recovered();
        }
        return new Statistics(sums[0], sums[1], sums[2], sums[3], sums[4]);
    }

    private void sendRequest() {
        requestAnswered = false;
        requestSentNs = System.nanoTime();
        requestAttempts++;
        List<byte[]> chunks = LiveIdLists.pullRequestChunks(wanted);
        for (int i = 0; i < chunks.size(); i++) {
            ByteBuf out = socket.alloc().buffer(NativeHeader.LENGTH + chunks.get(i).length);
            NativeHeader.write(out, i == chunks.size() - 1, NativeMessageType.PULL_REQUEST, i,
                    System.currentTimeMillis(), clientId);
            out.writeBytes(chunks.get(i));
            socket.write(out);
        }
        socket.flush();
    }

    private void onDatagram(ByteBuf datagram, long nowNs) {
        if (closed || !NativeHeader.isWellFormed(datagram)) {
            return;
        }
        switch (NativeHeader.payloadType(datagram)) {
            case NativeMessageType.STREAM_DATA -> {
                OrderedReceiver r = receivers.get(NativeHeader.ssrc(datagram));
                if (r != null) {
                    r.onPacket(datagram, nowNs);
                }
            }
            case NativeMessageType.CLIENT_ID -> onClientId(NativeHeader.ssrc(datagram));
            case NativeMessageType.FILM_STATE -> onFilmState(datagram);
            case NativeMessageType.PULL_ANSWER -> onPullAnswer(NativeHeader.payloadText(datagram));
            case NativeMessageType.PULL_REFUSED -> {
                requestAnswered = true;
                listener.accept(new NativeEvent.PullStreamPacketLoss());
                if (wanted != null && requestAttempts < REQUEST_ATTEMPTS) {
                    sendRequest();
                }
            }
            case NativeMessageType.STREAM_STOPPED -> {
                String liveId = NativeHeader.payloadText(datagram);
                OrderedReceiver r = receiverOf.get(liveId);
                if (r != null) {
                    retire(r);
                }
                if (wanted != null && wanted.contains(liveId)) {
                    listener.accept(new NativeEvent.StreamStop(liveId));
                }
            }
            default -> {
                // 118 (stop-pull answer) needs nothing.
            }
        }
    }

    private void onClientId(int id) {
        if (ready) {
            return;
        }
        clientId = id;
        ready = true;
        clientIdRetry.cancel(false);
        heartbeat = socket.every(1000, () -> sendControl(NativeMessageType.HEARTBEAT, clientId, ""));
        listener.accept(new NativeEvent.PullStreamReady());
        if (wanted != null) {
            sendRequest();
        }
    }

    private void onPullAnswer(String payload) {
        if (wanted == null) {
            return;
        }
        requestAnswered = true;
        List<String> found = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (PullAnswer.Entry e : PullAnswer.parse(payload)) {
            if (!wanted.contains(e.liveId())) {
                continue;
            }
            if (!e.found()) {
                missing.add(e.liveId());
                continue;
            }
            OrderedReceiver current = receiverOf.get(e.liveId());
            if (current != null && current.ssrc != e.ssrc()) {
                retire(current);
                current = null;
            }
            if (current == null) {
                String liveId = e.liveId();
                OrderedReceiver r = new OrderedReceiver(liveId, e.ssrc(), options.retransmission(),
                        options.maxReorderDelay().toNanos(), packet -> deliver(liveId, packet));
                receivers.put(e.ssrc(), r);
                receiverOf.put(liveId, r);
            }
            found.add(e.liveId());
        }
        if (!found.isEmpty()) {
            sendControl(NativeMessageType.SUBSCRIBER_ACK, clientId, LiveIdLists.join(found, LiveIdLists.ACK_SEPARATOR));
            listener.accept(new NativeEvent.PullStreamReqSuccess(List.copyOf(found)));
        }
        if (!missing.isEmpty()) {
            listener.accept(new NativeEvent.NoStream(List.copyOf(missing)));
        }
    }

    private void deliver(String liveId, ByteBuf datagram) {
        byte[] data = ByteBufUtil.getBytes(datagram, NativeHeader.payloadOffset(datagram),
                NativeHeader.payloadLength(datagram));
        listener.accept(new NativeEvent.PullStreamData(liveId, data));
    }

    private void tick() {
        if (closed) {
            return;
        }
        long nowNs = System.nanoTime();
        if (ready && wanted != null && !requestAnswered && nowNs - requestSentNs > REQUEST_TIMEOUT_NS
                && requestAttempts < REQUEST_ATTEMPTS) {
            sendRequest();
        }
        if (!filmRequests.isEmpty()) {
            retryFilmRequests(nowNs);
        }
        boolean sent = false;
        for (OrderedReceiver r : receivers.values().toArray(new OrderedReceiver[0])) {
            requestReceiver = r;
            r.tick(nowNs, requestCollector);
            if (pendingRequest != null) {
                finishRequest();
                sent = true;
            }
        }
        requestReceiver = null;
        if (sent) {
            socket.flush();
        }
    }

    private void retryFilmRequests(long nowNs) {
        for (FilmRequest r : new ArrayList<>(filmRequests.values())) {
            if (nowNs - r.sentNs < CONTROL_RETRY_NS) {
                continue;
            }
            if (r.attempts < CONTROL_ATTEMPTS) {
                sendFilmRequest(r, nowNs);
            } else {
                filmRequests.remove(r.liveId);
                listener.accept(new NativeEvent.FilmState(r.liveId, FilmControl.Playback.REFUSED, 0));
            }
        }
    }

    /** Packs due sequence numbers into retransmission requests of up to 64 entries each. */
    private void collectRequest(int seq) {
        if (pendingRequest != null && !requestWriter.hasRoom()) {
            finishRequest();
        }
        if (pendingRequest == null) {
            pendingRequest = socket.alloc().buffer(RetransmissionRequest.MAX_LENGTH);
            requestWriter.begin(pendingRequest, requestNumber++, System.currentTimeMillis(), requestReceiver.ssrc);
        }
        requestWriter.accept(seq);
    }

    private void finishRequest() {
        requestWriter.finish();
        socket.write(pendingRequest);
        pendingRequest = null;
    }

    private void retire(OrderedReceiver r) {
        receivers.remove(r.ssrc);
        receiverOf.remove(r.liveId, r);
        retired[0] += r.delivered();
        retired[1] += r.lost();
        retired[2] += r.duplicates();
        retired[3] += r.requested();
        retired[4] += r.recovered();
        r.release();
    }

    private void sendControl(int payloadType, int ssrc, String text) {
        ByteBuf out = socket.alloc().buffer(NativeHeader.LENGTH + text.length() * 3);
        NativeHeader.writeControl(out, payloadType, System.currentTimeMillis(), ssrc, text);
        socket.send(out);
    }

    /** Tells the server this client stops (117) and closes the socket. */
    @Override
    public void close() {
        if (socket.loop().inEventLoop()) {
            throw new IllegalStateException("close() must not be called from the client's own event loop");
        }
        socket.loop().submit(() -> {
            if (ready) {
                sendControl(NativeMessageType.STOP_PULL, clientId, "");
            }
            closed = true;
            ticker.cancel(false);
            if (clientIdRetry != null) {
                clientIdRetry.cancel(false);
            }
            if (heartbeat != null) {
                heartbeat.cancel(false);
            }
            for (OrderedReceiver r : new ArrayList<>(receivers.values())) {
                retire(r);
            }
        }).syncUninterruptibly();
        socket.close();
    }
}

package io.sluice.client;

import io.netty.buffer.ByteBuf;
import io.netty.util.concurrent.ScheduledFuture;
import io.sluice.rtp.nativeproto.LiveIdLists;
import io.sluice.rtp.nativeproto.NativeHeader;
import io.sluice.rtp.nativeproto.NativeMessageType;
import io.sluice.rtp.nativeproto.RetransmissionRequest;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Pushes live streams to a Sluice node (or an original server) over the native protocol: authenticate
 * a liveId with its liveCode, then push its MPEG-TS.
 *
 * <pre>{@code
 * PushStreamClient push = new PushStreamClient("0.0.0.0", 0, new InetSocketAddress("node", 61040), event -> {
 *     if (event instanceof NativeEvent.AuthRsp(String liveId, boolean accepted) && accepted) { ...start... }
 * });
 * push.auth("cam1", "CODE");
 * push.pushStreamData("cam1", tsBytes);   // any length; sent as datagrams of 7 x 188 bytes
 * push.close();
 * }</pre>
 *
 * <p>Every method may be called from any thread; the work runs on the client's event loop, in call
 * order, and the listener is called on that loop (see {@link io.sluice.client} for the threading
 * model). The client keeps the packets it sent for {@link ClientOptions#pushHistory()} and resends
 * those the server asks for (Sluice's retransmission request); original servers never ask. An auth
 * request without an answer is repeated every second, up to {@value #AUTH_ATTEMPTS} times.
 */
public final class PushStreamClient implements AutoCloseable {

    /** MPEG-TS bytes per stream-data datagram: 7 packets of 188 bytes, as the original client sent them. */
    public static final int MAX_DATA_PER_DATAGRAM = 7 * 188;
    static final int AUTH_ATTEMPTS = 5;
    private static final int HISTORY_PACKETS = 8192;

    private final ClientSocket socket;
    private final Consumer<NativeEvent> listener;
    private final ClientOptions options;
    private final Map<String, Pushed> byLiveId = new HashMap<>();
    private boolean closed;

    /**
     * Binds {@code localHost:localPort} (port 0 picks one) and talks to the server's push port.
     *
     * @param listener receives {@link NativeEvent.AuthRsp} and {@link NativeEvent.PushStreamError}
     */
    public PushStreamClient(String localHost, int localPort, InetSocketAddress pushDst, Consumer<NativeEvent> listener) {
        this(localHost, localPort, pushDst, listener, ClientOptions.defaults());
    }

    /** As {@link #PushStreamClient(String, int, InetSocketAddress, Consumer)}, tuned by {@code options}. */
    public PushStreamClient(String localHost, int localPort, InetSocketAddress pushDst, Consumer<NativeEvent> listener,
                            ClientOptions options) {
        this.listener = listener;
        this.options = options;
        this.socket = new ClientSocket(localHost, localPort, pushDst, options, "sluice-push", this::onDatagram);
    }

    /** The bound local address. */
    public InetSocketAddress localAddress() {
        return socket.localAddress();
    }

    /** Asks to push {@code liveId}; the answer is an {@link NativeEvent.AuthRsp}. */
    public void auth(String liveId, String liveCode) {
        socket.execute(() -> {
            if (closed) {
                return;
            }
            Pushed p = byLiveId.computeIfAbsent(liveId, id -> new Pushed());
            p.authPayload = liveId + LiveIdLists.PULL_SEPARATOR + liveCode;
            p.authAttempts = 0;
            p.authPending = true;
            sendAuth(p);
            if (p.authRetry == null) {
                p.authRetry = socket.every(1000, () -> {
                    if (p.authPending && p.authAttempts < AUTH_ATTEMPTS) {
                        sendAuth(p);
                    }
                });
            }
        });
    }

    /**
     * Pushes MPEG-TS bytes of an accepted liveId, split into datagrams of {@value #MAX_DATA_PER_DATAGRAM}
     * bytes; give whole 188-byte packets so that no TS packet straddles two datagrams. The array is
     * copied before the call returns. Before an accepted auth, a {@link NativeEvent.PushStreamError}.
     */
    public void pushStreamData(String liveId, byte[] data) {
        byte[] copy = data.clone();
        socket.execute(() -> {
            Pushed p = byLiveId.get(liveId);
            if (closed || p == null || p.ssrc == 0) {
                listener.accept(new NativeEvent.PushStreamError(liveId,
                        closed ? NativeEvent.PushStreamError.CLOSED : NativeEvent.PushStreamError.NOT_AUTHENTICATED,
                        closed ? "the client is closed" : "liveId " + liveId + " is not authenticated"));
                return;
            }
            long nowNs = System.nanoTime();
            long nowMs = System.currentTimeMillis();
            for (int from = 0; from < copy.length; from += MAX_DATA_PER_DATAGRAM) {
                int length = Math.min(MAX_DATA_PER_DATAGRAM, copy.length - from);
                ByteBuf datagram = socket.alloc().buffer(NativeHeader.LENGTH + length);
                NativeHeader.write(datagram, false, NativeMessageType.STREAM_DATA, p.sequence++, nowMs, p.ssrc);
                datagram.writeBytes(copy, from, length);
                p.history.add(datagram, nowNs);
                socket.write(datagram);
            }
            socket.flush();
        });
    }

    /** Tells the server these liveIds stop (122); their pullers get "stream stopped". */
    public void stopPush(List<String> liveIds) {
        socket.execute(() -> {
            ByteBuf out = socket.alloc().buffer();
            NativeHeader.writeControl(out, NativeMessageType.STOP_PUSH, System.currentTimeMillis(), 0,
                    LiveIdLists.join(liveIds, LiveIdLists.PULL_SEPARATOR));
            socket.send(out);
            for (String id : liveIds) {
                Pushed p = byLiveId.remove(id);
                if (p != null) {
                    p.release();
                }
            }
        });
    }

    private void sendAuth(Pushed p) {
        p.authAttempts++;
        ByteBuf out = socket.alloc().buffer();
        NativeHeader.writeControl(out, NativeMessageType.AUTH_REQUEST, System.currentTimeMillis(), 0, p.authPayload);
        socket.send(out);
    }

    private void onDatagram(ByteBuf datagram, long nowNs) {
        if (closed || !NativeHeader.isWellFormed(datagram)) {
            return;
        }
        switch (NativeHeader.payloadType(datagram)) {
            case NativeMessageType.AUTH_ACCEPTED -> onAuthAnswer(NativeHeader.payloadText(datagram),
                    NativeHeader.ssrc(datagram), true);
            case NativeMessageType.AUTH_REFUSED -> onAuthAnswer(NativeHeader.payloadText(datagram), 0, false);
            case NativeMessageType.RETRANSMISSION_REQUEST -> onRetransmissionRequest(datagram, nowNs);
            default -> {
                // 123 (stop-push answer) and 12 (delay echo) need nothing.
            }
        }
    }

    private void onAuthAnswer(String liveId, int ssrc, boolean accepted) {
        Pushed p = byLiveId.get(liveId);
        if (p == null || !p.authPending) {
            return;
        }
        p.authPending = false;
        if (accepted && p.ssrc != ssrc) {
            p.ssrc = ssrc;
            p.history.clear();
        }
        listener.accept(new NativeEvent.AuthRsp(liveId, accepted));
    }

    private void onRetransmissionRequest(ByteBuf request, long nowNs) {
        if (!RetransmissionRequest.isWellFormed(request)) {
            return;
        }
        int ssrc = NativeHeader.ssrc(request);
        for (Pushed p : byLiveId.values()) {
            if (p.ssrc == ssrc) {
                RetransmissionRequest.forEachSequence(request, seq -> {
                    ByteBuf packet = p.history.find(seq, nowNs);
                    if (packet != null) {
                        socket.write(packet.retainedDuplicate());
                    }
                });
                socket.flush();
                return;
            }
        }
    }

    /** Closes the socket; packets still queued may be lost. */
    @Override
    public void close() {
        if (socket.loop().inEventLoop()) {
            throw new IllegalStateException("close() must not be called from the client's own event loop");
        }
        socket.loop().submit(() -> {
            closed = true;
            byLiveId.values().forEach(Pushed::release);
            byLiveId.clear();
        }).syncUninterruptibly();
        socket.close();
    }

    /** One liveId of this client: its SSRC once accepted, its sequence numbers and sent packets. */
    private final class Pushed {
        final SentHistory history = new SentHistory(HISTORY_PACKETS, options.pushHistory().toNanos());
        int ssrc;
        int sequence;
        String authPayload;
        int authAttempts;
        boolean authPending;
        ScheduledFuture<?> authRetry;

        void release() {
            if (authRetry != null) {
                authRetry.cancel(false);
            }
            history.clear();
        }
    }
}

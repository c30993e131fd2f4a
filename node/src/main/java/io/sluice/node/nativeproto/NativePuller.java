package io.sluice.node.nativeproto;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.nativeproto.LiveIdLists;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One pull client, known by its address (the original gave one client id per address): its
 * heartbeat, its subscriptions, the pull request it is sending in chunks, its resend budget and its
 * statistics. Confined to the media loop, except the statistics the API reads.
 */
final class NativePuller {

    final InetSocketAddress address;
    final int clientId;
    final Map<String, Subscription> subscriptions = new LinkedHashMap<>();
    final RateWindow sent = new RateWindow();
    final RateWindow lost = new RateWindow();
    long lastHeartbeatNs;
    volatile long packetsSent;
    volatile long bytesSent;
    volatile long retransmitted;
    /** Sequence numbers it asked to be resent, repeats included. */
    volatile long requested;

    private byte[][] chunks = new byte[4][];
    private int lastChunk = -1;
    private int requestBytes;
    private long requestStartNs = -1;

    /** Resends to this puller: {@link NativeLimits#retransmitsPerSecond()} a second, none in its first instant. */
    final TokenBucket resends;
    /** Film starts and controls, made at the first (see {@link FilmPulls}). */
    TokenBucket filmControls;

    NativePuller(InetSocketAddress address, int clientId, int retransmitsPerSecond, long nowNs) {
        this.address = address;
        this.clientId = clientId;
        this.lastHeartbeatNs = nowNs;
        this.resends = TokenBucket.empty(retransmitsPerSecond, nowNs);
    }

    /**
     * Keeps one chunk of a pull request (chunk {@code index}, {@code last} when it had the M bit).
     *
     * @return the request's bytes once every chunk up to the last is there, {@code null} while incomplete
     * @throws IllegalArgumentException when the request outgrows {@code maxBytes}; it is abandoned
     */
    byte[] addChunk(int index, boolean last, byte[] payload, int maxBytes, long nowNs) {
        if (requestStartNs < 0) {
            requestStartNs = nowNs;
        }
        int maxChunks = maxBytes / LiveIdLists.PULL_REQUEST_CHUNK_BYTES + 1;
        if (index >= maxChunks) {
            resetRequest();
            throw new IllegalArgumentException("pull request chunk " + index + " beyond " + maxChunks);
        }
        if (index >= chunks.length) {
            chunks = Arrays.copyOf(chunks, Math.min(maxChunks, Math.max(index + 1, chunks.length * 2)));
        }
        if (chunks[index] != null) {
            requestBytes -= chunks[index].length;
        }
        chunks[index] = payload;
        requestBytes += payload.length;
        if (requestBytes > maxBytes) {
            resetRequest();
            throw new IllegalArgumentException("pull request over " + maxBytes + " bytes");
        }
        if (last) {
            lastChunk = index;
        }
        if (lastChunk < 0) {
            return null;
        }
        byte[] all = new byte[requestBytes];
        int at = 0;
        for (int i = 0; i <= lastChunk; i++) {
            if (chunks[i] == null) {
                return null;
            }
            System.arraycopy(chunks[i], 0, all, at, chunks[i].length);
            at += chunks[i].length;
        }
        resetRequest();
        return at == all.length ? all : Arrays.copyOf(all, at);
    }

    /** True when a request has been incomplete for longer than {@code timeoutNs}. */
    boolean requestTimedOut(long nowNs, long timeoutNs) {
        return requestStartNs >= 0 && nowNs - requestStartNs > timeoutNs;
    }

    void resetRequest() {
        Arrays.fill(chunks, null);
        lastChunk = -1;
        requestBytes = 0;
        requestStartNs = -1;
    }

    /**
     * Sends one datagram of stream data, first sent or resent, to this puller and counts it. The caller
     * keeps its reference to {@code datagram}.
     */
    void send(NativeEndpoint endpoint, ByteBuf datagram, long nowNs) {
        endpoint.send(datagram.retainedDuplicate(), address);
        packetsSent++;
        bytesSent += datagram.readableBytes();
        sent.add(1, nowNs);
    }

    Subscription subscriptionOfSsrc(int ssrc) {
        for (Subscription s : subscriptions.values()) {
            if (s.state == Subscription.State.ACTIVE && s.ssrc() == ssrc) {
                return s;
            }
        }
        return null;
    }

    NativePullerInfo info(long nowNs) {
        List<String> pulling = new ArrayList<>();
        List<String> waiting = new ArrayList<>();
        for (Subscription s : subscriptions.values()) {
            (s.state == Subscription.State.ACTIVE ? pulling : waiting).add(s.liveId);
        }
        return new NativePullerInfo(Integer.toUnsignedString(clientId), address.getAddress().getHostAddress(),
                address.getPort(), pulling, waiting, loss(2, nowNs), loss(10, nowNs), loss(60, nowNs), packetsSent,
                bytesSent, requested, retransmitted);
    }

    private double loss(int seconds, long nowNs) {
        long s = sent.sum(seconds, nowNs);
        return s == 0 ? 0 : Math.min(1.0, (double) lost.sum(seconds, nowNs) / s);
    }
}

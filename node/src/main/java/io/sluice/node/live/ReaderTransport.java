package io.sluice.node.live;

import io.netty.buffer.ByteBuf;

/**
 * Where a reader's packets go: UDP datagrams to its client ports, or {@code $} frames on its RTSP
 * connection. Called on the stream's media loop only.
 */
public interface ReaderTransport {

    /**
     * Queues one RTP packet of a track. The caller keeps its reference; the transport retains what it
     * sends. Answers false when the reader's queue is full and the packet was not taken.
     */
    boolean sendRtp(int trackIndex, ByteBuf packet);

    /**
     * Sends {@code packets} RTP packets of a track copied back to back into {@code burst} (all
     * {@code segmentSize} bytes but the last) as one UDP GSO send. The caller keeps its reference and may
     * hand the same buffer to every reader. Answers false, sending nothing, when the transport cannot
     * (TCP, no GSO, packets of this turn still pending, queue full): the caller then delivers the packets
     * one by one.
     */
    default boolean sendBurst(int trackIndex, ByteBuf burst, int segmentSize, int packets) {
        return false;
    }

    /** Sends one RTCP packet of a track; ownership of {@code packet} passes to the transport. */
    void sendRtcp(int trackIndex, ByteBuf packet);

    /** True when the reader has not been able to take packets for longer than its stall limit. */
    boolean stalled(long nowNs);

    /**
     * True when a burst (the GOP cache sent to a new reader) must be paced: UDP has no flow control, so
     * a burst larger than the player's socket buffer is lost.
     */
    default boolean pacesBursts() {
        return false;
    }

    /** A short name for logs and the API: "udp" or "tcp". */
    String kind();
}

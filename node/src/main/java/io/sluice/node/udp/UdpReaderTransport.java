package io.sluice.node.udp;

import io.netty.buffer.ByteBuf;
import io.sluice.node.live.ReaderTransport;
import java.net.InetSocketAddress;

/**
 * A reader over RTP/AVP/UDP: its packets leave from the node's shared RTP and RTCP ports to the client
 * ports it gave in SETUP. UDP cannot stall the node; a vanished reader is found by the session timeout.
 */
public final class UdpReaderTransport implements ReaderTransport {

    private final UdpMediaEndpoint endpoint;
    private final InetSocketAddress[] rtpDestinations;
    private final InetSocketAddress[] rtcpDestinations;
    /** Non-null where the endpoint sends with GSO: packets are then batched per turn. */
    private final SegmentingSender segmenter;

    /** Destinations indexed by track; null for tracks the reader did not set up. */
    public UdpReaderTransport(UdpMediaEndpoint endpoint, InetSocketAddress[] rtpDestinations,
                              InetSocketAddress[] rtcpDestinations) {
        this.endpoint = endpoint;
        this.rtpDestinations = rtpDestinations.clone();
        this.rtcpDestinations = rtcpDestinations.clone();
        this.segmenter = endpoint.segmentationOffload() ? new SegmentingSender(endpoint, this.rtpDestinations) : null;
    }

    @Override
    public boolean sendRtp(int trackIndex, ByteBuf packet) {
        if (!endpoint.rtpWritable()) {
            return false;
        }
        if (segmenter != null) {
            segmenter.add(trackIndex, packet);
        } else {
            endpoint.sendRtp(packet.retainedDuplicate(), rtpDestinations[trackIndex]);
        }
        return true;
    }

    @Override
    public boolean sendBurst(int trackIndex, ByteBuf burst, int segmentSize, int packets) {
        if (segmenter == null || segmenter.hasPending() || !endpoint.rtpWritable()) {
            return false;
        }
        endpoint.queueRtpBurst(burst.retain(), segmentSize, rtpDestinations[trackIndex]);
        return true;
    }

    @Override
    public void sendRtcp(int trackIndex, ByteBuf packet) {
        endpoint.sendRtcp(packet, rtcpDestinations[trackIndex]);
    }

    @Override
    public boolean stalled(long nowNs) {
        return false;
    }

    @Override
    public boolean pacesBursts() {
        return true;
    }

    @Override
    public String kind() {
        return "udp";
    }
}

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

    /** Destinations indexed by track; null for tracks the reader did not set up. */
    public UdpReaderTransport(UdpMediaEndpoint endpoint, InetSocketAddress[] rtpDestinations,
                              InetSocketAddress[] rtcpDestinations) {
        this.endpoint = endpoint;
        this.rtpDestinations = rtpDestinations.clone();
        this.rtcpDestinations = rtcpDestinations.clone();
    }

    @Override
    public boolean sendRtp(int trackIndex, ByteBuf packet) {
        if (!endpoint.rtpWritable()) {
            return false;
        }
        endpoint.sendRtp(packet.retainedDuplicate(), rtpDestinations[trackIndex]);
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
    public String kind() {
        return "udp";
    }
}

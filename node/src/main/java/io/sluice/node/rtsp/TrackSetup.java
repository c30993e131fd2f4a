package io.sluice.node.rtsp;

import java.net.InetSocketAddress;

/**
 * How one track of a session was set up: over UDP to the client's ports, or interleaved on the RTSP
 * connection with two channel numbers.
 */
record TrackSetup(boolean tcp, InetSocketAddress rtpAddress, InetSocketAddress rtcpAddress,
                  int rtpChannel, int rtcpChannel) {

    static TrackSetup udp(InetSocketAddress rtp, InetSocketAddress rtcp) {
        return new TrackSetup(false, rtp, rtcp, -1, -1);
    }

    static TrackSetup interleaved(int rtpChannel, int rtcpChannel) {
        return new TrackSetup(true, null, null, rtpChannel, rtcpChannel);
    }
}

package io.sluice.node;

import java.util.concurrent.atomic.LongAdder;

/**
 * What a node dropped and why. Every input the node refuses without an RTSP status to answer it with is
 * counted here, so that an operator can see garbage arriving even though nobody is told.
 */
public final class NodeCounters {
    /** RTP datagrams from an address that no session set up. */
    public final LongAdder rtpUnknownSource = new LongAdder();
    /** RTCP datagrams from an address that no session set up. */
    public final LongAdder rtcpUnknownSource = new LongAdder();
    /** RTP packets, over UDP or interleaved, that are not valid RTP. */
    public final LongAdder rtpMalformed = new LongAdder();
    /** Interleaved frames on a channel number that no SETUP of the connection assigned. */
    public final LongAdder interleavedUnknownChannel = new LongAdder();
    /** RTSP requests that could not be parsed or broke a limit; each was answered 400 and closed. */
    public final LongAdder rtspBadRequests = new LongAdder();
    /** Publish attempts refused for a missing or wrong key. */
    public final LongAdder authFailures = new LongAdder();
    /** RTSP connections closed at accept because of maxRtspConnections. */
    public final LongAdder connectionsRefused = new LongAdder();
    /** Sessions closed because of the session timeout. */
    public final LongAdder sessionTimeouts = new LongAdder();
}

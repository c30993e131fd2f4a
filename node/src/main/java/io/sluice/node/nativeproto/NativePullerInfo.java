package io.sluice.node.nativeproto;

import java.util.List;

/**
 * A native pull client as the API shows it. Loss is what the puller asked to be resent, per packet
 * sent to it, over the last 2, 10 and 60 s: original clients never ask, and show 0.
 *
 * @param pulling       the liveIds it receives data of
 * @param waiting       the liveIds it asked for that have no stream or await its acknowledgement (99)
 * @param packetsSent   stream-data packets sent to it, resends included
 * @param bytesSent     bytes of those packets
 * @param requested     sequence numbers it asked to be resent (Sluice's request 120), repeats included
 * @param retransmitted packets resent to it
 */
public record NativePullerInfo(String clientId, String address, int port, List<String> pulling, List<String> waiting,
                               double loss2s, double loss10s, double loss60s, long packetsSent, long bytesSent,
                               long requested, long retransmitted) {
}

package io.sluice.api.view;

/**
 * One media node as {@code GET /api/v1/nodes} lists it: this node alone when it runs without a cluster,
 * every node the cluster knows with {@code --cluster}.
 *
 * @param node            its id in the cluster, {@code local} without one
 * @param self            whether this is the node answering
 * @param rtsp            {@code rtsp://HOST:PORT} where players reach it
 * @param sessions        its client sessions (RTSP and native)
 * @param seats           users the cluster's load balancer seated on it, 0 without a cluster
 * @param bitrateOutBps   bits per second it sends
 * @param cpu             its process's CPU load, 0 to 1
 * @param load            how full it is, 0 to 1: sessions over its viewer capacity (and, in a cluster, bitrate over
 *                        its bitrate capacity, whichever is fuller)
 * @param capacityViewers viewers it takes at most (without a cluster: the session limit)
 * @param capacityBps     bits per second it sends at most, 0 for no limit
 * @param films           films in its library
 * @param rooms           films and streams it serves now
 * @param lastReportMs    when these numbers were taken (epoch ms)
 */
public record NodeSummaryView(String node, boolean self, String rtsp, int sessions, int seats, long bitrateOutBps,
                              double cpu, double load, int capacityViewers, long capacityBps, int films, int rooms,
                              long lastReportMs) {
}

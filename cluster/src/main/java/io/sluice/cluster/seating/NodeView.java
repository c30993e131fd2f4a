package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * One node as {@code GET /api/v1/lb/nodes} lists it.
 *
 * @param node            its id
 * @param rtsp            {@code rtsp://HOST:PORT}
 * @param capacityViewers viewers it takes at most
 * @param capacityBps     bits per second it sends at most, 0 for no limit
 * @param seats           users the cluster has seated on it
 * @param sessions        RTSP sessions it reported
 * @param bitrateOutBps   what it reported sending
 * @param cpu             its process's CPU load, 0..1
 * @param load            the fuller of seats-or-sessions over viewer capacity and bitrate over bitrate capacity
 * @param films           films in its library
 * @param rooms           rooms it reported serving
 * @param lastReportMs    when its last report arrived (epoch ms)
 */
public record NodeView(String node, String rtsp, int capacityViewers, long capacityBps, int seats, int sessions,
                       long bitrateOutBps, double cpu, double load, int films, int rooms, long lastReportMs)
        implements Serializable {
}

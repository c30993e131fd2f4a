package io.sluice.cluster.seating;

import java.io.Serializable;

/**
 * A live stream a node must pull from the node its publisher is on, because viewers are seated on it.
 *
 * @param room           the live stream
 * @param originNodeId   the node the publisher is on
 * @param originRtspBase that node's {@code rtsp://HOST:PORT}
 */
public record OriginPull(RoomKey room, String originNodeId, String originRtspBase) implements Serializable {

    /** The origin's URL of the stream. */
    public String url() {
        return room.url(originRtspBase);
    }
}

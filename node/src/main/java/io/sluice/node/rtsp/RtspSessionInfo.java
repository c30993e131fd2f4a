package io.sluice.node.rtsp;

import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.rtsp.session.RtspSessionState;
import java.net.InetSocketAddress;

/**
 * One RTSP session as the API lists it. The stream and the reader are the live objects, not copies:
 * read their packet statistics on the stream's media loop.
 *
 * @param role      "publisher", "reader", or "undecided" before the first ANNOUNCE or SETUP
 * @param transport "udp", "tcp", or "-" before any track is set up
 * @param path      the live name, or "-" before one is known
 * @param stream    the stream published or read, or null
 * @param reader    the reader while playing, or null
 * @param uid       a reader's user as its URL named it ({@code ?uid=}), or null
 */
public record RtspSessionInfo(String id, InetSocketAddress remote, String role, String transport, String path,
                              RtspSessionState state, LiveStream stream, LiveReader reader, String uid) {
}

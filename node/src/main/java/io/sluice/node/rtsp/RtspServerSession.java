package io.sluice.node.rtsp;

import io.netty.channel.Channel;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.udp.UdpMediaEndpoint;
import io.sluice.node.vod.media.Film;
import io.sluice.node.vod.room.FilmViewer;
import io.sluice.rtsp.session.RtspSessionState;
import io.sluice.rtsp.session.RtspSessionStateMachine;
import java.util.function.Consumer;

/**
 * One RTSP session: a publisher recording a live path or a reader playing one. Owned by the event loop
 * of the connection that created it; the media loop only sees the stream, the reader and the sinks.
 */
final class RtspServerSession {

    enum Role { UNDECIDED, PUBLISHER, READER }

    final String id;
    final Channel connection;
    final RtspSessionStateMachine states = new RtspSessionStateMachine();
    Role role = Role.UNDECIDED;
    LiveStream stream;
    TrackSetup[] setups;
    /** Per track, the UDP sinks registered for a publisher's RTP and RTCP; null entries for TCP or unset tracks. */
    UdpMediaEndpoint.PacketSink[] rtpSinks;
    UdpMediaEndpoint.PacketSink[] rtcpSinks;
    LiveReader reader;
    UdpMediaEndpoint.PacketSink readerRtcpSink;
    /** A film session's film (set on the connection loop) and its viewer (media loop only, once playing). */
    Film film;
    FilmViewer filmViewer;
    /** A reader's user, from {@code ?uid=} of its URL (or of its DESCRIBE), or null: the cluster reports it. */
    String uid;
    /** Ends the session from any thread: hops to the connection's loop. */
    Consumer<String> closer;
    volatile long lastActivityNs;
    private volatile boolean closed;

    RtspServerSession(String id, Channel connection, long nowNs) {
        this.id = id;
        this.connection = connection;
        this.lastActivityNs = nowNs;
    }

    void touch(long nowNs) {
        lastActivityNs = nowNs;
    }

    /** The last sign of life: an RTSP request, a publisher's packet, or a reader's RTCP report. */
    long lastSeenNs() {
        LiveReader r = reader;
        return r == null ? lastActivityNs : Math.max(lastActivityNs, r.stats().lastReportNs());
    }

    /** True when every set-up track is interleaved: the connection, not the timeout, bounds the session. */
    boolean interleavedOnly() {
        if (setups == null) {
            return false;
        }
        boolean any = false;
        for (TrackSetup s : setups) {
            if (s != null) {
                if (!s.tcp()) {
                    return false;
                }
                any = true;
            }
        }
        return any;
    }

    int setupCount() {
        int n = 0;
        if (setups != null) {
            for (TrackSetup s : setups) {
                if (s != null) {
                    n++;
                }
            }
        }
        return n;
    }

    RtspSessionState state() {
        return states.state();
    }

    /** The presentation as a URL path names it: {@code live/NAME} or {@code vod/FID}; "-" before SETUP. */
    String room() {
        return film == null && stream != null ? "live/" + stream.name() : path();
    }

    String path() {
        if (film != null) {
            return "vod/" + film.fid();
        }
        return stream == null ? "-" : stream.name();
    }

    /** Marks the session closed; answers true for the one caller that gets to clean it up. */
    boolean markClosed() {
        synchronized (this) {
            if (closed) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    boolean isClosed() {
        return closed;
    }
}

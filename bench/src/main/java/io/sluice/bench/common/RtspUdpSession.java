package io.sluice.bench.common;

import java.io.IOException;

/**
 * A player's RTSP session for a stream's video track over UDP: DESCRIBE and SETUP with the client's port
 * pair ({@link #setup}), then {@link #play} from 0, and {@link #close} with a TEARDOWN. Blocking; whoever
 * owns the client's sockets sets them up between SETUP and PLAY, once it knows the server's ports.
 */
public final class RtspUdpSession implements AutoCloseable {

    private final RtspControl control;
    private final String sessionId;
    private final String playUrl;
    private final int serverRtpPort;
    private final int serverRtcpPort;

    private RtspUdpSession(RtspControl control, String sessionId, String playUrl, int[] serverPorts) {
        this.control = control;
        this.sessionId = sessionId;
        this.playUrl = playUrl;
        this.serverRtpPort = serverPorts[0];
        this.serverRtcpPort = serverPorts[1];
    }

    /** Connects to {@code host:port}, DESCRIBEs {@code url} and SETUPs its video track to the client's ports. */
    public static RtspUdpSession setup(String host, int port, int timeoutMs, String url, int clientRtpPort,
                                       int clientRtcpPort) throws IOException {
        RtspControl c = RtspControl.connect(host, port, timeoutMs);
        try {
            RtspControl.Response describe = c.request("DESCRIBE", url, null, "Accept: application/sdp")
                    .requireOk("DESCRIBE " + url);
            SessionDescriptionInfo sdp = SessionDescriptionInfo.of(url, describe);
            RtspControl.Response setup = c.request("SETUP", sdp.setupUrl(), null,
                    "Transport: RTP/AVP;unicast;client_port=" + clientRtpPort + "-" + clientRtcpPort).requireOk("SETUP");
            return new RtspUdpSession(c, RtspControl.sessionId(setup), sdp.playUrl(),
                    RtspControl.transportPorts(setup, "server_port"));
        } catch (IOException | RuntimeException e) {
            c.close();
            throw e;
        }
    }

    public int serverRtpPort() {
        return serverRtpPort;
    }

    public int serverRtcpPort() {
        return serverRtcpPort;
    }

    public void play() throws IOException {
        control.request("PLAY", playUrl, null, "Session: " + sessionId, "Range: npt=0.000-").requireOk("PLAY");
    }

    /** TEARDOWN, then closes the connection; errors are ignored, the server may already have dropped the session. */
    @Override
    public void close() {
        try {
            control.request("TEARDOWN", playUrl, null, "Session: " + sessionId);
        } catch (IOException ignored) {
            // the connection closes below either way
        }
        disconnect();
    }

    /** Closes the connection without a TEARDOWN, which could wait for the read timeout on a server gone quiet. */
    public void disconnect() {
        UdpPorts.closeQuietly(control);
    }
}

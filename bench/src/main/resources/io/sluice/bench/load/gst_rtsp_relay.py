"""GStreamer's RTSP server relaying one live RTP/H.264 stream, the side-by-side peer of the relay benchmark.

The stream arrives as RTP over UDP on --udp-port (sent by the load generator) and is served, unchanged and
shared by every reader, at rtsp://127.0.0.1:PORT/live/bench. The packets go from udpsrc straight to the
media's rtpbin (udpsrc is the "pay0" element): no depayload/payload step, so GStreamer does what Sluice
does, relay, and nothing more. Run with Debian's /usr/bin/python3, which has gi and GstRtspServer.
"""
import argparse
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True, help="RTSP TCP port")
    parser.add_argument("--udp-port", type=int, required=True, help="where the RTP stream arrives")
    parser.add_argument("--caps", required=True, help="application/x-rtp caps of the incoming stream")
    parser.add_argument("--session-timeout", type=int, default=60)
    args = parser.parse_args()

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    # The default backlog of 5 would turn a join storm into SYN retries; Sluice listens with 1024.
    server.set_backlog(1024)
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch('( udpsrc name=pay0 address=127.0.0.1 port=%d buffer-size=4194304 caps="%s" )'
                       % (args.udp_port, args.caps))
    factory.set_shared(True)
    server.get_mount_points().add_factory("/live/bench", factory)

    def on_client(_server, client):
        client.connect("new-session", lambda _c, session: session.set_timeout(args.session_timeout))

    server.connect("client-connected", on_client)
    if server.attach(None) == 0:
        print("cannot listen on port %d" % args.port, file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print("READY rtsp://127.0.0.1:%d/live/bench" % args.port, flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""GStreamer's RTSP server, the side-by-side peer of the relay and film library benchmarks.

Relay (--udp-port, --caps): one live RTP/H.264 stream arrives as RTP over UDP on --udp-port (sent by the
load generator) and is served, unchanged and shared by every reader, at rtsp://127.0.0.1:PORT/live/bench.
The packets go from udpsrc straight to the media's rtpbin (udpsrc is the "pay0" element): no
depayload/payload step, so GStreamer does what Sluice does, relay, and nothing more.

Films (--media-dir): every MP4 file of the folder is served at rtsp://127.0.0.1:PORT/vod/NAME by a media
factory that is not shared: each viewer gets its own pipeline, which reads and demuxes the file itself
(GStreamer's VOD mode). The launch line is the one the benchmark names: filesrc ! qtdemux ! h264parse !
rtph264pay, video only.

Run with Debian's /usr/bin/python3, which has gi and GstRtspServer.
"""
import argparse
import os
import signal
import sys

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtspServer  # noqa: E402


def mount_relay(mounts, udp_port, caps):
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch('( udpsrc name=pay0 address=127.0.0.1 port=%d buffer-size=4194304 caps="%s" )'
                       % (udp_port, caps))
    factory.set_shared(True)
    mounts.add_factory("/live/bench", factory)
    return "rtsp://127.0.0.1:%d/live/bench"


def mount_films(mounts, media_dir):
    names = sorted(n for n in os.listdir(media_dir) if n.endswith(".mp4"))
    for name in names:
        path = os.path.join(os.path.abspath(media_dir), name)
        factory = GstRtspServer.RTSPMediaFactory()
        factory.set_launch("( filesrc location=%s ! qtdemux name=d d.video_0 ! queue ! h264parse ! "
                           "rtph264pay name=pay0 pt=96 )" % path)
        factory.set_shared(False)
        mounts.add_factory("/vod/" + name, factory)
    return "%d films on rtsp://127.0.0.1:%%d/vod/" % len(names)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True, help="RTSP TCP port")
    parser.add_argument("--udp-port", type=int, help="relay: where the RTP stream arrives")
    parser.add_argument("--caps", help="relay: application/x-rtp caps of the incoming stream")
    parser.add_argument("--media-dir", help="films: folder of .mp4 films")
    parser.add_argument("--session-timeout", type=int, default=60)
    args = parser.parse_args()
    if (args.media_dir is None) == (args.udp_port is None or args.caps is None):
        parser.error("give either --udp-port and --caps (relay) or --media-dir (films)")

    Gst.init(None)
    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    # The default backlog of 5 would turn many joins at once into SYN retries; Sluice listens with 1024.
    server.set_backlog(1024)
    mounts = server.get_mount_points()
    if args.media_dir is None:
        serving = mount_relay(mounts, args.udp_port, args.caps)
    else:
        serving = mount_films(mounts, args.media_dir)

    def on_client(_server, client):
        client.connect("new-session", lambda _c, session: session.set_timeout(args.session_timeout))

    server.connect("client-connected", on_client)
    if server.attach(None) == 0:
        print("cannot listen on port %d" % args.port, file=sys.stderr)
        return 1
    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print("READY " + serving % args.port, flush=True)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())

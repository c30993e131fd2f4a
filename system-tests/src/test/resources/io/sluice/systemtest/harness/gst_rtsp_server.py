#!/usr/bin/python3
"""Serves one media file from GStreamer's own RTSP server: as one live stream shared by all readers,
or with --per-reader as a separate playback from the start for each reader."""
import argparse
import os
import signal
import sys
import threading

import gi

gi.require_version("Gst", "1.0")
gi.require_version("GstRtsp", "1.0")
gi.require_version("GstRtspServer", "1.0")
from gi.repository import GLib, Gst, GstRtsp, GstRtspServer  # noqa: E402


def feed(path, fd):
    # A pipe is not seekable, so the media is not either: ffmpeg asks every PLAY for
    # "Range: npt=0.000-", and on a seekable shared media that rewinds the file for all readers.
    try:
        with open(path, "rb") as src, os.fdopen(fd, "wb") as sink:
            while True:
                chunk = src.read(65536)
                if not chunk:
                    break
                sink.write(chunk)
    except BrokenPipeError:
        pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mount", default="/stream")
    parser.add_argument("--file", required=True, help="the media file; shared, it is read once through a pipe")
    parser.add_argument("--per-reader", action="store_true", help="each reader gets its own playback from the start")
    parser.add_argument("--launch", required=True,
                        help="gst-launch description after the source, payloaders named pay0, pay1, ...")
    parser.add_argument("--retransmission-ms", type=int, default=0,
                        help="keep this much of each stream to answer NACKs with RFC 4588 RTX, and offer AVPF")
    args = parser.parse_args()

    Gst.init(None)
    if args.per_reader:
        source = "filesrc location=\"%s\"" % args.file
    else:
        read_fd, write_fd = os.pipe()
        threading.Thread(target=feed, args=(args.file, write_fd), daemon=True).start()
        source = "fdsrc fd=%d" % read_fd

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(args.port))
    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch("( %s ! %s )" % (source, args.launch))
    factory.set_shared(not args.per_reader)
    if args.retransmission_ms > 0:
        factory.set_retransmission_time(args.retransmission_ms * Gst.MSECOND)
        factory.set_profiles(GstRtsp.RTSPProfile.AVPF)
    server.get_mount_points().add_factory(args.mount, factory)
    if server.attach(None) == 0:
        print("could not bind port %d" % args.port, flush=True)
        sys.exit(2)

    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    print("ready rtsp://127.0.0.1:%d%s" % (args.port, args.mount), flush=True)
    loop.run()


if __name__ == "__main__":
    main()

package io.sluice.bench.load;

import io.netty.buffer.Unpooled;
import io.sluice.bench.common.Processes;
import io.sluice.bench.common.UdpPorts;
import io.sluice.rtp.RtpPacket;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The RTP packets ffmpeg sends for the test clip, captured once so that the load generator can publish them
 * itself and know the send time of every packet. The clip: {@code testsrc2} at 1280x720, 25 fps, H.264 at
 * 2 Mbit/s CBR with a 2 s GOP and no B-frames (RTP timestamps then rise monotonically, which the replay's
 * pacing relies on).
 */
record RtpCapture(List<byte[]> packets, String sdp, int clockRate) {

    private static final Pattern FMTP = Pattern.compile("a=fmtp:\\d+ (.*)");

    static Path makeClip(Path dir, int seconds) throws IOException, InterruptedException {
        Path clip = dir.resolve("clip-" + seconds + "s.mp4");
        if (Files.isRegularFile(clip) && Files.size(clip) > 0) {
            return clip;
        }
        Path partial = dir.resolve("clip-partial.mp4");
        Processes.runBounded(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y",
                "-f", "lavfi", "-i", "testsrc2=size=1280x720:rate=25", "-t", Integer.toString(seconds),
                "-c:v", "libx264", "-preset", "veryfast", "-profile:v", "main", "-pix_fmt", "yuv420p",
                "-b:v", "2M", "-maxrate", "2M", "-bufsize", "2M", "-x264-params", "nal-hrd=cbr",
                "-g", "50", "-keyint_min", "50", "-sc_threshold", "0", "-bf", "0", "-an",
                "-f", "mp4", partial.toString()), dir, 300);
        Files.move(partial, clip);
        return clip;
    }

    /** Runs {@code ffmpeg -c copy -f rtp} on the clip into a local socket and keeps every packet. */
    static RtpCapture capture(Path clip, Path dir) throws IOException, InterruptedException {
        DatagramChannel[] pair = UdpPorts.bindPair(4 << 20);
        try {
            DatagramChannel rtp = pair[0];
            rtp.configureBlocking(true);
            rtp.setOption(StandardSocketOptions.SO_RCVBUF, 4 << 20);
            int port = ((InetSocketAddress) rtp.getLocalAddress()).getPort();
            Path sdpFile = dir.resolve("clip.sdp");
            List<byte[]> packets = new ArrayList<>();
            Thread drain = Thread.ofPlatform().name("capture").start(() -> {
                ByteBuffer buf = ByteBuffer.allocateDirect(65536);
                try {
                    while (true) {
                        buf.clear();
                        rtp.receive(buf);
                        buf.flip();
                        byte[] p = new byte[buf.remaining()];
                        buf.get(p);
                        synchronized (packets) {
                            packets.add(p);
                        }
                    }
                } catch (IOException closed) {
                    // the capture ends by closing the socket
                }
            });
            // -readrate 10 sends ten times real time: quick, yet far below what the socket can absorb.
            Processes.runBounded(List.of("ffmpeg", "-hide_banner", "-loglevel", "error", "-y", "-readrate", "10",
                    "-i", clip.toString(), "-map", "0:v:0", "-c", "copy", "-f", "rtp", "-sdp_file", sdpFile.toString(),
                    "rtp://127.0.0.1:" + port + "?rtcpport=" + (port + 1)), dir, 120);
            TimeUnit.MILLISECONDS.sleep(500);
            rtp.close();
            drain.join(5000);
            List<byte[]> captured;
            synchronized (packets) {
                captured = List.copyOf(packets);
            }
            RtpCapture c = new RtpCapture(captured, Files.readString(sdpFile), 90_000);
            c.requireUnbroken();
            return c;
        } finally {
            UdpPorts.closeQuietly(pair[0]);
            UdpPorts.closeQuietly(pair[1]);
        }
    }

    private void requireUnbroken() throws IOException {
        if (packets.size() < 100) {
            throw new IOException("captured only " + packets.size() + " RTP packets");
        }
        for (int i = 1; i < packets.size(); i++) {
            int prev = RtpPacket.sequenceNumber(Unpooled.wrappedBuffer(packets.get(i - 1)));
            int seq = RtpPacket.sequenceNumber(Unpooled.wrappedBuffer(packets.get(i)));
            if (((seq - prev) & 0xFFFF) != 1) {
                throw new IOException("capture lost packets between sequence " + prev + " and " + seq);
            }
        }
    }

    /** RTP timestamp span of one pass through the clip, including the last frame's duration. */
    long loopTicks() {
        long first = timestamp(0);
        long last = timestamp(packets.size() - 1);
        long frame = 0;
        for (int i = packets.size() - 2; i >= 0 && frame == 0; i--) {
            frame = (last - timestamp(i)) & 0xFFFFFFFFL;
        }
        return ((last - first) & 0xFFFFFFFFL) + frame;
    }

    long timestamp(int index) {
        return RtpPacket.timestamp(Unpooled.wrappedBuffer(packets.get(index)));
    }

    double packetsPerSecond() {
        return packets.size() * (double) clockRate / loopTicks();
    }

    /** The {@code a=fmtp} parameters of the H.264 track, such as {@code packetization-mode=1; sprop-...}. */
    String fmtp() {
        Matcher m = FMTP.matcher(sdp);
        if (!m.find()) {
            throw new IllegalStateException("no a=fmtp in the captured SDP");
        }
        return m.group(1).trim();
    }

    /** An SDP to ANNOUNCE: ffmpeg's media description with a track control, as ffmpeg's RTSP muxer sends. */
    String announceSdp() {
        return "v=0\r\n"
                + "o=- 0 0 IN IP4 127.0.0.1\r\n"
                + "s=sluice-bench\r\n"
                + "c=IN IP4 127.0.0.1\r\n"
                + "t=0 0\r\n"
                + "m=video 0 RTP/AVP 96\r\n"
                + "a=rtpmap:96 H264/90000\r\n"
                + "a=fmtp:96 " + fmtp() + "\r\n"
                + "a=control:streamid=0\r\n";
    }

    /** The same stream as GStreamer caps, for the {@code udpsrc} of its server. */
    String gstCaps() {
        StringBuilder caps = new StringBuilder(
                "application/x-rtp,media=(string)video,clock-rate=(int)90000,encoding-name=(string)H264,payload=(int)96");
        for (String param : fmtp().split(";")) {
            String p = param.trim();
            int eq = p.indexOf('=');
            if (eq > 0) {
                String value = p.substring(eq + 1).replace(",", "\\,");
                caps.append(',').append(p, 0, eq).append("=(string)\"").append(value).append('"');
            }
        }
        return caps.toString();
    }
}

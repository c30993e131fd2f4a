package io.sluice.bench.vodload;

import io.netty.buffer.ByteBuf;
import io.sluice.bench.common.RtspUdpPlayers;
import io.sluice.rtp.RtpPacket;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.Arrays;

/**
 * N film viewers over RTSP/UDP in one process: each its own RTSP connection (DESCRIBE, SETUP of the video
 * track, PLAY from 0) and RTP/RTCP socket pair, one selector thread reading them all. While a measuring
 * window is open it counts packets, bytes and sequence gaps (drops), and, for each frame (a new RTP
 * timestamp), how far the arrival of its first packet strays from the media clock:
 * {@code |(arrival - previous frame's arrival) - (timestamp - previous timestamp) / 90 kHz|}, the send
 * jitter a player's buffer must absorb. It also keeps each viewer's RFC 3550 interarrival jitter over frame
 * starts. The sockets, the RTSP sessions and the Receiver Reports are {@link RtspUdpPlayers}'.
 */
final class FilmReaders extends RtspUdpPlayers<FilmReaders.Viewer> {

    private static final Settings SETTINGS = new Settings("film-readers", 1 << 20, 30_000, 20, 0x5200_0000);
    private static final double VIDEO_CLOCK_HZ = 90_000.0;

    /**
     * What the viewers received while a window was open.
     *
     * @param deviationsUs per frame start, the stray from the media clock in microseconds, sorted
     * @param meanJitterUs the viewers' RFC 3550 jitter over frame starts at the window's end, averaged
     */
    record Window(long packets, long bytes, long gaps, long late, int receiving, long[] deviationsUs,
                  double meanJitterUs) {

        long deviationPercentileUs(double p) {
            if (deviationsUs.length == 0) {
                return 0;
            }
            return deviationsUs[Math.min(deviationsUs.length - 1, (int) Math.floor(p * deviationsUs.length))];
        }
    }

    static final class Viewer extends RtspUdpPlayers.Player {
        long frameTimestamp;
        long frameArrivalNs;
        double jitterNs;
        long packetsInWindow;

        Viewer(int index, DatagramChannel rtp, DatagramChannel rtcp) {
            super(index, rtp, rtcp);
        }
    }

    // Selector thread state.
    private boolean windowOpen;
    private long packets;
    private long bytes;
    private long gaps;
    private long late;
    private long[] deviationsUs = new long[1 << 16];
    private int deviationCount;

    FilmReaders(String host, int port) throws IOException {
        super(SETTINGS, host, port);
        start();
    }

    @Override
    protected Viewer newPlayer(int index, DatagramChannel rtp, DatagramChannel rtcp) {
        return new Viewer(index, rtp, rtcp);
    }

    /** A new viewer of {@code url}: DESCRIBE, SETUP (UDP), PLAY from the start. Blocking; any thread. */
    void join(String url) throws IOException {
        play(add(), url);
    }

    /**
     * Closes the open window (if any) and answers what it saw; {@code open} starts a new one right after.
     */
    Window window(boolean open) throws IOException {
        return onReaderThread(() -> {
            Window w = closeWindow();
            if (open) {
                packets = 0;
                bytes = 0;
                gaps = 0;
                late = 0;
                deviationCount = 0;
                windowOpen = true;
            }
            return w;
        });
    }

    /** TEARDOWN of every viewer, then their sockets closed. */
    void leaveAll() {
        for (Viewer v : players()) {
            leave(v);
        }
    }

    private Window closeWindow() {
        long[] sorted = Arrays.copyOf(deviationsUs, deviationCount);
        Arrays.sort(sorted);
        double jitterSum = 0;
        int receiving = 0;
        for (Viewer v : registered()) {
            if (v.packetsInWindow > 0) {
                receiving++;
                jitterSum += v.jitterNs / 1000.0;
            }
            v.packetsInWindow = 0;
        }
        windowOpen = false;
        return new Window(packets, bytes, gaps, late, receiving, sorted, receiving == 0 ? 0 : jitterSum / receiving);
    }

    @Override
    protected void onRtp(Viewer v, ByteBuf packet, long nowNs, boolean first, int step) {
        long timestamp = RtpPacket.timestamp(packet);
        if (first) {
            v.frameTimestamp = timestamp;
            v.frameArrivalNs = nowNs;
            return;
        }
        boolean inOrder = step > 0;
        if (windowOpen) {
            packets++;
            bytes += packet.readableBytes();
            v.packetsInWindow++;
            if (inOrder) {
                gaps += step - 1;
            } else {
                late++;
            }
        }
        if (inOrder && timestamp != v.frameTimestamp) {
            long mediaNs = Math.round(((timestamp - v.frameTimestamp) & 0xFFFFFFFFL) * 1e9 / VIDEO_CLOCK_HZ);
            long strayNs = Math.abs((nowNs - v.frameArrivalNs) - mediaNs);
            v.jitterNs += (strayNs - v.jitterNs) / 16.0;
            if (windowOpen) {
                record(strayNs / 1000);
            }
            v.frameTimestamp = timestamp;
            v.frameArrivalNs = nowNs;
        }
    }

    private void record(long strayUs) {
        if (deviationCount == deviationsUs.length) {
            deviationsUs = Arrays.copyOf(deviationsUs, deviationCount * 2);
        }
        deviationsUs[deviationCount++] = strayUs;
    }
}

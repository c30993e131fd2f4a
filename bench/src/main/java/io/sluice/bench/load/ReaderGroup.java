package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.sluice.bench.common.LatencyHistogram;
import io.sluice.bench.common.RtspUdpPlayers;
import io.sluice.format.KeyframeDetector;
import io.sluice.format.KeyframeDetectors;
import io.sluice.rtp.RtpPacket;
import java.io.IOException;
import java.nio.channels.DatagramChannel;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * N RTSP players over UDP of the relayed stream (see {@link RtspUdpPlayers}). Per reader it counts packets
 * and sequence gaps (the drops), and stamps the arrival of the first packet and of the first keyframe
 * start; while the latency window is open it records, for every packet, arrival minus the publisher's send
 * time of that sequence number.
 *
 * <p>The selector thread owns all counters. Other threads ask for a {@link Snapshot}, which the selector
 * thread answers between two reads.
 */
final class ReaderGroup extends RtspUdpPlayers<ReaderGroup.Reader> {

    /** Connect and read timeout of the readers' RTSP connections, the kernel-stamped probes' too. */
    static final int RTSP_TIMEOUT_MS = 20_000;
    private static final Settings SETTINGS = new Settings("readers", 2 << 20, RTSP_TIMEOUT_MS, 50, 0x5100_0000);

    /** Totals since the group started, and the latency samples of the window that this snapshot closed. */
    record Snapshot(long packets, long bytes, long gaps, long late, long unmatched, int started, int keyframed,
                    LatencyHistogram latency, long[] firstPacketNs, long[] firstKeyframeNs) {
    }

    /** One player; its counters belong to the selector thread. */
    static final class Reader extends RtspUdpPlayers.Player {
        long firstPacketNs;
        long firstKeyframeNs;
        long setupDoneNs;

        Reader(int index, DatagramChannel rtp, DatagramChannel rtcp) {
            super(index, rtp, rtcp);
        }
    }

    private final String url;
    private final SendTimes sendTimes;
    private final KeyframeDetector keyframes = KeyframeDetectors.forEncoding("H264");

    // Selector thread state.
    /** 1 µs wide up to 10 ms, 100 µs wide up to 1 s: a relay's latency is milliseconds. */
    private final LatencyHistogram latency = new LatencyHistogram(1, 10_000, 100, 1_000_000);
    private boolean latencyWindowOpen;
    private long packets;
    private long bytes;
    private long gaps;
    private long late;
    private long unmatched;
    private int started;
    private int keyframed;

    ReaderGroup(String url, String host, int port, SendTimes sendTimes) throws IOException {
        super(SETTINGS, host, port);
        this.url = url;
        this.sendTimes = sendTimes;
        start();
    }

    @Override
    protected Reader newPlayer(int index, DatagramChannel rtp, DatagramChannel rtcp) {
        return new Reader(index, rtp, rtcp);
    }

    /** The local ports of the readers' open RTP sockets. */
    Set<Integer> rtpPorts() throws IOException {
        Set<Integer> ports = new HashSet<>();
        for (Reader r : players()) {
            int port = r.rtpPort();
            if (port != 0) {
                ports.add(port);
            }
        }
        return ports;
    }

    List<Reader> readers() {
        return players();
    }

    /** DESCRIBE, SETUP (UDP, the reader's port pair), PLAY. Blocking; any thread. */
    void join(Reader r) throws IOException {
        play(r, url);
        r.setupDoneNs = System.nanoTime();
    }

    /**
     * Totals now; the latency histogram of the window that ends here (empty when none was open). With
     * {@code openLatencyWindow} a new window starts right after.
     */
    Snapshot snapshot(boolean openLatencyWindow) throws IOException {
        return onReaderThread(() -> {
            List<Reader> registered = registered();
            long[] firstPacket = new long[registered.size()];
            long[] firstKeyframe = new long[registered.size()];
            for (int i = 0; i < registered.size(); i++) {
                firstPacket[i] = registered.get(i).firstPacketNs;
                firstKeyframe[i] = registered.get(i).firstKeyframeNs;
            }
            Snapshot s = new Snapshot(packets, bytes, gaps, late, unmatched, started, keyframed, latency.copy(),
                    firstPacket, firstKeyframe);
            latency.reset();
            latencyWindowOpen = openLatencyWindow;
            return s;
        });
    }

    @Override
    protected void onRtp(Reader r, ByteBuf packet, long nowNs, boolean first, int step) {
        int n = packet.readableBytes();
        int sequence = RtpPacket.sequenceNumber(packet);
        packets++;
        bytes += n;
        if (first) {
            r.firstPacketNs = nowNs;
            started++;
        } else if (step > 0) {
            gaps += step - 1;
        } else {
            late++;
        }
        if (r.firstKeyframeNs == 0) {
            int header = RtpPacket.headerLength(packet);
            if (header < n) {
                packet.setIndex(header, n);
                if (keyframes.isKeyframe(packet)) {
                    r.firstKeyframeNs = nowNs;
                    keyframed++;
                }
            }
        }
        if (latencyWindowOpen) {
            long sentNs = sendTimes.sentNs(sequence);
            if (sentNs == 0) {
                unmatched++;
            } else {
                latency.recordNs(nowNs - sentNs);
            }
        }
    }
}

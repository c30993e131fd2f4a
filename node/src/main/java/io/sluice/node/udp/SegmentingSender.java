package io.sluice.node.udp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.CompositeByteBuf;
import io.sluice.node.live.PacketRun;
import java.net.InetSocketAddress;

/**
 * Holds one reader's RTP packets for the rest of a media-loop turn and then hands them to the endpoint
 * as GSO bursts: runs of equal-sized packets to one destination (the last of a run may be shorter, as
 * the last fragment of a frame is) leave in one {@code sendmsg} that the kernel cuts into datagrams.
 *
 * <pre>
 *  pending (one turn):  v1200 v1200 a180 v1200 v640 | v1200 ...
 *  track 0 (video):     [1200 1200 1200 640] -> one SegmentedDatagramPacket, segment size 1200
 *  track 1 (audio):     [180]                -> one DatagramPacket
 * </pre>
 *
 * Measured here in C, a GSO send costs about a third of the CPU of one {@code sendto} per datagram
 * (docs/benchmarks.md). Confined to the media loop.
 */
final class SegmentingSender {

    /** Past this many packets in one turn the reader's burst is handed over early. */
    private static final int MAX_PENDING = 1024;

    private final UdpMediaEndpoint endpoint;
    private final InetSocketAddress[] destinations;
    private ByteBuf[] pending = new ByteBuf[32];
    private int[] pendingTrack = new int[32];
    private final int[] group = new int[PacketRun.MAX_SEGMENTS];
    private final PacketRun run = new PacketRun();
    private int count;

    SegmentingSender(UdpMediaEndpoint endpoint, InetSocketAddress[] destinations) {
        this.endpoint = endpoint;
        this.destinations = destinations;
    }

    /** Takes a retained duplicate of {@code packet} to send at the end of the turn. */
    void add(int track, ByteBuf packet) {
        if (count == 0) {
            endpoint.addPendingSender(this);
        } else if (count == MAX_PENDING) {
            writePending();
            endpoint.addPendingSender(this);
        }
        if (count == pending.length) {
            grow();
        }
        pending[count] = packet.retainedDuplicate();
        pendingTrack[count] = track;
        count++;
    }

    /** Hands every pending packet to the endpoint, track by track, in order. */
    void writePending() {
        for (int track = 0; track < destinations.length; track++) {
            if (destinations[track] != null) {
                writeTrack(track);
            }
        }
        for (int i = 0; i < count; i++) {
            pending[i] = null;
        }
        count = 0;
    }

    private void writeTrack(int track) {
        run.reset();
        for (int i = 0; i < count; i++) {
            if (pendingTrack[i] != track) {
                continue;
            }
            int length = pending[i].readableBytes();
            if (!run.accepts(length)) {
                emit(track, run.members(), run.segmentSize());
                run.reset();
            }
            group[run.members()] = i;
            run.add(length);
        }
        if (run.members() > 0) {
            emit(track, run.members(), run.segmentSize());
        }
    }

    /** True while packets wait for the end of the turn: a burst sent now would overtake them. */
    boolean hasPending() {
        return count > 0;
    }

    private void emit(int track, int members, int segmentSize) {
        InetSocketAddress destination = destinations[track];
        if (members == 1) {
            endpoint.sendRtp(pending[group[0]], destination);
            return;
        }
        CompositeByteBuf burst = endpoint.alloc().compositeDirectBuffer(members);
        for (int m = 0; m < members; m++) {
            burst.addComponent(true, pending[group[m]]);
        }
        endpoint.sendRtpSegments(burst, segmentSize, destination);
    }

    private void grow() {
        ByteBuf[] p = new ByteBuf[pending.length * 2];
        int[] t = new int[pending.length * 2];
        System.arraycopy(pending, 0, p, 0, count);
        System.arraycopy(pendingTrack, 0, t, 0, count);
        pending = p;
        pendingTrack = t;
    }
}

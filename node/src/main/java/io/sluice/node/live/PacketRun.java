package io.sluice.node.live;

/**
 * Decides which consecutive packets of one track can leave in one UDP GSO send: equal sizes, the last
 * one possibly shorter (as the last fragment of a frame is), at most {@link #MAX_SEGMENTS} segments and
 * {@link #MAX_BURST_BYTES} bytes. Feed packet lengths in order; when {@link #accepts} says no, send the
 * run so far, {@link #reset}, and add the packet to the next run.
 */
public final class PacketRun {

    /** The kernel's UDP_MAX_SEGMENTS on older kernels; newer ones allow more. */
    public static final int MAX_SEGMENTS = 64;
    /** A GSO send must fit one IP datagram's 16-bit length, headers included. */
    public static final int MAX_BURST_BYTES = 65_000;

    private int members;
    private int segmentSize;
    private int bytes;
    private boolean closedByShortPacket;

    /** Whether a packet of {@code length} bytes can join the current run. */
    public boolean accepts(int length) {
        return members == 0 || !(closedByShortPacket || length > segmentSize || members == MAX_SEGMENTS
                || bytes + length > MAX_BURST_BYTES);
    }

    public void add(int length) {
        if (members == 0) {
            segmentSize = length;
            bytes = 0;
        }
        members++;
        bytes += length;
        closedByShortPacket = length < segmentSize;
    }

    public void reset() {
        members = 0;
        bytes = 0;
    }

    public int members() {
        return members;
    }

    public int segmentSize() {
        return segmentSize;
    }

    public int bytes() {
        return bytes;
    }
}

package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.function.IntConsumer;

/**
 * Generic NACK (RFC 4585 section 6.2.1): an RTPFB feedback message with FMT 1 whose FCI is one or more
 * of the entry below, read at the absolute offset {@code off} of the packet (layout of the packet in
 * {@link FeedbackPacket}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * PID is a lost sequence number; bit i of BLP (least significant first) set means PID + i + 1 is lost
 * too.
 */
public final class GenericNack {

    public static final int FCI_LENGTH = GenericNackFci.LENGTH;
    /** Sequence numbers one FCI can name: the PID and the 16 of its bitmask. */
    public static final int SEQUENCES_PER_FCI = GenericNackFci.SEQUENCES_PER_ENTRY;

    private GenericNack() {
    }

    public static int mediaSsrc(ByteBuf b, int off) {
        return FeedbackPacket.mediaSsrc(b, off);
    }

    /** Number of FCI entries, from the packet length (any padding is shorter than an entry). */
    public static int fciCount(ByteBuf b, int off) {
        return (fciEnd(b, off) - off - FeedbackPacket.FCI_OFFSET) / FCI_LENGTH;
    }

    /** One FCI entry: a lost sequence number and the bitmask of the 16 that follow it. */
    @FunctionalInterface
    public interface FciConsumer {
        void accept(int pid, int blp);
    }

    /** Calls {@code c} with every FCI entry of the packet, in packet order. */
    public static void forEachFci(ByteBuf b, int off, FciConsumer c) {
        int end = fciEnd(b, off);
        for (int e = off + FeedbackPacket.FCI_OFFSET; e + FCI_LENGTH <= end; e += FCI_LENGTH) {
            c.accept(b.getUnsignedShort(e + GenericNackFci.PID_OFFSET), b.getUnsignedShort(e + GenericNackFci.BLP_OFFSET));
        }
    }

    /**
     * Calls {@code c} with every sequence number the packet declares lost, FCI by FCI, each PID before
     * the numbers of its bitmask in ascending order.
     */
    public static void forEachLostSequence(ByteBuf b, int off, IntConsumer c) {
        GenericNackFci.forEachSequence(b, off + FeedbackPacket.FCI_OFFSET, fciEnd(b, off), c);
    }

    private static int fciEnd(ByteBuf b, int off) {
        int end = off + RtcpPacket.packetLength(b, off);
        return RtcpPacket.padding(b, off) ? end - b.getUnsignedByte(end - 1) : end;
    }
}

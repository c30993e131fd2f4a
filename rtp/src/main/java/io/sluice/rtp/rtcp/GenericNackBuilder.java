package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.function.IntConsumer;

/**
 * Packs lost sequence numbers into one generic NACK (RFC 4585 section 6.2.1), as many PID + BLP
 * entries as they need. It is an {@link IntConsumer} so that it can be handed straight to
 * {@link io.sluice.rtp.LossTracker#forEachMissing}:
 *
 * <pre>{@code
 * nack.begin(out, localSsrc, mediaSsrc, 20);
 * lossTracker.forEachMissing(nack);
 * nack.finish();
 * }</pre>
 *
 * Numbers should come in ascending order (modulo 2^16); each one within 16 after the current PID joins
 * its bitmask, any other starts a new entry. Keep one instance per event loop: it allocates nothing.
 */
public final class GenericNackBuilder implements IntConsumer {

    private final GenericNackFci.Writer entries = new GenericNackFci.Writer();
    private ByteBuf out;
    private int start;

    /**
     * Starts a NACK at {@code out}'s writer index; numbers beyond {@code maxFci} entries are dropped so
     * that the packet stays within a datagram.
     */
    public void begin(ByteBuf out, int senderSsrc, int mediaSsrc, int maxFci) {
        if (maxFci < 1) {
            throw new IllegalArgumentException("maxFci must be at least 1: " + maxFci);
        }
        this.out = out;
        this.start = out.writerIndex();
        out.writeByte(RtcpPacket.VERSION << RtcpPacket.VERSION_SHIFT | RtcpPacketType.FMT_GENERIC_NACK);
        out.writeByte(RtcpPacketType.RTPFB);
        out.writeShort(0);
        out.writeInt(senderSsrc);
        out.writeInt(mediaSsrc);
        entries.begin(out, maxFci);
    }

    /** Adds lost sequence number {@code seq} (0..65535). */
    @Override
    public void accept(int seq) {
        entries.accept(seq);
    }

    /**
     * Completes the packet and returns its number of entries. With no number added there is nothing to
     * ask for, and the started packet is removed from {@code out} again.
     */
    public int finish() {
        int fciCount = entries.finish();
        if (fciCount == 0) {
            out.writerIndex(start);
        } else {
            out.setShort(start + RtcpPacket.LENGTH_OFFSET, (out.writerIndex() - start) / 4 - 1);
        }
        out = null;
        return fciCount;
    }
}

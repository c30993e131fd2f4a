package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.util.function.IntConsumer;

/**
 * The generic NACK FCI entry of RFC 4585 section 6.2.1, read and written wherever it is carried: in an
 * RTCP generic NACK ({@link GenericNack}, {@link GenericNackBuilder}) and in Sluice's native
 * retransmission request ({@link io.sluice.rtp.nativeproto.RetransmissionRequest}).
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |            PID                |             BLP               |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 *
 * PID is a missing sequence number; bit i of BLP (least significant first) set means PID + i + 1 is
 * missing too.
 */
public final class GenericNackFci {

    public static final int LENGTH = 4;
    public static final int PID_OFFSET = 0;
    public static final int BLP_OFFSET = 2;
    /** Sequence numbers one entry can name: the PID and the 16 of its bitmask. */
    public static final int SEQUENCES_PER_ENTRY = 17;

    private static final int BLP_BITS = 16;

    private GenericNackFci() {
    }

    /**
     * Calls {@code c} with every sequence number the whole entries from {@code from} to {@code end} name,
     * entry by entry, each PID before the numbers of its bitmask in ascending order.
     */
    public static void forEachSequence(ByteBuf b, int from, int end, IntConsumer c) {
        for (int e = from; e + LENGTH <= end; e += LENGTH) {
            int pid = b.getUnsignedShort(e + PID_OFFSET);
            int blp = b.getUnsignedShort(e + BLP_OFFSET);
            c.accept(pid);
            for (int bit = 0; bit < BLP_BITS; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    c.accept((pid + bit + 1) & 0xFFFF);
                }
            }
        }
    }

    /**
     * Packs sequence numbers, given one by one in ascending order modulo 2^16, into entries appended to a
     * buffer: each number within 16 after the current PID joins its bitmask, any other starts a new entry.
     * The packet around the entries is its owner's; keep one per owner, it allocates nothing.
     */
    public static final class Writer implements IntConsumer {
        private ByteBuf out;
        private int maxEntries;
        private int entries;
        private boolean pending;
        private int pid;
        private int blp;

        /** Starts appending entries to {@code out}; numbers past {@code maxEntries} entries are dropped. */
        public void begin(ByteBuf out, int maxEntries) {
            this.out = out;
            this.maxEntries = maxEntries;
            this.entries = 0;
            this.pending = false;
        }

        @Override
        public void accept(int seq) {
            if (pending) {
                int bit = (seq - pid - 1) & 0xFFFF;
                if (bit < BLP_BITS) {
                    blp |= 1 << bit;
                    return;
                }
                writeEntry();
            }
            if (entries == maxEntries) {
                return;
            }
            entries++;
            pending = true;
            pid = seq & 0xFFFF;
            blp = 0;
        }

        /** True while another number starting a new entry would still fit. */
        public boolean hasRoom() {
            return entries < maxEntries;
        }

        /** Writes the entry still open and answers how many entries were written. */
        public int finish() {
            if (pending) {
                writeEntry();
            }
            out = null;
            return entries;
        }

        private void writeEntry() {
            out.writeShort(pid);
            out.writeShort(blp);
            pending = false;
        }
    }
}

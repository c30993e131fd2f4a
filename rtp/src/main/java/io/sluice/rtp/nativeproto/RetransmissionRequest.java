package io.sluice.rtp.nativeproto;

import io.netty.buffer.ByteBuf;
import java.util.function.IntConsumer;

/**
 * Sluice's retransmission request (PT {@value NativeMessageType#RETRANSMISSION_REQUEST}): a receiver of
 * stream data asks its sender for the packets it lists again. A puller sends it to the pull port; the
 * server sends it to a pusher's address. The answer is the original stream-data datagrams, unchanged
 * (same SSRC and sequence), so a receiver cannot tell a resent packet from a late one and needs
 * nothing else to use it. Original peers never send it, and ignore it when they receive it.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |1 0 0 0 0 0 0 0|0|   PT=120    |  request number (wraps; info) |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          timestamp: low 32 bits of the sender's epoch ms      |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |          SSRC of the stream whose packets are missing         |
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |            PID                |             BLP               |  1 to 64 entries
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :                              ...                              :
 * </pre>
 *
 * Each entry is an RFC 4585 generic NACK FCI (section 6.2.1): PID is a missing sequence number, and
 * bit i of BLP (least significant first) set means PID + i + 1 is missing too. A request is therefore
 * 16 to 268 bytes and names at most 64 x 17 = 1088 packets. The puller is known by its source address
 * (the clientId of the original protocol is per address), so the SSRC field names the stream.
 */
public final class RetransmissionRequest {

    public static final int ENTRIES_OFFSET = NativeHeader.LENGTH;
    public static final int ENTRY_LENGTH = 4;
    public static final int PID_OFFSET = 0;
    public static final int BLP_OFFSET = 2;
    public static final int MAX_ENTRIES = 64;
    public static final int MAX_LENGTH = NativeHeader.LENGTH + MAX_ENTRIES * ENTRY_LENGTH;

    private static final int BLP_BITS = 16;

    private RetransmissionRequest() {
    }

    /** A header, 1..64 whole entries and nothing else. */
    public static boolean isWellFormed(ByteBuf buf) {
        int length = buf.readableBytes();
        int entriesLength = length - NativeHeader.LENGTH;
        return NativeHeader.isWellFormed(buf)
                && NativeHeader.payloadType(buf) == NativeMessageType.RETRANSMISSION_REQUEST
                && entriesLength >= ENTRY_LENGTH && entriesLength <= MAX_ENTRIES * ENTRY_LENGTH
                && entriesLength % ENTRY_LENGTH == 0;
    }

    public static int entryCount(ByteBuf buf) {
        return (buf.readableBytes() - NativeHeader.LENGTH) / ENTRY_LENGTH;
    }

    /** Calls {@code c} with each requested sequence number, entry by entry, PID before its bitmask. */
    public static void forEachSequence(ByteBuf buf, IntConsumer c) {
        int end = buf.writerIndex();
        for (int e = buf.readerIndex() + ENTRIES_OFFSET; e + ENTRY_LENGTH <= end; e += ENTRY_LENGTH) {
            int pid = buf.getUnsignedShort(e + PID_OFFSET);
            int blp = buf.getUnsignedShort(e + BLP_OFFSET);
            c.accept(pid);
            for (int bit = 0; bit < BLP_BITS; bit++) {
                if ((blp & (1 << bit)) != 0) {
                    c.accept((pid + bit + 1) & 0xFFFF);
                }
            }
        }
    }

    /**
     * Writes a request from sequence numbers given one by one, in ascending order modulo 2^16 (as
     * {@link io.sluice.rtp.LossTracker#forEachMissing} gives them). Keep one per event loop; it
     * allocates nothing.
     *
     * <pre>{@code
     * writer.begin(out, requestNumber, nowMs, streamSsrc);
     * requester.collectDue(nowNs, writer);
     * if (writer.finish() == 0) { ...nothing to ask: out is as before... }
     * }</pre>
     */
    public static final class Writer implements IntConsumer {
        private ByteBuf out;
        private int start;
        private int entries;
        private boolean pending;
        private int pid;
        private int blp;

        public void begin(ByteBuf out, int requestNumber, long timestampMs, int streamSsrc) {
            this.out = out;
            this.start = out.writerIndex();
            this.entries = 0;
            this.pending = false;
            NativeHeader.write(out, false, NativeMessageType.RETRANSMISSION_REQUEST, requestNumber, timestampMs,
                    streamSsrc);
        }

        /** Adds {@code seq}; numbers past the 64th entry are dropped (ask for them next time). */
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
            if (entries == MAX_ENTRIES) {
                return;
            }
            entries++;
            pending = true;
            pid = seq & 0xFFFF;
            blp = 0;
        }

        /** True while another number starting a new entry would still fit. */
        public boolean hasRoom() {
            return entries < MAX_ENTRIES;
        }

        /** Completes the request and answers its entry count; with none, {@code out} is as before begin. */
        public int finish() {
            if (pending) {
                writeEntry();
            }
            if (entries == 0) {
                out.writerIndex(start);
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

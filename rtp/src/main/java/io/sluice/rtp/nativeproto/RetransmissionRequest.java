package io.sluice.rtp.nativeproto;

import io.netty.buffer.ByteBuf;
import io.sluice.rtp.rtcp.GenericNackFci;
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
    public static final int ENTRY_LENGTH = GenericNackFci.LENGTH;
    public static final int PID_OFFSET = GenericNackFci.PID_OFFSET;
    public static final int BLP_OFFSET = GenericNackFci.BLP_OFFSET;
    public static final int MAX_ENTRIES = 64;
    public static final int MAX_LENGTH = NativeHeader.LENGTH + MAX_ENTRIES * ENTRY_LENGTH;

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
        GenericNackFci.forEachSequence(buf, buf.readerIndex() + ENTRIES_OFFSET, buf.writerIndex(), c);
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
        private final GenericNackFci.Writer entries = new GenericNackFci.Writer();
        private ByteBuf out;
        private int start;

        public void begin(ByteBuf out, int requestNumber, long timestampMs, int streamSsrc) {
            this.out = out;
            this.start = out.writerIndex();
            NativeHeader.write(out, false, NativeMessageType.RETRANSMISSION_REQUEST, requestNumber, timestampMs,
                    streamSsrc);
            entries.begin(out, MAX_ENTRIES);
        }

        /** Adds {@code seq}; numbers past the 64th entry are dropped (ask for them next time). */
        @Override
        public void accept(int seq) {
            entries.accept(seq);
        }

        /** True while another number starting a new entry would still fit. */
        public boolean hasRoom() {
            return entries.hasRoom();
        }

        /** Completes the request and answers its entry count; with none, {@code out} is as before begin. */
        public int finish() {
            int count = entries.finish();
            if (count == 0) {
                out.writerIndex(start);
            }
            out = null;
            return count;
        }
    }
}

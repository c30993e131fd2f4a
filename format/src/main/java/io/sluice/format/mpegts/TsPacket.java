package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * One 188-byte MPEG-2 transport stream packet (ISO/IEC 13818-1 section 2.4.3.2), read in place at an
 * absolute offset of a buffer.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | sync = 0x47   |E|S|T|          PID            |TSC|AFC|  CC   |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * | AF length     |D|R|P|C|O|S|X|E|  PCR (6 bytes, when C)  ...   |  adaptation field, AFC = 2 or 3
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |  ... stuffing 0xFF ...        | payload (AFC = 1 or 3) ...     |
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 *
 * E: transport error   S: payload unit start (a PES or section begins here)   T: priority
 * AFC: 1 payload only, 2 adaptation field only, 3 both      CC: continuity counter, per PID, +1 per payload
 * R: random access indicator (a keyframe starts here)       C: PCR flag
 * PCR: 33-bit base (90 kHz) | 6 reserved bits | 9-bit extension (27 MHz remainder)
 * </pre>
 */
public final class TsPacket {

    public static final int SIZE = 188;
    public static final int SYNC_BYTE = 0x47;
    public static final int HEADER_LENGTH = 4;
    /** PES and section bytes one packet carries without an adaptation field. */
    public static final int MAX_PAYLOAD = SIZE - HEADER_LENGTH;

    public static final int PID_OFFSET = 1;
    public static final int FLAGS_OFFSET = 3;
    public static final int ADAPTATION_LENGTH_OFFSET = 4;
    public static final int ADAPTATION_FLAGS_OFFSET = 5;
    public static final int PCR_OFFSET = 6;

    public static final int PAT_PID = 0x0000;
    public static final int NULL_PID = 0x1FFF;

    public static final int PAYLOAD_UNIT_START = 0x40;
    public static final int ADAPTATION_FIELD = 0x20;
    public static final int PAYLOAD = 0x10;
    public static final int RANDOM_ACCESS = 0x40;
    public static final int PCR_FLAG = 0x10;
    public static final int PCR_LENGTH = 6;

    private static final int PID_MASK = 0x1FFF;
    private static final int CONTINUITY_MASK = 0x0F;

    private TsPacket() {
    }

    public static boolean hasSync(ByteBuf b, int off) {
        return b.getUnsignedByte(off) == SYNC_BYTE;
    }

    public static int pid(ByteBuf b, int off) {
        return b.getUnsignedShort(off + PID_OFFSET) & PID_MASK;
    }

    public static boolean payloadUnitStart(ByteBuf b, int off) {
        return (b.getByte(off + PID_OFFSET) & PAYLOAD_UNIT_START) != 0;
    }

    public static boolean hasAdaptationField(ByteBuf b, int off) {
        return (b.getByte(off + FLAGS_OFFSET) & ADAPTATION_FIELD) != 0;
    }

    public static boolean hasPayload(ByteBuf b, int off) {
        return (b.getByte(off + FLAGS_OFFSET) & PAYLOAD) != 0;
    }

    public static int continuityCounter(ByteBuf b, int off) {
        return b.getByte(off + FLAGS_OFFSET) & CONTINUITY_MASK;
    }

    /** The adaptation field's length byte, 0..183; 0 when there is none. */
    public static int adaptationFieldLength(ByteBuf b, int off) {
        return hasAdaptationField(b, off) ? b.getUnsignedByte(off + ADAPTATION_LENGTH_OFFSET) : 0;
    }

    /** True when the adaptation field sets the random access indicator. */
    public static boolean randomAccess(ByteBuf b, int off) {
        return adaptationFieldLength(b, off) > 0 && (b.getByte(off + ADAPTATION_FLAGS_OFFSET) & RANDOM_ACCESS) != 0;
    }

    /** The PCR in 27 MHz ticks, or -1 when the packet carries none. */
    public static long pcr(ByteBuf b, int off) {
        if (adaptationFieldLength(b, off) < 1 + PCR_LENGTH || (b.getByte(off + ADAPTATION_FLAGS_OFFSET) & PCR_FLAG) == 0) {
            return -1;
        }
        long high = b.getUnsignedInt(off + PCR_OFFSET);
        int low = b.getUnsignedShort(off + PCR_OFFSET + 4);
        long base = (high << 1) | (low >>> 15);
        return base * 300 + (low & 0x1FF);
    }

    /**
     * Absolute index of the payload, or -1 when the packet has none or its adaptation field claims more
     * than the packet holds.
     */
    public static int payloadOffset(ByteBuf b, int off) {
        if (!hasPayload(b, off)) {
            return -1;
        }
        int start = off + HEADER_LENGTH;
        if (hasAdaptationField(b, off)) {
            start += 1 + b.getUnsignedByte(off + ADAPTATION_LENGTH_OFFSET);
        }
        return start <= off + SIZE ? start : -1;
    }
}

package io.sluice.bench.nativeload;

/**
 * The benchmark's payload: one native datagram's worth of MPEG-TS (7 packets of 188 bytes), all null
 * packets (PID 0x1FFF, which every demuxer skips), the first of which carries when and what was sent.
 *
 * <pre>
 *  0               1               2               3
 *  0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7 0 1 2 3 4 5 6 7
 * +---------------+-+-+-+---------+---------------+---+---+-------+
 * |  sync 0x47    |E|S|P| PID 0x1FFF (13 bits)    |sc |af |  cc   |   af = 01: payload only
 * +---------------+-+-+-+---------+---------------+---+---+-------+
 * |                 send time, System.nanoTime() (64 bits)        |   SEND_NS_OFFSET
 * |                                                               |
 * +---------------------------------------------------------------+
 * |                 kind (32 bits): warm-up or content            |   KIND_OFFSET
 * +---------------------------------------------------------------+
 * |                 index within its kind (32 bits)               |   INDEX_OFFSET
 * +---------------------------------------------------------------+
 * |                 0xFF stuffing to the end of the TS packet     |
 * +---------------------------------------------------------------+
 *   six more null TS packets (0x47 0x1F 0xFF 0x10, 184 bytes 0xFF)
 * </pre>
 *
 * The send time is read on the same machine, by the same process, as the delivery time.
 */
final class Stamp {

    static final int TS_PACKET = 188;
    static final int LENGTH = 7 * TS_PACKET;
    static final int SEND_NS_OFFSET = 4;
    static final int KIND_OFFSET = 12;
    static final int INDEX_OFFSET = 16;
    /** Packets that only keep the stream going (handshake, tail): not counted. */
    static final int WARM_UP = 0;
    /** Packets whose delivery is measured. */
    static final int CONTENT = 1;

    private Stamp() {
    }

    /** A new payload stamped with {@code kind}, {@code index} and now. */
    static byte[] payload(int kind, int index) {
        byte[] b = new byte[LENGTH];
        java.util.Arrays.fill(b, (byte) 0xFF);
        for (int p = 0; p < LENGTH; p += TS_PACKET) {
            b[p] = 0x47;
            b[p + 1] = 0x1F;
            b[p + 2] = (byte) 0xFF;
            b[p + 3] = 0x10;
        }
        putInt(b, KIND_OFFSET, kind);
        putInt(b, INDEX_OFFSET, index);
        putLong(b, SEND_NS_OFFSET, System.nanoTime());
        return b;
    }

    static long sendNs(byte[] b) {
        return ((long) getInt(b, SEND_NS_OFFSET) << 32) | (getInt(b, SEND_NS_OFFSET + 4) & 0xFFFF_FFFFL);
    }

    static int kind(byte[] b) {
        return getInt(b, KIND_OFFSET);
    }

    static int index(byte[] b) {
        return getInt(b, INDEX_OFFSET);
    }

    /** True for a payload this benchmark made (whole, with its null-packet header). */
    static boolean isStamp(byte[] b) {
        return b.length == LENGTH && b[0] == 0x47 && b[1] == 0x1F && b[2] == (byte) 0xFF;
    }

    private static int getInt(byte[] b, int offset) {
        return (b[offset] & 0xFF) << 24 | (b[offset + 1] & 0xFF) << 16 | (b[offset + 2] & 0xFF) << 8 | (b[offset + 3] & 0xFF);
    }

    private static void putInt(byte[] b, int offset, int value) {
        b[offset] = (byte) (value >>> 24);
        b[offset + 1] = (byte) (value >>> 16);
        b[offset + 2] = (byte) (value >>> 8);
        b[offset + 3] = (byte) value;
    }

    private static void putLong(byte[] b, int offset, long value) {
        putInt(b, offset, (int) (value >>> 32));
        putInt(b, offset + 4, (int) value);
    }
}

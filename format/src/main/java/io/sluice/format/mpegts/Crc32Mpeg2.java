package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;

/**
 * CRC-32/MPEG-2, which ends every PSI section (ISO/IEC 13818-1 annex A): polynomial 0x04C11DB7, initial
 * value 0xFFFFFFFF, no reflection, no final XOR. A section including its CRC sums to 0.
 */
public final class Crc32Mpeg2 {

    private static final int[] TABLE = new int[256];

    static {
        for (int i = 0; i < 256; i++) {
            int crc = i << 24;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000_0000) != 0 ? (crc << 1) ^ 0x04C1_1DB7 : crc << 1;
            }
            TABLE[i] = crc;
        }
    }

    private Crc32Mpeg2() {
    }

    /** The CRC of {@code length} bytes of {@code b} from absolute index {@code from}. */
    public static int compute(ByteBuf b, int from, int length) {
        int crc = 0xFFFF_FFFF;
        for (int i = from, end = from + length; i < end; i++) {
            crc = (crc << 8) ^ TABLE[((crc >>> 24) ^ b.getByte(i)) & 0xFF];
        }
        return crc;
    }
}

package io.sluice.format.aac;

import io.sluice.format.PayloadFormatException;

/** Reads big-endian bit fields from a byte array, most significant bit first. */
final class BitReader {

    private final byte[] bytes;
    private final String what;
    private int bitPosition;

    BitReader(byte[] bytes, String what) {
        this.bytes = bytes;
        this.what = what;
    }

    int read(int bitCount) {
        if (bitPosition + bitCount > bytes.length * 8) {
            throw new PayloadFormatException(what + " of " + bytes.length + " bytes ends inside a field at bit "
                    + bitPosition);
        }
        int value = 0;
        for (int i = 0; i < bitCount; i++) {
            int bit = (bytes[bitPosition >> 3] >> (7 - (bitPosition & 7))) & 1;
            value = (value << 1) | bit;
            bitPosition++;
        }
        return value;
    }
}

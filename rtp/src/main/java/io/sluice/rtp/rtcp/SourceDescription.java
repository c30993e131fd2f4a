package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/**
 * Source Description (RFC 3550 section 6.5), read at the absolute offset {@code off} of the packet.
 * Each chunk is an SSRC followed by items and ends with one to four zero octets that also pad it to a
 * 32-bit boundary.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |  PT=SDES=202  |             length            |  0
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_1                          |  4  chunk 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |    CNAME=1    |     length    | user and domain name        ...  8  items
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |      ...      |       0       |       0       |       0       |     end and padding
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |                          SSRC/CSRC_2  ...                     |     chunk 2
 * </pre>
 */
public final class SourceDescription {

    public static final int ITEM_END = 0;
    public static final int ITEM_CNAME = 1;

    public static final int FIRST_CHUNK_OFFSET = 4;
    private static final int CHUNK_SSRC_LENGTH = 4;
    private static final int ITEM_HEADER_LENGTH = 2;

    private SourceDescription() {
    }

    /**
     * The CNAME of the first chunk, or null when the packet has no chunk or the chunk has no CNAME.
     * Allocates the string; SDES arrives once per reporting interval, not per media packet.
     */
    public static String cname(ByteBuf b, int off) {
        if (RtcpPacket.count(b, off) == 0) {
            return null;
        }
        int end = off + RtcpPacket.packetLength(b, off);
        int item = off + FIRST_CHUNK_OFFSET + CHUNK_SSRC_LENGTH;
        while (item + ITEM_HEADER_LENGTH <= end) {
            int type = b.getUnsignedByte(item);
            if (type == ITEM_END) {
                return null;
            }
            int length = b.getUnsignedByte(item + 1);
            int text = item + ITEM_HEADER_LENGTH;
            if (text + length > end) {
                return null;
            }
            if (type == ITEM_CNAME) {
                return b.toString(text, length, StandardCharsets.UTF_8);
            }
            item = text + length;
        }
        return null;
    }
}

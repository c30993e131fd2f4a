package io.sluice.rtp.rtcp;

import io.netty.buffer.ByteBuf;

/**
 * Goodbye (RFC 3550 section 6.6), read at the absolute offset {@code off} of the packet. The source
 * count is {@link RtcpPacket#count}; the optional reason after the list is not read.
 *
 * <pre>
 *  0                   1                   2                   3
 *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |V=2|P|    SC   |   PT=BYE=203  |             length            |  0
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * |                           SSRC/CSRC                           |  4
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * :                              ...                              :
 * +=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+=+
 * |     length    |               reason for leaving            ...  (opt)
 * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
 * </pre>
 */
public final class Bye {

    public static final int SSRCS_OFFSET = 4;

    private Bye() {
    }

    /** The SSRC at {@code index} (0-based, below the source count) of the BYE at {@code off}. */
    public static int ssrc(ByteBuf b, int off, int index) {
        return b.getInt(off + SSRCS_OFFSET + 4 * index);
    }
}

package io.sluice.rtp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;

/** Literal wire bytes for tests, written as hex with any whitespace between bytes and {@code #} comments. */
public final class Bytes {

    private Bytes() {
    }

    /** A new buffer holding {@code hex}; the caller releases it. */
    public static ByteBuf hex(String hex) {
        return Unpooled.wrappedBuffer(ByteBufUtil.decodeHexDump(compact(hex)));
    }

    /** The readable bytes of {@code buf} as lowercase hex without separators; indexes unchanged. */
    public static String hexOf(ByteBuf buf) {
        return ByteBufUtil.hexDump(buf);
    }

    /** {@code hex} without comments and whitespace, to compare with {@link #hexOf}. */
    public static String compact(String hex) {
        return hex.replaceAll("#[^\\n]*", "").replaceAll("\\s+", "").toLowerCase();
    }
}

package io.sluice.rtsp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;
import java.util.List;

/**
 * Writes an {@link InterleavedFrame} as its 4-byte header followed by the data (RFC 2326 section
 * 10.12). The data goes out as the frame's own buffer, retained, so a packet fanned out to many
 * TCP readers is never copied; only the small header is allocated.
 *
 * <pre>
 * BEFORE:                          AFTER (two buffers, written together):
 * +-------------------------+      +-----------------------+   +-----------------+
 * | InterleavedFrame        | ---> | '$' | ch | len (16)   |   | data (len bytes)|
 * | channel ch, data        |      +-----------------------+   +-----------------+
 * +-------------------------+
 * </pre>
 *
 * Stateless, so one instance may be shared by all pipelines.
 */
@ChannelHandler.Sharable
public final class InterleavedFrameEncoder extends MessageToMessageEncoder<InterleavedFrame> {

    /** The shared instance. */
    public static final InterleavedFrameEncoder INSTANCE = new InterleavedFrameEncoder();

    public InterleavedFrameEncoder() {
        super(InterleavedFrame.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, InterleavedFrame frame, List<Object> out) {
        ByteBuf data = frame.content();
        ByteBuf header = ctx.alloc().buffer(InterleavedFrame.HEADER_LENGTH);
        header.writeByte(InterleavedFrame.MAGIC);
        header.writeByte(frame.channel());
        header.writeShort(data.readableBytes());
        out.add(header);
        out.add(data.retain());
    }
}

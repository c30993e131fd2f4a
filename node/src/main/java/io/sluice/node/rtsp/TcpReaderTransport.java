package io.sluice.node.rtsp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.sluice.node.live.ReaderTransport;
import io.sluice.rtsp.codec.InterleavedFrame;

/**
 * A reader over RTP/AVP/TCP: packets go as {@code $} frames on its RTSP connection.
 *
 * <p>The reader's queue is the connection's outbound buffer, bounded by the channel's write-buffer water
 * marks ({@code readerQueueHighBytes}/{@code readerQueueLowBytes}): Netty counts a write submitted from
 * the media loop against them at once, so {@link Channel#isWritable()} is the queue-full test. A reader
 * that stays unwritable for the stall limit is stalled.
 */
final class TcpReaderTransport implements ReaderTransport {

    private final Channel channel;
    private final int[] rtpChannels;
    private final int[] rtcpChannels;
    private final long stallLimitNs;
    private long unwritableSinceNs = -1;

    TcpReaderTransport(Channel channel, int[] rtpChannels, int[] rtcpChannels, long stallLimitNs) {
        this.channel = channel;
        this.rtpChannels = rtpChannels.clone();
        this.rtcpChannels = rtcpChannels.clone();
        this.stallLimitNs = stallLimitNs;
    }

    @Override
    public boolean sendRtp(int trackIndex, ByteBuf packet) {
        if (!channel.isWritable()) {
            return false;
        }
        unwritableSinceNs = -1;
        channel.writeAndFlush(new InterleavedFrame(rtpChannels[trackIndex], packet.retainedDuplicate()),
                channel.voidPromise());
        return true;
    }

    @Override
    public void sendRtcp(int trackIndex, ByteBuf packet) {
        if (!channel.isActive()) {
            packet.release();
            return;
        }
        channel.writeAndFlush(new InterleavedFrame(rtcpChannels[trackIndex], packet), channel.voidPromise());
    }

    @Override
    public boolean stalled(long nowNs) {
        if (channel.isWritable()) {
            unwritableSinceNs = -1;
            return false;
        }
        if (unwritableSinceNs < 0) {
            unwritableSinceNs = nowNs;
            return false;
        }
        return nowNs - unwritableSinceNs > stallLimitNs;
    }

    @Override
    public String kind() {
        return "tcp";
    }
}

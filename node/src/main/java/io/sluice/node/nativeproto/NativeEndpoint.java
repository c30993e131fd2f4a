package io.sluice.node.nativeproto;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.sluice.node.PortBinding;
import io.sluice.rtp.loss.LossGenerator;
import java.net.InetSocketAddress;
import java.util.function.LongSupplier;

/**
 * One UDP port of the native protocol, bound on the media loop so that a pushed packet reaches the
 * stream's fan-out without changing threads. Datagrams longer than the limit are dropped and counted
 * here, before any parsing; the loss generators drop datagrams on the way in and out for tests. Writes
 * are flushed once per turn of the loop, as the media endpoint does.
 */
final class NativeEndpoint implements AutoCloseable {

    /** Receives the datagrams of the port on the media loop; the caller releases {@code datagram}. */
    @FunctionalInterface
    interface Receiver {
        void onDatagram(ByteBuf datagram, InetSocketAddress sender, long nowNs);
    }

    private final EventLoop loop;
    private final LossGenerator receiveLoss;
    private final LossGenerator sendLoss;
    private final Runnable flushTask = this::flush;
    private Channel channel;
    private boolean flushScheduled;

    private NativeEndpoint(EventLoop loop, LossGenerator receiveLoss, LossGenerator sendLoss) {
        this.loop = loop;
        this.receiveLoss = receiveLoss;
        this.sendLoss = sendLoss;
    }

    static NativeEndpoint bind(String what, EventLoop loop, Class<? extends DatagramChannel> channelClass, String host,
                               int port, int socketBufferBytes, NativeLimits limits, NativeCounters counters,
                               LongSupplier nanoClock, Receiver receiver) throws InterruptedException {
        NativeEndpoint endpoint = new NativeEndpoint(loop, limits.receiveLoss(), limits.sendLoss());
        int maxBytes = limits.maxDatagramBytes();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(channelClass)
                .option(ChannelOption.SO_RCVBUF, socketBufferBytes)
                .option(ChannelOption.SO_SNDBUF, socketBufferBytes)
                // One byte more than the limit: a datagram that fills the buffer was longer than allowed.
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(maxBytes + 1))
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 16 << 20))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        ByteBuf content = packet.content();
                        if (endpoint.receiveLoss.shouldDrop(packet.sender(), content)) {
                            return;
                        }
                        if (content.readableBytes() > maxBytes) {
                            counters.oversized.increment();
                            return;
                        }
                        receiver.onDatagram(content, packet.sender(), nanoClock.getAsLong());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        // ICMP port unreachable from a vanished peer must not close the shared socket.
                    }
                });
        endpoint.channel = PortBinding.bind(b, host, port, what);
        return endpoint;
    }

    int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    /** Media loop: false while the socket's queue is over its high mark. */
    boolean writable() {
        return channel.isWritable();
    }

    /** Media loop: queues one datagram; ownership of {@code datagram} passes here. */
    void send(ByteBuf datagram, InetSocketAddress destination) {
        if (sendLoss.shouldDrop(destination, datagram)) {
            datagram.release();
            return;
        }
        channel.write(new DatagramPacket(datagram, destination), channel.voidPromise());
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    private void flush() {
        flushScheduled = false;
        channel.flush();
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
    }
}

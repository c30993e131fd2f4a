package io.sluice.client;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The UDP socket of one client on one event loop, with the loss hooks of {@link ClientOptions}. Every
 * received datagram and every timer runs on that loop, which is the only thread touching the client's
 * state.
 */
final class ClientSocket implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(ClientSocket.class);
    private static final int RECEIVE_BUFFER_BYTES = 4 << 20;
    private static final int MAX_DATAGRAM_BYTES = 2048;

    private final EventLoopGroup ownGroup;
    private final EventLoop loop;
    private final Channel channel;
    private final InetSocketAddress server;
    private final ClientOptions options;

    ClientSocket(String localHost, int localPort, InetSocketAddress server, ClientOptions options, String name,
                 BiConsumer<ByteBuf, Long> receiver) {
        this.server = server;
        this.options = options;
        this.ownGroup = options.eventLoopGroup() == null
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory(name, true), NioIoHandler.newFactory())
                : null;
        EventLoopGroup group = ownGroup != null ? ownGroup : options.eventLoopGroup();
        this.loop = group.next();
        Bootstrap b = new Bootstrap()
                .group(loop)
                .channel(NioDatagramChannel.class)
                .option(ChannelOption.SO_RCVBUF, RECEIVE_BUFFER_BYTES)
                .option(ChannelOption.RCVBUF_ALLOCATOR, new FixedRecvByteBufAllocator(MAX_DATAGRAM_BYTES))
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        if (!packet.sender().equals(server)
                                || options.receiveLoss().shouldDrop(packet.sender(), packet.content())) {
                            return;
                        }
                        receiver.accept(packet.content(), System.nanoTime());
                    }

                    @Override
                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                        log.debug("{}: {}", name, cause.toString());
                    }
                });
        try {
            this.channel = b.bind(localHost, localPort).sync().channel();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            shutdownOwnGroup();
            throw new IllegalStateException("interrupted while binding " + localHost + ":" + localPort, e);
        } catch (RuntimeException e) {
            shutdownOwnGroup();
            throw e;
        }
    }

    EventLoop loop() {
        return loop;
    }

    ByteBufAllocator alloc() {
        return channel.alloc();
    }

    InetSocketAddress localAddress() {
        return (InetSocketAddress) channel.localAddress();
    }

    /** Loop only: sends {@code datagram} to the server (ownership passes here); the flush is the caller's. */
    void write(ByteBuf datagram) {
        if (options.sendLoss().shouldDrop(server, datagram)) {
            datagram.release();
            return;
        }
        channel.write(new DatagramPacket(datagram, server), channel.voidPromise());
    }

    void flush() {
        channel.flush();
    }

    /** Loop only: writes and flushes one datagram. */
    void send(ByteBuf datagram) {
        write(datagram);
        flush();
    }

    ScheduledFuture<?> every(long periodMs, Runnable task) {
        return loop.scheduleAtFixedRate(task, periodMs, periodMs, TimeUnit.MILLISECONDS);
    }

    /**
     * Runs {@code task} on the loop after what is queued there, even when called from the loop: a
     * listener that calls the client back never re-enters the client's work in progress.
     */
    void execute(Runnable task) {
        loop.execute(task);
    }

    @Override
    public void close() {
        channel.close().syncUninterruptibly();
        shutdownOwnGroup();
    }

    private void shutdownOwnGroup() {
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}

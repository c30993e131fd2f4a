package io.sluice.node;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.ServerSocketChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;

/**
 * The native epoll transport where Linux offers it (batched {@code sendmmsg}, UDP GSO), NIO elsewhere.
 */
public record NettyTransport(String name,
                             IoHandlerFactory ioHandlerFactory,
                             Class<? extends ServerSocketChannel> serverChannel,
                             Class<? extends SocketChannel> socketChannel,
                             Class<? extends DatagramChannel> datagramChannel) {

    public static NettyTransport best() {
        if (Epoll.isAvailable()) {
            return new NettyTransport("epoll", EpollIoHandler.newFactory(), EpollServerSocketChannel.class,
                    EpollSocketChannel.class, EpollDatagramChannel.class);
        }
        return nio();
    }

    public static NettyTransport nio() {
        return new NettyTransport("nio", NioIoHandler.newFactory(), NioServerSocketChannel.class,
                NioSocketChannel.class, NioDatagramChannel.class);
    }

    /** An event loop group of {@code threads} threads, one per core when 0. */
    public EventLoopGroup newGroup(int threads, String threadPrefix) {
        return new MultiThreadIoEventLoopGroup(threads == 0 ? Runtime.getRuntime().availableProcessors() : threads,
                new io.netty.util.concurrent.DefaultThreadFactory(threadPrefix, true), ioHandlerFactory);
    }
}

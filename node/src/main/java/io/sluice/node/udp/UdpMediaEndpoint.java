package io.sluice.node.udp;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.SegmentedDatagramPacket;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.channel.socket.SocketProtocolFamily;
import io.sluice.node.NodeCounters;
import io.sluice.node.PortBinding;
import io.sluice.rtp.RtpPacket;
import java.net.InetSocketAddress;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * The node's shared RTP and RTCP ports (8000/8001 by default): one socket pair for every session, not a
 * port pair per session, so a node behind a firewall needs two UDP ports opened and no range.
 *
 * <p>Incoming datagrams are demultiplexed by their source address, which SETUP registered (the client's
 * {@code client_port}s at the RTSP peer's IP). Both sockets live on one event loop, the media loop, which
 * also runs the fan-out of the streams: a publisher's packet is relayed to every reader without leaving
 * the thread that received it.
 *
 * <p>Writes are flushed once per turn of the media loop: the first write of a turn schedules one flush
 * task, which runs after the turn's I/O and tasks. Netty's epoll transport sends what one flush carries
 * with {@code sendmmsg}; where the kernel supports UDP GSO, readers that batch ({@link SegmentingSender})
 * hand over a whole burst per destination, which leaves as one {@code sendmsg} with {@code UDP_SEGMENT}.
 */
public final class UdpMediaEndpoint implements AutoCloseable {

    /** Receives the datagrams of one registered source address, on the media loop. */
    @FunctionalInterface
    public interface PacketSink {
        /** The caller releases {@code packet} after the call; keep it with {@code retain()}. */
        void onPacket(ByteBuf packet, long nowNs);
    }

    private final EventLoop loop;
    private final NodeCounters counters;
    private final LongSupplier nanoClock;
    private final Map<InetSocketAddress, PacketSink> rtpSources = new HashMap<>();
    private final Map<InetSocketAddress, PacketSink> rtcpSources = new HashMap<>();
    private Channel rtpChannel;
    private Channel rtcpChannel;
    private final Runnable flushTask = this::flush;
    private final boolean segmentationOffload;
    private final java.util.ArrayList<SegmentingSender> pendingSenders = new java.util.ArrayList<>();
    /** Shared frame bursts queued this turn (see {@link #queueRtpBurst}), written at the flush. */
    private ByteBuf[] burstContents = new ByteBuf[64];
    private int[] burstSegmentSizes = new int[64];
    private InetSocketAddress[] burstDestinations = new InetSocketAddress[64];
    private int bursts;
    private boolean flushScheduled;

    private UdpMediaEndpoint(EventLoop loop, NodeCounters counters, LongSupplier nanoClock, boolean segmentationOffload) {
        this.loop = loop;
        this.counters = counters;
        this.nanoClock = nanoClock;
        this.segmentationOffload = segmentationOffload;
    }

    /**
     * Binds the RTP port and the RTCP port (rtpPort + 1) on {@code loop}. {@code segmentationOffload} asks
     * for UDP GSO; it is used only where the channel reports kernel support.
     */
    public static UdpMediaEndpoint bind(EventLoop loop, Class<? extends DatagramChannel> channelClass, String host,
                                        int rtpPort, int socketBufferBytes, boolean segmentationOffload,
                                        NodeCounters counters, LongSupplier nanoClock) throws InterruptedException {
        boolean gso = segmentationOffload && channelClass == EpollDatagramChannel.class
                && EpollDatagramChannel.isSegmentedDatagramPacketSupported();
        UdpMediaEndpoint endpoint = new UdpMediaEndpoint(loop, counters, nanoClock, gso);
        endpoint.rtpChannel = endpoint.bindOne(channelClass, host, rtpPort, socketBufferBytes, true);
        try {
            endpoint.rtcpChannel = endpoint.bindOne(channelClass, host, rtpPort + 1, socketBufferBytes, false);
        } catch (RuntimeException | InterruptedException e) {
            endpoint.rtpChannel.close();
            throw e;
        }
        return endpoint;
    }

    private Channel bindOne(Class<? extends DatagramChannel> channelClass, String host, int port, int bufferBytes,
                            boolean rtp) throws InterruptedException {
        Bootstrap b = new Bootstrap().group(loop);
        if (channelClass == EpollDatagramChannel.class && isIpv4Literal(host)) {
            // An IPv4 socket: an IPv6 one bound to an IPv4 address reaches IPv4 peers only anyway, and pays
            // for the v4-mapped addresses on every datagram (in Netty's address copy and udpv6_sendmsg).
            b.channelFactory(() -> new EpollDatagramChannel(SocketProtocolFamily.INET));
        } else {
            b.channel(channelClass);
        }
        b.option(ChannelOption.SO_RCVBUF, bufferBytes)
                .option(ChannelOption.SO_SNDBUF, bufferBytes)
                // Fan-out writes are bounded per reader by the streams, not by the socket's write queue.
                .option(ChannelOption.WRITE_BUFFER_WATER_MARK, new WriteBufferWaterMark(8 << 20, 16 << 20))
                .handler(new Inbound(rtp));
        return PortBinding.bind(b, host, port, rtp ? "RTP port" : "RTCP port");
    }

    private static boolean isIpv4Literal(String host) {
        return host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
    }

    public EventLoop loop() {
        return loop;
    }

    public io.netty.buffer.ByteBufAllocator alloc() {
        return rtpChannel.alloc();
    }

    public int rtpPort() {
        return ((InetSocketAddress) rtpChannel.localAddress()).getPort();
    }

    /** Media loop: routes datagrams from {@code source} to the RTP port into {@code sink}. */
    public void registerRtpSource(InetSocketAddress source, PacketSink sink) {
        assert loop.inEventLoop();
        rtpSources.put(source, sink);
    }

    /** Media loop: routes datagrams from {@code source} to the RTCP port into {@code sink}. */
    public void registerRtcpSource(InetSocketAddress source, PacketSink sink) {
        assert loop.inEventLoop();
        rtcpSources.put(source, sink);
    }

    /** Media loop: forgets an RTP source if it still points at {@code sink}. */
    public void unregisterRtpSource(InetSocketAddress source, PacketSink sink) {
        assert loop.inEventLoop();
        rtpSources.remove(source, sink);
    }

    /** Media loop: forgets an RTCP source if it still points at {@code sink}. */
    public void unregisterRtcpSource(InetSocketAddress source, PacketSink sink) {
        assert loop.inEventLoop();
        rtcpSources.remove(source, sink);
    }

    /** Media loop: false when the RTP socket's queue is over its high mark; callers drop instead of queueing. */
    public boolean rtpWritable() {
        return rtpChannel.isWritable();
    }

    /** True when RTP bursts leave as GSO super-datagrams. */
    public boolean segmentationOffload() {
        return segmentationOffload;
    }

    /** Media loop: queues one datagram from the RTP port; ownership of {@code packet} passes here. */
    public void sendRtp(ByteBuf packet, InetSocketAddress destination) {
        rtpChannel.write(new DatagramPacket(packet, destination), rtpChannel.voidPromise());
        scheduleFlush();
    }

    /**
     * Media loop: queues {@code segments} equal-sized RTP packets (the last may be shorter) as one GSO
     * write of {@code segmentSize}-byte datagrams; ownership of {@code segments} passes here.
     */
    public void sendRtpSegments(ByteBuf segments, int segmentSize, InetSocketAddress destination) {
        rtpChannel.write(new SegmentedDatagramPacket(segments, segmentSize, destination), rtpChannel.voidPromise());
        scheduleFlush();
    }

    /**
     * Media loop: queues one reader's reference to a frame's packets copied back to back into {@code burst}
     * (all {@code segmentSize} bytes but the last), to be written as one GSO datagram when the turn's
     * flush runs; ownership of that reference passes here. Every reader of a frame gets the same buffer:
     * a datagram write leaves the buffer's indices alone, so no duplicate is needed.
     *
     * <p>The writes wait for the flush so that {@link #rtpWritable()} keeps meaning "the kernel took
     * what the last flush handed it": written at once, a keyframe to a thousand readers would count a
     * thousand times its size against the channel's high water mark and turn the channel unwritable in
     * the middle of the fan-out, and every later reader would drop the frame (and skip to the next
     * keyframe) although the kernel had not refused a byte.
     */
    public void queueRtpBurst(ByteBuf burst, int segmentSize, InetSocketAddress destination) {
        if (bursts == burstContents.length) {
            growBursts();
        }
        burstContents[bursts] = burst;
        burstSegmentSizes[bursts] = segmentSize;
        burstDestinations[bursts] = destination;
        bursts++;
        scheduleFlush();
    }

    private void growBursts() {
        int n = bursts * 2;
        burstContents = java.util.Arrays.copyOf(burstContents, n);
        burstSegmentSizes = java.util.Arrays.copyOf(burstSegmentSizes, n);
        burstDestinations = java.util.Arrays.copyOf(burstDestinations, n);
    }

    /** Media loop: queues one RTCP datagram; ownership of {@code packet} passes here. */
    public void sendRtcp(ByteBuf packet, InetSocketAddress destination) {
        rtcpChannel.write(new DatagramPacket(packet, destination), rtcpChannel.voidPromise());
        scheduleFlush();
    }

    /** Media loop: a sender holds packets to hand over at the end of this turn. */
    void addPendingSender(SegmentingSender sender) {
        pendingSenders.add(sender);
        scheduleFlush();
    }

    private void scheduleFlush() {
        if (!flushScheduled) {
            flushScheduled = true;
            loop.execute(flushTask);
        }
    }

    /**
     * Media loop: writes the queued frame bursts, then hands over the batching senders' packets (a reader
     * that got packets one by one this turn got no burst after them, see {@link SegmentingSender#hasPending}),
     * and sends everything.
     */
    public void flush() {
        flushScheduled = false;
        for (int i = 0; i < bursts; i++) {
            ByteBuf burst = burstContents[i];
            int segmentSize = burstSegmentSizes[i];
            InetSocketAddress destination = burstDestinations[i];
            burstContents[i] = null;
            burstDestinations[i] = null;
            rtpChannel.write(segmentSize < burst.readableBytes()
                    ? new SegmentedDatagramPacket(burst, segmentSize, destination)
                    : new DatagramPacket(burst, destination), rtpChannel.voidPromise());
        }
        bursts = 0;
        for (int i = 0, n = pendingSenders.size(); i < n; i++) {
            pendingSenders.get(i).writePending();
        }
        pendingSenders.clear();
        rtpChannel.flush();
        rtcpChannel.flush();
    }

    /** Runs {@code task} on the media loop: at once when called from it, else as a task. */
    public void execute(Runnable task) {
        if (loop.inEventLoop()) {
            task.run();
        } else {
            loop.execute(task);
        }
    }

    @Override
    public void close() {
        rtpChannel.close().syncUninterruptibly();
        rtcpChannel.close().syncUninterruptibly();
    }

    private final class Inbound extends SimpleChannelInboundHandler<DatagramPacket> {
        private final boolean rtp;

        Inbound(boolean rtp) {
            this.rtp = rtp;
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket datagram) {
            ByteBuf content = datagram.content();
            PacketSink sink = (rtp ? rtpSources : rtcpSources).get(datagram.sender());
            if (sink == null) {
                unknown().increment();
                return;
            }
            if (rtp && !RtpPacket.isValid(content)) {
                counters.rtpMalformed.increment();
                return;
            }
            sink.onPacket(content, nanoClock.getAsLong());
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            // A datagram socket keeps serving after an ICMP-induced error such as ECONNREFUSED from a gone reader.
        }

        private LongAdder unknown() {
            return rtp ? counters.rtpUnknownSource : counters.rtcpUnknownSource;
        }
    }
}

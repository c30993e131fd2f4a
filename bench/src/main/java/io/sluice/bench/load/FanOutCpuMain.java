package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.sluice.bench.common.Options;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.NettyTransport;
import io.sluice.node.NodeConfig;
import io.sluice.node.NodeCounters;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.node.udp.UdpMediaEndpoint;
import io.sluice.node.udp.UdpReaderTransport;
import io.sluice.rtp.RtpPacket;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The node's UDP fan-out alone, closed loop: a stream on the real media loop and endpoint (epoll and GSO
 * where available) relays synthetic H.264 frames to N loopback reader sockets that one thread drains, and
 * the media loop's own CPU time (user + kernel, which on loopback includes the readers' receive path) is
 * divided by the datagrams it sent. Unlike {@link RelayLoadMain} it needs no real time: a frame is handed
 * over once the readers have drained the one before the last, so the figure holds on a machine shared
 * with other work, and two builds of the node can be compared run against run. Options (defaults in
 * brackets):
 * <pre>
 *   --readers 1000       reader sockets
 *   --frames 1500        frames relayed (after as many again of warm-up)
 *   --gop 50             frames per GOP: the first is a keyframe
 *   --packets 7          packets of a frame (2 Mbit/s at 25 fps: about 7 of 1400 bytes)
 *   --keyframe-packets 60
 *   --port 19000         the node's RTP port (RTCP is +1)
 * </pre>
 */
public final class FanOutCpuMain {

    private static final int PACKET_BYTES = 1400;
    /** The feeder sleeps while it waits for the readers, so that only the media loop and the drain compete for the cores. */
    private static final long WAIT_NS = 50_000;
    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=bench\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:streamid=0\r\n";

    private FanOutCpuMain() {
    }

    public static void main(String[] args) throws Exception {
        Options o = new Options(args);
        int readers = o.integer("readers", 1000);
        NettyTransport transport = NettyTransport.best();
        EventLoopGroup group = transport.newGroup(1, "fan-out-bench");
        UdpMediaEndpoint endpoint = UdpMediaEndpoint.bind(group.next(), transport.datagramChannel(), "127.0.0.1",
                o.integer("port", 19000), 4 << 20, true, new NodeCounters(), System::nanoTime);
        long loopThread = endpoint.loop().submit(() -> Thread.currentThread().threadId()).get();
        LiveStream stream = LiveStream.create("bench", "s0", "127.0.0.1:1", SessionDescription.parse(SDP),
                NodeConfig.builder().build(), endpoint.loop(), endpoint.alloc(), System::nanoTime);
        Drain drain = new Drain(readers);
        List<LiveReader> live = new ArrayList<>();
        for (int i = 0; i < readers; i++) {
            InetSocketAddress[] rtp = {drain.address(i)};
            InetSocketAddress[] rtcp = {new InetSocketAddress("127.0.0.1", 9)};
            live.add(new LiveReader("r" + i, new UdpReaderTransport(endpoint, rtp, rtcp), new boolean[] {true},
                    reason -> { }));
        }
        endpoint.loop().submit(() -> {
            stream.goLive();
            live.forEach(stream::addReader);
        }).sync();
        Thread drainer = new Thread(drain, "drain");
        drainer.setDaemon(true);
        drainer.start();
        Feeder feeder = new Feeder(stream, endpoint, drain, o.integer("gop", 50), o.integer("packets", 7),
                o.integer("keyframe-packets", 60), readers);
        int frames = o.integer("frames", 1500);
        feeder.run(frames);
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long cpu0 = threads.getThreadCpuTime(loopThread);
        long sent0 = feeder.datagrams;
        long wall0 = System.nanoTime();
        feeder.run(frames);
        long cpu1 = threads.getThreadCpuTime(loopThread);
        long wall1 = System.nanoTime();
        long datagrams = feeder.datagrams - sent0;
        System.out.printf("transport %s, %d readers, %d frames: %d datagrams, media loop CPU %.3f s, %.3f us per "
                        + "datagram (%.1f %% of a core per 100k datagrams/s), %.0f datagrams/s, gaps %d%n",
                transport.name(), readers, frames, datagrams, (cpu1 - cpu0) / 1e9, (cpu1 - cpu0) / 1e3 / datagrams,
                (cpu1 - cpu0) / 1e9 / datagrams * 1e5 * 100, datagrams / ((wall1 - wall0) / 1e9), drain.gaps.get());
        endpoint.loop().submit(() -> stream.end("done")).sync();
        endpoint.close();
        group.shutdownGracefully().sync();
        System.exit(drain.gaps.get() == 0 ? 0 : 1);
    }

    /** Hands frames to the stream, each once the readers hold all but the last frame's datagrams. */
    private static final class Feeder {
        private final LiveStream stream;
        private final UdpMediaEndpoint endpoint;
        private final Drain drain;
        private final int gop;
        private final int packets;
        private final int keyframePackets;
        private final int readers;
        private int frame;
        private int seq;
        private long datagrams;
        private long previousFrameDatagrams;

        Feeder(LiveStream stream, UdpMediaEndpoint endpoint, Drain drain, int gop, int packets, int keyframePackets,
               int readers) {
            this.stream = stream;
            this.endpoint = endpoint;
            this.drain = drain;
            this.gop = gop;
            this.packets = packets;
            this.keyframePackets = keyframePackets;
            this.readers = readers;
        }

        void run(int frames) throws Exception {
            for (int end = frame + frames; frame < end; frame++) {
                while (drain.received.get() < datagrams - previousFrameDatagrams) {
                    LockSupport.parkNanos(WAIT_NS);
                }
                boolean keyframe = frame % gop == 0;
                int n = keyframe ? keyframePackets : packets;
                long timestamp = 3600L * frame;
                int first = seq;
                endpoint.loop().execute(() -> {
                    for (int p = 0; p < n; p++) {
                        ByteBuf packet = endpoint.alloc().directBuffer(PACKET_BYTES);
                        RtpPacket.writeHeader(packet, p == n - 1, 96, (first + p) & 0xFFFF, timestamp, 0x1234);
                        packet.writeByte(keyframe && p == 0 ? 0x65 : 0x41);
                        packet.writerIndex(p == n - 1 ? PACKET_BYTES / 2 : PACKET_BYTES);
                        stream.onRtp(0, packet);
                        packet.release();
                    }
                });
                seq += n;
                previousFrameDatagrams = (long) n * readers;
                datagrams += previousFrameDatagrams;
            }
            while (drain.received.get() < datagrams) {
                LockSupport.parkNanos(WAIT_NS);
            }
        }
    }

    /** Drains every reader socket from one thread, as the relay benchmark's reader group does, and counts gaps. */
    private static final class Drain implements Runnable {
        final AtomicLong received = new AtomicLong();
        final AtomicLong gaps = new AtomicLong();
        private final Selector selector;
        private final DatagramChannel[] channels;
        private final int[] nextSeq;

        Drain(int readers) throws Exception {
            selector = Selector.open();
            channels = new DatagramChannel[readers];
            nextSeq = new int[readers];
            for (int i = 0; i < readers; i++) {
                DatagramChannel c = DatagramChannel.open();
                c.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
                c.bind(new InetSocketAddress("127.0.0.1", 0));
                c.configureBlocking(false);
                c.register(selector, SelectionKey.OP_READ, i);
                channels[i] = c;
                nextSeq[i] = -1;
            }
        }

        InetSocketAddress address(int i) throws Exception {
            return (InetSocketAddress) channels[i].getLocalAddress();
        }

        @Override
        public void run() {
            ByteBuffer buf = ByteBuffer.allocateDirect(2048);
            try {
                while (true) {
                    selector.select();
                    for (SelectionKey key : selector.selectedKeys()) {
                        int i = (Integer) key.attachment();
                        DatagramChannel c = (DatagramChannel) key.channel();
                        long n = 0;
                        while (true) {
                            buf.clear();
                            if (c.receive(buf) == null) {
                                break;
                            }
                            int seq = buf.getShort(2) & 0xFFFF;
                            if (nextSeq[i] >= 0 && seq != nextSeq[i]) {
                                gaps.incrementAndGet();
                            }
                            nextSeq[i] = (seq + 1) & 0xFFFF;
                            n++;
                        }
                        received.addAndGet(n);
                    }
                    selector.selectedKeys().clear();
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}

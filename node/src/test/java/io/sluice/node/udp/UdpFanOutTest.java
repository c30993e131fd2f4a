package io.sluice.node.udp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.netty.buffer.ByteBuf;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.NettyTransport;
import io.sluice.node.NodeConfig;
import io.sluice.node.NodeCounters;
import io.sluice.node.live.LiveReader;
import io.sluice.node.live.LiveStream;
import io.sluice.rtp.RtpPacket;
import io.sluice.testing.FreePorts;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The UDP fan-out on the real epoll transport with GSO: frames far larger in total than the RTP channel's
 * write high water mark (16 MiB) reach every one of many readers whole and in order.
 */
class UdpFanOutTest {

    private static final int READERS = 200;
    /** As many packets as one held frame (and one GSO send) takes. */
    private static final int FRAME_PACKETS = 64;
    private static final int PACKET_BYTES = 1400;
    private static final int FRAMES = 3;
    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=t\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:streamid=0\r\n";

    private final List<DatagramChannel> receivers = new ArrayList<>();
    private EventLoopGroup group;
    private UdpMediaEndpoint endpoint;

    @AfterEach
    void stop() throws Exception {
        for (DatagramChannel r : receivers) {
            r.close();
        }
        if (endpoint != null) {
            endpoint.close();
        }
        if (group != null) {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
        }
    }

    @Test
    void framesOfManyTimesTheWriteHighWaterMarkReachEveryReaderWhole() throws Exception {
        NettyTransport transport = NettyTransport.best();
        assumeTrue(transport.datagramChannel() == EpollDatagramChannel.class
                && EpollDatagramChannel.isSegmentedDatagramPacketSupported(), "needs epoll with UDP GSO");
        group = transport.newGroup(1, "fan-out-test");
        endpoint = UdpMediaEndpoint.bind(group.next(), transport.datagramChannel(), "127.0.0.1", FreePorts.udpPair(),
                4 << 20, true, new NodeCounters(), System::nanoTime);
        NodeConfig.Builder config = NodeConfig.builder();
        config.frameHold = Duration.ofMillis(100);
        LiveStream stream = LiveStream.create("cam", "s0", "127.0.0.1:1", SessionDescription.parse(SDP),
                config.build(), endpoint.loop(), endpoint.alloc(), System::nanoTime);
        List<LiveReader> readers = new ArrayList<>();
        for (int i = 0; i < READERS; i++) {
            DatagramChannel receiver = DatagramChannel.open();
            receiver.setOption(StandardSocketOptions.SO_RCVBUF, 1 << 20);
            receiver.bind(new InetSocketAddress("127.0.0.1", 0));
            receiver.configureBlocking(false);
            receivers.add(receiver);
            InetSocketAddress rtp = (InetSocketAddress) receiver.getLocalAddress();
            InetSocketAddress[] rtcp = {new InetSocketAddress("127.0.0.1", 9)};
            readers.add(new LiveReader("r" + i, new UdpReaderTransport(endpoint, new InetSocketAddress[] {rtp}, rtcp),
                    new boolean[] {true}, reason -> { }));
        }
        endpoint.loop().submit(() -> {
            stream.goLive();
            readers.forEach(stream::addReader);
        }).sync();
        // The first frame is a keyframe, which readers waiting for one take packet by packet; the next
        // frames, each in a turn of its own, go to the now steady readers as shared bursts.
        for (int frame = 0; frame < FRAMES; frame++) {
            int f = frame;
            endpoint.loop().submit(() -> {
                for (int p = 0; p < FRAME_PACKETS; p++) {
                    int seq = f * FRAME_PACKETS + p;
                    ByteBuf packet = endpoint.alloc().directBuffer(PACKET_BYTES);
                    RtpPacket.writeHeader(packet, p == FRAME_PACKETS - 1, 96, seq, 3600L * f, 0x1234);
                    packet.writeByte(f == 0 ? 0x65 : 0x41);
                    while (packet.isWritable()) {
                        packet.writeByte(seq);
                    }
                    stream.onRtp(0, packet);
                    packet.release();
                }
            }).sync();
        }

        int expected = FRAMES * FRAME_PACKETS;
        ByteBuffer datagram = ByteBuffer.allocate(2048);
        int[] received = new int[READERS];
        // Loopback delivers at once: a second without a datagram means nothing more is coming.
        long quietUntilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        int complete = 0;
        while (complete < READERS && System.nanoTime() < quietUntilNs) {
            boolean any = false;
            for (int i = 0; i < READERS; i++) {
                datagram.clear();
                if (receivers.get(i).receive(datagram) == null) {
                    continue;
                }
                any = true;
                datagram.flip();
                assertThat(datagram.remaining()).as("reader %d packet %d length", i, received[i]).isEqualTo(PACKET_BYTES);
                assertThat(datagram.getShort(2) & 0xFFFF).as("reader %d sequence", i).isEqualTo(received[i]);
                assertThat(datagram.get(PACKET_BYTES - 1)).as("reader %d payload", i).isEqualTo((byte) received[i]);
                if (++received[i] == expected) {
                    complete++;
                }
            }
            if (any) {
                quietUntilNs = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
            } else {
                Thread.sleep(1);
            }
        }
        assertThat(received).as("packets per reader").containsOnly(expected);
        assertThat(readers).allSatisfy(r -> assertThat(r.stats().drops()).isZero());
        endpoint.loop().submit(() -> stream.end("test")).sync();
    }
}

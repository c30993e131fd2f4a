package io.sluice.node.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.sluice.format.sdp.SessionDescription;
import io.sluice.node.NodeConfig;
import io.sluice.rtp.RtpPacket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A stream on a real event loop with an injected clock: frame holding and the GOP cache start. */
class LiveStreamTest {

    private static final String SDP = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=t\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 96\r\na=rtpmap:96 H264/90000\r\na=control:streamid=0\r\n";

    private final TimerLoop loop = new TimerLoop();
    private final AtomicLong clock = new AtomicLong();
    private final List<ByteBuf> made = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        made.forEach(ByteBuf::release);
        loop.shutdownGracefully(0, 1, java.util.concurrent.TimeUnit.SECONDS).sync();
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get();
    }

    /** An event loop that tells whether a task is scheduled on it. */
    private static final class TimerLoop extends DefaultEventLoop {
        boolean hasTimers() {
            return nextScheduledTaskNano() != -1;
        }
    }

    /** An H.264 packet: an IDR slice (type 5) when {@code idr}, else a non-IDR slice (type 1). */
    private ByteBuf packet(int seq, long timestamp, boolean marker, boolean idr) {
        ByteBuf b = Unpooled.buffer(32);
        RtpPacket.writeHeader(b, marker, 96, seq, timestamp, 0x1234);
        b.writeByte(idr ? 0x65 : 0x41).writeZero(15);
        made.add(b);
        return b;
    }

    private LiveStream stream(Duration frameHold) {
        NodeConfig.Builder b = NodeConfig.builder();
        b.frameHold = frameHold;
        return LiveStream.create("cam", "s0", "127.0.0.1:1", SessionDescription.parse(SDP), b.build(), loop,
                ByteBufAllocator.DEFAULT, clock::get);
    }

    @Test
    void aFramesPacketsReachTheReaderTogetherWhenItsLastOneArrives() throws Exception {
        LiveStream stream = stream(Duration.ofMillis(5));
        LiveReaderTest.QueueTransport transport = new LiveReaderTest.QueueTransport(100, 1_000_000_000L);
        LiveReader reader = new LiveReader("r1", transport, new boolean[] {true}, reason -> { });
        // Counted in the same task of the loop, so the hold timer cannot fire in between on a slow machine.
        int sentBeforeMarker = onLoop(() -> {
            stream.goLive();
            stream.addReader(reader);
            stream.onRtp(0, packet(1, 9000, false, true));
            stream.onRtp(0, packet(2, 9000, false, true));
            return transport.sent.size();
        });
        assertThat(sentBeforeMarker).as("held until the frame's marker").isZero();
        int sentAtMarker = onLoop(() -> {
            stream.onRtp(0, packet(3, 9000, true, true));
            return transport.sent.size();
        });
        assertThat(sentAtMarker).isEqualTo(3);
        onLoop(() -> {
            stream.onRtp(0, packet(4, 12600, false, false));
            return null;
        });
        // No marker: the hold timer fans it out, 5 ms later or whenever the loaded machine runs it.
        long deadlineNs = System.nanoTime() + 5_000_000_000L;
        while (onLoop(() -> transport.sent.size()) < 4 && System.nanoTime() < deadlineNs) {
            Thread.sleep(5);
        }
        assertThat(onLoop(() -> transport.sent.size())).isEqualTo(4);
        onLoop(() -> {
            stream.end("test");
            return null;
        });
    }

    @Test
    void aFrameThatGoesWholeCancelsItsWaitSoTheLoopSleeps() throws Exception {
        LiveStream stream = stream(Duration.ofMillis(100));
        LiveReaderTest.QueueTransport transport = new LiveReaderTest.QueueTransport(100, 1_000_000_000L);
        LiveReader reader = new LiveReader("r1", transport, new boolean[] {true}, reason -> { });
        boolean waiting = onLoop(() -> {
            stream.goLive();
            stream.addReader(reader);
            stream.onRtp(0, packet(1, 9000, false, true));
            return loop.hasTimers();
        });
        assertThat(waiting).as("the first packet starts the wait for its frame's marker").isTrue();
        boolean stillWaiting = onLoop(() -> {
            stream.onRtp(0, packet(2, 9000, true, true));
            return loop.hasTimers();
        });
        assertThat(stillWaiting).as("the marker sent the frame and ended the wait").isFalse();
        assertThat(transport.sent).hasSize(2);
        onLoop(() -> {
            stream.end("test");
            return null;
        });
    }

    @Test
    void mpegTsPacketsAreNeverHeldForAMarkerTheyDoNotCarry() throws Exception {
        String ts = "v=0\r\no=- 0 0 IN IP4 127.0.0.1\r\ns=t\r\nt=0 0\r\nm=video 0 RTP/AVP 33\r\na=control:streamid=0\r\n";
        NodeConfig.Builder b = NodeConfig.builder();
        b.frameHold = Duration.ofMillis(50);
        LiveStream stream = LiveStream.create("ts", "s0", "127.0.0.1:1", SessionDescription.parse(ts), b.build(), loop,
                ByteBufAllocator.DEFAULT, clock::get);
        LiveReaderTest.QueueTransport transport = new LiveReaderTest.QueueTransport(100, 1_000_000_000L);
        onLoop(() -> {
            stream.goLive();
            stream.addReader(new LiveReader("r1", transport, new boolean[] {true}, reason -> { }));
            ByteBuf p = Unpooled.buffer(32);
            RtpPacket.writeHeader(p, false, 33, 1, 9000, 0x77);
            p.writeZero(16);
            made.add(p);
            stream.onRtp(0, p);
            return null;
        });
        assertThat(transport.sent).as("sent at once, not after the 50 ms hold").hasSize(1);
        onLoop(() -> {
            stream.end("test");
            return null;
        });
    }

    /** A transport that takes bursts: records (segment size, packets, bytes) of each. */
    static final class BurstTransport extends LiveReaderTest.QueueTransport {
        final List<int[]> bursts = new ArrayList<>();

        BurstTransport() {
            super(1000, 1_000_000_000L);
        }

        @Override
        public boolean sendBurst(int trackIndex, ByteBuf burst, int segmentSize, int packets) {
            bursts.add(new int[] {segmentSize, packets, burst.readableBytes(), burst.getUnsignedShort(2)});
            return true;
        }
    }

    @Test
    void aSteadyReaderGetsAFrameAsOneBurstWhileANewOneStartsOnTheKeyframePacketByPacket() throws Exception {
        LiveStream stream = stream(Duration.ofMillis(50));
        BurstTransport steady = new BurstTransport();
        onLoop(() -> {
            stream.goLive();
            stream.addReader(new LiveReader("r1", steady, new boolean[] {true}, reason -> { }));
            // The first reader of a video stream waits for a keyframe: the first frame goes packet by packet.
            stream.onRtp(0, packet(1, 9000, false, true));
            stream.onRtp(0, packet(2, 9000, true, true));
            // From then on it is steady: the next frame (two 28-byte packets) goes as one burst.
            stream.onRtp(0, packet(3, 12600, false, false));
            stream.onRtp(0, packet(4, 12600, true, false));
            return null;
        });
        assertThat(steady.sent).hasSize(2);
        assertThat(steady.bursts).hasSize(1);
        assertThat(steady.bursts.get(0)).containsExactly(28, 2, 56, 3);
        onLoop(() -> {
            stream.end("test");
            return null;
        });
    }

    @Test
    void withoutHoldingEveryPacketGoesAtOnce() throws Exception {
        LiveStream stream = stream(Duration.ZERO);
        LiveReaderTest.QueueTransport transport = new LiveReaderTest.QueueTransport(100, 1_000_000_000L);
        LiveReader reader = new LiveReader("r1", transport, new boolean[] {true}, reason -> { });
        onLoop(() -> {
            stream.goLive();
            stream.addReader(reader);
            stream.onRtp(0, packet(1, 9000, false, true));
            return null;
        });
        assertThat(transport.sent).hasSize(1);
        onLoop(() -> {
            stream.end("test");
            return null;
        });
    }

    @Test
    void aLateReaderGetsTheHeldPacketsOnceFromTheCache() throws Exception {
        LiveStream stream = stream(Duration.ofMillis(50));
        LiveReaderTest.QueueTransport early = new LiveReaderTest.QueueTransport(100, 1_000_000_000L);
        LiveReaderTest.QueueTransport late = new LiveReaderTest.QueueTransport(100, 1_000_000_000L);
        onLoop(() -> {
            stream.goLive();
            stream.addReader(new LiveReader("r1", early, new boolean[] {true}, reason -> { }));
            stream.onRtp(0, packet(1, 9000, false, true));
            stream.onRtp(0, packet(2, 9000, false, true));
            stream.addReader(new LiveReader("r2", late, new boolean[] {true}, reason -> { }));
            stream.onRtp(0, packet(3, 9000, true, true));
            return null;
        });
        assertThat(early.sent).hasSize(3);
        assertThat(late.sent).as("cache 1-2, then 3 live, no duplicates").hasSize(3).doesNotHaveDuplicates();
        onLoop(() -> {
            stream.end("test");
            return null;
        });
    }
}

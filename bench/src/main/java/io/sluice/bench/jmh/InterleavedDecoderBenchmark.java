package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtsp.codec.InterleavedFrame;
import io.sluice.rtsp.codec.RtspMessageDecoder;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The RTSP decoder splitting a TCP read full of {@code $}-framed RTP (RFC 2326 section 10.12), as it does for
 * a publisher or reader over TCP. One invocation feeds {@value #FRAMES} frames through an
 * {@link EmbeddedChannel} in reads of {@code readBytes} bytes (a frame may straddle two reads, as on a real
 * socket) and releases every {@link InterleavedFrame} it emits; the score is per frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class InterleavedDecoderBenchmark {

    static final int FRAMES = 64;

    /** RTP packet size inside each frame: a full-MTU video packet and a small audio-sized one. */
    @Param({"1400", "200"})
    public int rtpBytes;

    /** Bytes per simulated socket read. */
    @Param({"65536", "1500"})
    public int readBytes;

    private EmbeddedChannel channel;
    private ByteBuf stream;

    @Setup(Level.Trial)
    public void setUp() {
        stream = PooledByteBufAllocator.DEFAULT.directBuffer(FRAMES * (rtpBytes + 4));
        for (int i = 0; i < FRAMES; i++) {
            stream.writeByte(InterleavedFrame.MAGIC);
            stream.writeByte(i % 2 == 0 ? 0 : 2);
            stream.writeShort(rtpBytes);
            RtpPacket.writeHeader(stream, false, 96, i, 90_000L * i, 0x1234_5678);
            stream.writeZero(rtpBytes - RtpPacket.FIXED_HEADER_LENGTH);
        }
        channel = new EmbeddedChannel(new RtspMessageDecoder());
        channel.config().setAllocator(PooledByteBufAllocator.DEFAULT);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        channel.finishAndReleaseAll();
        stream.release();
    }

    @Benchmark
    @OperationsPerInvocation(FRAMES)
    public int decode() {
        int total = stream.readableBytes();
        int emitted = 0;
        for (int off = 0; off < total; off += readBytes) {
            int len = Math.min(readBytes, total - off);
            channel.writeInbound(stream.retainedSlice(off, len));
            Object msg;
            while ((msg = channel.readInbound()) != null) {
                emitted++;
                ReferenceCountUtil.release(msg);
            }
        }
        if (emitted != FRAMES) {
            throw new IllegalStateException("decoded " + emitted + " frames, expected " + FRAMES);
        }
        return emitted;
    }
}

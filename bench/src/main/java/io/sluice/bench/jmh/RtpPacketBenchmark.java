package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.rtp.RtpPacket;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * RTP header parsing as the relay does it per packet: validate, then read the fields through the reusable
 * {@link RtpPacket} flyweight or through the static one-shot readers. The packet is a direct buffer like
 * the ones an epoll datagram read hands over; {@code header} picks a plain 12-byte header or one with two
 * CSRCs and a one-word extension, which makes {@code headerLength} walk the variable part.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class RtpPacketBenchmark {

    private static final int PAYLOAD_BYTES = 1400;

    @Param({"plain", "csrc+extension"})
    public String header;

    private ByteBuf packet;
    private final RtpPacket flyweight = new RtpPacket();

    @Setup
    public void setUp() {
        packet = Unpooled.directBuffer(1500);
        if (header.equals("plain")) {
            RtpPacket.writeHeader(packet, true, 96, 4711, 3_000_000_000L, 0x1234_5678);
        } else {
            packet.writeByte(0x80 | 0x10 | 2);   // V=2, X=1, CC=2
            packet.writeByte(0x80 | 96);
            packet.writeShort(4711);
            packet.writeInt((int) 3_000_000_000L);
            packet.writeInt(0x1234_5678);
            packet.writeInt(0x0101_0101);
            packet.writeInt(0x0202_0202);
            packet.writeShort(0xBEDE);
            packet.writeShort(1);
            packet.writeInt(0x1020_3040);
        }
        packet.writeZero(PAYLOAD_BYTES);
    }

    @TearDown
    public void tearDown() {
        packet.release();
    }

    /** What the relay's receive path does first with an untrusted datagram. */
    @Benchmark
    public boolean isValid() {
        return RtpPacket.isValid(packet);
    }

    /** Wrap the flyweight and read every field the fan-out and the statistics use. */
    @Benchmark
    public long wrapAndReadAll() {
        RtpPacket p = flyweight.wrap(packet);
        long acc = p.sequenceNumber();
        acc += p.timestamp();
        acc += p.ssrc();
        acc += p.payloadType();
        acc += p.marker() ? 1 : 0;
        acc += p.payloadOffset();
        acc += p.payloadLength();
        return acc;
    }

    /** The static readers: one field at a time without a flyweight. */
    @Benchmark
    public long staticReaders() {
        long acc = RtpPacket.sequenceNumber(packet);
        acc += RtpPacket.timestamp(packet);
        acc += RtpPacket.ssrc(packet);
        acc += RtpPacket.payloadType(packet);
        acc += RtpPacket.marker(packet) ? 1 : 0;
        acc += RtpPacket.headerLength(packet);
        return acc;
    }
}

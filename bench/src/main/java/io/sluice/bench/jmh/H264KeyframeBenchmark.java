package io.sluice.bench.jmh;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.format.KeyframeDetector;
import io.sluice.format.KeyframeDetectors;
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
 * H.264 keyframe detection (RFC 6184) on the payload shapes a live stream carries. The relay asks it for
 * every packet of the video track, so the common answer, "no", is what must be cheap:
 * <ul>
 *   <li>{@code single-non-idr}: a single NAL unit, type 1 (a P slice);</li>
 *   <li>{@code single-idr}: a single NAL unit, type 5;</li>
 *   <li>{@code stap-a-sps-pps-idr}: STAP-A with SPS, PPS and a small IDR slice (found on the first unit);</li>
 *   <li>{@code stap-a-sei-aud}: STAP-A with an AUD, an SEI and a P slice, walked to the end for a "no";</li>
 *   <li>{@code fu-a-start-idr}: the first FU-A fragment of an IDR slice;</li>
 *   <li>{@code fu-a-middle}: a middle FU-A fragment (S=0), the most frequent packet of a big frame.</li>
 * </ul>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class H264KeyframeBenchmark {

    private static final int FU_A = 28;
    private static final int STAP_A = 24;
    private static final int NRI = 0x60;
    private static final int FU_START = 0x80;

    @Param({"single-non-idr", "single-idr", "stap-a-sps-pps-idr", "stap-a-sei-aud", "fu-a-start-idr", "fu-a-middle"})
    public String payload;

    private final KeyframeDetector detector = KeyframeDetectors.forEncoding("H264");
    private ByteBuf buf;

    @Setup
    public void setUp() {
        buf = Unpooled.directBuffer(1500);
        switch (payload) {
            case "single-non-idr" -> nal(buf, 1, 1200);
            case "single-idr" -> nal(buf, 5, 1200);
            case "stap-a-sps-pps-idr" -> {
                buf.writeByte(NRI | STAP_A);
                unit(buf, 7, 24);
                unit(buf, 8, 4);
                unit(buf, 5, 600);
            }
            case "stap-a-sei-aud" -> {
                buf.writeByte(NRI | STAP_A);
                unit(buf, 9, 2);
                unit(buf, 6, 40);
                unit(buf, 1, 600);
            }
            case "fu-a-start-idr" -> fu(buf, FU_START | 5, 1400);
            case "fu-a-middle" -> fu(buf, 5, 1400);
            default -> throw new IllegalArgumentException(payload);
        }
    }

    @TearDown
    public void tearDown() {
        buf.release();
    }

    @Benchmark
    public boolean isKeyframe() {
        return detector.isKeyframe(buf);
    }

    private static void nal(ByteBuf out, int type, int size) {
        out.writeByte(NRI | type);
        out.writeZero(size - 1);
    }

    private static void unit(ByteBuf out, int type, int size) {
        out.writeShort(size);
        nal(out, type, size);
    }

    private static void fu(ByteBuf out, int fuHeader, int size) {
        out.writeByte(NRI | FU_A);
        out.writeByte(fuHeader);
        out.writeZero(size - 2);
    }
}

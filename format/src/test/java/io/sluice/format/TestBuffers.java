package io.sluice.format;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;

/**
 * Byte fixtures, recording sinks and the feeding loops shared by the payload format tests; every sink
 * releases what it gets, every helper what it allocates.
 */
public final class TestBuffers {

    private TestBuffers() {
    }

    public static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    public static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** {@code length} bytes counting up from {@code first}, wrapping at 256. */
    public static byte[] counting(int first, int length) {
        byte[] out = new byte[length];
        for (int i = 0; i < length; i++) {
            out[i] = (byte) (first + i);
        }
        return out;
    }

    public static byte[] concat(byte[]... parts) {
        int length = 0;
        for (byte[] p : parts) {
            length += p.length;
        }
        byte[] out = new byte[length];
        int at = 0;
        for (byte[] p : parts) {
            System.arraycopy(p, 0, out, at, p.length);
            at += p.length;
        }
        return out;
    }

    /** A pooled direct copy, like what arrives from a socket; the caller releases it. */
    public static ByteBuf direct(byte[] bytes) {
        ByteBuf buf = io.netty.buffer.PooledByteBufAllocator.DEFAULT.directBuffer(bytes.length);
        buf.writeBytes(bytes);
        return buf;
    }

    public static byte[] bytes(ByteBuf buf) {
        return ByteBufUtil.getBytes(buf);
    }

    public static ByteBuf wrap(byte[] bytes) {
        return Unpooled.wrappedBuffer(bytes);
    }

    public record Packet(byte[] payload, boolean marker) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Packet p && p.marker == marker && java.util.Arrays.equals(p.payload, payload);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(payload) * 31 + Boolean.hashCode(marker);
        }

        @Override
        public String toString() {
            return (marker ? "M " : "  ") + hex(payload);
        }
    }

    public static Packet packet(byte[] payload, boolean marker) {
        return new Packet(payload, marker);
    }

    public static final class RecordingPayloadSink implements PayloadSink {
        public final List<Packet> packets = new ArrayList<>();

        @Override
        public void payload(ByteBuf payload, boolean marker) {
            try {
                packets.add(new Packet(bytes(payload), marker));
            } finally {
                payload.release();
            }
        }
    }

    public record AccessUnit(long timestamp, List<byte[]> nalUnits) {
        @Override
        public String toString() {
            return timestamp + " " + nalUnits.stream().map(TestBuffers::hex).toList();
        }
    }

    public static final class RecordingAccessUnitSink implements AccessUnitSink {
        public final List<AccessUnit> accessUnits = new ArrayList<>();

        @Override
        public void accessUnit(long rtpTimestamp, List<ByteBuf> nalUnits) {
            List<byte[]> copies = new ArrayList<>();
            for (ByteBuf nal : nalUnits) {
                copies.add(bytes(nal));
                nal.release();
            }
            accessUnits.add(new AccessUnit(rtpTimestamp, copies));
        }
    }

    public record Frame(long timestamp, byte[] data) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Frame f && f.timestamp == timestamp && java.util.Arrays.equals(f.data, data);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(data) * 31 + Long.hashCode(timestamp);
        }

        @Override
        public String toString() {
            return timestamp + " " + hex(data);
        }
    }

    public static final class RecordingFrameSink implements FrameSink {
        public final List<Frame> frames = new ArrayList<>();

        @Override
        public void frame(long rtpTimestamp, ByteBuf frame) {
            try {
                frames.add(new Frame(rtpTimestamp, bytes(frame)));
            } finally {
                frame.release();
            }
        }
    }

    /** Hex of each byte array, for comparing lists of NAL units or frames. */
    public static List<String> hexList(List<byte[]> list) {
        return list.stream().map(TestBuffers::hex).toList();
    }

    /** A packetizer that takes one NAL unit at a time: H.264 and H.265. */
    @FunctionalInterface
    public interface NalUnitPacketizer {
        void packetize(ByteBuf nalUnit, boolean lastOfAccessUnit, PayloadSink sink);
    }

    /**
     * Packetizes {@code nalUnits} as one access unit (the last one ends it), each from a pooled direct
     * copy that must come back unconsumed; answers the packets.
     */
    public static List<Packet> packetizeAccessUnit(List<byte[]> nalUnits, NalUnitPacketizer packetizer) {
        RecordingPayloadSink sink = new RecordingPayloadSink();
        for (int i = 0; i < nalUnits.size(); i++) {
            ByteBuf nal = direct(nalUnits.get(i));
            try {
                packetizer.packetize(nal, i == nalUnits.size() - 1, sink);
                assertThat(nal.readerIndex()).isZero();
            } finally {
                nal.release();
            }
        }
        return sink.packets;
    }

    /** Hands {@code payload} as a pooled direct copy to {@code depacketize}, which must read it without consuming it. */
    public static void feed(byte[] payload, Consumer<ByteBuf> depacketize) {
        ByteBuf buf = direct(payload);
        try {
            depacketize.accept(buf);
            assertThat(buf.readerIndex()).isZero();
        } finally {
            buf.release();
        }
    }

    /** A payload a depacketizer must refuse, and the start of the message it refuses it with. */
    public record Refused(String hex, String message) {
    }

    /** One payload to a depacketizer with its RTP sequence number. */
    @FunctionalInterface
    public interface PayloadReader {
        void read(ByteBuf payload, int sequenceNumber);
    }

    /**
     * Feeds each refused payload in turn, with sequence numbers from 0, and asserts that it fails with a
     * {@link PayloadFormatException} whose message starts as expected; answers the next sequence number.
     */
    public static int assertRefused(List<Refused> refused, PayloadReader depacketizer) {
        int seq = 0;
        for (Refused r : refused) {
            ByteBuf payload = direct(hex(r.hex));
            try {
                int s = seq++;
                assertThatThrownBy(() -> depacketizer.read(payload, s))
                        .as(r.hex).isInstanceOf(PayloadFormatException.class).hasMessageStartingWith(r.message);
            } finally {
                payload.release();
            }
        }
        return seq;
    }
}

package io.sluice.format.aac;

import static io.sluice.format.TestBuffers.concat;
import static io.sluice.format.TestBuffers.assertRefused;
import static io.sluice.format.TestBuffers.counting;
import static io.sluice.format.TestBuffers.direct;
import static io.sluice.format.TestBuffers.feed;
import static io.sluice.format.TestBuffers.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.format.TestBuffers;
import io.sluice.format.TestBuffers.Frame;
import io.sluice.format.TestBuffers.RecordingFrameSink;
import io.sluice.format.TestBuffers.Refused;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One table drives both directions: frames -> packets (with timestamps) -> the same frames. */
class Rfc3640RoundTripTest {

    static final long BASE_TIMESTAMP = 4294966272L;

    record Packet(long timestamp, String payloadHex, boolean marker) {
    }

    record Case(String name, int maxPayloadSize, List<byte[]> frames, List<Packet> packets) {
    }

    static final List<Case> CASES = List.of(
            new Case("one frame", 1400,
                    List.of(counting(1, 5)),
                    List.of(new Packet(BASE_TIMESTAMP, "0010 0028 0102030405", true))),
            new Case("three frames share a packet", 1400,
                    List.of(counting(0x10, 3), counting(0x20, 4), counting(0x30, 5)),
                    List.of(new Packet(BASE_TIMESTAMP, "0030 0018 0020 0028 101112 20212223 3031323334", true))),
            new Case("the third frame goes to the next packet, 2048 samples later (wrapping)", 15,
                    List.of(counting(0x10, 3), counting(0x20, 4), counting(0x30, 5)),
                    List.of(new Packet(BASE_TIMESTAMP, "0020 0018 0020 101112 20212223", true),
                            new Packet(1024, "0010 0028 3031323334", true))),
            new Case("a frame larger than a packet is fragmented, marker on the last fragment", 8,
                    List.of(counting(0, 10)),
                    List.of(new Packet(BASE_TIMESTAMP, "0010 0050 00010203", false),
                            new Packet(BASE_TIMESTAMP, "0010 0050 04050607", false),
                            new Packet(BASE_TIMESTAMP, "0010 0050 0809", true))),
            new Case("a fragmented frame between whole ones", 10,
                    List.of(counting(0xa0, 2), counting(0, 10), counting(0xb0, 2)),
                    List.of(new Packet(BASE_TIMESTAMP, "0010 0010 a0a1", true),
                            new Packet(0, "0010 0050 000102030405", false),
                            new Packet(0, "0010 0050 06070809", true),
                            new Packet(1024, "0010 0010 b0b1", true))));

    @Test
    void packetizes() {
        for (Case c : CASES) {
            Rfc3640Packetizer packetizer = new Rfc3640Packetizer(c.maxPayloadSize);
            List<ByteBuf> frames = new ArrayList<>();
            for (byte[] f : c.frames) {
                frames.add(direct(f));
            }
            List<Packet> packets = new ArrayList<>();
            try {
                long timestamp = BASE_TIMESTAMP;
                int from = 0;
                while (from < frames.size()) {
                    long packetTimestamp = timestamp;
                    int sent = packetizer.packetize(frames, from, (payload, marker) -> {
                        packets.add(new Packet(packetTimestamp, hex(TestBuffers.bytes(payload)), marker));
                        payload.release();
                    });
                    from += sent;
                    timestamp = (timestamp + sent * 1024L) & 0xFFFFFFFFL;
                }
            } finally {
                frames.forEach(ByteBuf::release);
            }
            assertThat(packets).as(c.name).containsExactlyElementsOf(
                    c.packets.stream().map(p -> new Packet(p.timestamp, p.payloadHex.replace(" ", ""), p.marker)).toList());
        }
    }

    @Test
    void depacketizes() {
        for (Case c : CASES) {
            Rfc3640Depacketizer depacketizer = new Rfc3640Depacketizer(1024);
            RecordingFrameSink sink = new RecordingFrameSink();
            int seq = 65535;
            for (Packet p : c.packets) {
                depacketize(depacketizer, p, seq++ & 0xFFFF, sink);
            }
            List<Frame> expected = new ArrayList<>();
            long timestamp = BASE_TIMESTAMP;
            for (byte[] f : c.frames) {
                expected.add(new Frame(timestamp, f));
                timestamp = (timestamp + 1024) & 0xFFFFFFFFL;
            }
            assertThat(sink.frames).as(c.name).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void singleFrameConvenienceMatchesTheTable() {
        Rfc3640Packetizer packetizer = new Rfc3640Packetizer(8);
        List<String> payloads = new ArrayList<>();
        ByteBuf frame = direct(counting(0, 10));
        try {
            packetizer.packetize(frame, (payload, marker) -> {
                payloads.add(hex(TestBuffers.bytes(payload)) + (marker ? " M" : ""));
                payload.release();
            });
        } finally {
            frame.release();
        }
        assertThat(payloads).containsExactly("0010005000010203", "0010005004050607", "001000500809 M");
    }

    @Test
    void dropsAFragmentedFrameWhenAFragmentIsLost() {
        List<Packet> fragments = CASES.get(3).packets;
        Rfc3640Depacketizer depacketizer = new Rfc3640Depacketizer(1024);
        RecordingFrameSink sink = new RecordingFrameSink();
        depacketize(depacketizer, fragments.get(0), 1, sink);
        depacketize(depacketizer, fragments.get(2), 3, sink);
        depacketize(depacketizer, new Packet(2048, "0010 0010 a0a1", true), 4, sink);

        assertThat(sink.frames).containsExactly(new Frame(2048, hex("a0a1")));
        assertThat(depacketizer.droppedFragments()).isEqualTo(1);

        depacketize(depacketizer, fragments.get(0), 5, sink);
        depacketizer.reset();
    }

    @Test
    void refusesMalformedPackets() {
        Rfc3640Depacketizer depacketizer = new Rfc3640Depacketizer(1024);
        RecordingFrameSink sink = new RecordingFrameSink();
        assertRefused(List.of(
                new Refused("00", "RFC 3640 payload of 1 bytes has no AU-headers-length"),
                new Refused("0000 01", "AU-headers-length of 0 bits is not a whole number"),
                new Refused("000d 0028", "AU-headers-length of 13 bits is not a whole number"),
                new Refused("0030 0008", "3 AU headers do not fit the 4-byte payload"),
                new Refused("0010 0029 0102030405", "interleaved AU (index 1) not supported"),
                new Refused("0020 0010 0010 0102 03", "AU data of 4 bytes exceeds the 3 bytes after the AU headers")),
                (payload, s) -> depacketizer.depacketize(payload, s, 0, true, sink));
        assertThat(sink.frames).isEmpty();
        assertThatThrownBy(() -> new Rfc3640Packetizer(1400).packetize(List.of(TestBuffers.wrap(new byte[8192])), 0,
                (p, m) -> p.release())).hasMessage("AAC frame of 8192 bytes: AAC-hbr carries 1..8191");
    }

    @Test
    void readsAPacketAsFfmpegSendsIt() {
        byte[] frame = concat(hex("21"), counting(0, 370));
        byte[] payload = concat(hex("0010 0b98"), frame);
        Rfc3640Depacketizer depacketizer = new Rfc3640Depacketizer(1024);
        RecordingFrameSink sink = new RecordingFrameSink();
        depacketize(depacketizer, new Packet(88200, hex(payload), true), 17, sink);
        assertThat(sink.frames).containsExactly(new Frame(88200, frame));
    }

    private static void depacketize(Rfc3640Depacketizer depacketizer, Packet p, int seq, RecordingFrameSink sink) {
        feed(hex(p.payloadHex), payload -> depacketizer.depacketize(payload, seq, p.timestamp, p.marker, sink));
    }
}

package io.sluice.format.h264;

import static io.sluice.format.TestBuffers.concat;
import static io.sluice.format.TestBuffers.counting;
import static io.sluice.format.TestBuffers.assertRefused;
import static io.sluice.format.TestBuffers.feed;
import static io.sluice.format.TestBuffers.hex;
import static io.sluice.format.TestBuffers.hexList;
import static io.sluice.format.TestBuffers.packet;
import static io.sluice.format.TestBuffers.packetizeAccessUnit;
import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.TestBuffers;
import io.sluice.format.TestBuffers.Packet;
import io.sluice.format.TestBuffers.RecordingAccessUnitSink;
import io.sluice.format.TestBuffers.Refused;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One table drives both directions: packetizing each case's access unit gives its packets and back. */
class H264RoundTripTest {

    record Case(String name, int maxPayloadSize, List<byte[]> nalUnits, List<Packet> packets) {
    }

    static final byte[] SPS = hex("6764001facd94050045a1000000300100000030320f1831960");
    static final byte[] PPS = hex("68ebe3cb22c0");
    static final byte[] IDR_20 = concat(hex("65"), counting(0, 20));

    static final List<Case> CASES = List.of(
            new Case("single NAL unit", 1400,
                    List.of(hex("65888400ff")),
                    List.of(packet(hex("65888400ff"), true))),
            new Case("parameter sets and IDR as single NAL units, marker on the last", 1400,
                    List.of(SPS, PPS, hex("6588840021")),
                    List.of(packet(SPS, false), packet(PPS, false), packet(hex("6588840021"), true))),
            new Case("NAL unit exactly the payload size stays whole", 21,
                    List.of(IDR_20),
                    List.of(packet(IDR_20, true))),
            new Case("one byte over the payload size: two FU-A", 20,
                    List.of(IDR_20),
                    List.of(packet(concat(hex("7c85"), counting(0, 18)), false),
                            packet(concat(hex("7c45"), counting(18, 2)), true))),
            new Case("FU-A start, middle, end keep NRI and type", 10,
                    List.of(IDR_20),
                    List.of(packet(concat(hex("7c85"), counting(0, 8)), false),
                            packet(concat(hex("7c05"), counting(8, 8)), false),
                            packet(concat(hex("7c45"), counting(16, 4)), true))),
            new Case("non-reference slice fragments keep NRI 0", 12,
                    List.of(concat(hex("01"), counting(100, 12))),
                    List.of(packet(concat(hex("1c81"), counting(100, 10)), false),
                            packet(concat(hex("1c41"), counting(110, 2)), true))),
            new Case("SPS whole, IDR fragmented", 26,
                    List.of(SPS, concat(hex("65"), counting(0, 30))),
                    List.of(packet(SPS, false),
                            packet(concat(hex("7c85"), counting(0, 24)), false),
                            packet(concat(hex("7c45"), counting(24, 6)), true))));

    @Test
    void packetizes() {
        for (Case c : CASES) {
            assertThat(packetizeAccessUnit(c.nalUnits, new H264Packetizer(c.maxPayloadSize)::packetize))
                    .as(c.name).containsExactlyElementsOf(c.packets);
        }
    }

    @Test
    void depacketizes() {
        for (Case c : CASES) {
            H264Depacketizer depacketizer = new H264Depacketizer();
            RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
            feedAll(depacketizer, c.packets, 65530, 90000, sink);
            assertThat(sink.accessUnits).as(c.name).hasSize(1);
            assertThat(sink.accessUnits.get(0).timestamp()).isEqualTo(90000);
            assertThat(hexList(sink.accessUnits.get(0).nalUnits())).as(c.name).containsExactlyElementsOf(hexList(c.nalUnits));
        }
    }

    @Test
    void depacketizesStapA() {
        byte[] stapA = concat(hex("18"), hex("0019"), SPS, hex("0006"), PPS);
        H264Depacketizer depacketizer = new H264Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();

        feedAll(depacketizer, List.of(packet(stapA, false), packet(hex("6588840021"), true)), 7, 1234, sink);

        assertThat(sink.accessUnits).hasSize(1);
        assertThat(hexList(sink.accessUnits.get(0).nalUnits())).containsExactly(hex(SPS), hex(PPS), "6588840021");
    }

    @Test
    void dropsAFragmentedNalUnitWhoseMiddleIsLostButKeepsTheRest() {
        List<Packet> packets = CASES.get(6).packets;
        H264Depacketizer depacketizer = new H264Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        depacketize(depacketizer, packets.get(0), 10, 0, sink);
        depacketize(depacketizer, packets.get(1), 11, 0, sink);
        depacketize(depacketizer, packets.get(2), 13, 0, sink);

        assertThat(sink.accessUnits).hasSize(1);
        assertThat(hexList(sink.accessUnits.get(0).nalUnits())).containsExactly(hex(SPS));
        assertThat(depacketizer.droppedFragments()).isEqualTo(1);

        Case threeFragments = CASES.get(4);
        depacketize(depacketizer, threeFragments.packets.get(0), 20, 3000, sink);
        depacketize(depacketizer, threeFragments.packets.get(2), 22, 3000, sink);
        assertThat(sink.accessUnits).hasSize(1);
        assertThat(depacketizer.droppedFragments()).isEqualTo(2);
    }

    @Test
    void aNewTimestampEndsAnAccessUnitWhoseMarkerWasLost() {
        H264Depacketizer depacketizer = new H264Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        depacketize(depacketizer, packet(hex("419a01"), false), 1, 3000, sink);
        depacketize(depacketizer, packet(hex("419a02"), false), 2, 3000, sink);
        depacketize(depacketizer, packet(hex("419a03"), true), 3, 6000, sink);

        assertThat(sink.accessUnits).extracting(TestBuffers.AccessUnit::timestamp).containsExactly(3000L, 6000L);
        assertThat(hexList(sink.accessUnits.get(0).nalUnits())).containsExactly("419a01", "419a02");
        assertThat(hexList(sink.accessUnits.get(1).nalUnits())).containsExactly("419a03");
    }

    @Test
    void refusesMalformedPacketsAndStaysUsable() {
        H264Depacketizer depacketizer = new H264Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        int seq = assertRefused(List.of(
                new Refused("", "empty H.264 payload"),
                new Refused("18", "STAP-A without units"),
                new Refused("18 0005 6742", "STAP-A unit of 5 bytes at byte 1 does not fit the 5-byte payload"),
                new Refused("18 0002 6742 00", "STAP-A truncated in a size field at byte 5"),
                new Refused("18 0000", "STAP-A unit of 0 bytes"),
                new Refused("7c85", "FU-A of 2 bytes has no payload"),
                new Refused("7cc5 00", "FU-A with both start and end bits set"),
                new Refused("19 0000 0002 6588", "H.264 packet type 25 is not allowed in packetization-mode=1"),
                new Refused("1d85 0000 88", "H.264 packet type 29 is not allowed"),
                new Refused("00 11", "H.264 packet type 0 is not allowed")),
                (payload, s) -> depacketizer.depacketize(payload, s, 0, true, sink));
        depacketize(depacketizer, packet(hex("6588"), true), seq, 0, sink);
        assertThat(sink.accessUnits).hasSize(1);
        assertThat(hexList(sink.accessUnits.get(0).nalUnits())).containsExactly("6588");
    }

    @Test
    void dropsAnAccessUnitOverTheSizeLimitUpToItsEnd() {
        H264Depacketizer depacketizer = new H264Depacketizer(ByteBufAllocator.DEFAULT, 16, 2);
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        feedAll(depacketizer, CASES.get(4).packets, 0, 0, sink);
        depacketize(depacketizer, packet(hex("0601"), false), 3, 3000, sink);
        depacketize(depacketizer, packet(hex("0602"), false), 4, 3000, sink);
        depacketize(depacketizer, packet(hex("0603"), false), 5, 3000, sink);
        depacketize(depacketizer, packet(hex("0604"), true), 6, 3000, sink);
        depacketize(depacketizer, packet(hex("419a"), true), 7, 6000, sink);

        assertThat(sink.accessUnits).extracting(TestBuffers.AccessUnit::timestamp).containsExactly(6000L);
        assertThat(depacketizer.droppedAccessUnits()).isEqualTo(2);
    }

    @Test
    void resetReleasesPendingBuffers() {
        H264Depacketizer depacketizer = new H264Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        depacketize(depacketizer, packet(SPS, false), 1, 0, sink);
        depacketize(depacketizer, CASES.get(4).packets.get(0), 2, 0, sink);
        depacketizer.reset();
        assertThat(sink.accessUnits).isEmpty();
    }

    @Test
    void writesTheAccessUnitAsAnnexB() {
        List<ByteBuf> nals = List.of(TestBuffers.wrap(SPS), TestBuffers.wrap(PPS));
        ByteBuf out = ByteBufAllocator.DEFAULT.buffer();
        try {
            AnnexB.write(nals, out);
            assertThat(out.readableBytes()).isEqualTo(AnnexB.length(nals));
            assertThat(hex(TestBuffers.bytes(out))).isEqualTo("00000001" + hex(SPS) + "00000001" + hex(PPS));
        } finally {
            out.release();
        }
    }

    static void feedAll(H264Depacketizer depacketizer, List<Packet> packets, int firstSequence, long timestamp,
            RecordingAccessUnitSink sink) {
        int seq = firstSequence;
        for (Packet p : packets) {
            depacketize(depacketizer, p, seq & 0xFFFF, timestamp, sink);
            seq++;
        }
    }

    static void depacketize(H264Depacketizer depacketizer, Packet p, int seq, long timestamp,
            RecordingAccessUnitSink sink) {
        feed(p.payload(), payload -> depacketizer.depacketize(payload, seq, timestamp, p.marker(), sink));
    }
}

package io.sluice.format.h265;

import static io.sluice.format.TestBuffers.concat;
import static io.sluice.format.TestBuffers.counting;
import static io.sluice.format.TestBuffers.assertRefused;
import static io.sluice.format.TestBuffers.direct;
import static io.sluice.format.TestBuffers.feed;
import static io.sluice.format.TestBuffers.hex;
import static io.sluice.format.TestBuffers.hexList;
import static io.sluice.format.TestBuffers.packet;
import static io.sluice.format.TestBuffers.packetizeAccessUnit;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.format.KeyframeDetectors;
import io.sluice.format.TestBuffers.Packet;
import io.sluice.format.TestBuffers.RecordingAccessUnitSink;
import io.sluice.format.TestBuffers.Refused;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One table drives both directions: packetizing each case's access unit gives its packets and back. */
class H265RoundTripTest {

    record Case(String name, int maxPayloadSize, List<byte[]> nalUnits, List<Packet> packets) {
    }

    static final byte[] VPS = hex("40010c01ffff01600000030090000003000003003fba0240");
    static final byte[] PPS = hex("4401c173d189");
    static final byte[] IDR_20 = concat(hex("2601"), counting(0, 20));

    static final List<Case> CASES = List.of(
            new Case("single NAL unit", 1400,
                    List.of(hex("2601af0812")),
                    List.of(packet(hex("2601af0812"), true))),
            new Case("parameter sets and IDR, marker on the last", 1400,
                    List.of(VPS, PPS, hex("2601af0812")),
                    List.of(packet(VPS, false), packet(PPS, false), packet(hex("2601af0812"), true))),
            new Case("NAL unit exactly the payload size stays whole", 22,
                    List.of(IDR_20),
                    List.of(packet(IDR_20, true))),
            new Case("FU start, middle, end carry the type in FuType", 11,
                    List.of(IDR_20),
                    List.of(packet(concat(hex("6201 93"), counting(0, 8)), false),
                            packet(concat(hex("6201 13"), counting(8, 8)), false),
                            packet(concat(hex("6201 53"), counting(16, 4)), true))),
            new Case("FU keeps LayerId and TID of the header", 20,
                    List.of(concat(hex("0383"), counting(50, 20))),
                    List.of(packet(concat(hex("6383 81"), counting(50, 17)), false),
                            packet(concat(hex("6383 41"), counting(67, 3)), true))));

    @Test
    void packetizes() {
        for (Case c : CASES) {
            assertThat(packetizeAccessUnit(c.nalUnits, new H265Packetizer(c.maxPayloadSize)::packetize))
                    .as(c.name).containsExactlyElementsOf(c.packets);
        }
    }

    @Test
    void depacketizes() {
        for (Case c : CASES) {
            H265Depacketizer depacketizer = new H265Depacketizer();
            RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
            int seq = 65534;
            for (Packet p : c.packets) {
                depacketize(depacketizer, p, seq++ & 0xFFFF, 180000, sink);
            }
            assertThat(sink.accessUnits).as(c.name).hasSize(1);
            assertThat(sink.accessUnits.get(0).timestamp()).isEqualTo(180000);
            assertThat(hexList(sink.accessUnits.get(0).nalUnits())).as(c.name)
                    .containsExactlyElementsOf(hexList(c.nalUnits));
        }
    }

    @Test
    void firstPacketOfEachCaseIsAKeyframeWhereItShouldBe() {
        var detector = KeyframeDetectors.forEncoding("H265");
        for (Case c : CASES) {
            ByteBuf first = direct(c.packets.get(0).payload());
            try {
                boolean irapOrParameterSet = H265NalUnit.isRandomAccess(H265NalUnit.type(c.nalUnits.get(0)[0]));
                assertThat(detector.isKeyframe(first)).as(c.name).isEqualTo(irapOrParameterSet);
            } finally {
                first.release();
            }
        }
    }

    @Test
    void depacketizesAggregationPackets() {
        byte[] ap = concat(hex("6001"), hex("0018"), VPS, hex("0006"), PPS);
        H265Depacketizer depacketizer = new H265Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        depacketize(depacketizer, packet(ap, false), 1, 0, sink);
        depacketize(depacketizer, packet(hex("2601af0812"), true), 2, 0, sink);

        assertThat(sink.accessUnits).hasSize(1);
        assertThat(hexList(sink.accessUnits.get(0).nalUnits()))
                .containsExactly(hex(VPS), hex(PPS), "2601af0812");
    }

    @Test
    void dropsAFragmentedNalUnitWhenAPacketIsLost() {
        List<Packet> fu = CASES.get(3).packets;
        H265Depacketizer depacketizer = new H265Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        depacketize(depacketizer, packet(PPS, false), 9, 0, sink);
        depacketize(depacketizer, fu.get(0), 10, 0, sink);
        depacketize(depacketizer, fu.get(2), 12, 0, sink);

        assertThat(sink.accessUnits).hasSize(1);
        assertThat(hexList(sink.accessUnits.get(0).nalUnits())).containsExactly(hex(PPS));
        assertThat(depacketizer.droppedFragments()).isEqualTo(1);
    }

    @Test
    void refusesMalformedPackets() {
        H265Depacketizer depacketizer = new H265Depacketizer();
        RecordingAccessUnitSink sink = new RecordingAccessUnitSink();
        assertRefused(List.of(
                new Refused("26", "H.265 payload of 1 bytes is too short"),
                new Refused("6001 0009 4401", "AP unit of 9 bytes at byte 2 does not fit the 6-byte payload"),
                new Refused("6001 0001 44", "AP unit of 1 bytes"),
                new Refused("6001 0002 4401 00", "AP truncated in a size field at byte 6"),
                new Refused("6201 93", "FU of 3 bytes has no payload"),
                new Refused("6201 d3 00", "FU with both start and end bits set"),
                new Refused("6401 0000 00", "H.265 packet type 50 is not supported")),
                (payload, s) -> depacketizer.depacketize(payload, s, 0, true, sink));
        depacketizer.reset();
        assertThat(sink.accessUnits).isEmpty();
    }

    @Test
    void refusesNalUnitsWithoutPayload() {
        ByteBuf nal = direct(hex("2601"));
        try {
            assertThatThrownBy(() -> new H265Packetizer(1200).packetize(nal, true, (p, m) -> p.release()))
                    .hasMessage("H.265 NAL unit of 2 bytes has no payload");
        } finally {
            nal.release();
        }
    }

    private static void depacketize(H265Depacketizer depacketizer, Packet p, int seq, long timestamp,
            RecordingAccessUnitSink sink) {
        feed(p.payload(), payload -> depacketizer.depacketize(payload, seq, timestamp, p.marker(), sink));
    }
}

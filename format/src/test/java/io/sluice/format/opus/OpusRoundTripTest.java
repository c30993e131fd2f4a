package io.sluice.format.opus;

import static io.sluice.format.TestBuffers.direct;
import static io.sluice.format.TestBuffers.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadFormatException;
import io.sluice.format.TestBuffers;
import io.sluice.format.TestBuffers.Frame;
import io.sluice.format.TestBuffers.RecordingFrameSink;
import io.sluice.format.TestBuffers.RecordingPayloadSink;
import java.util.List;
import org.junit.jupiter.api.Test;

class OpusRoundTripTest {

    record Case(String name, String packetHex, int samples) {
    }

    static final List<Case> CASES = List.of(
            new Case("CELT fullband 20 ms, stereo, one frame", "fc ff fe", 960),
            new Case("hybrid 20 ms", "78 0102", 960),
            new Case("SILK 20 ms", "08 0102", 960),
            new Case("SILK 60 ms", "18 0102", 2880),
            new Case("SILK 10 ms, two equal frames", "01 0102", 960),
            new Case("CELT 2.5 ms, code 3 with six frames", "83 06 0102", 720),
            new Case("CELT 20 ms, code 3 with six frames: 120 ms", "fb 06 00", 5760));

    @Test
    void roundTripsEachPacketUnchanged() {
        OpusPacketizer packetizer = new OpusPacketizer(1200);
        OpusDepacketizer depacketizer = new OpusDepacketizer();
        long timestamp = 0;
        for (Case c : CASES) {
            byte[] packet = hex(c.packetHex.replace(" ", ""));
            RecordingPayloadSink payloads = new RecordingPayloadSink();
            ByteBuf in = direct(packet);
            try {
                assertThat(OpusPacket.sampleCount(in)).as(c.name).isEqualTo(c.samples);
                packetizer.packetize(in, payloads);
                assertThat(in.readerIndex()).isZero();
            } finally {
                in.release();
            }
            assertThat(payloads.packets).as(c.name).containsExactly(TestBuffers.packet(packet, false));

            RecordingFrameSink frames = new RecordingFrameSink();
            ByteBuf payload = direct(payloads.packets.get(0).payload());
            try {
                depacketizer.depacketize(payload, timestamp, frames);
            } finally {
                payload.release();
            }
            assertThat(frames.frames).as(c.name).containsExactly(new Frame(timestamp, packet));
            timestamp += c.samples;
        }
    }

    @Test
    void refusesPacketsWithoutAValidDuration() {
        OpusDepacketizer depacketizer = new OpusDepacketizer();
        RecordingFrameSink sink = new RecordingFrameSink();
        record Bad(String hex, String message) {
        }
        for (Bad b : List.of(
                new Bad("", "empty Opus packet"),
                new Bad("03", "Opus code 3 packet without its frame count byte"),
                new Bad("0300", "Opus packet of 0 frames of 480 samples is outside 1 frame .. 120 ms"),
                new Bad("1b03", "Opus packet of 3 frames of 2880 samples is outside"))) {
            ByteBuf payload = direct(hex(b.hex));
            try {
                assertThatThrownBy(() -> depacketizer.depacketize(payload, 0, sink))
                        .as(b.hex).isInstanceOf(PayloadFormatException.class).hasMessageStartingWith(b.message);
            } finally {
                payload.release();
            }
        }
        assertThat(sink.frames).isEmpty();
        ByteBuf big = direct(new byte[1201]);
        try {
            assertThatThrownBy(() -> new OpusPacketizer(1200).packetize(big, (p, m) -> p.release()))
                    .hasMessage("Opus packet of 1201 bytes: RTP carries 1..1200");
        } finally {
            big.release();
        }
    }
}

package io.sluice.node.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class PacketRingTest {

    private final List<ByteBuf> made = new ArrayList<>();

    private ByteBuf packet(int seq) {
        ByteBuf b = Unpooled.buffer(20);
        RtpPacket.writeHeader(b, false, 96, seq, 1000L * seq, 42);
        b.writeInt(seq);
        made.add(b);
        return b;
    }

    @AfterEach
    void release() {
        made.forEach(ByteBuf::release);
    }

    @Test
    void findsAPacketBySequenceWhileItIsYoungEnough() {
        PacketRing ring = new PacketRing(1_000, 8);
        ring.add(packet(65534), 0);
        ring.add(packet(65535), 10);
        ring.add(packet(0), 20);
        assertThat(ring.find(65535, 500).getInt(12)).isEqualTo(65535);
        assertThat(ring.find(0, 1_020)).isNotNull();
        assertThat(ring.find(65534, 1_001)).as("too old").isNull();
        assertThat(ring.find(1, 30)).as("never stored").isNull();
        ring.clear();
    }

    @Test
    void aNewerPacketEvictsAndReleasesTheOneInItsSlot() {
        PacketRing ring = new PacketRing(1_000_000, 5);
        assertThat(ring.capacity()).isEqualTo(8);
        ByteBuf first = packet(3);
        ring.add(first, 0);
        assertThat(first.refCnt()).isEqualTo(2);
        ring.add(packet(11), 1);
        assertThat(first.refCnt()).isEqualTo(1);
        assertThat(ring.find(3, 2)).isNull();
        assertThat(ring.find(11, 2)).isNotNull();
        ring.clear();
        assertThat(made).allMatch(b -> b.refCnt() == 1);
    }
}

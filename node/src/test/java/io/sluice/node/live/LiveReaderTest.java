package io.sluice.node.live;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The slow-reader policy, driven by a transport whose queue the test fills and drains, and an injected clock. */
class LiveReaderTest {

    /** A transport with a queue of {@code capacity} packets that the test drains by hand. */
    static class QueueTransport implements ReaderTransport {
        // Written on the stream's loop, read by the test after a completed task on it.
        final List<Integer> sent = new ArrayList<>();
        /** The first two payload bytes: an RTX packet's original sequence number. */
        final List<Integer> payloadStarts = new ArrayList<>();
        final List<Integer> rtpSsrcs = new ArrayList<>();
        /** Each RTCP packet's first report: "SR " or "RR " and its sender SSRC in hex. */
        final List<String> rtcp = new ArrayList<>();
        int capacity;
        int queued;
        final long stallNs;
        long unwritableSince = -1;

        QueueTransport(int capacity, long stallNs) {
            this.capacity = capacity;
            this.stallNs = stallNs;
        }

        @Override
        public boolean sendRtp(int trackIndex, ByteBuf packet) {
            if (queued == capacity) {
                return false;
            }
            queued++;
            unwritableSince = -1;
            sent.add(packet.getInt(0));
            rtpSsrcs.add(packet.getInt(8));
            if (packet.readableBytes() >= 14) {
                payloadStarts.add(packet.getUnsignedShort(12));
            }
            return true;
        }

        @Override
        public void sendRtcp(int trackIndex, ByteBuf packet) {
            rtcp.add((packet.getUnsignedByte(1) == 200 ? "SR " : "RR ") + Integer.toHexString(packet.getInt(4)));
            packet.release();
        }

        @Override
        public boolean stalled(long nowNs) {
            if (queued < capacity) {
                return false;
            }
            if (unwritableSince < 0) {
                unwritableSince = nowNs;
                return false;
            }
            return nowNs - unwritableSince > stallNs;
        }

        @Override
        public String kind() {
            return "test";
        }
    }

    private final List<ByteBuf> buffers = new ArrayList<>();
    private final List<String> closed = new ArrayList<>();

    private ByteBuf packet(int id) {
        ByteBuf b = Unpooled.buffer(16).writeInt(id).writeZero(12);
        buffers.add(b);
        return b;
    }

    @AfterEach
    void release() {
        buffers.forEach(ByteBuf::release);
    }

    private LiveReader reader(QueueTransport transport) {
        return new LiveReader("s1", transport, new boolean[] {true, true}, closed::add);
    }

    @Test
    void aNewReaderStartsOnAKeyframeButHearsAudioAtOnce() {
        QueueTransport t = new QueueTransport(100, 1_000);
        LiveReader r = reader(t);
        r.awaitKeyframe(true);
        r.deliver(0, packet(1), true, false, 0);
        r.deliver(1, packet(2), false, false, 0);
        r.deliver(0, packet(3), true, true, 0);
        r.deliver(0, packet(4), true, false, 0);
        assertThat(t.sent).containsExactly(2, 3, 4);
        assertThat(r.stats().drops()).isZero();
    }

    @Test
    void onOverflowTheReaderDropsAndSkipsToTheNextKeyframe() {
        QueueTransport t = new QueueTransport(2, 1_000_000);
        LiveReader r = reader(t);
        r.deliver(0, packet(1), true, true, 0);
        r.deliver(0, packet(2), true, false, 0);
        r.deliver(0, packet(3), true, false, 10);   // queue full: dropped
        assertThat(r.stats().drops()).isEqualTo(1);
        assertThat(r.stats().keyframeSkips()).isEqualTo(1);
        t.queued = 0;                                // the reader catches up
        t.capacity = 10;
        r.deliver(0, packet(4), true, false, 20);   // still not a keyframe: skipped, not a drop
        r.deliver(1, packet(5), false, false, 20);  // audio flows
        r.deliver(0, packet(6), true, true, 30);    // the next keyframe resumes video
        r.deliver(0, packet(7), true, false, 30);
        assertThat(t.sent).containsExactly(1, 2, 5, 6, 7);
        assertThat(r.stats().drops()).isEqualTo(1);
        assertThat(closed).isEmpty();
    }

    @Test
    void aReaderUnwritableForLongerThanTheStallLimitIsClosedOnce() {
        QueueTransport t = new QueueTransport(1, 1_000);
        LiveReader r = reader(t);
        r.deliver(0, packet(1), true, true, 0);
        r.deliver(0, packet(2), true, false, 100);    // full: the stall clock starts
        r.deliver(0, packet(3), true, false, 900);    // 800 ns unwritable: not yet
        assertThat(closed).isEmpty();
        r.deliver(0, packet(4), true, false, 1_200);  // 1100 ns > 1000: closed
        assertThat(closed).hasSize(1);
        assertThat(closed.get(0)).contains("stalled");
        r.deliver(0, packet(5), true, true, 2_000);   // a closed reader takes nothing
        assertThat(t.sent).containsExactly(1);
        assertThat(closed).hasSize(1);
    }

    /** An H.264 track whose history holds packets {@code from} to {@code to} (exclusive) of {@code ssrc}. */
    private LiveTrack trackWithHistory(int ssrc, int from, int to) {
        io.sluice.format.sdp.MediaDescription media =
                new io.sluice.format.sdp.MediaDescription("video", 0, "RTP/AVP", List.of("96"));
        media.rtpMap(io.sluice.format.sdp.RtpMap.parse("96 H264/90000"));
        LiveTrack track = new LiveTrack(0, media, new PacketRing(1_000_000_000L, 64));
        for (int seq = from; seq < to; seq++) {
            ByteBuf p = Unpooled.buffer(16);
            io.sluice.rtp.RtpPacket.writeHeader(p, false, 96, seq, 9000, ssrc);
            p.writeInt(seq);
            buffers.add(p);
            track.onPacket(p, 0);
            track.history().add(p, 0);
        }
        return track;
    }

    @Test
    void answersANackWithTheOriginalPacketsTwiceOnceWithinARoundTrip() {
        LiveTrack track = trackWithHistory(0xCAFE, 100, 110);
        QueueTransport t = new QueueTransport(100, 1_000);
        LiveReader r = new LiveReader("s3", t, new boolean[] {true}, closed::add);
        r.attach(new LiveTrack[] {track}, null);
        // PID 102 plus BLP bits 0 and 2: 102, 103, 105 are missing; 200 was never stored.
        ByteBuf nack = Unpooled.buffer();
        io.sluice.rtp.rtcp.RtcpWriter.writeReceiverReport(nack, 7);
        io.sluice.rtp.rtcp.RtcpWriter.writeGenericNack(nack, 7, 0xCAFE, 102, 0b101);
        io.sluice.rtp.rtcp.RtcpWriter.writeGenericNack(nack, 7, 0xCAFE, 200, 0);
        r.onRtcp(nack, 1_000);
        // The transport records each packet's first word: version 2, PT 96 and the sequence number. Every
        // first copy goes before any second one: ffmpeg would parse a copy of the packet it emitted last
        // as a new one, and by the second copy of 102 it has 103 too.
        List<Integer> answer = List.of(rtpWord(102), rtpWord(103), rtpWord(105), rtpWord(102), rtpWord(103), rtpWord(105));
        assertThat(t.sent).containsExactlyElementsOf(answer);
        r.onRtcp(nack, 2_000);   // asked again at once: suppressed
        assertThat(t.sent).hasSize(6);
        r.onRtcp(nack, 100_000_000);   // after the suppression window: sent again
        assertThat(t.sent.subList(6, t.sent.size())).containsExactlyElementsOf(answer);
        assertThat(r.stats().nackedPackets()).isEqualTo(12);
        assertThat(r.stats().resent()).isEqualTo(6);
        assertThat(r.stats().secondCopies()).isEqualTo(6);
        assertThat(r.stats().resendMisses()).isEqualTo(3);
        assertThat(r.stats().resendsSuppressed()).isEqualTo(3);
        nack.release();
        track.history().clear();
    }

    @Test
    void theLastSequenceAnFciCanNameGoesOnceItsSuccessorIsUnknown() {
        LiveTrack track = trackWithHistory(0xCAFE, 100, 120);
        QueueTransport t = new QueueTransport(100, 1_000);
        LiveReader r = new LiveReader("s5", t, new boolean[] {true}, closed::add);
        r.attach(new LiveTrack[] {track}, null);
        ByteBuf nack = Unpooled.buffer();
        io.sluice.rtp.rtcp.RtcpWriter.writeGenericNack(nack, 7, 0xCAFE, 100, 0x8001);   // 100, 101 and 116
        r.onRtcp(nack, 1_000);
        nack.release();
        assertThat(t.sent).containsExactly(rtpWord(100), rtpWord(101), rtpWord(116), rtpWord(100), rtpWord(101));
        track.history().clear();
    }

    @Test
    void answersAnRtxReaderWithRetransmissionPacketsCarryingTheOriginalSequence() {
        LiveTrack track = trackWithHistory(0xBEEF, 500, 504);
        QueueTransport t = new QueueTransport(100, 1_000);
        LiveReader r = new LiveReader("s4", t, new boolean[] {true}, closed::add);
        r.useRtx();
        r.attach(new LiveTrack[] {track}, new int[] {97});
        ByteBuf nack = Unpooled.buffer();
        io.sluice.rtp.rtcp.RtcpWriter.writeGenericNack(nack, 7, 0xBEEF, 502, 0);
        r.onRtcp(nack, 1_000);
        nack.release();
        assertThat(t.sent).hasSize(2).allMatch(word -> (word >>> 16) == 0x8061);
        assertThat(t.sent.get(1) - t.sent.get(0)).as("RTX sequence advances").isEqualTo(1);
        assertThat(t.payloadStarts).containsExactly(502, 502);
        track.history().clear();
    }

    @Test
    void anRtxReaderHearsRtcpFromTheTrackAndItsRtxStreamBeforeTheirFirstPackets() {
        LiveTrack track = trackWithHistory(0xBEEF, 500, 504);
        QueueTransport t = new QueueTransport(100, 1_000);
        LiveReader r = new LiveReader("s6", t, new boolean[] {true}, closed::add);
        r.useRtx();
        r.attach(new LiveTrack[] {track}, new int[] {97});

        // No Sender Report from the publisher yet: empty Receiver Reports name both SSRCs.
        r.announceSources(new LiveTrack[] {track}, 0, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        assertThat(t.rtcp).hasSize(2).allMatch(line -> line.startsWith("RR "));
        assertThat(t.rtcp.getFirst()).isEqualTo("RR beef");
        String rtxSsrc = t.rtcp.get(1).substring(3);
        assertThat(rtxSsrc).isNotEqualTo("beef");
        assertThat(t.sent).as("announced before any RTP").isEmpty();

        // With the publisher's mapping known, both get Sender Reports.
        track.onSenderReport(0x1234_5678_0000_0000L, 9000, 0);
        r.announceSources(new LiveTrack[] {track}, 0, io.netty.buffer.UnpooledByteBufAllocator.DEFAULT);
        assertThat(t.rtcp.subList(2, 4)).containsExactly("SR beef", "SR " + rtxSsrc);

        // The resent packet comes from the SSRC that was announced.
        ByteBuf nack = Unpooled.buffer();
        io.sluice.rtp.rtcp.RtcpWriter.writeGenericNack(nack, 7, 0xBEEF, 501, 0);
        r.onRtcp(nack, 1_000);
        nack.release();
        assertThat(t.rtpSsrcs).isNotEmpty().allMatch(ssrc -> Integer.toHexString(ssrc).equals(rtxSsrc));
        track.history().clear();
    }

    private static int rtpWord(int seq) {
        return 0x80600000 | seq;
    }

    @Test
    void tracksTheReaderDidNotSetUpAreNotSent() {
        QueueTransport t = new QueueTransport(10, 1_000);
        LiveReader r = new LiveReader("s2", t, new boolean[] {false, true}, closed::add);
        r.deliver(0, packet(1), true, true, 0);
        r.deliver(1, packet(2), false, false, 0);
        assertThat(t.sent).containsExactly(2);
    }
}

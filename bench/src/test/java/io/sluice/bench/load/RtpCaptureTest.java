package io.sluice.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.rtp.RtpPacket;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RtpCaptureTest {

    private static final String SDP = """
            v=0
            o=- 0 0 IN IP4 127.0.0.1
            s=No Name
            m=video 47000 RTP/AVP 96
            a=rtpmap:96 H264/90000
            a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z01AH9o=,aO88gA==; profile-level-id=4D401F
            """;

    /** Two frames of 25 fps (3600 ticks apart) of three packets each. */
    private static RtpCapture capture() {
        List<byte[]> packets = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            ByteBuf b = Unpooled.buffer(20);
            RtpPacket.writeHeader(b, i % 3 == 2, 96, 65_534 + i, 4_294_960_000L + 3600L * (i / 3), 7);
            b.writeZero(8);
            byte[] bytes = new byte[b.readableBytes()];
            b.readBytes(bytes);
            b.release();
            packets.add(bytes);
        }
        return new RtpCapture(packets, SDP, 90_000);
    }

    @Test
    void loopSpansTheClipPlusOneFrameAcrossTimestampWrap() {
        RtpCapture c = capture();
        assertThat(c.loopTicks()).isEqualTo(7200);
        assertThat(c.packetsPerSecond()).isEqualTo(75.0);
    }

    @Test
    void announceSdpKeepsTheFormatParametersAndAddsATrackControl() {
        String sdp = capture().announceSdp();
        assertThat(sdp).contains("m=video 0 RTP/AVP 96\r\n")
                .contains("a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z01AH9o=,aO88gA==; profile-level-id=4D401F\r\n")
                .endsWith("a=control:streamid=0\r\n");
    }

    @Test
    void gstCapsEscapeTheCommaOfTheParameterSets() {
        assertThat(capture().gstCaps()).isEqualTo("application/x-rtp,media=(string)video,clock-rate=(int)90000,"
                + "encoding-name=(string)H264,payload=(int)96,packetization-mode=(string)\"1\","
                + "sprop-parameter-sets=(string)\"Z01AH9o=\\,aO88gA==\",profile-level-id=(string)\"4D401F\"");
    }
}

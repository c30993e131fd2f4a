package io.sluice.cluster.member;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.SessionDescription;
import org.junit.jupiter.api.Test;

/** What an origin serves its readers becomes what a publisher would have announced. */
class OriginSdpTest {

    private static final String ORIGIN_READER_SDP = String.join("\r\n",
            "v=0",
            "o=- 1 1 IN IP4 127.0.0.1",
            "s=cam",
            "c=IN IP4 0.0.0.0",
            "t=0 0",
            "a=control:*",
            "m=video 0 RTP/AVPF 96 97",
            "a=rtpmap:96 H264/90000",
            "a=fmtp:96 packetization-mode=1;sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==",
            "a=control:trackID=0",
            "a=rtcp-fb:96 nack",
            "a=rtpmap:97 rtx/90000",
            "a=fmtp:97 apt=96;rtx-time=1000",
            "m=audio 0 RTP/AVPF 98 99",
            "a=rtpmap:98 MPEG4-GENERIC/48000/2",
            "a=fmtp:98 streamtype=5;profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3",
            "a=control:trackID=1",
            "a=rtcp-fb:98 nack",
            "a=rtpmap:99 rtx/48000",
            "a=fmtp:99 apt=98;rtx-time=1000",
            "") + "\r\n";

    @Test
    void nackAndRtxOfTheOriginAreDroppedAndTheMediaKept() {
        SessionDescription sdp = OriginSdp.asAnnounced(ORIGIN_READER_SDP);

        assertThat(sdp.media()).hasSize(2);
        MediaDescription video = sdp.media().get(0);
        assertThat(video.protocol()).isEqualTo("RTP/AVP");
        assertThat(video.formats()).containsExactly("96");
        assertThat(video.attributes("rtpmap")).containsExactly("96 H264/90000");
        assertThat(video.attributes("fmtp")).containsExactly(
                "96 packetization-mode=1;sprop-parameter-sets=Z0IAH5WoFAFuQA==,aM48gA==");
        assertThat(video.attributes("rtcp-fb")).isEmpty();
        assertThat(video.control()).isEqualTo("trackID=0");
        MediaDescription audio = sdp.media().get(1);
        assertThat(audio.formats()).containsExactly("98");
        assertThat(audio.attributes("rtpmap")).containsExactly("98 MPEG4-GENERIC/48000/2");
        assertThat(audio.control()).isEqualTo("trackID=1");
    }

    @Test
    void aPlainSdpIsLeftAsItIs() {
        String plain = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=x\r\nt=0 0\r\nm=video 0 RTP/AVP 96\r\n"
                + "a=rtpmap:96 H264/90000\r\na=control:trackID=0\r\n";
        SessionDescription sdp = OriginSdp.asAnnounced(plain);
        assertThat(sdp.toString()).isEqualTo(SessionDescription.parse(plain).toString());
    }
}

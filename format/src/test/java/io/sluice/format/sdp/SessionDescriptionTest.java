package io.sluice.format.sdp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SessionDescriptionTest {

    /** What ffmpeg 5.1 sends in ANNOUNCE for `-c copy -f rtsp` of an H.264 + AAC file. */
    static final String FFMPEG_ANNOUNCE = String.join("\r\n",
            "v=0",
            "o=- 0 0 IN IP4 127.0.0.1",
            "s=No Name",
            "c=IN IP4 127.0.0.1",
            "t=0 0",
            "a=tool:libavformat 59.27.100",
            "m=video 0 RTP/AVP 96",
            "a=rtpmap:96 H264/90000",
            "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QAFqzZQKA/oQAAAwABAAADADIPFi2W,aOvjyyLA; profile-level-id=640016",
            "a=control:streamid=0",
            "m=audio 0 RTP/AVP 97",
            "b=AS:128",
            "a=rtpmap:97 MPEG4-GENERIC/44100/2",
            "a=fmtp:97 profile-level-id=1;mode=AAC-hbr;sizelength=13;indexlength=3;indexdeltalength=3; config=121056E500",
            "a=control:streamid=1",
            "");

    @Test
    void parsesFfmpegAnnounce() {
        SessionDescription sdp = SessionDescription.parse(FFMPEG_ANNOUNCE);

        assertThat(sdp.version()).isEqualTo("0");
        assertThat(sdp.origin()).isEqualTo("- 0 0 IN IP4 127.0.0.1");
        assertThat(sdp.sessionName()).isEqualTo("No Name");
        assertThat(sdp.connection()).isEqualTo("IN IP4 127.0.0.1");
        assertThat(sdp.timing()).isEqualTo("0 0");
        assertThat(sdp.attribute("tool")).isEqualTo("libavformat 59.27.100");
        assertThat(sdp.attribute("range")).isNull();
        assertThat(sdp.media()).hasSize(2);

        MediaDescription video = sdp.media().get(0);
        assertThat(video.type()).isEqualTo("video");
        assertThat(video.port()).isZero();
        assertThat(video.protocol()).isEqualTo("RTP/AVP");
        assertThat(video.formats()).containsExactly("96");
        assertThat(video.control()).isEqualTo("streamid=0");
        assertThat(video.rtpMap()).isEqualTo(new RtpMap(96, "H264", 90000, 1));
        assertThat(video.fmtp(96)).containsExactly(
                Map.entry("packetization-mode", "1"),
                Map.entry("sprop-parameter-sets", "Z2QAFqzZQKA/oQAAAwABAAADADIPFi2W,aOvjyyLA"),
                Map.entry("profile-level-id", "640016"));

        MediaDescription audio = sdp.media().get(1);
        assertThat(audio.type()).isEqualTo("audio");
        assertThat(audio.bandwidths()).containsExactly("AS:128");
        assertThat(audio.rtpMap()).isEqualTo(new RtpMap(97, "MPEG4-GENERIC", 44100, 2));
        assertThat(audio.fmtp(97)).containsEntry("mode", "AAC-hbr")
                .containsEntry("sizelength", "13")
                .containsEntry("config", "121056E500")
                .hasSize(6);
        assertThat(audio.fmtp(96)).isEmpty();
        assertThat(audio.control()).isEqualTo("streamid=1");
    }

    @Test
    void writesBackWhatItReadByteForByte() {
        assertThat(SessionDescription.parse(FFMPEG_ANNOUNCE).toString()).isEqualTo(FFMPEG_ANNOUNCE);
    }

    @Test
    void acceptsLineFeedsAndBlankLines() {
        String lf = FFMPEG_ANNOUNCE.replace("\r\n", "\n") + "\n\n";
        assertThat(SessionDescription.parse(lf).toString()).isEqualTo(FFMPEG_ANNOUNCE);
    }

    @Test
    void keepsUnknownAndOtherLinesAndWritesThemInRfcOrder() {
        String sdp = String.join("\n",
                "v=0",
                "s=Out of order",
                "o=- 1 1 IN IP4 10.0.0.1",
                "t=0 0",
                "r=7d 1h 0 25h",
                "a=recvonly",
                "y=unknown type",
                "i=about",
                "b=AS:500",
                "m=video 5004/2 RTP/AVPF 96 97",
                "a=rtcp-fb:96 nack",
                "a=rtcp-fb:96 nack pli",
                "c=IN IP4 0.0.0.0",
                "x=whatever");

        SessionDescription parsed = SessionDescription.parse(sdp);

        assertThat(parsed.toString()).isEqualTo(String.join("\r\n",
                "v=0",
                "o=- 1 1 IN IP4 10.0.0.1",
                "s=Out of order",
                "i=about",
                "b=AS:500",
                "t=0 0",
                "r=7d 1h 0 25h",
                "y=unknown type",
                "a=recvonly",
                "m=video 5004/2 RTP/AVPF 96 97",
                "c=IN IP4 0.0.0.0",
                "x=whatever",
                "a=rtcp-fb:96 nack",
                "a=rtcp-fb:96 nack pli",
                ""));
        assertThat(parsed.attribute("recvonly")).isEmpty();
        MediaDescription video = parsed.media().get(0);
        assertThat(video.port()).isEqualTo(5004);
        assertThat(video.portCount()).isEqualTo(2);
        assertThat(video.attributes("rtcp-fb")).containsExactly("96 nack", "96 nack pli");
        assertThat(video.connection()).isEqualTo("IN IP4 0.0.0.0");
        assertThat(video.rtpMap()).isNull();
    }

    @Test
    void editsSessionAndMedia() {
        SessionDescription sdp = SessionDescription.parse(FFMPEG_ANNOUNCE);
        sdp.sessionName("Sluice");
        sdp.origin("- 42 1 IN IP4 192.0.2.1");
        sdp.connection("IN IP4 0.0.0.0");
        sdp.setAttribute("tool", "sluice");
        sdp.setAttribute("range", "npt=0-");
        sdp.addAttribute("x-extra", "1");
        sdp.addAttribute("x-extra", "2");
        sdp.setAttribute("x-extra", "3");
        MediaDescription video = sdp.media().get(0);
        video.port(6970);
        video.protocol("RTP/AVPF");
        video.control("trackID=0");
        video.addAttribute("rtcp-fb", "96 nack");
        video.setAttribute("sendonly", null);
        sdp.media().get(1).removeAttribute("fmtp");
        sdp.media().remove(1);

        assertThat(sdp.toString()).isEqualTo(String.join("\r\n",
                "v=0",
                "o=- 42 1 IN IP4 192.0.2.1",
                "s=Sluice",
                "c=IN IP4 0.0.0.0",
                "t=0 0",
                "a=tool:sluice",
                "a=range:npt=0-",
                "a=x-extra:3",
                "m=video 6970 RTP/AVPF 96",
                "a=rtpmap:96 H264/90000",
                "a=fmtp:96 packetization-mode=1; sprop-parameter-sets=Z2QAFqzZQKA/oQAAAwABAAADADIPFi2W,aOvjyyLA; profile-level-id=640016",
                "a=control:trackID=0",
                "a=rtcp-fb:96 nack",
                "a=sendonly",
                ""));
        assertThat(video.direction()).isEqualTo("sendonly");
        sdp.removeAttribute("x-extra");
        assertThat(sdp.attribute("x-extra")).isNull();
    }

    @Test
    void buildsADescriptionFromScratch() {
        SessionDescription sdp = new SessionDescription();
        MediaDescription audio = new MediaDescription("audio", 0, "RTP/AVP", List.of("97"));
        audio.rtpMap(new RtpMap(97, "opus", 48000, 2));
        Map<String, String> fmtp = new LinkedHashMap<>();
        fmtp.put("sprop-stereo", "1");
        audio.fmtp(97, fmtp);
        audio.control("trackID=1");
        sdp.media().add(audio);

        assertThat(sdp.toString()).isEqualTo(String.join("\r\n",
                "v=0",
                "o=- 0 0 IN IP4 127.0.0.1",
                "s=-",
                "t=0 0",
                "m=audio 0 RTP/AVP 97",
                "a=rtpmap:97 opus/48000/2",
                "a=fmtp:97 sprop-stereo=1",
                "a=control:trackID=1",
                ""));
        assertThat(SessionDescription.parse(sdp.toString()).media().get(0).fmtp(97)).isEqualTo(fmtp);
    }

    @Test
    void derivesStaticPayloadTypesFromRfc3551() {
        SessionDescription sdp = SessionDescription.parse(
                "v=0\ns=-\nm=audio 0 RTP/AVP 0 8 14\nm=video 0 RTP/AVP 26 32 33\n");
        MediaDescription audio = sdp.media().get(0);
        MediaDescription video = sdp.media().get(1);

        assertThat(audio.rtpMap()).isEqualTo(new RtpMap(0, "PCMU", 8000, 1));
        assertThat(audio.rtpMap(8)).isEqualTo(new RtpMap(8, "PCMA", 8000, 1));
        assertThat(audio.rtpMap(14)).isEqualTo(new RtpMap(14, "MPA", 90000, 1));
        assertThat(video.rtpMap()).isEqualTo(new RtpMap(26, "JPEG", 90000, 1));
        assertThat(video.rtpMap(32)).isEqualTo(new RtpMap(32, "MPV", 90000, 1));
        assertThat(video.rtpMap(33)).isEqualTo(new RtpMap(33, "MP2T", 90000, 1));
        assertThat(video.rtpMap(96)).isNull();
    }

    @Test
    void rtpmapLineWinsOverStaticTable() {
        MediaDescription m = SessionDescription.parse("v=0\nm=audio 0 RTP/AVP 0\na=rtpmap:0 PCMU/16000\n")
                .media().get(0);
        assertThat(m.rtpMap()).isEqualTo(new RtpMap(0, "PCMU", 16000, 1));
    }

    @Test
    void fmtpKeysAreLowerCasedAndValuesKeepEqualsSigns() {
        MediaDescription m = SessionDescription.parse(
                "v=0\nm=video 0 RTP/AVP 96 100\na=fmtp:100 x=1\na=fmtp:96 Packetization-Mode=1;SPROP-PARAMETER-SETS=Z0IAH5WoFAFuQA==,aM48gA==;flag\n")
                .media().get(0);
        assertThat(m.fmtp(96)).containsExactly(
                Map.entry("packetization-mode", "1"),
                Map.entry("sprop-parameter-sets", "Z0IAH5WoFAFuQA==,aM48gA=="),
                Map.entry("flag", ""));
        assertThat(m.fmtp(100)).containsExactly(Map.entry("x", "1"));
        assertThat(m.fmtp(10)).isEmpty();
    }

    @Test
    void rejectsMalformedLinesNamingTheLine() {
        assertThatThrownBy(() -> SessionDescription.parse("v=0\r\ns=x\r\nthis is not sdp\r\n"))
                .isInstanceOf(SdpParseException.class)
                .hasMessage("SDP line 3: expected '<type>=<value>' but got 'this is not sdp'")
                .satisfies(e -> assertThat(((SdpParseException) e).lineNumber()).isEqualTo(3));
        assertThatThrownBy(() -> SessionDescription.parse("s=x\nv=0\n"))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining("line 1: a description must start with 'v=0'");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\nm=video\n"))
                .isInstanceOf(SdpParseException.class)
                .hasMessageStartingWith("SDP line 2: media line needs");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\n\nm=video x RTP/AVP 96\n"))
                .isInstanceOf(SdpParseException.class)
                .hasMessage("SDP line 3: media port is not a number: 'x'");
        assertThatThrownBy(() -> SessionDescription.parse("v=0\nm=video 70000 RTP/AVP 96\n"))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining("line 2: media port out of range");
        assertThatThrownBy(() -> SessionDescription.parse(""))
                .isInstanceOf(SdpParseException.class)
                .hasMessage("SDP: empty description");
        assertThatThrownBy(() -> SessionDescription.parse("\u0000RTSP/1.0 200 OK"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void enforcesSizeAndMediaLimits() {
        String tooLong = "v=0\r\ns=" + "x".repeat(SessionDescription.MAX_LENGTH) + "\r\n";
        assertThatThrownBy(() -> SessionDescription.parse(tooLong))
                .isInstanceOf(SdpParseException.class)
                .hasMessageContaining("more than the limit of 65536");

        StringBuilder many = new StringBuilder("v=0\n");
        for (int i = 0; i < SessionDescription.MAX_MEDIA; i++) {
            many.append("m=audio 0 RTP/AVP 0\n");
        }
        assertThat(SessionDescription.parse(many.toString()).media()).hasSize(64);
        many.append("m=audio 0 RTP/AVP 0\n");
        assertThatThrownBy(() -> SessionDescription.parse(many.toString()))
                .isInstanceOf(SdpParseException.class)
                .hasMessage("SDP line 66: more than 64 media sections");
    }

    @Test
    void refusesValuesThatWouldInjectLines() {
        SessionDescription sdp = new SessionDescription();
        assertThatThrownBy(() -> sdp.setAttribute("range", "npt=0-\r\nm=video 0 RTP/AVP 96"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sdp.sessionName("a\nb")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> sdp.setAttribute("a:b", "x")).isInstanceOf(IllegalArgumentException.class);
    }
}

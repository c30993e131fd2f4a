package io.sluice.node.vod.media;

import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.RtpMap;
import io.sluice.node.vod.demux.StreamInfo;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * One track a film is streamed with: which container stream feeds it, its RTP payload type, clock and
 * SDP parameters, and how its samples become payloads.
 */
public final class FilmTrack {

    private final int index;
    private final StreamInfo stream;
    private final int payloadType;
    private final String encodingName;
    private final int clockRate;
    private final int channels;
    private final Map<String, String> fmtp;
    private final Supplier<SamplePacketizer> packetizers;

    FilmTrack(int index, StreamInfo stream, int payloadType, String encodingName, int clockRate, int channels,
              Map<String, String> fmtp, Supplier<SamplePacketizer> packetizers) {
        this.index = index;
        this.stream = stream;
        this.payloadType = payloadType;
        this.encodingName = encodingName;
        this.clockRate = clockRate;
        this.channels = channels;
        this.fmtp = new LinkedHashMap<>(fmtp);
        this.packetizers = packetizers;
    }

    /** The track's position in the SDP, also its {@code trackID}. */
    public int index() {
        return index;
    }

    public StreamInfo stream() {
        return stream;
    }

    public boolean isVideo() {
        return stream.isVideo();
    }

    public int payloadType() {
        return payloadType;
    }

    public String encodingName() {
        return encodingName;
    }

    public int clockRate() {
        return clockRate;
    }

    /** RTP clock ticks of a media time in microseconds, rounded to the nearest tick. */
    public long ticks(long mediaUs) {
        return Math.round(mediaUs * (double) clockRate / 1_000_000.0);
    }

    /** A new packetizer for one reading thread. */
    public SamplePacketizer newPacketizer() {
        return packetizers.get();
    }

    /** The track's SDP media section, port 0 and control {@code trackID=N} as RTSP servers write them. */
    public MediaDescription media() {
        MediaDescription m = new MediaDescription(isVideo() ? "video" : "audio", 0, "RTP/AVP",
                List.of(Integer.toString(payloadType)));
        m.rtpMap(new RtpMap(payloadType, encodingName, clockRate, channels));
        if (!fmtp.isEmpty()) {
            m.fmtp(payloadType, new LinkedHashMap<>(fmtp));
        }
        m.control("trackID=" + index);
        return m;
    }
}

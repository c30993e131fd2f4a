package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.sluice.format.aac.AdtsHeader;
import io.sluice.format.aac.AudioSpecificConfig;
import io.sluice.format.h264.AnnexB;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * What the RTP description of one elementary stream of a transport stream needs, learned from the PES
 * packets {@link TsDemuxer} hands over. A PMT says only the codec; the rest travels in-band:
 * <pre>
 * H.264 PES:  [AUD] [SPS PPS] IDR ...       Annex B; the parameter sets before (at least) every IDR
 * H.265 PES:  [AUD] [VPS SPS PPS] IRAP ...
 * AAC PES:    ADTS header | raw frame | ADTS header | raw frame ...   the config is in every ADTS header
 * </pre>
 * The latest parameter sets win; a PES also tells whether it holds a keyframe. Not thread-safe.
 */
public final class TsCodecConfig {

    private final TsElementaryStream stream;
    private final VideoParameterSets parameterSets;
    private final List<ByteBuf> nalUnits = new ArrayList<>();
    private AudioSpecificConfig audioConfig;

    private TsCodecConfig(TsElementaryStream stream) {
        this.stream = stream;
        this.parameterSets = TsStreamType.isVideo(stream.streamType())
                ? new VideoParameterSets(stream.streamType()) : null;
    }

    /** A learner for {@code stream}, or null when its codec is not H.264, H.265 or AAC in ADTS. */
    public static TsCodecConfig of(TsElementaryStream stream) {
        int type = stream.streamType();
        return TsStreamType.isVideo(type) || type == TsStreamType.AAC_ADTS ? new TsCodecConfig(stream) : null;
    }

    public TsElementaryStream stream() {
        return stream;
    }

    public boolean isVideo() {
        return parameterSets != null;
    }

    /**
     * Reads the elementary stream data of one PES (indices untouched) and answers whether it holds a
     * keyframe; audio answers false.
     *
     * @throws io.sluice.format.PayloadFormatException when the data is not Annex B, or not ADTS
     */
    public boolean onPes(ByteBuf data) {
        if (parameterSets == null) {
            audioConfig = AdtsHeader.parse(data).audioSpecificConfig();
            return false;
        }
        boolean keyframe = false;
        try {
            AnnexB.read(data, nalUnits);
            for (ByteBuf nal : nalUnits) {
                int header = nal.getByte(nal.readerIndex());
                keyframe |= parameterSets.isKeyframe(header);
                int slot = parameterSets.slotOf(header);
                if (slot >= 0) {
                    parameterSets.remember(slot, nal);
                }
            }
        } finally {
            nalUnits.clear();
        }
        return keyframe;
    }

    /** True once everything a decoder needs has been seen. */
    public boolean complete() {
        return parameterSets != null ? parameterSets.complete() : audioConfig != null;
    }

    /** The parameter set NAL units seen, without start codes: VPS (H.265), SPS, PPS. Empty for audio. */
    public List<byte[]> parameterSets() {
        List<byte[]> out = new ArrayList<>(3);
        if (parameterSets != null) {
            for (int slot : parameterSets.keyframeOrder()) {
                if (parameterSets.get(slot) != null) {
                    out.add(parameterSets.get(slot));
                }
            }
        }
        return out;
    }

    /** The AAC config of the last ADTS header seen, or null (and always null for video). */
    public AudioSpecificConfig audioConfig() {
        return audioConfig;
    }

    /**
     * The stream's decoder configuration as MPEG-TS readers give it out of band: the parameter sets in
     * Annex B for video, the AudioSpecificConfig for AAC; empty before they are seen.
     */
    public byte[] extradata() {
        if (parameterSets == null) {
            return audioConfig == null ? new byte[0] : audioConfig.bytes();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] nal : parameterSets()) {
            out.writeBytes(new byte[] {0, 0, 0, 1});
            out.writeBytes(nal);
        }
        return out.toByteArray();
    }
}

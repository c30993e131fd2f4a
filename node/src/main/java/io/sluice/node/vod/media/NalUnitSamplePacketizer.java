package io.sluice.node.vod.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.format.PayloadSink;
import io.sluice.format.h264.AnnexB;
import io.sluice.format.h264.AvccReader;
import java.util.ArrayList;
import java.util.List;

/**
 * H.264 and H.265 samples to RTP: splits a sample into NAL units (length-prefixed as in MP4, Matroska and
 * FLV, or Annex B as in MPEG-TS) and hands them to the codec's packetizer, the marker on the last. A
 * keyframe that does not carry its parameter sets gets them in front, from the container's decoder
 * configuration, so a player that joins there or lost the SDP's {@code sprop-*} can decode it.
 */
public final class NalUnitSamplePacketizer implements SamplePacketizer {

    /** The codec-specific part: the NAL unit type and the payload format's packetizer. */
    public interface Codec {
        int nalUnitType(ByteBuf nalUnit);

        boolean isParameterSet(int nalUnitType);

        void packetize(ByteBuf nalUnit, boolean lastOfAccessUnit, PayloadSink sink);
    }

    private final Codec codec;
    private final AvccReader lengthPrefixed;
    private final List<ByteBuf> parameterSets;
    private final List<ByteBuf> nalUnits = new ArrayList<>();

    /**
     * @param lengthSize    bytes of the NAL length prefix, or 0 for Annex B samples
     * @param parameterSets the parameter set NAL units to put before keyframes, in order
     */
    public NalUnitSamplePacketizer(Codec codec, int lengthSize, List<byte[]> parameterSets) {
        this.codec = codec;
        this.lengthPrefixed = lengthSize == 0 ? null : new AvccReader(lengthSize);
        this.parameterSets = new ArrayList<>(parameterSets.size());
        for (byte[] set : parameterSets) {
            this.parameterSets.add(Unpooled.wrappedBuffer(set));
        }
    }

    @Override
    public void packetize(ByteBuf sample, boolean keyframe, PayloadSink sink) {
        try {
            if (lengthPrefixed != null) {
                lengthPrefixed.read(sample, nalUnits);
            } else {
                AnnexB.read(sample, nalUnits);
            }
            if (nalUnits.isEmpty()) {
                return;
            }
            if (keyframe && !carriesParameterSets()) {
                for (ByteBuf set : parameterSets) {
                    codec.packetize(set, false, sink);
                }
            }
            int last = nalUnits.size() - 1;
            for (int i = 0; i <= last; i++) {
                codec.packetize(nalUnits.get(i), i == last, sink);
            }
        } finally {
            nalUnits.clear();
        }
    }

    private boolean carriesParameterSets() {
        for (ByteBuf nal : nalUnits) {
            if (codec.isParameterSet(codec.nalUnitType(nal))) {
                return true;
            }
        }
        return false;
    }
}

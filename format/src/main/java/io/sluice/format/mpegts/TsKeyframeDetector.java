package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.sluice.format.KeyframeDetector;

/**
 * Finds video keyframes in RTP payloads of MPEG-TS (RFC 2250, {@code MP2T/90000}): a TS packet that
 * starts a video PES ({@code 00 00 01 E0..EF}) and whose adaptation field sets the random access
 * indicator, as Sluice's {@link TsMuxer} and ffmpeg's muxer mark keyframes. The stream_id test keeps out
 * audio, which ffmpeg flags as random access on every frame. Stateless: no PMT is needed.
 */
public final class TsKeyframeDetector implements KeyframeDetector {

    public static final TsKeyframeDetector INSTANCE = new TsKeyframeDetector();

    private static final int VIDEO_STREAM_ID_MASK = 0xF0;

    private TsKeyframeDetector() {
    }

    @Override
    public boolean isKeyframe(ByteBuf rtpPayload) {
        int end = rtpPayload.writerIndex();
        for (int off = rtpPayload.readerIndex(); off + TsPacket.SIZE <= end; off += TsPacket.SIZE) {
            if (!TsPacket.hasSync(rtpPayload, off) || !TsPacket.payloadUnitStart(rtpPayload, off)
                    || !TsPacket.randomAccess(rtpPayload, off)) {
                continue;
            }
            int payload = TsPacket.payloadOffset(rtpPayload, off);
            if (payload >= 0 && payload + 4 <= off + TsPacket.SIZE
                    && rtpPayload.getUnsignedMedium(payload) == PesHeader.START_CODE_PREFIX
                    && (rtpPayload.getUnsignedByte(payload + 3) & VIDEO_STREAM_ID_MASK) == PesHeader.VIDEO_STREAM_ID) {
                return true;
            }
        }
        return false;
    }
}

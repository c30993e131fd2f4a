package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.sluice.format.KeyframeDetector;

/**
 * Finds where a video decoder can start in an RTP payload of whole MPEG-2 TS packets (RFC 2250, and the
 * native protocol's stream data): a TS packet that begins a video PES and whose adaptation field sets the
 * random access indicator (ISO/IEC 13818-1 section 2.4.3.5), as ffmpeg's, GStreamer's and Sluice's own
 * muxers do on every keyframe. Audio PES carry the indicator on every frame, so the stream id must say
 * video.
 * <pre>
 *  TS header (4)   | sync 0x47 |E|S=1|T| PID | TSC | AFC=3 | CC |
 *  adaptation      | length >= 1 |D|R=1|P|C|O|S|X|E| ... |
 *  PES start       | 0x00 0x00 0x01 | stream_id 0xE0-0xEF | ...
 * </pre>
 * A payload that is not a whole number of synchronised TS packets holds no keyframe for this detector.
 */
public final class TsRandomAccessDetector implements KeyframeDetector {

    public static final TsRandomAccessDetector INSTANCE = new TsRandomAccessDetector();

    private static final int PES_START_CODE_PREFIX = 0x000001;
    private static final int PES_PREFIX_AND_STREAM_ID = 4;
    private static final int VIDEO_STREAM_ID_MASK = 0xF0;
    private static final int VIDEO_STREAM_IDS = 0xE0;

    private TsRandomAccessDetector() {
    }

    @Override
    public boolean isKeyframe(ByteBuf rtpPayload) {
        int end = rtpPayload.writerIndex();
        for (int off = rtpPayload.readerIndex(); off + TsPacket.SIZE <= end; off += TsPacket.SIZE) {
            if (!TsPacket.hasSync(rtpPayload, off)) {
                return false;
            }
            if (TsPacket.payloadUnitStart(rtpPayload, off) && TsPacket.randomAccess(rtpPayload, off)
                    && startsVideoPes(rtpPayload, off)) {
                return true;
            }
        }
        return false;
    }

    private static boolean startsVideoPes(ByteBuf b, int off) {
        int pes = TsPacket.payloadOffset(b, off);
        if (pes < 0 || pes + PES_PREFIX_AND_STREAM_ID > off + TsPacket.SIZE) {
            return false;
        }
        return b.getUnsignedMedium(pes) == PES_START_CODE_PREFIX
                && (b.getUnsignedByte(pes + 3) & VIDEO_STREAM_ID_MASK) == VIDEO_STREAM_IDS;
    }

    @Override
    public boolean alwaysMarked() {
        return false;
    }

    @Override
    public int leadPackets() {
        return 1;
    }
}

package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.sluice.format.h264.H264NalUnit;
import io.sluice.format.h265.H265NalUnit;

/**
 * The latest parameter sets of one H.264 or H.265 stream, by slot (SPS, PPS, VPS), and the NAL unit
 * types that matter to MPEG-TS: keyframes, access unit delimiters and parameter sets. A set is copied
 * only when it differs from the one kept, so a stream that repeats its sets before every keyframe
 * allocates nothing. Shared by the muxer and the demux side; not thread-safe.
 */
final class VideoParameterSets {

    static final int SPS = 0;
    static final int PPS = 1;
    static final int VPS = 2;
    /** The slots a decoder needs, as bits: SPS and PPS for H.264, and the VPS for H.265. */
    private final int neededSlots;
    private static final int[] H264_KEYFRAME_ORDER = {SPS, PPS};
    private static final int[] H265_KEYFRAME_ORDER = {VPS, SPS, PPS};

    private final int streamType;
    private final byte[][] sets = new byte[3][];

    VideoParameterSets(int streamType) {
        if (!TsStreamType.isVideo(streamType)) {
            throw new IllegalArgumentException("not a video stream type: " + TsStreamType.name(streamType));
        }
        this.streamType = streamType;
        this.neededSlots = streamType == TsStreamType.H264 ? 0b011 : 0b111;
    }

    int neededSlots() {
        return neededSlots;
    }

    /** The slots in the order they go before a keyframe: VPS (H.265), SPS, PPS. Do not modify. */
    int[] keyframeOrder() {
        return streamType == TsStreamType.H264 ? H264_KEYFRAME_ORDER : H265_KEYFRAME_ORDER;
    }

    byte[] get(int slot) {
        return sets[slot];
    }

    void set(int slot, byte[] nal) {
        sets[slot] = nal;
    }

    /** True when every slot a decoder needs is filled. */
    boolean complete() {
        for (int slot = 0; slot < sets.length; slot++) {
            if ((neededSlots & 1 << slot) != 0 && sets[slot] == null) {
                return false;
            }
        }
        return true;
    }

    /** Keeps {@code nal} (indices untouched) in {@code slot} unless the same bytes are kept already. */
    void remember(int slot, ByteBuf nal) {
        byte[] known = sets[slot];
        int length = nal.readableBytes();
        if (known != null && known.length == length) {
            boolean same = true;
            for (int i = 0; i < length && same; i++) {
                same = known[i] == nal.getByte(nal.readerIndex() + i);
            }
            if (same) {
                return;
            }
        }
        byte[] copy = new byte[length];
        nal.getBytes(nal.readerIndex(), copy);
        sets[slot] = copy;
    }

    /** Whether a NAL unit with this first header byte starts a picture a decoder can start at (IDR, IRAP). */
    boolean isKeyframe(int header) {
        return streamType == TsStreamType.H264
                ? H264NalUnit.type(header) == H264NalUnit.IDR
                : H265NalUnit.type(header) >= H265NalUnit.BLA_W_LP && H265NalUnit.type(header) <= H265NalUnit.CRA_NUT;
    }

    boolean isAud(int header) {
        return streamType == TsStreamType.H264
                ? H264NalUnit.type(header) == H264NalUnit.AUD
                : H265NalUnit.type(header) == H265NalUnit.AUD;
    }

    /** {@link #SPS}, {@link #PPS} or {@link #VPS}; -1 for other NAL units. */
    int slotOf(int header) {
        if (streamType == TsStreamType.H264) {
            return switch (H264NalUnit.type(header)) {
                case H264NalUnit.SPS -> SPS;
                case H264NalUnit.PPS -> PPS;
                default -> -1;
            };
        }
        return switch (H265NalUnit.type(header)) {
            case H265NalUnit.SPS -> SPS;
            case H265NalUnit.PPS -> PPS;
            case H265NalUnit.VPS -> VPS;
            default -> -1;
        };
    }
}

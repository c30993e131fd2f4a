package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.aac.AdtsHeader;
import io.sluice.format.aac.AudioSpecificConfig;
import io.sluice.format.h264.AnnexB;
import java.util.ArrayList;
import java.util.List;

/**
 * Muxes one program of H.264 or H.265 video and/or AAC audio into an MPEG-2 transport stream
 * (ISO/IEC 13818-1), the way the native protocol carries media: each access unit is one PES packet,
 * split into 188-byte TS packets that the caller appends to its datagrams.
 *
 * <pre>
 * before every keyframe:  PAT (PID 0) | PMT (PID 0x1000) | video PES ...
 * video PES (PID 0x100):  [AF: RAI on keyframes, PCR] PES header (PTS[, DTS]) | AUD | [VPS] SPS PPS | NAL units...
 *                         Annex B, 4-byte start codes; parameter sets repeated before every IDR/IRAP
 * audio PES (PID 0x101):  PES header (PTS) | ADTS header | raw AAC frame
 * last TS packet of a PES: padded with adaptation-field stuffing
 * </pre>
 *
 * The PCR rides on the video PID (on audio when there is no video), {@value #PCR_LEAD_90K} ticks
 * behind the DTS of the access unit it precedes; continuity counters run per PID. Parameter sets come
 * from {@link #parameterSets} (the SDP's {@code sprop-*}) and from the latest ones seen in-band, which
 * win. Timestamps are 90 kHz ticks, taken modulo 2^33. A scratch buffer is kept for the PES being
 * written, so muxing allocates only when parameter sets change. Not thread-safe; call {@link #close}
 * to release the scratch buffer.
 */
public final class TsMuxer implements AutoCloseable {

    public static final int TRANSPORT_STREAM_ID = 1;
    public static final int PROGRAM_NUMBER = 1;
    public static final int PMT_PID = 0x1000;
    public static final int VIDEO_PID = 0x100;
    public static final int AUDIO_PID = 0x101;
    /** How far the PCR runs behind the DTS it announces: the decoder's buffering delay, 100 ms. */
    public static final long PCR_LEAD_90K = 9_000;
    /** Without video, PAT and PMT are repeated at this interval of audio time (0.5 s). */
    public static final long AUDIO_ONLY_TABLE_INTERVAL_90K = 45_000;

    private static final byte[] H264_AUD = {0x09, (byte) 0xF0};
    private static final byte[] H265_AUD = {0x46, 0x01, 0x50};
    private static final int PCR_FIELD_LENGTH = 1 + TsPacket.PCR_LENGTH;

    private final int videoStreamType;
    private final AudioSpecificConfig audioConfig;
    private final List<TsElementaryStream> streams = new ArrayList<>();
    private final int pcrPid;
    private final ByteBuf scratch;
    private final int[] continuity = new int[4];
    private final VideoParameterSets parameterSets;
    private boolean tablesWritten;
    private long lastTablesPts;

    /**
     * @param videoStreamType {@link TsStreamType#H264}, {@link TsStreamType#H265}, or 0 without video
     * @param audioConfig     the AAC config, or null without audio
     */
    public TsMuxer(int videoStreamType, AudioSpecificConfig audioConfig, ByteBufAllocator alloc) {
        if (videoStreamType != 0 && !TsStreamType.isVideo(videoStreamType)) {
            throw new IllegalArgumentException("unsupported video stream type " + TsStreamType.name(videoStreamType));
        }
        if (videoStreamType == 0 && audioConfig == null) {
            throw new IllegalArgumentException("a program needs video or audio");
        }
        this.videoStreamType = videoStreamType;
        this.audioConfig = audioConfig;
        if (videoStreamType != 0) {
            streams.add(new TsElementaryStream(VIDEO_PID, videoStreamType));
        }
        if (audioConfig != null) {
            streams.add(new TsElementaryStream(AUDIO_PID, TsStreamType.AAC_ADTS));
        }
        this.pcrPid = videoStreamType != 0 ? VIDEO_PID : AUDIO_PID;
        this.parameterSets = videoStreamType != 0 ? new VideoParameterSets(videoStreamType) : null;
        this.scratch = alloc.buffer(64 * 1024);
    }

    /** The elementary streams of the PMT. */
    public List<TsElementaryStream> streams() {
        return List.copyOf(streams);
    }

    /** Parameter set NAL units (SPS, PPS, and VPS for H.265) known out of band, e.g. from the SDP. */
    public void parameterSets(List<byte[]> nalUnits) {
        for (byte[] nal : nalUnits) {
            int slot = parameterSets == null ? -1 : parameterSets.slotOf(nal.length > 0 ? nal[0] : 0);
            if (slot >= 0) {
                parameterSets.set(slot, nal.clone());
            }
        }
    }

    /**
     * Appends the TS packets of one video access unit to {@code out}; the NAL units (without start
     * codes) are read, not consumed or released. Answers whether it was a keyframe.
     */
    public boolean writeVideo(long pts, long dts, List<ByteBuf> nalUnits, ByteBuf out) {
        if (videoStreamType == 0) {
            throw new IllegalStateException("this program has no video");
        }
        boolean keyframe = false;
        int setsPresent = 0;
        for (ByteBuf nal : nalUnits) {
            if (!nal.isReadable()) {
                continue;
            }
            int header = nal.getByte(nal.readerIndex());
            keyframe |= parameterSets.isKeyframe(header);
            int slot = parameterSets.slotOf(header);
            if (slot >= 0) {
                setsPresent |= 1 << slot;
                parameterSets.remember(slot, nal);
            }
        }
        if (keyframe || !tablesWritten) {
            writeTables(out, pts);
        }
        scratch.clear();
        int esStart = PesHeader.length(pts, dts);
        scratch.writerIndex(esStart);
        boolean startsWithAud = !nalUnits.isEmpty() && nalUnits.get(0).isReadable()
                && parameterSets.isAud(nalUnits.get(0).getByte(nalUnits.get(0).readerIndex()));
        if (!startsWithAud) {
            writeNal(videoStreamType == TsStreamType.H264 ? H264_AUD : H265_AUD);
        }
        int needed = parameterSets.neededSlots();
        if (keyframe && (setsPresent & needed) != needed) {
            for (int slot : parameterSets.keyframeOrder()) {
                if (parameterSets.get(slot) != null) {
                    writeNal(parameterSets.get(slot));
                }
            }
        }
        AnnexB.write(nalUnits, scratch);
        int esLength = scratch.writerIndex() - esStart;
        int end = scratch.writerIndex();
        scratch.writerIndex(0);
        PesHeader.write(scratch, PesHeader.VIDEO_STREAM_ID, pts, dts, esLength);
        scratch.writerIndex(end);
        packetize(out, VIDEO_PID, 2, keyframe, (dts - PCR_LEAD_90K) & PesHeader.TIMESTAMP_MASK);
        return keyframe;
    }

    /** Appends the TS packets of one raw AAC frame (no ADTS header; one is added) to {@code out}. */
    public void writeAudio(long pts, ByteBuf rawFrame, ByteBuf out) {
        if (audioConfig == null) {
            throw new IllegalStateException("this program has no audio");
        }
        if (!tablesWritten || videoStreamType == 0
                && ((pts - lastTablesPts) & PesHeader.TIMESTAMP_MASK) >= AUDIO_ONLY_TABLE_INTERVAL_90K) {
            writeTables(out, pts);
        }
        int length = rawFrame.readableBytes();
        scratch.clear();
        PesHeader.write(scratch, PesHeader.AUDIO_STREAM_ID, pts, pts, AdtsHeader.LENGTH + length);
        AdtsHeader.write(audioConfig, length, scratch);
        scratch.writeBytes(rawFrame, rawFrame.readerIndex(), length);
        long pcr = pcrPid == AUDIO_PID ? (pts - PCR_LEAD_90K) & PesHeader.TIMESTAMP_MASK : -1;
        packetize(out, AUDIO_PID, 3, false, pcr);
    }

    private void writeTables(ByteBuf out, long pts) {
        ProgramTables.writePat(out, TRANSPORT_STREAM_ID, PROGRAM_NUMBER, PMT_PID, continuity[0]++);
        ProgramTables.writePmt(out, PMT_PID, PROGRAM_NUMBER, pcrPid, streams, continuity[1]++);
        tablesWritten = true;
        lastTablesPts = pts;
    }

    /**
     * Splits the PES in {@code scratch} into TS packets. The first carries the payload unit start, and
     * an adaptation field when it has a PCR or a random access point; the last is padded with stuffing.
     */
    private void packetize(ByteBuf out, int pid, int counterSlot, boolean randomAccess, long pcr90k) {
        boolean withPcr = pcr90k >= 0 && pid == pcrPid;
        int remaining = scratch.readableBytes();
        boolean first = true;
        while (remaining > 0) {
            boolean flags = first && (randomAccess || withPcr);
            int minAdaptation = flags ? 2 + (withPcr ? TsPacket.PCR_LENGTH : 0) : 0;
            int take = Math.min(remaining, TsPacket.MAX_PAYLOAD - minAdaptation);
            int adaptation = TsPacket.MAX_PAYLOAD - take;
            out.ensureWritable(TsPacket.SIZE);
            out.writeByte(TsPacket.SYNC_BYTE);
            out.writeShort((first ? TsPacket.PAYLOAD_UNIT_START << 8 : 0) | pid);
            out.writeByte((adaptation > 0 ? TsPacket.ADAPTATION_FIELD : 0) | TsPacket.PAYLOAD
                    | (continuity[counterSlot]++ & 0x0F));
            if (adaptation > 0) {
                writeAdaptationField(out, adaptation, flags && randomAccess, flags && withPcr ? pcr90k : -1);
            }
            out.writeBytes(scratch, take);
            remaining -= take;
            first = false;
        }
    }

    private static void writeAdaptationField(ByteBuf out, int totalLength, boolean randomAccess, long pcr90k) {
        out.writeByte(totalLength - 1);
        if (totalLength == 1) {
            return;
        }
        out.writeByte((randomAccess ? TsPacket.RANDOM_ACCESS : 0) | (pcr90k >= 0 ? TsPacket.PCR_FLAG : 0));
        int written = 2;
        if (pcr90k >= 0) {
            out.writeInt((int) (pcr90k >>> 1));
            out.writeShort((int) ((pcr90k & 1) << 15) | 0x7E00);
            written += TsPacket.PCR_LENGTH;
        }
        for (; written < totalLength; written++) {
            out.writeByte(0xFF);
        }
    }

    private void writeNal(byte[] nal) {
        scratch.writeInt(1);
        scratch.writeBytes(nal);
    }

    @Override
    public void close() {
        scratch.release();
    }
}

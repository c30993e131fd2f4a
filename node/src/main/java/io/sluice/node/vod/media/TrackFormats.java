package io.sluice.node.vod.media;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.sluice.format.PayloadFormatException;
import io.sluice.format.PayloadSink;
import io.sluice.format.aac.AudioSpecificConfig;
import io.sluice.format.h264.AnnexB;
import io.sluice.format.h264.AvcDecoderConfigurationRecord;
import io.sluice.format.h264.H264NalUnit;
import io.sluice.format.h264.H264Packetizer;
import io.sluice.format.h264.SpropParameterSets;
import io.sluice.format.h265.H265NalUnit;
import io.sluice.format.h265.H265Packetizer;
import io.sluice.format.h265.H265SpropParameterSets;
import io.sluice.format.h265.HevcDecoderConfigurationRecord;
import io.sluice.node.vod.demux.StreamInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Maps a container stream to the RTP track that carries it: H.264 (RFC 6184), H.265 (RFC 7798), AAC
 * (RFC 3640 AAC-hbr), Opus (RFC 7587) and MPEG audio (RFC 2250). Parameter sets and the audio config
 * come from the container's decoder configuration ({@code extradata}).
 */
public final class TrackFormats {

    /** FFmpeg's codec names of what can be streamed. */
    public static final List<String> SUPPORTED = List.of("h264", "hevc", "aac", "opus", "mp3", "mp2");

    private static final int FIRST_DYNAMIC_PAYLOAD_TYPE = 96;
    private static final int MPA_PAYLOAD_TYPE = 14;
    private static final int VIDEO_CLOCK_RATE = 90_000;
    private static final int OPUS_CLOCK_RATE = 48_000;
    private static final int AVCC_VERSION = 1;

    private TrackFormats() {
    }

    /**
     * The track for a stream, or null when its codec cannot be streamed.
     *
     * @throws PayloadFormatException when the stream's decoder configuration is malformed
     */
    public static FilmTrack track(int index, StreamInfo stream, int maxPayloadSize, ByteBufAllocator alloc) {
        int dynamicType = FIRST_DYNAMIC_PAYLOAD_TYPE + index;
        return switch (stream.codec()) {
            case "h264" -> h264(index, stream, dynamicType, maxPayloadSize, alloc);
            case "hevc" -> h265(index, stream, dynamicType, maxPayloadSize, alloc);
            case "aac" -> aac(index, stream, dynamicType, maxPayloadSize);
            case "opus" -> opus(index, stream, dynamicType, maxPayloadSize);
            case "mp3", "mp2" -> new FilmTrack(index, stream, MPA_PAYLOAD_TYPE, "MPA", VIDEO_CLOCK_RATE, 1, Map.of(),
                    () -> new MpaSamplePacketizer(maxPayloadSize, alloc));
            default -> null;
        };
    }

    private static FilmTrack h264(int index, StreamInfo stream, int payloadType, int maxPayloadSize,
                                  ByteBufAllocator alloc) {
        byte[] extradata = stream.extradata();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int lengthSize = 0;
        if (extradata.length > 0 && extradata[0] == AVCC_VERSION) {
            AvcDecoderConfigurationRecord record = AvcDecoderConfigurationRecord.parse(extradata);
            lengthSize = record.lengthSize();
            sps.addAll(record.sequenceParameterSets());
            pps.addAll(record.pictureParameterSets());
        } else {
            for (byte[] nal : annexBNalUnits(extradata)) {
                int type = H264NalUnit.type(nal[0]);
                if (type == H264NalUnit.SPS) {
                    sps.add(nal);
                } else if (type == H264NalUnit.PPS) {
                    pps.add(nal);
                }
            }
        }
        Map<String, String> fmtp = new LinkedHashMap<>();
        fmtp.put("packetization-mode", "1");
        if (!sps.isEmpty() && sps.get(0).length >= 4) {
            fmtp.put("profile-level-id", SpropParameterSets.profileLevelId(sps.get(0)));
        }
        List<byte[]> sets = new ArrayList<>(sps);
        sets.addAll(pps);
        if (!sps.isEmpty() && !pps.isEmpty()) {
            fmtp.put("sprop-parameter-sets", SpropParameterSets.format(sets));
        }
        int prefix = lengthSize;
        return new FilmTrack(index, stream, payloadType, "H264", VIDEO_CLOCK_RATE, 1, fmtp, () -> {
            H264Packetizer packetizer = new H264Packetizer(maxPayloadSize, alloc);
            return new NalUnitSamplePacketizer(new NalUnitSamplePacketizer.Codec() {
                @Override
                public int nalUnitType(ByteBuf nalUnit) {
                    return H264NalUnit.type(nalUnit.getByte(nalUnit.readerIndex()));
                }

                @Override
                public boolean isParameterSet(int type) {
                    return type == H264NalUnit.SPS || type == H264NalUnit.PPS;
                }

                @Override
                public void packetize(ByteBuf nalUnit, boolean last, PayloadSink sink) {
                    packetizer.packetize(nalUnit, last, sink);
                }
            }, prefix, sets);
        });
    }

    private static FilmTrack h265(int index, StreamInfo stream, int payloadType, int maxPayloadSize,
                                  ByteBufAllocator alloc) {
        byte[] extradata = stream.extradata();
        List<byte[]> vps = new ArrayList<>();
        List<byte[]> sps = new ArrayList<>();
        List<byte[]> pps = new ArrayList<>();
        int lengthSize = 0;
        if (extradata.length > 0 && extradata[0] == AVCC_VERSION) {
            HevcDecoderConfigurationRecord record = HevcDecoderConfigurationRecord.parse(extradata);
            lengthSize = record.lengthSize();
            vps.addAll(record.videoParameterSets());
            sps.addAll(record.sequenceParameterSets());
            pps.addAll(record.pictureParameterSets());
        } else {
            for (byte[] nal : annexBNalUnits(extradata)) {
                switch (H265NalUnit.type(nal[0])) {
                    case H265NalUnit.VPS -> vps.add(nal);
                    case H265NalUnit.SPS -> sps.add(nal);
                    case H265NalUnit.PPS -> pps.add(nal);
                    default -> { }
                }
            }
        }
        Map<String, String> fmtp = new LinkedHashMap<>();
        H265SpropParameterSets sprop = new H265SpropParameterSets(vps, sps, pps);
        if (sprop.isComplete()) {
            sprop.toFmtp(fmtp);
        }
        List<byte[]> sets = new ArrayList<>(vps);
        sets.addAll(sps);
        sets.addAll(pps);
        int prefix = lengthSize;
        return new FilmTrack(index, stream, payloadType, "H265", VIDEO_CLOCK_RATE, 1, fmtp, () -> {
            H265Packetizer packetizer = new H265Packetizer(maxPayloadSize, alloc);
            return new NalUnitSamplePacketizer(new NalUnitSamplePacketizer.Codec() {
                @Override
                public int nalUnitType(ByteBuf nalUnit) {
                    return H265NalUnit.type(nalUnit.getByte(nalUnit.readerIndex()));
                }

                @Override
                public boolean isParameterSet(int type) {
                    return type == H265NalUnit.VPS || type == H265NalUnit.SPS || type == H265NalUnit.PPS;
                }

                @Override
                public void packetize(ByteBuf nalUnit, boolean last, PayloadSink sink) {
                    packetizer.packetize(nalUnit, last, sink);
                }
            }, prefix, sets);
        });
    }

    /**
     * RFC 7587 declares every Opus stream {@code opus/48000/2} whatever it holds; what the sender actually
     * sends is {@code sprop-stereo}, said explicitly for mono too, since receivers that honour it (GStreamer)
     * then decode mono, while ffmpeg 5.1 follows the rtpmap and decodes two copies of the one channel.
     */
    private static FilmTrack opus(int index, StreamInfo stream, int payloadType, int maxPayloadSize) {
        Map<String, String> fmtp = Map.of("sprop-stereo", stream.channels() >= 2 ? "1" : "0");
        return new FilmTrack(index, stream, payloadType, "opus", OPUS_CLOCK_RATE, 2, fmtp,
                () -> new OpusSamplePacketizer(maxPayloadSize));
    }

    private static FilmTrack aac(int index, StreamInfo stream, int payloadType, int maxPayloadSize) {
        AudioSpecificConfig config = stream.extradata().length >= 2
                ? AudioSpecificConfig.parse(stream.extradata())
                : AudioSpecificConfig.of(AudioSpecificConfig.AAC_LC, stream.sampleRate(), stream.channels());
        Map<String, String> fmtp = new LinkedHashMap<>();
        fmtp.put("streamtype", "5");
        fmtp.put("profile-level-id", "1");
        fmtp.put("mode", "AAC-hbr");
        fmtp.put("sizelength", "13");
        fmtp.put("indexlength", "3");
        fmtp.put("indexdeltalength", "3");
        fmtp.put("config", config.hex());
        int channels = config.channelCount() > 0 ? config.channelCount() : Math.max(stream.channels(), 1);
        return new FilmTrack(index, stream, payloadType, "MPEG4-GENERIC", config.samplingRate(), channels, fmtp,
                () -> new AacSamplePacketizer(maxPayloadSize));
    }

    private static List<byte[]> annexBNalUnits(byte[] extradata) {
        List<byte[]> out = new ArrayList<>();
        if (extradata.length == 0) {
            return out;
        }
        List<ByteBuf> slices = new ArrayList<>();
        AnnexB.read(Unpooled.wrappedBuffer(extradata), slices);
        for (ByteBuf slice : slices) {
            byte[] nal = new byte[slice.readableBytes()];
            slice.getBytes(slice.readerIndex(), nal);
            out.add(nal);
        }
        return out;
    }
}

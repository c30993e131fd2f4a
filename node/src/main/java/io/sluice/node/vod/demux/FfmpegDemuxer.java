package io.sluice.node.vod.demux;

import static org.bytedeco.ffmpeg.global.avcodec.AV_PKT_FLAG_KEY;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_alloc;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_free;
import static org.bytedeco.ffmpeg.global.avcodec.av_packet_unref;
import static org.bytedeco.ffmpeg.global.avcodec.avcodec_get_name;
import static org.bytedeco.ffmpeg.global.avformat.AVSEEK_FLAG_BACKWARD;
import static org.bytedeco.ffmpeg.global.avformat.av_read_frame;
import static org.bytedeco.ffmpeg.global.avformat.av_seek_frame;
import static org.bytedeco.ffmpeg.global.avformat.avformat_close_input;
import static org.bytedeco.ffmpeg.global.avformat.avformat_find_stream_info;
import static org.bytedeco.ffmpeg.global.avformat.avformat_open_input;
import static org.bytedeco.ffmpeg.global.avutil.AVERROR_EOF;
import static org.bytedeco.ffmpeg.global.avutil.AV_LOG_QUIET;
import static org.bytedeco.ffmpeg.global.avutil.AV_NOPTS_VALUE;
import static org.bytedeco.ffmpeg.global.avutil.av_dict_get;
import static org.bytedeco.ffmpeg.global.avutil.av_get_media_type_string;
import static org.bytedeco.ffmpeg.global.avutil.av_log_set_level;
import static org.bytedeco.ffmpeg.global.avutil.av_strerror;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.bytedeco.ffmpeg.avcodec.AVCodecParameters;
import org.bytedeco.ffmpeg.avcodec.AVPacket;
import org.bytedeco.ffmpeg.avformat.AVFormatContext;
import org.bytedeco.ffmpeg.avformat.AVStream;
import org.bytedeco.ffmpeg.avutil.AVDictionary;
import org.bytedeco.ffmpeg.avutil.AVDictionaryEntry;
import org.bytedeco.javacpp.BytePointer;

/**
 * Reads the compressed frames of one film file with FFmpeg's libavformat, in the node's process. Not
 * thread-safe: one demuxer is read by one thread, and every call blocks on file I/O, so never on an
 * event loop.
 */
public final class FfmpegDemuxer implements FilmReader {

    static {
        // FFmpeg's own log goes to stderr; our log lines name the film and the error instead.
        av_log_set_level(AV_LOG_QUIET);
    }

    private final Path file;
    private final AVFormatContext context;
    private final AVPacket packet;
    private final FilmProbe probe;
    private boolean closed;

    private FfmpegDemuxer(Path file, AVFormatContext context, FilmProbe probe) {
        this.file = file;
        this.context = context;
        this.packet = av_packet_alloc();
        this.probe = probe;
    }

    /**
     * Opens a film and reads its stream information.
     *
     * @throws DemuxException when FFmpeg cannot open it or finds no streams in it
     */
    public static FfmpegDemuxer open(Path file) throws DemuxException {
        AVFormatContext context = new AVFormatContext(null);
        int result = avformat_open_input(context, file.toString(), null, null);
        if (result < 0) {
            throw new DemuxException("cannot open " + file.getFileName() + ": " + errorText(result));
        }
        result = avformat_find_stream_info(context, (AVDictionary) null);
        if (result < 0 || context.nb_streams() == 0) {
            avformat_close_input(context);
            throw new DemuxException("no media streams in " + file.getFileName()
                    + (result < 0 ? ": " + errorText(result) : ""));
        }
        return new FfmpegDemuxer(file, context, describe(context));
    }

    public FilmProbe probe() {
        return probe;
    }

    @Override
    public void seek(long mediaUs) throws DemuxException {
        int result = av_seek_frame(context, -1, probe.startUs() + mediaUs, AVSEEK_FLAG_BACKWARD);
        if (result < 0) {
            throw new DemuxException("cannot seek " + file.getFileName() + " to " + mediaUs + " us: "
                    + errorText(result));
        }
    }

    /** @throws DemuxException when the file cannot be read further (truncated, I/O error) */
    @Override
    public boolean read(DemuxedPacket into, ByteBufAllocator alloc) throws DemuxException {
        while (true) {
            int result = av_read_frame(context, packet);
            if (result == AVERROR_EOF) {
                return false;
            }
            if (result < 0) {
                throw new DemuxException("cannot read " + file.getFileName() + ": " + errorText(result));
            }
            try {
                int size = packet.size();
                if (size <= 0) {
                    continue;
                }
                BytePointer bytes = packet.data();
                ByteBuf data = alloc.buffer(size);
                data.writeBytes(bytes.capacity(size).asByteBuffer());
                into.set(packet.stream_index(),
                        packet.pts() == AV_NOPTS_VALUE ? DemuxedPacket.NO_TIMESTAMP : packet.pts(),
                        packet.dts() == AV_NOPTS_VALUE ? DemuxedPacket.NO_TIMESTAMP : packet.dts(),
                        Math.max(packet.duration(), 0), (packet.flags() & AV_PKT_FLAG_KEY) != 0, data);
                return true;
            } finally {
                av_packet_unref(packet);
            }
        }
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        av_packet_free(packet);
        avformat_close_input(context);
    }

    private static FilmProbe describe(AVFormatContext context) {
        List<StreamInfo> streams = new ArrayList<>(context.nb_streams());
        for (int i = 0; i < context.nb_streams(); i++) {
            AVStream stream = context.streams(i);
            AVCodecParameters p = stream.codecpar();
            BytePointer type = av_get_media_type_string(p.codec_type());
            byte[] extradata = new byte[Math.max(p.extradata_size(), 0)];
            if (extradata.length > 0) {
                p.extradata().get(extradata);
            }
            streams.add(new StreamInfo(i, type == null ? "unknown" : type.getString(),
                    avcodec_get_name(p.codec_id()).getString(), stream.time_base().num(), stream.time_base().den(),
                    extradata, p.sample_rate(), p.ch_layout().nb_channels(), p.width(), p.height()));
        }
        long duration = context.duration() == AV_NOPTS_VALUE ? 0 : Math.max(context.duration(), 0);
        long start = context.start_time() == AV_NOPTS_VALUE ? 0 : context.start_time();
        // AV_TIME_BASE is 1 000 000: the context's times are already in microseconds.
        return new FilmProbe(context.iformat().name().getString(), duration, start, title(context), streams);
    }

    private static String title(AVFormatContext context) {
        AVDictionaryEntry entry = av_dict_get(context.metadata(), "title", null, 0);
        if (entry == null || entry.isNull()) {
            return null;
        }
        String title = entry.value().getString(StandardCharsets.UTF_8).strip();
        return title.isEmpty() ? null : title;
    }

    private static String errorText(int error) {
        byte[] text = new byte[256];
        av_strerror(error, text, text.length);
        int end = 0;
        while (end < text.length && text[end] != 0) {
            end++;
        }
        return new String(text, 0, end, StandardCharsets.UTF_8);
    }
}

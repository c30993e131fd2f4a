package io.sluice.rtsp.codec;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.rtsp.RtspEncoder;

/**
 * Installs the RTSP codec in a pipeline: {@link RtspMessageDecoder} in, Netty's {@link RtspEncoder}
 * and {@link InterleavedFrameEncoder} out. After it the pipeline reads {@code FullHttpRequest},
 * {@code FullHttpResponse} and {@link InterleavedFrame} and writes the same.
 *
 * <p>Outgoing messages must carry their own {@code Content-Length} when they have a body: RTSP has
 * no chunked encoding and {@code RtspEncoder} adds no header.
 */
public final class RtspPipelines {

    /** Name of the decoder in the pipeline. */
    public static final String DECODER = "rtspDecoder";
    /** Name of the message encoder in the pipeline. */
    public static final String ENCODER = "rtspEncoder";
    /** Name of the interleaved frame encoder in the pipeline. */
    public static final String INTERLEAVED_ENCODER = "rtspInterleavedEncoder";

    private RtspPipelines() {
    }

    /** Installs the codec with the decoder's default limits. */
    public static void addServerCodec(ChannelPipeline p) {
        addCodec(p, new RtspMessageDecoder());
    }

    /** Installs the codec with the given limits; see {@link RtspMessageDecoder}. */
    public static void addServerCodec(ChannelPipeline p, int maxInitialLineLength, int maxHeaderSize,
                                      int maxContentLength) {
        addCodec(p, new RtspMessageDecoder(maxInitialLineLength, maxHeaderSize, maxContentLength));
    }

    /** Installs the codec with the given limits; see {@link RtspMessageDecoder}. */
    public static void addServerCodec(ChannelPipeline p, int maxInitialLineLength, int maxHeaderSize,
                                      int maxContentLength, int maxInterleavedLength) {
        addCodec(p, new RtspMessageDecoder(maxInitialLineLength, maxHeaderSize, maxContentLength,
                maxInterleavedLength));
    }

    /** Installs the codec with the decoder's default limits. */
    public static void addClientCodec(ChannelPipeline p) {
        addCodec(p, new RtspMessageDecoder());
    }

    /** Installs the codec with the given limits; see {@link RtspMessageDecoder}. */
    public static void addClientCodec(ChannelPipeline p, int maxInitialLineLength, int maxHeaderSize,
                                      int maxContentLength) {
        addCodec(p, new RtspMessageDecoder(maxInitialLineLength, maxHeaderSize, maxContentLength));
    }

    private static void addCodec(ChannelPipeline p, RtspMessageDecoder decoder) {
        p.addLast(DECODER, decoder);
        p.addLast(ENCODER, new RtspEncoder());
        p.addLast(INTERLEAVED_ENCODER, InterleavedFrameEncoder.INSTANCE);
    }
}

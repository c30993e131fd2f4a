/**
 * RTSP 1.0 wire syntax (RFC 2326) as Netty codecs: {@link io.sluice.rtsp.codec.RtspMessageDecoder}
 * splits a connection into requests, responses and {@code $}-framed
 * {@link io.sluice.rtsp.codec.InterleavedFrame}s; Netty's {@code RtspEncoder} and
 * {@link io.sluice.rtsp.codec.InterleavedFrameEncoder} write them; {@link io.sluice.rtsp.codec.RtspPipelines}
 * installs all three.
 */
package io.sluice.rtsp.codec;

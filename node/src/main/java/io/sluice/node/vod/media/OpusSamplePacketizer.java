package io.sluice.node.vod.media;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadSink;
import io.sluice.format.opus.OpusPacketizer;

/** Opus samples (one Opus packet each, in Matroska, WebM and MP4) to RFC 7587 payloads, unchanged. */
public final class OpusSamplePacketizer implements SamplePacketizer {

    private final OpusPacketizer packetizer;

    public OpusSamplePacketizer(int maxPayloadSize) {
        this.packetizer = new OpusPacketizer(maxPayloadSize);
    }

    @Override
    public void packetize(ByteBuf sample, boolean keyframe, PayloadSink sink) {
        packetizer.packetize(sample, sink);
    }
}

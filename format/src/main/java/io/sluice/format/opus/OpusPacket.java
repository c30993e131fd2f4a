package io.sluice.format.opus;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadFormatException;

/**
 * The table-of-contents byte of an Opus packet (RFC 6716 section 3.1), enough to know how many
 * 48 kHz samples the packet lasts, which advances the RTP timestamp (RFC 7587 section 4.1).
 * <pre>
 *  0 1 2 3 4 5 6 7
 * +-+-+-+-+-+-+-+-+
 * | config  |s| c |
 * +-+-+-+-+-+-+-+-+
 * config 0..11  SILK    10, 20, 40, 60 ms
 * config 12..15 Hybrid  10, 20 ms
 * config 16..31 CELT    2.5, 5, 10, 20 ms
 * c 0: 1 frame; 1, 2: 2 frames; 3: a second byte |v|p|  M (6)  | gives M frames
 * </pre>
 */
public final class OpusPacket {

    /** RFC 7587: the RTP clock of Opus is always 48 kHz, whatever the coded bandwidth. */
    public static final int CLOCK_RATE = 48000;
    /** RFC 7587: the rtpmap always says two channels; {@code sprop-stereo} tells the truth. */
    public static final int RTPMAP_CHANNELS = 2;
    /** RFC 6716: a packet lasts at most 120 ms. */
    public static final int MAX_SAMPLES = 5760;

    private static final int[] SILK_SAMPLES = {480, 960, 1920, 2880};
    private static final int[] HYBRID_SAMPLES = {480, 960};
    private static final int[] CELT_SAMPLES = {120, 240, 480, 960};
    private static final int FRAME_COUNT_MASK = 0x3F;

    private OpusPacket() {
    }

    /**
     * The duration of the packet at the reader index in 48 kHz samples; the indices do not move.
     *
     * @throws PayloadFormatException for an empty packet, a code-3 packet without its count byte,
     *         or a duration beyond 120 ms
     */
    public static int sampleCount(ByteBuf packet) {
        if (!packet.isReadable()) {
            throw new PayloadFormatException("empty Opus packet");
        }
        int toc = packet.getUnsignedByte(packet.readerIndex());
        int config = toc >>> 3;
        int samplesPerFrame = config < 12 ? SILK_SAMPLES[config & 3]
                : config < 16 ? HYBRID_SAMPLES[config & 1]
                : CELT_SAMPLES[config & 3];
        int frames = switch (toc & 3) {
            case 0 -> 1;
            case 1, 2 -> 2;
            default -> {
                if (packet.readableBytes() < 2) {
                    throw new PayloadFormatException("Opus code 3 packet without its frame count byte");
                }
                yield packet.getUnsignedByte(packet.readerIndex() + 1) & FRAME_COUNT_MASK;
            }
        };
        int samples = frames * samplesPerFrame;
        if (frames == 0 || samples > MAX_SAMPLES) {
            throw new PayloadFormatException("Opus packet of " + frames + " frames of " + samplesPerFrame
                    + " samples is outside 1 frame .. 120 ms");
        }
        return samples;
    }
}

package io.sluice.node.vod.media;

import io.netty.buffer.ByteBuf;
import io.sluice.format.PayloadFormatException;
import io.sluice.format.PayloadSink;
import io.sluice.format.aac.Rfc3640Packetizer;

/**
 * AAC samples to RFC 3640 AAC-hbr payloads, one frame per packet so every packet's timestamp is its
 * frame's. MP4, Matroska and FLV hold raw frames; MPEG-TS holds ADTS frames, whose header (ISO/IEC
 * 14496-3 section 1.A.2) is cut off here:
 * <pre>
 * +----------------+--+--+----+...+---------------+ ... +----------------+
 * | syncword 0xFFF |ID|L |prot|   | frame length  |     | CRC if prot=0  | raw frame ...
 * +----------------+--+--+----+...+---------------+ ... +----------------+
 *   7 bytes of header, 9 when protection_absent is 0
 * </pre>
 */
public final class AacSamplePacketizer implements SamplePacketizer {

    private static final int ADTS_HEADER_LENGTH = 7;
    private static final int ADTS_HEADER_WITH_CRC_LENGTH = 9;
    private static final int PROTECTION_ABSENT_OFFSET = 1;

    private final Rfc3640Packetizer packetizer;

    public AacSamplePacketizer(int maxPayloadSize) {
        this.packetizer = new Rfc3640Packetizer(maxPayloadSize);
    }

    @Override
    public void packetize(ByteBuf sample, boolean keyframe, PayloadSink sink) {
        int start = sample.readerIndex();
        int length = sample.readableBytes();
        if (isAdts(sample)) {
            boolean crc = (sample.getByte(start + PROTECTION_ABSENT_OFFSET) & 0x01) == 0;
            int header = crc ? ADTS_HEADER_WITH_CRC_LENGTH : ADTS_HEADER_LENGTH;
            if (length <= header) {
                throw new PayloadFormatException("ADTS frame of " + length + " bytes has no payload");
            }
            packetizer.packetize(sample.slice(start + header, length - header), sink);
        } else {
            packetizer.packetize(sample, sink);
        }
    }

    /** True when the sample starts with the 12-bit ADTS sync word and layer 0. */
    static boolean isAdts(ByteBuf sample) {
        int start = sample.readerIndex();
        return sample.readableBytes() >= ADTS_HEADER_LENGTH
                && (sample.getUnsignedByte(start) == 0xFF)
                && (sample.getUnsignedByte(start + 1) & 0xF6) == 0xF0;
    }
}

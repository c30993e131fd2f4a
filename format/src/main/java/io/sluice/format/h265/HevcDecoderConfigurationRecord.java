package io.sluice.format.h265;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.format.PayloadFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code hvcC} box content of MP4 (ISO/IEC 14496-15 section 8.3.3.1): the parameter sets and
 * the NAL length size of an H.265 track.
 * <pre>
 *  byte 0       configurationVersion = 1
 *  byte 1       general_profile_space (2) | general_tier_flag (1) | general_profile_idc (5)
 *  bytes 2-5    general_profile_compatibility_flags
 *  bytes 6-11   general_constraint_indicator_flags
 *  byte 12      general_level_idc
 *  bytes 13-14  '1111' | min_spatial_segmentation_idc (12)
 *  byte 15      '111111' | parallelismType (2)
 *  byte 16      '111111' | chromaFormat (2)
 *  byte 17      '11111' | bitDepthLumaMinus8 (3)
 *  byte 18      '11111' | bitDepthChromaMinus8 (3)
 *  bytes 19-20  avgFrameRate
 *  byte 21      constantFrameRate (2) | numTemporalLayers (3) | temporalIdNested (1) | lengthSizeMinusOne (2)
 *  byte 22      numOfArrays
 *  numOfArrays x {
 *      array_completeness (1) | reserved 0 (1) | NAL_unit_type (6)
 *      numNalus (16)
 *      numNalus x { nalUnitLength (16), NAL unit }
 *  }
 * </pre>
 * Bytes 1 to 21 are kept as read, so that {@link #encode()} gives back the record it parsed.
 */
public final class HevcDecoderConfigurationRecord {

    private static final int HEADER_LENGTH = 23;
    private static final int PROFILE_OFFSET = 1;
    private static final int LEVEL_OFFSET = 12;
    private static final int LENGTH_SIZE_OFFSET = 21;
    private static final int ARRAY_COUNT_OFFSET = 22;
    private static final int COMPLETENESS_BIT = 0x80;
    private static final int TYPE_MASK = 0x3F;

    /** One array of NAL units of one type. */
    public record NalUnitArray(boolean complete, int nalUnitType, List<byte[]> nalUnits) {
        public NalUnitArray {
            nalUnits = List.copyOf(nalUnits);
        }
    }

    private final byte[] header;
    private final List<NalUnitArray> arrays;

    private HevcDecoderConfigurationRecord(byte[] header, List<NalUnitArray> arrays) {
        this.header = header;
        this.arrays = List.copyOf(arrays);
    }

    public static HevcDecoderConfigurationRecord parse(byte[] record) {
        return parse(Unpooled.wrappedBuffer(record));
    }

    /**
     * Reads a record from the readable bytes of {@code record}; its indices do not move.
     *
     * @throws PayloadFormatException when the record is truncated or not version 1
     */
    public static HevcDecoderConfigurationRecord parse(ByteBuf record) {
        int start = record.readerIndex();
        int end = record.writerIndex();
        if (end - start < HEADER_LENGTH) {
            throw new PayloadFormatException("hvcC record of " + (end - start) + " bytes is too short");
        }
        int version = record.getUnsignedByte(start);
        if (version != 1) {
            throw new PayloadFormatException("hvcC configurationVersion is " + version + ", not 1");
        }
        byte[] header = new byte[HEADER_LENGTH - 1];
        record.getBytes(start, header);
        int arrayCount = record.getUnsignedByte(start + ARRAY_COUNT_OFFSET);
        int offset = start + HEADER_LENGTH;
        List<NalUnitArray> arrays = new ArrayList<>(arrayCount);
        for (int a = 0; a < arrayCount; a++) {
            if (offset + 3 > end) {
                throw new PayloadFormatException("hvcC record ends in the header of array " + (a + 1));
            }
            int typeByte = record.getUnsignedByte(offset);
            int count = record.getUnsignedShort(offset + 1);
            offset += 3;
            List<byte[]> nalUnits = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                if (offset + 2 > end) {
                    throw new PayloadFormatException("hvcC record ends in the length of NAL unit " + (i + 1)
                            + " of array " + (a + 1));
                }
                int length = record.getUnsignedShort(offset);
                offset += 2;
                if (offset + length > end) {
                    throw new PayloadFormatException("hvcC NAL unit " + (i + 1) + " of array " + (a + 1) + " ("
                            + length + " bytes) runs past the end of the record");
                }
                byte[] nal = new byte[length];
                record.getBytes(offset, nal);
                nalUnits.add(nal);
                offset += length;
            }
            arrays.add(new NalUnitArray((typeByte & COMPLETENESS_BIT) != 0, typeByte & TYPE_MASK, nalUnits));
        }
        return new HevcDecoderConfigurationRecord(header, arrays);
    }

    /** The record's bytes, inverse of {@link #parse(byte[])}. */
    public byte[] encode() {
        int length = HEADER_LENGTH;
        for (NalUnitArray a : arrays) {
            length += 3;
            for (byte[] nal : a.nalUnits()) {
                length += 2 + nal.length;
            }
        }
        byte[] bytes = new byte[length];
        ByteBuf out = Unpooled.wrappedBuffer(bytes).writerIndex(0);
        out.writeBytes(header);
        out.writeByte(arrays.size());
        for (NalUnitArray a : arrays) {
            out.writeByte((a.complete() ? COMPLETENESS_BIT : 0) | a.nalUnitType());
            out.writeShort(a.nalUnits().size());
            for (byte[] nal : a.nalUnits()) {
                out.writeShort(nal.length);
                out.writeBytes(nal);
            }
        }
        return bytes;
    }

    /** Bytes per NAL length field in the samples: 1, 2 or 4. */
    public int lengthSize() {
        return (header[LENGTH_SIZE_OFFSET] & 0x03) + 1;
    }

    public int generalProfileIdc() {
        return header[PROFILE_OFFSET] & 0x1F;
    }

    public boolean generalTierFlag() {
        return (header[PROFILE_OFFSET] & 0x20) != 0;
    }

    public int generalLevelIdc() {
        return header[LEVEL_OFFSET] & 0xFF;
    }

    public List<NalUnitArray> arrays() {
        return arrays;
    }

    /** The NAL units of that type over all arrays, in order (copies). */
    public List<byte[]> nalUnits(int nalUnitType) {
        List<byte[]> out = new ArrayList<>();
        for (NalUnitArray a : arrays) {
            if (a.nalUnitType() == nalUnitType) {
                for (byte[] nal : a.nalUnits()) {
                    out.add(nal.clone());
                }
            }
        }
        return out;
    }

    public List<byte[]> videoParameterSets() {
        return nalUnits(H265NalUnit.VPS);
    }

    public List<byte[]> sequenceParameterSets() {
        return nalUnits(H265NalUnit.SPS);
    }

    public List<byte[]> pictureParameterSets() {
        return nalUnits(H265NalUnit.PPS);
    }
}

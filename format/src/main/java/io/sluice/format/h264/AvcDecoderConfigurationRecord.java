package io.sluice.format.h264;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.format.PayloadFormatException;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code avcC} box content of MP4 (ISO/IEC 14496-15 section 5.3.3.1): the parameter sets and
 * the NAL length size of an H.264 track.
 * <pre>
 *  byte 0   configurationVersion = 1
 *  byte 1   AVCProfileIndication      (profile_idc of the SPS)
 *  byte 2   profile_compatibility     (constraint flags)
 *  byte 3   AVCLevelIndication        (level_idc)
 *  byte 4   +-----------+---+   reserved '111111', lengthSizeMinusOne
 *           |1 1 1 1 1 1| L |
 *  byte 5   +-----+---------+   reserved '111', numOfSequenceParameterSets
 *           |1 1 1|  nSPS   |
 *           nSPS x { sequenceParameterSetLength (16), SPS NAL unit }
 *           numOfPictureParameterSets (8)
 *           nPPS x { pictureParameterSetLength (16), PPS NAL unit }
 *           [chroma_format, bit depths, SPS extensions: High profiles, kept as raw bytes]
 * </pre>
 * Parameter sets are held as byte arrays: this is configuration, read once per track.
 */
public final class AvcDecoderConfigurationRecord {

    private static final int VERSION_OFFSET = 0;
    private static final int PROFILE_OFFSET = 1;
    private static final int COMPATIBILITY_OFFSET = 2;
    private static final int LEVEL_OFFSET = 3;
    private static final int LENGTH_SIZE_OFFSET = 4;
    private static final int SPS_COUNT_OFFSET = 5;
    private static final int SPS_LIST_OFFSET = 6;

    private final int profileIndication;
    private final int profileCompatibility;
    private final int levelIndication;
    private final int lengthSize;
    private final List<byte[]> sequenceParameterSets;
    private final List<byte[]> pictureParameterSets;
    private final byte[] extension;

    private AvcDecoderConfigurationRecord(int profileIndication, int profileCompatibility, int levelIndication,
            int lengthSize, List<byte[]> sps, List<byte[]> pps, byte[] extension) {
        this.profileIndication = profileIndication;
        this.profileCompatibility = profileCompatibility;
        this.levelIndication = levelIndication;
        this.lengthSize = lengthSize;
        this.sequenceParameterSets = copy(sps);
        this.pictureParameterSets = copy(pps);
        this.extension = extension.clone();
    }

    /**
     * A record for these parameter sets, profile and level taken from the first SPS.
     *
     * @param lengthSize 1, 2 or 4
     */
    public static AvcDecoderConfigurationRecord of(List<byte[]> sps, List<byte[]> pps, int lengthSize) {
        if (sps.isEmpty() || sps.get(0).length < 4) {
            throw new IllegalArgumentException("need at least one SPS of 4 bytes or more");
        }
        if (lengthSize != 1 && lengthSize != 2 && lengthSize != 4) {
            throw new IllegalArgumentException("lengthSize must be 1, 2 or 4: " + lengthSize);
        }
        byte[] first = sps.get(0);
        return new AvcDecoderConfigurationRecord(first[1] & 0xFF, first[2] & 0xFF, first[3] & 0xFF, lengthSize,
                sps, pps, new byte[0]);
    }

    public static AvcDecoderConfigurationRecord parse(byte[] record) {
        return parse(Unpooled.wrappedBuffer(record));
    }

    /**
     * Reads a record from the readable bytes of {@code record}; its indices do not move.
     *
     * @throws PayloadFormatException when the record is truncated or not version 1
     */
    public static AvcDecoderConfigurationRecord parse(ByteBuf record) {
        int start = record.readerIndex();
        int end = record.writerIndex();
        if (end - start < SPS_LIST_OFFSET + 1) {
            throw new PayloadFormatException("avcC record of " + (end - start) + " bytes is too short");
        }
        int version = record.getUnsignedByte(start + VERSION_OFFSET);
        if (version != 1) {
            throw new PayloadFormatException("avcC configurationVersion is " + version + ", not 1");
        }
        int lengthSize = (record.getUnsignedByte(start + LENGTH_SIZE_OFFSET) & 0x03) + 1;
        int spsCount = record.getUnsignedByte(start + SPS_COUNT_OFFSET) & 0x1F;
        int[] offset = {start + SPS_LIST_OFFSET};
        List<byte[]> sps = readParameterSets(record, offset, end, spsCount, "SPS");
        if (offset[0] >= end) {
            throw new PayloadFormatException("avcC record ends before numOfPictureParameterSets");
        }
        int ppsCount = record.getUnsignedByte(offset[0]);
        offset[0]++;
        List<byte[]> pps = readParameterSets(record, offset, end, ppsCount, "PPS");
        byte[] extension = new byte[end - offset[0]];
        record.getBytes(offset[0], extension);
        return new AvcDecoderConfigurationRecord(record.getUnsignedByte(start + PROFILE_OFFSET),
                record.getUnsignedByte(start + COMPATIBILITY_OFFSET), record.getUnsignedByte(start + LEVEL_OFFSET),
                lengthSize, sps, pps, extension);
    }

    /** The record's bytes, inverse of {@link #parse(byte[])}. */
    public byte[] encode() {
        int length = SPS_LIST_OFFSET + 1 + extension.length;
        for (byte[] s : sequenceParameterSets) {
            length += 2 + s.length;
        }
        for (byte[] p : pictureParameterSets) {
            length += 2 + p.length;
        }
        byte[] bytes = new byte[length];
        ByteBuf out = Unpooled.wrappedBuffer(bytes).writerIndex(0);
        out.writeByte(1);
        out.writeByte(profileIndication);
        out.writeByte(profileCompatibility);
        out.writeByte(levelIndication);
        out.writeByte(0xFC | (lengthSize - 1));
        out.writeByte(0xE0 | sequenceParameterSets.size());
        for (byte[] s : sequenceParameterSets) {
            out.writeShort(s.length);
            out.writeBytes(s);
        }
        out.writeByte(pictureParameterSets.size());
        for (byte[] p : pictureParameterSets) {
            out.writeShort(p.length);
            out.writeBytes(p);
        }
        out.writeBytes(extension);
        return bytes;
    }

    public int profileIndication() {
        return profileIndication;
    }

    public int profileCompatibility() {
        return profileCompatibility;
    }

    public int levelIndication() {
        return levelIndication;
    }

    /** Bytes per NAL length field in the samples: 1, 2 or 4. */
    public int lengthSize() {
        return lengthSize;
    }

    /** The SPS NAL units (copies). */
    public List<byte[]> sequenceParameterSets() {
        return copy(sequenceParameterSets);
    }

    /** The PPS NAL units (copies). */
    public List<byte[]> pictureParameterSets() {
        return copy(pictureParameterSets);
    }

    /** The SDP {@code profile-level-id}: profile, compatibility and level as six hex digits. */
    public String profileLevelId() {
        return String.format("%02X%02X%02X", profileIndication, profileCompatibility, levelIndication);
    }

    private static List<byte[]> readParameterSets(ByteBuf record, int[] offset, int end, int count, String what) {
        List<byte[]> sets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            if (offset[0] + 2 > end) {
                throw new PayloadFormatException("avcC record ends in the length of " + what + " " + (i + 1));
            }
            int length = record.getUnsignedShort(offset[0]);
            offset[0] += 2;
            if (offset[0] + length > end) {
                throw new PayloadFormatException("avcC " + what + " " + (i + 1) + " of " + length
                        + " bytes runs past the end of the record");
            }
            byte[] set = new byte[length];
            record.getBytes(offset[0], set);
            sets.add(set);
            offset[0] += length;
        }
        return sets;
    }

    private static List<byte[]> copy(List<byte[]> sets) {
        List<byte[]> out = new ArrayList<>(sets.size());
        for (byte[] s : sets) {
            out.add(s.clone());
        }
        return out;
    }
}

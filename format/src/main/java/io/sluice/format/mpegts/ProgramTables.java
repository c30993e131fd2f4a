package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;
import java.util.ArrayList;
import java.util.List;

/**
 * The two PSI sections a single-program stream needs (ISO/IEC 13818-1 sections 2.4.4.3 and 2.4.4.8),
 * written as whole TS packets and read from reassembled sections.
 *
 * <pre>
 * PAT (PID 0):                                  PMT (PID from the PAT):
 * table_id 0x00                  8              table_id 0x02                  8
 * '1' '0' '11' section_length   16              '1' '0' '11' section_length   16
 * transport_stream_id           16              program_number                16
 * '11' version current          8               '11' version current          8
 * section_number                8               section_number                8
 * last_section_number           8               last_section_number           8
 * { program_number              16              '111' PCR_PID                 16
 *   '111' PMT PID               16 }            '1111' program_info_length    16 (+ descriptors)
 * CRC_32                        32              { stream_type                  8
 *                                                 '111' elementary_PID        16
 *                                                 '1111' ES_info_length       16 (+ descriptors) }
 *                                               CRC_32                        32
 * </pre>
 * section_length counts the bytes after it, CRC included. A section is preceded by a pointer_field
 * (here 0) in the packet where it starts; the rest of the packet is 0xFF.
 */
public final class ProgramTables {

    public static final int PAT_TABLE_ID = 0x00;
    public static final int PMT_TABLE_ID = 0x02;
    /** section_length is 12 bits but at most 1021 in PAT and PMT. */
    public static final int MAX_SECTION_LENGTH = 1021;

    private static final int SECTION_HEADER_LENGTH = 3;
    private static final int CRC_LENGTH = 4;
    private static final int SECTION_SYNTAX = 0xB000;
    private static final int LENGTH_MASK = 0x0FFF;
    private static final int PID_RESERVED = 0xE000;
    private static final int INFO_LENGTH_RESERVED = 0xF000;
    private static final int VERSION_CURRENT = 0xC1;

    private ProgramTables() {
    }

    /** What a PMT says: where the PCR is and which elementary streams there are. */
    public record Pmt(int programNumber, int pcrPid, List<TsElementaryStream> streams) {
    }

    /** Appends one TS packet holding the PAT of a single program. */
    public static void writePat(ByteBuf out, int transportStreamId, int programNumber, int pmtPid, int continuity) {
        int start = beginPacket(out, TsPacket.PAT_PID, continuity);
        int section = out.writerIndex();
        out.writeByte(PAT_TABLE_ID);
        out.writeShort(0);
        out.writeShort(transportStreamId);
        out.writeByte(VERSION_CURRENT);
        out.writeByte(0);
        out.writeByte(0);
        out.writeShort(programNumber);
        out.writeShort(PID_RESERVED | pmtPid);
        endSection(out, section, start);
    }

    /** Appends one TS packet holding the PMT; {@code streams} must fit one packet (up to 33 streams). */
    public static void writePmt(ByteBuf out, int pmtPid, int programNumber, int pcrPid, List<TsElementaryStream> streams,
                                int continuity) {
        int start = beginPacket(out, pmtPid, continuity);
        int section = out.writerIndex();
        out.writeByte(PMT_TABLE_ID);
        out.writeShort(0);
        out.writeShort(programNumber);
        out.writeByte(VERSION_CURRENT);
        out.writeByte(0);
        out.writeByte(0);
        out.writeShort(PID_RESERVED | pcrPid);
        out.writeShort(INFO_LENGTH_RESERVED);
        for (TsElementaryStream s : streams) {
            out.writeByte(s.streamType());
            out.writeShort(PID_RESERVED | s.pid());
            out.writeShort(INFO_LENGTH_RESERVED);
        }
        endSection(out, section, start);
    }

    private static int beginPacket(ByteBuf out, int pid, int continuity) {
        int start = out.writerIndex();
        out.ensureWritable(TsPacket.SIZE);
        out.writeByte(TsPacket.SYNC_BYTE);
        out.writeShort(TsPacket.PAYLOAD_UNIT_START << 8 | pid);
        out.writeByte(TsPacket.PAYLOAD | (continuity & 0x0F));
        out.writeByte(0);
        return start;
    }

    private static void endSection(ByteBuf out, int section, int packetStart) {
        int sectionLength = out.writerIndex() - section - SECTION_HEADER_LENGTH + CRC_LENGTH;
        out.setShort(section + 1, SECTION_SYNTAX | sectionLength);
        out.writeInt(Crc32Mpeg2.compute(out, section, out.writerIndex() - section));
        int fill = packetStart + TsPacket.SIZE - out.writerIndex();
        for (int i = 0; i < fill; i++) {
            out.writeByte(0xFF);
        }
    }

    /** The whole length of the section at {@code off} (header and CRC included) from its section_length. */
    public static int sectionLength(ByteBuf b, int off) {
        return SECTION_HEADER_LENGTH + (b.getUnsignedShort(off + 1) & LENGTH_MASK);
    }

    /** Whether the CRC of the complete section at {@code off} checks. */
    public static boolean crcValid(ByteBuf b, int off) {
        return Crc32Mpeg2.compute(b, off, sectionLength(b, off)) == 0;
    }

    /** The PMT PID of the first program a complete, CRC-checked PAT section names, or -1. */
    public static int parsePat(ByteBuf b, int off) {
        int end = off + sectionLength(b, off) - CRC_LENGTH;
        for (int entry = off + 8; entry + 4 <= end; entry += 4) {
            int program = b.getUnsignedShort(entry);
            if (program != 0) {
                return b.getUnsignedShort(entry + 2) & TsPacket.NULL_PID;
            }
        }
        return -1;
    }

    /** A complete, CRC-checked PMT section; null when its lengths run past the section. */
    public static Pmt parsePmt(ByteBuf b, int off) {
        int end = off + sectionLength(b, off) - CRC_LENGTH;
        int programNumber = b.getUnsignedShort(off + 3);
        int pcrPid = b.getUnsignedShort(off + 8) & TsPacket.NULL_PID;
        int entry = off + 12 + (b.getUnsignedShort(off + 10) & LENGTH_MASK);
        List<TsElementaryStream> streams = new ArrayList<>();
        while (entry + 5 <= end) {
            int type = b.getUnsignedByte(entry);
            int pid = b.getUnsignedShort(entry + 1) & TsPacket.NULL_PID;
            entry += 5 + (b.getUnsignedShort(entry + 3) & LENGTH_MASK);
            streams.add(new TsElementaryStream(pid, type));
        }
        return entry == end ? new Pmt(programNumber, pcrPid, List.copyOf(streams)) : null;
    }
}

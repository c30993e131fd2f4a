package io.sluice.format.mpegts;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.List;

/**
 * Demuxes the first program of an MPEG-2 transport stream (ISO/IEC 13818-1) into its PES packets:
 * the PAT names the PMT's PID, the PMT the elementary streams, and the TS packets of each stream are
 * reassembled into PES packets, handed over with their PTS and DTS (90 kHz). For the video stream
 * types a PES packet is one access unit in Annex B; for AAC it is one or more ADTS frames.
 *
 * <pre>
 * TS packets:  | PAT | PMT | V(S) | V | A(S) | V | V(S) ...     (S) = payload unit start
 *                           \_________ PES 1 ____/               a PES ends at the next (S) of its
 *                                         \_A: PES_packet_length_/ PID, or at its declared length
 * </pre>
 *
 * A PES that loses a packet (a continuity counter jump) is dropped and counted rather than handed
 * over damaged; a repeated packet (same counter, allowed by the standard) is skipped. PSI sections
 * are CRC-checked. Input is whole 188-byte packets; a packet without the sync byte is skipped and
 * counted. Memory is bounded by {@code maxPesBytes} per stream: a longer PES is dropped.
 * Not thread-safe; call {@link #close} to release the reassembly buffers.
 */
public final class TsDemuxer implements AutoCloseable {

    /** Receives what the demuxer finds; called from {@link #feed} and {@link #flush}. */
    public interface Listener {

        /** The PMT's elementary streams, when first seen and whenever they change. */
        void program(List<TsElementaryStream> streams);

        /**
         * One PES packet of a stream of the PMT.
         *
         * @param pts          90 kHz, or {@link PesHeader#NO_TIMESTAMP}
         * @param dts          90 kHz; equal to {@code pts} when the PES carries no DTS
         * @param randomAccess the random access indicator of its first TS packet
         * @param data         the elementary stream bytes, valid during the call only (retain or copy them)
         */
        void pes(TsElementaryStream stream, long pts, long dts, boolean randomAccess, ByteBuf data);
    }

    private static final int MAX_SECTION_BYTES = 3 + ProgramTables.MAX_SECTION_LENGTH;
    private static final int NO_COUNTER = -1;

    private final ByteBufAllocator alloc;
    private final int maxPesBytes;
    private final Listener listener;
    private final Section patSection = new Section();
    private final Section pmtSection = new Section();
    private int pmtPid = -1;
    private List<TsElementaryStream> streams = List.of();
    private Assembly[] assemblies = new Assembly[0];
    private long syncErrors;
    private long continuityErrors;
    private long crcErrors;
    private long droppedPes;

    public TsDemuxer(ByteBufAllocator alloc, int maxPesBytes, Listener listener) {
        this.alloc = alloc;
        this.maxPesBytes = maxPesBytes;
        this.listener = listener;
    }

    /** Reads the 188-byte packets of {@code ts} (readerIndex..writerIndex); the indices do not move. */
    public void feed(ByteBuf ts) {
        int end = ts.writerIndex();
        int off = ts.readerIndex();
        for (; off + TsPacket.SIZE <= end; off += TsPacket.SIZE) {
            if (!TsPacket.hasSync(ts, off)) {
                syncErrors++;
                continue;
            }
            readPacket(ts, off);
        }
        if (off < end) {
            syncErrors++;
        }
    }

    /** Hands over the PES packets still being assembled (streams end without a final payload start). */
    public void flush() {
        for (Assembly a : assemblies) {
            a.emit();
        }
    }

    public List<TsElementaryStream> streams() {
        return streams;
    }

    /** Packets skipped for lacking the sync byte, plus trailing partial packets. */
    public long syncErrors() {
        return syncErrors;
    }

    /** Continuity counter jumps: each lost the PES it interrupted. */
    public long continuityErrors() {
        return continuityErrors;
    }

    /** PSI sections whose CRC did not check. */
    public long crcErrors() {
        return crcErrors;
    }

    /** PES packets dropped: interrupted, malformed or longer than the limit. */
    public long droppedPes() {
        return droppedPes;
    }

    private void readPacket(ByteBuf ts, int off) {
        int pid = TsPacket.pid(ts, off);
        int payload = TsPacket.payloadOffset(ts, off);
        if (payload < 0) {
            return;
        }
        int payloadEnd = off + TsPacket.SIZE;
        boolean start = TsPacket.payloadUnitStart(ts, off);
        if (pid == TsPacket.PAT_PID) {
            patSection.read(ts, payload, payloadEnd, start);
            return;
        }
        if (pid == pmtPid) {
            pmtSection.read(ts, payload, payloadEnd, start);
            return;
        }
        for (Assembly a : assemblies) {
            if (a.stream.pid() == pid) {
                a.read(ts, off, payload, payloadEnd, start);
                return;
            }
        }
    }

    private void onSection(Section section, ByteBuf b, int off) {
        if (!ProgramTables.crcValid(b, off)) {
            crcErrors++;
            return;
        }
        int tableId = b.getUnsignedByte(off);
        if (section == patSection && tableId == ProgramTables.PAT_TABLE_ID) {
            int pid = ProgramTables.parsePat(b, off);
            if (pid >= 0 && pid != pmtPid) {
                pmtPid = pid;
                pmtSection.reset();
            }
        } else if (section == pmtSection && tableId == ProgramTables.PMT_TABLE_ID) {
            ProgramTables.Pmt pmt = ProgramTables.parsePmt(b, off);
            if (pmt != null && !pmt.streams().equals(streams)) {
                setStreams(pmt.streams());
            }
        }
    }

    private void setStreams(List<TsElementaryStream> next) {
        for (Assembly a : assemblies) {
            a.release();
        }
        assemblies = new Assembly[next.size()];
        for (int i = 0; i < assemblies.length; i++) {
            assemblies[i] = new Assembly(next.get(i));
        }
        streams = next;
        listener.program(next);
    }

    @Override
    public void close() {
        for (Assembly a : assemblies) {
            a.release();
        }
        patSection.release();
        pmtSection.release();
    }

    /** A PSI section being collected from the packets of one PID. */
    private final class Section {
        private ByteBuf buf;

        void read(ByteBuf ts, int payload, int end, boolean start) {
            if (start) {
                int pointer = ts.getUnsignedByte(payload);
                int sectionStart = payload + 1 + pointer;
                if (sectionStart > end) {
                    reset();
                    return;
                }
                if (buf != null && buf.isReadable()) {
                    append(ts, payload + 1, pointer);
                }
                reset();
                buffer().writeBytes(ts, sectionStart, end - sectionStart);
            } else if (buf != null && buf.isReadable()) {
                append(ts, payload, end - payload);
            }
            completeIfWhole();
        }

        private void append(ByteBuf ts, int from, int length) {
            if (buf.readableBytes() + length > MAX_SECTION_BYTES) {
                reset();
                return;
            }
            buf.writeBytes(ts, from, length);
            completeIfWhole();
        }

        private void completeIfWhole() {
            if (buf == null || buf.readableBytes() < 3) {
                return;
            }
            int tableId = buf.getUnsignedByte(buf.readerIndex());
            if (tableId == 0xFF) {
                reset();
                return;
            }
            int length = ProgramTables.sectionLength(buf, buf.readerIndex());
            if (length > MAX_SECTION_BYTES) {
                reset();
                return;
            }
            if (buf.readableBytes() >= length) {
                onSection(this, buf, buf.readerIndex());
                reset();
            }
        }

        private ByteBuf buffer() {
            if (buf == null) {
                buf = alloc.buffer(TsPacket.SIZE, MAX_SECTION_BYTES + TsPacket.SIZE);
            }
            return buf;
        }

        void reset() {
            if (buf != null) {
                buf.clear();
            }
        }

        void release() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
        }
    }

    /** The PES of one elementary stream being reassembled. */
    private final class Assembly {
        final TsElementaryStream stream;
        private ByteBuf buf;
        private int lastCounter = NO_COUNTER;
        private boolean collecting;
        private boolean randomAccess;

        Assembly(TsElementaryStream stream) {
            this.stream = stream;
        }

        void read(ByteBuf ts, int off, int payload, int end, boolean start) {
            int counter = TsPacket.continuityCounter(ts, off);
            if (lastCounter != NO_COUNTER) {
                if (counter == lastCounter) {
                    return;
                }
                if (counter != ((lastCounter + 1) & 0x0F)) {
                    continuityErrors++;
                    drop();
                }
            }
            lastCounter = counter;
            if (start) {
                emit();
                collecting = true;
                randomAccess = TsPacket.randomAccess(ts, off);
                buffer().clear();
            }
            if (!collecting) {
                return;
            }
            if (buf.readableBytes() + end - payload > maxPesBytes) {
                drop();
                return;
            }
            buf.writeBytes(ts, payload, end - payload);
            if (buf.readableBytes() >= PesHeader.FIXED_LENGTH) {
                int declared = PesHeader.packetLength(buf, buf.readerIndex());
                if (declared > 0 && buf.readableBytes() >= 6 + declared) {
                    emit();
                }
            }
        }

        void emit() {
            if (!collecting) {
                return;
            }
            collecting = false;
            int off = buf.readerIndex();
            int length = buf.readableBytes();
            if (!PesHeader.isValid(buf, off, length)) {
                droppedPes++;
                return;
            }
            int declared = PesHeader.packetLength(buf, off);
            int end = declared > 0 ? Math.min(length, 6 + declared) : length;
            int dataStart = PesHeader.dataOffset(buf, off);
            listener.pes(stream, PesHeader.pts(buf, off), PesHeader.dts(buf, off), randomAccess,
                    buf.slice(off + dataStart, end - dataStart));
        }

        private void drop() {
            if (collecting) {
                droppedPes++;
                collecting = false;
            }
        }

        private ByteBuf buffer() {
            if (buf == null) {
                buf = alloc.buffer(4096, maxPesBytes);
            }
            return buf;
        }

        void release() {
            if (buf != null) {
                buf.release();
                buf = null;
            }
        }
    }
}

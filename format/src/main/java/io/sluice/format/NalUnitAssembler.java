package io.sluice.format;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.util.ArrayList;
import java.util.List;

/**
 * The state that H.264 and H.265 depacketizers share: the NAL units of the access unit being
 * received and the NAL unit being reassembled from fragmentation units.
 *
 * <p>An access unit ends at a packet with the marker bit, or, when a sender forgets the marker, at
 * the first packet with another timestamp. A gap in sequence numbers drops the fragmented NAL unit
 * in progress (its middle is missing) but keeps the complete NAL units already received: a decoder
 * conceals a missing slice better than a missing picture.
 *
 * <table>
 * <caption>Limits that protect memory against a sender that never sets the marker</caption>
 * <tr><th>limit</th><th>what happens beyond it</th></tr>
 * <tr><td>{@code maxAccessUnitSize} bytes</td><td>the access unit is dropped up to its end</td></tr>
 * <tr><td>{@code maxNalUnitsPerAccessUnit}</td><td>the access unit is dropped up to its end</td></tr>
 * </table>
 * Not thread-safe: one instance per received stream, used from its event loop.
 */
public final class NalUnitAssembler {

    private static final int NO_SEQUENCE = -1;
    private static final int INITIAL_FRAGMENT_CAPACITY = 4096;
    private static final int AGGREGATED_SIZE_LENGTH = 2;
    private static final int FU_START = 0x80;
    private static final int FU_END = 0x40;

    private final ByteBufAllocator alloc;
    private final int maxAccessUnitSize;
    private final int maxNalUnitsPerAccessUnit;
    private final List<ByteBuf> nalUnits = new ArrayList<>();
    private int accessUnitSize;
    private boolean discarding;
    private long timestamp = -1;
    private int expectedSequence = NO_SEQUENCE;
    private ByteBuf fragment;
    private long droppedFragments;
    private long droppedAccessUnits;

    public NalUnitAssembler(ByteBufAllocator alloc, int maxAccessUnitSize, int maxNalUnitsPerAccessUnit) {
        if (maxAccessUnitSize <= 0 || maxNalUnitsPerAccessUnit <= 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
        this.alloc = alloc;
        this.maxAccessUnitSize = maxAccessUnitSize;
        this.maxNalUnitsPerAccessUnit = maxNalUnitsPerAccessUnit;
    }

    /**
     * Starts a packet: notes a sequence gap (dropping a fragment in progress) and ends the pending
     * access unit when the timestamp moved on without a marker.
     */
    public void beginPacket(int sequenceNumber, long rtpTimestamp, AccessUnitSink sink) {
        if (expectedSequence != NO_SEQUENCE && sequenceNumber != expectedSequence) {
            dropFragment();
        }
        expectedSequence = (sequenceNumber + 1) & 0xFFFF;
        if (rtpTimestamp != timestamp) {
            dropFragment();
            endAccessUnit(sink);
            timestamp = rtpTimestamp;
        }
    }

    /** Ends a packet; the marker bit ends the access unit. */
    public void endPacket(boolean marker, AccessUnitSink sink) {
        if (marker) {
            dropFragment();
            endAccessUnit(sink);
        }
    }

    /** Adds a complete NAL unit to the access unit; takes ownership of {@code nalUnit}. */
    public void addNalUnit(ByteBuf nalUnit) {
        if (discarding) {
            nalUnit.release();
            return;
        }
        accessUnitSize += nalUnit.readableBytes();
        nalUnits.add(nalUnit);
        if (accessUnitSize > maxAccessUnitSize || nalUnits.size() > maxNalUnitsPerAccessUnit) {
            discardAccessUnit();
        }
    }

    /** True while a fragmented NAL unit has started and not ended. */
    public boolean fragmentInProgress() {
        return fragment != null;
    }

    /**
     * Starts reassembling a fragmented NAL unit (a fragment still in progress is incomplete and
     * dropped) and returns the buffer to write its rebuilt NAL unit header into.
     */
    public ByteBuf startFragment() {
        dropFragment();
        fragment = alloc.buffer(Math.min(INITIAL_FRAGMENT_CAPACITY, maxAccessUnitSize), maxAccessUnitSize);
        return fragment;
    }

    /** Appends fragment data; ignored when no fragment is in progress (its start was lost). */
    public void appendFragment(ByteBuf src, int index, int length) {
        if (fragment == null) {
            return;
        }
        if (length > fragment.maxWritableBytes()) {
            dropFragment();
            discardAccessUnit();
            return;
        }
        fragment.writeBytes(src, index, length);
    }

    /** Ends the fragmented NAL unit in progress and adds it to the access unit. */
    public void endFragment() {
        if (fragment != null) {
            ByteBuf complete = fragment;
            fragment = null;
            addNalUnit(complete);
        }
    }

    /**
     * Adds the NAL units of an aggregation packet as retained slices of {@code payload} (no copy):
     * STAP-A (RFC 6184 section 5.7.1) or AP (RFC 7798 section 4.4.2), whose units each follow a
     * 16-bit size. Every size is checked before the first unit is added, so a malformed packet adds
     * nothing.
     * <pre>
     *  0                   1                   2                   3
     *  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * | packet header (1 or 2 bytes)  |         NALU 1 Size           |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |              NALU 1 (its own header, then data)               |
     * :                               +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * |                               |         NALU 2 Size     ...   |
     * +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
     * </pre>
     *
     * @param start       where the packet starts, for the byte positions in errors
     * @param unitsIndex  where the first size field starts, after the packet header
     * @param end         where the packet ends
     * @param minUnitSize the smallest NAL unit allowed: its header
     * @param kind        the packet's name in errors ("STAP-A", "AP")
     * @throws PayloadFormatException for a size field or unit that does not fit, or no unit at all
     */
    public void addAggregatedNalUnits(ByteBuf payload, int start, int unitsIndex, int end, int minUnitSize,
            String kind) {
        int offset = unitsIndex;
        while (offset < end) {
            if (offset + AGGREGATED_SIZE_LENGTH > end) {
                throw new PayloadFormatException(kind + " truncated in a size field at byte " + (offset - start));
            }
            int size = payload.getUnsignedShort(offset);
            if (size < minUnitSize || offset + AGGREGATED_SIZE_LENGTH + size > end) {
                throw new PayloadFormatException(kind + " unit of " + size + " bytes at byte " + (offset - start)
                        + " does not fit the " + (end - start) + "-byte payload");
            }
            offset += AGGREGATED_SIZE_LENGTH + size;
        }
        if (offset == unitsIndex) {
            throw new PayloadFormatException(kind + " without units");
        }
        offset = unitsIndex;
        while (offset < end) {
            int size = payload.getUnsignedShort(offset);
            addNalUnit(payload.retainedSlice(offset + AGGREGATED_SIZE_LENGTH, size));
            offset += AGGREGATED_SIZE_LENGTH + size;
        }
    }

    /**
     * Takes one fragmentation unit: FU-A (RFC 6184 section 5.8) or FU (RFC 7798 section 4.4.3). Its FU
     * header's S bit starts a NAL unit with the header the caller rebuilt from the packet ({@code
     * nalHeader}, {@code nalHeaderLength} bytes), the data is appended, and the E bit ends the NAL unit.
     * <pre>
     * +-+-+-+-+-+-+-+-+
     * |S|E|  (type)   |   FU header; the remaining bits are the codec's
     * +-+-+-+-+-+-+-+-+
     * </pre>
     *
     * @param fuHeader  the FU header byte
     * @param dataIndex where the fragment's data starts in {@code payload}
     * @param dataLength its length
     * @param kind      the packet's name in errors ("FU-A", "FU")
     * @throws PayloadFormatException when both the S and the E bit are set
     */
    public void addFragmentationUnit(ByteBuf payload, int fuHeader, int nalHeader, int nalHeaderLength,
            int dataIndex, int dataLength, String kind) {
        boolean first = (fuHeader & FU_START) != 0;
        boolean last = (fuHeader & FU_END) != 0;
        if (first && last) {
            throw new PayloadFormatException(kind + " with both start and end bits set");
        }
        if (first) {
            ByteBuf header = startFragment();
            if (nalHeaderLength == 1) {
                header.writeByte(nalHeader);
            } else {
                header.writeShort(nalHeader);
            }
        }
        appendFragment(payload, dataIndex, dataLength);
        if (last) {
            endFragment();
        }
    }

    /** Fragmented NAL units dropped because a packet of theirs was lost or too large. */
    public long droppedFragments() {
        return droppedFragments;
    }

    /** Access units dropped for exceeding a limit. */
    public long droppedAccessUnits() {
        return droppedAccessUnits;
    }

    /** Releases everything pending and forgets the sequence and timestamp; call when the stream ends. */
    public void reset() {
        dropFragment();
        releaseNalUnits();
        discarding = false;
        timestamp = -1;
        expectedSequence = NO_SEQUENCE;
    }

    private void endAccessUnit(AccessUnitSink sink) {
        discarding = false;
        if (nalUnits.isEmpty()) {
            return;
        }
        try {
            sink.accessUnit(timestamp, nalUnits);
        } finally {
            nalUnits.clear();
            accessUnitSize = 0;
        }
    }

    private void discardAccessUnit() {
        releaseNalUnits();
        discarding = true;
        droppedAccessUnits++;
    }

    private void releaseNalUnits() {
        for (ByteBuf b : nalUnits) {
            b.release();
        }
        nalUnits.clear();
        accessUnitSize = 0;
    }

    private void dropFragment() {
        if (fragment != null) {
            fragment.release();
            fragment = null;
            droppedFragments++;
        }
    }
}

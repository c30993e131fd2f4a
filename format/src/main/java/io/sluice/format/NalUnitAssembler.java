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

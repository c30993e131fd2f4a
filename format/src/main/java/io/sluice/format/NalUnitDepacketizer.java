package io.sluice.format;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;

/**
 * What the H.264 and H.265 depacketizers share: a {@link NalUnitAssembler} with its limits, and the
 * packet loop around it. A codec reads one packet's payload into the assembler (single NAL unit,
 * aggregation or fragmentation packet); the assembler decides where access units end, what loss drops
 * and what the limits refuse. Not thread-safe.
 */
public abstract class NalUnitDepacketizer {

    public static final int DEFAULT_MAX_ACCESS_UNIT_SIZE = 8 * 1024 * 1024;
    public static final int DEFAULT_MAX_NAL_UNITS_PER_ACCESS_UNIT = 1024;

    protected final NalUnitAssembler assembler;

    protected NalUnitDepacketizer(ByteBufAllocator alloc, int maxAccessUnitSize, int maxNalUnitsPerAccessUnit) {
        this.assembler = new NalUnitAssembler(alloc, maxAccessUnitSize, maxNalUnitsPerAccessUnit);
    }

    /**
     * Takes one RTP payload; calls {@code sink} for each access unit it completes.
     *
     * @param payload        the RTP payload (readerIndex..writerIndex), read but not consumed
     * @param sequenceNumber the packet's RTP sequence number, to notice loss
     * @param rtpTimestamp   the packet's RTP timestamp, 0..2^32-1
     * @param marker         the packet's marker bit: the last packet of an access unit
     * @throws PayloadFormatException for a malformed or refused packet, which is ignored
     */
    public final void depacketize(ByteBuf payload, int sequenceNumber, long rtpTimestamp, boolean marker,
            AccessUnitSink sink) {
        assembler.beginPacket(sequenceNumber, rtpTimestamp, sink);
        readPayload(payload, payload.readerIndex(), payload.writerIndex());
        assembler.endPacket(marker, sink);
    }

    /**
     * Adds what the payload from {@code start} to {@code end} carries to {@link #assembler}.
     *
     * @throws PayloadFormatException for a malformed or refused packet
     */
    protected abstract void readPayload(ByteBuf payload, int start, int end);

    /** Fragmented NAL units dropped because a packet of theirs was lost. */
    public final long droppedFragments() {
        return assembler.droppedFragments();
    }

    /** Access units dropped for exceeding the size limits. */
    public final long droppedAccessUnits() {
        return assembler.droppedAccessUnits();
    }

    /** Releases what is pending; the next packet starts afresh. */
    public final void reset() {
        assembler.reset();
    }
}

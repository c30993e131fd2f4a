package io.sluice.format.aac;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.format.FrameSink;
import io.sluice.format.PayloadFormatException;

/**
 * Extracts AAC frames from RTP payloads of RFC 3640 {@code mpeg4-generic}, mode AAC-hbr
 * ({@code sizelength=13;indexlength=3;indexdeltalength=3}):
 * <pre>
 * +---------------------------+----------------+----------------+-----+---------+---------+---
 * | AU-headers-length (16)    | AU-header(1)   | AU-header(2)   | ... | AU(1)   | AU(2)   | ...
 * | = 16 x number of headers  | size 13 | idx 3| size 13 | dlt 3|     | data    | data    |
 * +---------------------------+----------------+----------------+-----+---------+---------+---
 * </pre>
 * Each frame of a packet gets the packet's timestamp plus its position times
 * {@code samplesPerFrame}. Complete frames are passed on as retained slices of the payload (no
 * copy); a fragmented frame (one AU header whose size exceeds the data, section 3.2.3) is
 * reassembled across packets of the same timestamp and dropped when a packet of it is lost.
 * Interleaving (non-zero AU-index or AU-index-delta) is refused. The caller keeps ownership of each
 * payload. Not thread-safe.
 */
public final class Rfc3640Depacketizer {

    private static final int HEADERS_LENGTH_FIELD = 2;
    private static final int AU_HEADER_LENGTH = 2;
    private static final int AU_HEADER_BITS = 16;
    private static final int SIZE_SHIFT = 3;
    private static final int INDEX_MASK = 0x7;
    private static final int NO_SEQUENCE = -1;

    private final ByteBufAllocator alloc;
    private final int samplesPerFrame;
    private ByteBuf fragment;
    private int fragmentSize;
    private long fragmentTimestamp;
    private int expectedSequence = NO_SEQUENCE;
    private long droppedFragments;
    private long lastDroppedTimestamp = -1;

    /** @param samplesPerFrame 1024 for AAC LC, or {@link AudioSpecificConfig#samplesPerFrame()} */
    public Rfc3640Depacketizer(int samplesPerFrame) {
        this(samplesPerFrame, ByteBufAllocator.DEFAULT);
    }

    public Rfc3640Depacketizer(int samplesPerFrame, ByteBufAllocator alloc) {
        if (samplesPerFrame <= 0) {
            throw new IllegalArgumentException("samplesPerFrame must be positive: " + samplesPerFrame);
        }
        this.samplesPerFrame = samplesPerFrame;
        this.alloc = alloc;
    }

    /**
     * Takes one RTP payload and passes each frame it completes to {@code sink}.
     *
     * @param payload        the RTP payload (readerIndex..writerIndex), read but not consumed
     * @param sequenceNumber the packet's RTP sequence number, to notice a lost fragment
     * @param rtpTimestamp   the packet's RTP timestamp, 0..2^32-1
     * @param marker         the packet's marker bit (clear on all but the last fragment of a frame)
     * @throws PayloadFormatException for a malformed or interleaved packet, which is ignored
     */
    public void depacketize(ByteBuf payload, int sequenceNumber, long rtpTimestamp, boolean marker, FrameSink sink) {
        boolean gap = expectedSequence != NO_SEQUENCE && sequenceNumber != expectedSequence;
        expectedSequence = (sequenceNumber + 1) & 0xFFFF;
        if (fragment != null && (gap || rtpTimestamp != fragmentTimestamp)) {
            dropFragment();
        }
        int start = payload.readerIndex();
        int end = payload.writerIndex();
        if (end - start < HEADERS_LENGTH_FIELD) {
            throw new PayloadFormatException("RFC 3640 payload of " + (end - start) + " bytes has no AU-headers-length");
        }
        int headersBits = payload.getUnsignedShort(start);
        if (headersBits == 0 || headersBits % AU_HEADER_BITS != 0) {
            throw new PayloadFormatException("AU-headers-length of " + headersBits
                    + " bits is not a whole number of 16-bit AAC-hbr AU headers");
        }
        int count = headersBits / AU_HEADER_BITS;
        int dataStart = start + HEADERS_LENGTH_FIELD + count * AU_HEADER_LENGTH;
        if (dataStart > end) {
            throw new PayloadFormatException(count + " AU headers do not fit the " + (end - start) + "-byte payload");
        }
        int dataSize = 0;
        for (int i = 0; i < count; i++) {
            int header = payload.getUnsignedShort(start + HEADERS_LENGTH_FIELD + i * AU_HEADER_LENGTH);
            if ((header & INDEX_MASK) != 0) {
                throw new PayloadFormatException("interleaved AU (index " + (header & INDEX_MASK) + ") not supported");
            }
            dataSize += header >>> SIZE_SHIFT;
        }
        int available = end - dataStart;
        if (count == 1 && (dataSize > available || fragment != null)) {
            readFragment(payload, dataStart, available, dataSize, rtpTimestamp, marker, sink);
            return;
        }
        if (fragment != null) {
            dropFragment();
        }
        if (dataSize > available) {
            throw new PayloadFormatException("AU data of " + dataSize + " bytes exceeds the " + available
                    + " bytes after the AU headers");
        }
        int offset = dataStart;
        for (int i = 0; i < count; i++) {
            int size = payload.getUnsignedShort(start + HEADERS_LENGTH_FIELD + i * AU_HEADER_LENGTH) >>> SIZE_SHIFT;
            sink.frame((rtpTimestamp + (long) i * samplesPerFrame) & 0xFFFFFFFFL, payload.retainedSlice(offset, size));
            offset += size;
        }
    }

    /** Fragmented frames dropped because a packet of theirs was lost (each frame counted once). */
    public long droppedFragments() {
        return droppedFragments;
    }

    /** Releases a frame in reassembly; the next packet starts afresh. */
    public void reset() {
        if (fragment != null) {
            fragment.release();
            fragment = null;
        }
        expectedSequence = NO_SEQUENCE;
    }

    private void readFragment(ByteBuf payload, int dataStart, int available, int frameSize, long rtpTimestamp,
            boolean marker, FrameSink sink) {
        if (fragment == null) {
            fragment = alloc.buffer(frameSize, frameSize);
            fragmentSize = frameSize;
            fragmentTimestamp = rtpTimestamp;
        } else if (frameSize != fragmentSize) {
            dropFragment();
            throw new PayloadFormatException("fragment announces a " + frameSize + "-byte AU inside a "
                    + fragmentSize + "-byte one");
        }
        if (available > fragment.writableBytes()) {
            dropFragment();
            throw new PayloadFormatException("fragments carry more than the " + frameSize + "-byte AU");
        }
        fragment.writeBytes(payload, dataStart, available);
        if (!fragment.isWritable()) {
            ByteBuf frame = fragment;
            fragment = null;
            sink.frame(fragmentTimestamp, frame);
        } else if (marker) {
            dropFragment();
        }
    }

    /**
     * Without a start flag in AAC-hbr, the fragments after a loss look like a new frame and are
     * dropped again at the marker: the timestamp check counts that frame once.
     */
    private void dropFragment() {
        fragment.release();
        fragment = null;
        if (fragmentTimestamp != lastDroppedTimestamp) {
            droppedFragments++;
            lastDroppedTimestamp = fragmentTimestamp;
        }
    }
}

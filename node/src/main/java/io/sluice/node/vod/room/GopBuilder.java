package io.sluice.node.vod.room;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.sluice.rtp.RtpPacket;
import java.util.Arrays;

/**
 * Collects the RTP packets of one GOP on a demux thread. Each packet is written with a template header:
 * version 2, the marker, the payload type, sequence number and SSRC 0 and the timestamp in the track's
 * clock counted from the film's start; viewers overwrite the sequence number and SSRC and add their
 * timestamp offset when they send it.
 */
final class GopBuilder {

    private static final int INITIAL_PACKETS = 64;

    private final ByteBuf data;
    private int[] offsets = new int[INITIAL_PACKETS];
    private int[] lengths = new int[INITIAL_PACKETS];
    private byte[] tracks = new byte[INITIAL_PACKETS];
    private long[] sendUs = new long[INITIAL_PACKETS];
    private int count;
    private long startUs = Long.MIN_VALUE;
    private boolean keyed;
    private int keyTrack = -1;
    private int keyframeEnd;

    GopBuilder(ByteBufAllocator alloc, int initialBytes) {
        this.data = alloc.buffer(initialBytes);
    }

    /**
     * Marks where the GOP starts: the media time of its key track's keyframe, whose packets come next; the
     * marker bit on the last of them ends the keyframe.
     */
    void key(long keyUs, int track) {
        startUs = keyUs;
        keyed = true;
        keyTrack = track;
    }

    boolean keyed() {
        return keyed;
    }

    long startUs() {
        return startUs;
    }

    boolean isEmpty() {
        return count == 0;
    }

    /** Appends one packet; {@code payload} is read, not released. */
    void add(int track, int payloadType, boolean marker, long rtpTimestamp, long dueUs, ByteBuf payload) {
        if (count == offsets.length) {
            int n = count * 2;
            offsets = Arrays.copyOf(offsets, n);
            lengths = Arrays.copyOf(lengths, n);
            tracks = Arrays.copyOf(tracks, n);
            sendUs = Arrays.copyOf(sendUs, n);
        }
        int offset = data.writerIndex();
        RtpPacket.writeHeader(data, marker, payloadType, 0, rtpTimestamp & 0xFFFFFFFFL, 0);
        data.writeBytes(payload, payload.readerIndex(), payload.readableBytes());
        offsets[count] = offset;
        lengths[count] = data.writerIndex() - offset;
        tracks[count] = (byte) track;
        sendUs[count] = dueUs;
        count++;
        if (marker && track == keyTrack && keyframeEnd == 0) {
            keyframeEnd = count;
        }
    }

    /** The finished GOP; the builder must not be used after. {@code firstUs} stands in when no keyframe came. */
    Gop build(GopOwner owner, long endUs, boolean last, long firstUs) {
        long start = keyed ? startUs : firstUs;
        return new Gop(owner, start, Math.max(endUs, start), last, data, offsets, lengths, tracks, sendUs, count, keyframeEnd);
    }

    /** Frees the buffer of a GOP that will not be built. */
    void discard() {
        data.release();
    }
}

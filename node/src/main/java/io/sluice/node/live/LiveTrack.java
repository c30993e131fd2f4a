package io.sluice.node.live;

import io.netty.buffer.ByteBuf;
import io.sluice.format.KeyframeDetector;
import io.sluice.format.KeyframeDetectors;
import io.sluice.format.sdp.MediaDescription;
import io.sluice.format.sdp.RtpMap;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.ReceptionStatistics;

/**
 * One media section of a live stream as the publisher announced it, with what the node learns about it
 * while relaying: the reception statistics of the publisher's packets and the publisher's last
 * NTP&lt;-&gt;RTP mapping (from its Sender Reports), which readers need for A/V sync.
 * Mutable state is confined to the stream's media loop; the volatile fields are read by the API.
 */
public final class LiveTrack {

    private final int index;
    private final MediaDescription media;
    private final String encodingName;
    private final int clockRate;
    private final KeyframeDetector keyframeDetector;
    private final ReceptionStatistics reception = new ReceptionStatistics();
    private final RtpPacket flyweight = new RtpPacket();
    private final PacketRing history;

    private volatile int ssrc;
    private volatile boolean ssrcKnown;
    private volatile long lastSrNtp;
    private volatile long lastSrRtpTimestamp;
    private volatile boolean srKnown;
    private long lastKeyframeTimestamp = -1;
    private volatile long packetsReceived;
    private volatile long bytesReceived;

    LiveTrack(int index, MediaDescription media, PacketRing history) {
        this.index = index;
        this.history = history;
        this.media = media;
        RtpMap rtpMap = media.rtpMap();
        this.encodingName = rtpMap == null ? "unknown" : rtpMap.encodingName();
        this.clockRate = rtpMap == null || rtpMap.clockRate() <= 0 ? 90_000 : rtpMap.clockRate();
        this.keyframeDetector = KeyframeDetectors.forEncoding(encodingName);
    }

    public int index() {
        return index;
    }

    public MediaDescription media() {
        return media;
    }

    public String encodingName() {
        return encodingName;
    }

    public int clockRate() {
        return clockRate;
    }

    /**
     * True when the RTP marker bit ends a frame, so packets may wait for it before fan-out. MPEG-TS over
     * RTP (RFC 2250) and the native protocol's data leave the marker unset: held, they would always wait
     * for the frame-hold timer.
     */
    public boolean marksFrames() {
        return !"MP2T".equalsIgnoreCase(encodingName);
    }

    /** True for the payload formats whose keyframes the node can find (H.264, H.265, MPEG-TS). */
    public boolean hasKeyframes() {
        return keyframeDetector != null;
    }

    /** See {@link io.sluice.format.KeyframeDetector#alwaysMarked()}. */
    boolean keyframesAlwaysMarked() {
        return keyframeDetector != null && keyframeDetector.alwaysMarked();
    }

    /** See {@link io.sluice.format.KeyframeDetector#leadPackets()}. */
    int keyframeLeadPackets() {
        return keyframeDetector == null ? 0 : keyframeDetector.leadPackets();
    }

    public long packetsReceived() {
        return packetsReceived;
    }

    public long bytesReceived() {
        return bytesReceived;
    }

    /** The recent packets, kept to answer readers' NACKs. Media loop only. */
    public PacketRing history() {
        return history;
    }

    public ReceptionStatistics reception() {
        return reception;
    }

    public boolean ssrcKnown() {
        return ssrcKnown;
    }

    public int ssrc() {
        return ssrc;
    }

    public boolean srKnown() {
        return srKnown;
    }

    /** The NTP timestamp of the publisher's last Sender Report (valid when {@link #srKnown()}). */
    public long lastSrNtp() {
        return lastSrNtp;
    }

    public long lastSrRtpTimestamp() {
        return lastSrRtpTimestamp;
    }

    /**
     * Accounts for one received packet and answers whether it begins a keyframe. Parameter sets and the
     * IDR slice of one access unit share a timestamp, so only the first of them counts as the start.
     */
    boolean onPacket(ByteBuf packet, long arrivalNs) {
        int seq = RtpPacket.sequenceNumber(packet);
        long timestamp = RtpPacket.timestamp(packet);
        if (!ssrcKnown) {
            ssrc = RtpPacket.ssrc(packet);
            ssrcKnown = true;
        }
        reception.onPacket(seq, timestamp, arrivalNs, clockRate);
        packetsReceived++;
        bytesReceived += packet.readableBytes();
        if (keyframeDetector == null) {
            return false;
        }
        int start = packet.readerIndex();
        int payloadOffset = flyweight.wrap(packet).payloadOffset();
        if (payloadOffset >= packet.writerIndex()) {
            return false;
        }
        // The detector reads readerIndex..writerIndex: move the reader index instead of allocating a slice.
        packet.readerIndex(payloadOffset);
        try {
            if (timestamp != lastKeyframeTimestamp && keyframeDetector.isKeyframe(packet)) {
                lastKeyframeTimestamp = timestamp;
                return true;
            }
            return false;
        } finally {
            packet.readerIndex(start);
        }
    }

    void onSenderReport(long ntp, long rtpTimestamp, long arrivalNs) {
        lastSrNtp = ntp;
        lastSrRtpTimestamp = rtpTimestamp;
        srKnown = true;
        reception.onSenderReport(ntp, arrivalNs);
    }
}

package io.sluice.bench.load;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.sluice.bench.common.UdpPorts;
import io.sluice.rtp.NtpTime;
import io.sluice.rtp.RtpPacket;
import io.sluice.rtp.rtcp.RtcpWriter;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Publishes the captured packets as an endless live stream over UDP: each packet leaves at its RTP time
 * (frames in a burst, as {@code ffmpeg -re} sends them), loop after loop with the sequence numbers and
 * timestamps continued, so a reader sees one unbroken stream. The send time of every sequence number goes
 * to {@link SendTimes}. When an RTCP destination is given, a Sender Report goes there every 5 s, as ffmpeg
 * does.
 */
final class ReplayPublisher implements AutoCloseable {

    private static final long SENDER_REPORT_INTERVAL_NS = TimeUnit.SECONDS.toNanos(5);
    private static final int SEQUENCE_OFFSET = RtpPacket.SEQUENCE_NUMBER_OFFSET;
    private static final int TIMESTAMP_OFFSET = RtpPacket.TIMESTAMP_OFFSET;

    private final RtpCapture capture;
    private final DatagramChannel rtp;
    private final InetSocketAddress rtpDestination;
    private final DatagramChannel rtcp;
    private final InetSocketAddress rtcpDestination;
    private final SendTimes sendTimes;
    private final Thread thread;
    private volatile boolean running = true;
    private volatile long sentPackets;
    private volatile IOException failure;

    ReplayPublisher(RtpCapture capture, DatagramChannel rtp, InetSocketAddress rtpDestination, DatagramChannel rtcp,
                    InetSocketAddress rtcpDestination, SendTimes sendTimes) {
        this.capture = capture;
        this.rtp = rtp;
        this.rtpDestination = rtpDestination;
        this.rtcp = rtcp;
        this.rtcpDestination = rtcpDestination;
        this.sendTimes = sendTimes;
        this.thread = Thread.ofPlatform().name("publisher").daemon().unstarted(this::run);
    }

    void start() {
        thread.start();
    }

    long sentPackets() {
        return sentPackets;
    }

    private void run() {
        int count = capture.packets().size();
        long firstTimestamp = capture.timestamp(0);
        long loopTicks = capture.loopTicks();
        long[] relativeTicks = new long[count];
        for (int i = 0; i < count; i++) {
            relativeTicks[i] = (capture.timestamp(i) - firstTimestamp) & 0xFFFFFFFFL;
        }
        int firstSequence = RtpPacket.sequenceNumber(Unpooled.wrappedBuffer(capture.packets().getFirst()));
        int ssrc = RtpPacket.ssrc(Unpooled.wrappedBuffer(capture.packets().getFirst()));
        ByteBuffer out = ByteBuffer.allocateDirect(2048);
        ByteBuf report = Unpooled.buffer(64);
        long startNs = System.nanoTime();
        long nextReportNs = startNs;
        long octets = 0;
        try {
            for (long n = 0; running; n++) {
                int index = (int) (n % count);
                long loop = n / count;
                long ticks = loop * loopTicks + relativeTicks[index];
                long dueNs = startNs + ticks * 1_000_000_000L / capture.clockRate();
                for (long waitNs = dueNs - System.nanoTime(); waitNs > 0 && running; waitNs = dueNs - System.nanoTime()) {
                    LockSupport.parkNanos(waitNs);
                }
                byte[] packet = capture.packets().get(index);
                int sequence = (firstSequence + (int) n) & 0xFFFF;
                long timestamp = (firstTimestamp + ticks) & 0xFFFFFFFFL;
                out.clear();
                out.put(packet).flip();
                out.putShort(SEQUENCE_OFFSET, (short) sequence);
                out.putInt(TIMESTAMP_OFFSET, (int) timestamp);
                sendTimes.sent(sequence, System.nanoTime());
                rtp.send(out, rtpDestination);
                octets += packet.length - RtpPacket.FIXED_HEADER_LENGTH;
                sentPackets = n + 1;
                long nowNs = System.nanoTime();
                if (rtcp != null && nowNs >= nextReportNs) {
                    nextReportNs = nowNs + SENDER_REPORT_INTERVAL_NS;
                    report.clear();
                    RtcpWriter.writeSenderReport(report, ssrc, NtpTime.fromEpochMillis(System.currentTimeMillis()),
                            timestamp, n + 1, octets);
                    RtcpWriter.writeSdesCname(report, ssrc, "sluice-bench");
                    rtcp.send(report.nioBuffer(), rtcpDestination);
                }
            }
        } catch (IOException e) {
            failure = e;
        }
    }

    /** Throws what stopped the publisher, if anything did. */
    void check() throws IOException {
        IOException f = failure;
        if (f != null) {
            throw new IOException("publisher failed: " + f.getMessage(), f);
        }
        if (!thread.isAlive() && running) {
            throw new IOException("publisher stopped");
        }
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        LockSupport.unpark(thread);
        thread.join(5000);
        UdpPorts.closeQuietly(rtp);
        UdpPorts.closeQuietly(rtcp);
    }
}

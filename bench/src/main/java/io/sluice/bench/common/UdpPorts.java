package io.sluice.bench.common;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.DatagramChannel;
import java.util.concurrent.atomic.AtomicInteger;

/** Binds RTP/RTCP socket pairs on loopback at an even port and the next one, as RTSP clients do. */
public final class UdpPorts {

    private static final int FIRST_PORT = 20_000;
    private static final int LAST_PORT = 60_000;
    private static final int MAX_ATTEMPTS = 2_000;
    private static final AtomicInteger NEXT = new AtomicInteger(FIRST_PORT);

    private UdpPorts() {
    }

    /** A bound, non-blocking pair {rtp, rtcp} with {@code receiveBufferBytes} asked for the RTP socket. */
    public static DatagramChannel[] bindPair(int receiveBufferBytes) throws IOException {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            int port = NEXT.getAndUpdate(p -> p + 2 >= LAST_PORT ? FIRST_PORT : p + 2);
            DatagramChannel rtp = null;
            DatagramChannel rtcp = null;
            try {
                rtp = open(port, receiveBufferBytes);
                rtcp = open(port + 1, 64 << 10);
                return new DatagramChannel[] {rtp, rtcp};
            } catch (IOException taken) {
                closeQuietly(rtp);
                closeQuietly(rtcp);
            }
        }
        throw new IOException("no free UDP port pair in " + FIRST_PORT + ".." + LAST_PORT);
    }

    private static DatagramChannel open(int port, int receiveBufferBytes) throws IOException {
        DatagramChannel ch = DatagramChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_RCVBUF, receiveBufferBytes);
            ch.bind(new InetSocketAddress("127.0.0.1", port));
            ch.configureBlocking(false);
            return ch;
        } catch (IOException e) {
            ch.close();
            throw e;
        }
    }

    public static void closeQuietly(AutoCloseable c) {
        if (c == null) {
            return;
        }
        try {
            c.close();
        } catch (Exception ignored) {
            // closing on the way out; nothing left to do with it
        }
    }
}

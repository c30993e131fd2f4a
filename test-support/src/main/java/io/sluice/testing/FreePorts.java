package io.sluice.testing;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;

/** Free loopback ports for test nodes, so that tests never collide with each other or a running node. */
public final class FreePorts {

    private FreePorts() {
    }

    /** An even UDP port, picked by the kernel, whose successor is free too: an RTP/RTCP pair. */
    public static int udpPair() throws IOException {
        InetAddress lo = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 100; attempt++) {
            try (DatagramSocket rtp = new DatagramSocket(0, lo)) {
                int p = rtp.getLocalPort();
                if (p % 2 != 0 || p >= 65534) {
                    continue;
                }
                try (DatagramSocket rtcp = new DatagramSocket(p + 1, lo)) {
                    return p;
                } catch (IOException taken) {
                    // the successor is in use: try another
                }
            }
        }
        throw new IOException("no free UDP port pair");
    }
}

package io.sluice.api;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A client of the native protocol from the wire table alone (DESIGN.md), with a plain datagram socket:
 * the 12-byte header 0x80, M|PT, sequence, low 32 bits of epoch ms, SSRC, then the payload.
 */
final class NativePeer implements AutoCloseable {

    /** A received datagram split into the table's fields. */
    record Message(int pt, int seq, int ssrc, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    private final DatagramSocket socket;
    private final InetSocketAddress server;

    NativePeer(int serverPort) {
        try {
            socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = new InetSocketAddress("127.0.0.1", serverPort);
    }

    int localPort() {
        return socket.getLocalPort();
    }

    void send(int pt, boolean marker, int seq, int ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80).put((byte) ((marker ? 0x80 : 0) | pt)).putShort((short) seq)
                .putInt((int) System.currentTimeMillis()).putInt(ssrc).put(payload);
        try {
            socket.send(new DatagramPacket(b.array(), b.capacity(), server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(int pt, int ssrc, String text) {
        send(pt, false, 0, ssrc, text.getBytes(StandardCharsets.UTF_8));
    }

    /** The next datagram of type {@code pt} within {@code timeoutMs} (others are skipped), or an assertion error. */
    Message expect(int pt, int timeoutMs) {
        long deadlineNs = System.nanoTime() + timeoutMs * 1_000_000L;
        byte[] buf = new byte[2048];
        while (true) {
            long leftMs = (deadlineNs - System.nanoTime()) / 1_000_000L;
            if (leftMs <= 0) {
                throw new AssertionError("no message " + pt + " within " + timeoutMs + " ms");
            }
            DatagramPacket p = new DatagramPacket(buf, buf.length);
            try {
                socket.setSoTimeout((int) leftMs);
                socket.receive(p);
            } catch (SocketTimeoutException e) {
                continue;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            ByteBuffer b = ByteBuffer.wrap(p.getData(), 0, p.getLength());
            int type = b.get(1) & 0x7F;
            if (type == pt) {
                return new Message(type, b.getShort(2) & 0xFFFF, b.getInt(8),
                        Arrays.copyOfRange(p.getData(), 12, p.getLength()));
            }
        }
    }

    /** Auth (101) as a pusher; answers the stream's SSRC from 102. */
    int auth(String liveId, String liveCode) {
        send(101, 0, liveId + "#" + liveCode);
        return expect(102, 3000).ssrc();
    }

    /** As a puller: a client id (114/115), a pull of {@code liveId} (111/112) and its acknowledgement (99). */
    int pull(String liveId) {
        send(114, 0, "");
        int clientId = expect(115, 3000).ssrc();
        send(111, true, 0, clientId, liveId.getBytes(StandardCharsets.UTF_8));
        String answer = expect(112, 3000).text();
        if (answer.endsWith("#null")) {
            throw new AssertionError("no stream to pull: " + answer);
        }
        send(99, clientId, liveId);
        return clientId;
    }

    /** 7 x 188 bytes of MPEG-TS null packets. */
    static byte[] tsPayload() {
        byte[] b = new byte[7 * 188];
        for (int i = 0; i < 7; i++) {
            b[i * 188] = 0x47;
            b[i * 188 + 1] = 0x1F;
            b[i * 188 + 2] = (byte) 0xFF;
            b[i * 188 + 3] = 0x10;
        }
        return b;
    }

    @Override
    public void close() {
        socket.close();
    }
}

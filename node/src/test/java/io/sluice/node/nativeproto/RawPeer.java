package io.sluice.node.nativeproto;

import static org.assertj.core.api.Assertions.assertThat;

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
 * A peer of the native protocol written from the wire table alone, with plain {@link DatagramSocket}s
 * and hand-built bytes: what an original client puts on the wire, independent of Sluice's codecs.
 */
final class RawPeer implements AutoCloseable {

    /** A received datagram, split into the header fields of the table. */
    record Message(int pt, boolean marker, int seq, long timestamp, int ssrc, byte[] payload) {
        String text() {
            return new String(payload, StandardCharsets.UTF_8);
        }
    }

    final DatagramSocket socket;
    private final InetSocketAddress server;

    RawPeer(InetSocketAddress server) {
        try {
            this.socket = new DatagramSocket(new InetSocketAddress("127.0.0.1", 0));
            socket.setReceiveBufferSize(4 << 20);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.server = server;
    }

    /** The 12-byte header of the table: 0x80, M|PT, sequence, low 32 bits of epoch ms, SSRC. */
    static byte[] datagram(int pt, boolean marker, int seq, int ssrc, byte[] payload) {
        ByteBuffer b = ByteBuffer.allocate(12 + payload.length);
        b.put((byte) 0x80);
        b.put((byte) ((marker ? 0x80 : 0) | pt));
        b.putShort((short) seq);
        b.putInt((int) System.currentTimeMillis());
        b.putInt(ssrc);
        b.put(payload);
        return b.array();
    }

    static byte[] text(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    void send(byte[] bytes) {
        try {
            socket.send(new DatagramPacket(bytes, bytes.length, server));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void send(int pt, int ssrc, String payload) {
        send(datagram(pt, false, 0, ssrc, text(payload)));
    }

    /** The next datagram within {@code timeoutMs}, or null. */
    Message receive(int timeoutMs) {
        byte[] buf = new byte[2048];
        DatagramPacket p = new DatagramPacket(buf, buf.length);
        try {
            socket.setSoTimeout(timeoutMs);
            socket.receive(p);
        } catch (SocketTimeoutException e) {
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        ByteBuffer b = ByteBuffer.wrap(buf, 0, p.getLength());
        assertThat(b.get() & 0xFF).as("first byte").isEqualTo(0x80);
        int mpt = b.get() & 0xFF;
        int seq = b.getShort() & 0xFFFF;
        long ts = b.getInt() & 0xFFFF_FFFFL;
        int ssrc = b.getInt();
        return new Message(mpt & 0x7F, (mpt & 0x80) != 0, seq, ts, ssrc, Arrays.copyOfRange(buf, 12, p.getLength()));
    }

    /** The next datagram of type {@code pt} within {@code timeoutMs}, skipping others; fails when none comes. */
    Message expect(int pt, int timeoutMs) {
        long deadline = System.currentTimeMillis() + timeoutMs;
        while (System.currentTimeMillis() < deadline) {
            Message m = receive((int) Math.max(1, deadline - System.currentTimeMillis()));
            if (m != null && m.pt() == pt) {
                return m;
            }
        }
        throw new AssertionError("no datagram of PT " + pt + " within " + timeoutMs + " ms");
    }

    /** Asserts that no datagram of type {@code pt} comes within {@code ms}. */
    void expectNone(int pt, int ms) {
        long deadline = System.currentTimeMillis() + ms;
        while (System.currentTimeMillis() < deadline) {
            Message m = receive((int) Math.max(1, deadline - System.currentTimeMillis()));
            assertThat(m == null || m.pt() != pt).as("unexpected PT " + pt).isTrue();
        }
    }

    @Override
    public void close() {
        socket.close();
    }
}

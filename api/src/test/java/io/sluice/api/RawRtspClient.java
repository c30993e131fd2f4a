package io.sluice.api;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Just enough RTSP over one TCP connection for the API tests: requests with CSeq, responses, and
 * {@code $}-framed interleaved packets both ways. PCMU audio needs no keyframe, so a reader gets every
 * packet sent after it joined.
 */
final class RawRtspClient implements AutoCloseable {

    /** An RTSP response, or an interleaved frame (status -1) met while reading. */
    record Message(int status, Map<String, String> headers, byte[] body, int channel) {
    }

    static final String PCMU_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=test\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=audio 0 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\na=control:streamid=0\r\n";

    /** One MPEG-TS track, as an encoder publishing TS over RTSP announces it (RFC 2250). */
    static final String MP2T_SDP = "v=0\r\no=- 1 1 IN IP4 127.0.0.1\r\ns=test\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            + "m=video 0 RTP/AVP 33\r\na=rtpmap:33 MP2T/90000\r\na=control:streamid=0\r\n";

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final String base;
    private int cseq;
    String session;

    RawRtspClient(int port, String path) throws IOException {
        socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(5000);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
        base = "rtsp://127.0.0.1:" + port + path;
    }

    /** ANNOUNCE, SETUP (interleaved 0-1) and RECORD with {@code key}. */
    static RawRtspClient publish(int port, String liveId, String key) throws IOException {
        return publish(port, liveId, key, PCMU_SDP);
    }

    /** ANNOUNCE {@code sdp} (one track), SETUP (interleaved 0-1) and RECORD with {@code key}. */
    static RawRtspClient publish(int port, String liveId, String key, String sdp) throws IOException {
        RawRtspClient c = new RawRtspClient(port, "/live/" + liveId);
        String query = "?key=" + key;
        c.expectOk(c.request("ANNOUNCE", c.base + query, Map.of("Content-Type", "application/sdp"), sdp));
        c.expectOk(c.request("SETUP", c.base + query + "/streamid=0",
                Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"), null));
        c.expectOk(c.request("RECORD", c.base + query, Map.of(), null));
        return c;
    }

    /** DESCRIBE, SETUP (interleaved 0-1) and PLAY. */
    static RawRtspClient play(int port, String liveId) throws IOException {
        return playPath(port, "/live/" + liveId);
    }

    /** DESCRIBE, SETUP of the first track (interleaved 0-1) and PLAY of {@code path}, a live stream or a film. */
    static RawRtspClient playPath(int port, String path) throws IOException {
        RawRtspClient c = new RawRtspClient(port, path);
        c.expectOk(c.request("DESCRIBE", c.base, Map.of("Accept", "application/sdp"), null));
        c.expectOk(c.request("SETUP", c.base + "/trackID=0", Map.of("Transport", "RTP/AVP/TCP;unicast;interleaved=0-1"), null));
        c.expectOk(c.request("PLAY", c.base + "/", Map.of(), null));
        return c;
    }

    private void expectOk(Message m) throws IOException {
        if (m.status() != 200) {
            throw new IOException("RTSP answered " + m.status());
        }
        String s = m.headers().get("session");
        if (s != null) {
            session = s.split(";")[0].trim();
        }
    }

    Message request(String method, String uri, Map<String, String> headers, String body) throws IOException {
        StringBuilder sb = new StringBuilder(method).append(' ').append(uri).append(" RTSP/1.0\r\n");
        sb.append("CSeq: ").append(++cseq).append("\r\n");
        if (session != null) {
            sb.append("Session: ").append(session).append("\r\n");
        }
        headers.forEach((k, v) -> sb.append(k).append(": ").append(v).append("\r\n"));
        byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) {
            sb.append("Content-Length: ").append(bytes.length).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.US_ASCII));
        out.write(bytes);
        out.flush();
        Message m;
        do {
            m = read();
        } while (m.status() < 0);
        return m;
    }

    /** Sends one RTP packet of PCMU (160 samples) on channel 0. */
    void sendRtp(int seq, long timestamp, int ssrc, int payloadBytes) throws IOException {
        sendRtp(seq, timestamp, ssrc, 0, new byte[payloadBytes]);
    }

    /** Sends one RTP packet of {@code payloadType} on channel 0. */
    void sendRtp(int seq, long timestamp, int ssrc, int payloadType, byte[] payload) throws IOException {
        byte[] rtp = new byte[12 + payload.length];
        System.arraycopy(payload, 0, rtp, 12, payload.length);
        rtp[0] = (byte) 0x80;
        rtp[1] = (byte) payloadType;
        rtp[2] = (byte) (seq >> 8);
        rtp[3] = (byte) seq;
        for (int i = 0; i < 4; i++) {
            rtp[4 + i] = (byte) (timestamp >> (24 - 8 * i));
            rtp[8 + i] = (byte) (ssrc >> (24 - 8 * i));
        }
        byte[] frame = new byte[4 + rtp.length];
        frame[0] = '$';
        frame[1] = 0;
        frame[2] = (byte) (rtp.length >> 8);
        frame[3] = (byte) rtp.length;
        System.arraycopy(rtp, 0, frame, 4, rtp.length);
        out.write(frame);
        out.flush();
    }

    /** The next response or interleaved frame. */
    Message read() throws IOException {
        int first = in.readUnsignedByte();
        if (first == '$') {
            int channel = in.readUnsignedByte();
            int length = in.readUnsignedShort();
            byte[] data = new byte[length];
            in.readFully(data);
            return new Message(-1, Map.of(), data, channel);
        }
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        line.write(first);
        Map<String, String> headers = new LinkedHashMap<>();
        String statusLine = readLine(line);
        int status = Integer.parseInt(statusLine.split(" ")[1]);
        String h;
        while (!(h = readLine(new ByteArrayOutputStream())).isEmpty()) {
            int colon = h.indexOf(':');
            headers.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), h.substring(colon + 1).trim());
        }
        byte[] body = new byte[Integer.parseInt(headers.getOrDefault("content-length", "0"))];
        in.readFully(body);
        return new Message(status, headers, body, -1);
    }

    private String readLine(ByteArrayOutputStream line) throws IOException {
        int b;
        while ((b = in.readUnsignedByte()) != '\n') {
            if (b != '\r') {
                line.write(b);
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** Reads until an RTCP BYE arrives on channel 1: true, or false when the connection ends or idles first. */
    boolean readUntilBye() {
        try {
            for (int i = 0; i < 10_000; i++) {
                Message m = read();
                if (m.channel() == 1 && containsBye(m.body())) {
                    return true;
                }
            }
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    private static boolean containsBye(byte[] compound) {
        for (int off = 0; off + 4 <= compound.length; ) {
            if ((compound[off + 1] & 0xFF) == 203) {
                return true;
            }
            off += (((compound[off + 2] & 0xFF) << 8 | (compound[off + 3] & 0xFF)) + 1) * 4;
        }
        return false;
    }

    /** True when the server closed the connection (reads reach the end of the stream). */
    boolean closedByServer() {
        try {
            for (int i = 0; i < 1000; i++) {
                read();
            }
        } catch (java.io.EOFException | java.net.SocketException e) {
            return true;
        } catch (IOException e) {
            return false;
        }
        return false;
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}

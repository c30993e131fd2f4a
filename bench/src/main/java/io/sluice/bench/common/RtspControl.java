package io.sluice.bench.common;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A blocking RTSP 1.0 control connection (RFC 2326): one request at a time, the answer read whole. Enough
 * for a load generator, which only speaks to servers it started and only over UDP media, so no {@code $}
 * frames ever arrive on it.
 */
public final class RtspControl implements Closeable {

    /** An RTSP response; header names in lower case. */
    public record Response(int status, Map<String, String> headers, String body) {
        public String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }

        public Response requireOk(String what) throws IOException {
            if (status != 200) {
                throw new IOException(what + " answered " + status + " " + headers);
            }
            return this;
        }
    }

    private static final int MAX_LINE_BYTES = 8192;
    private static final int MAX_BODY_BYTES = 65536;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int cseq;

    private RtspControl(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream(), 8192);
        this.out = socket.getOutputStream();
    }

    public static RtspControl connect(String host, int port, int timeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.setSoTimeout(timeoutMs);
            s.connect(new InetSocketAddress(host, port), timeoutMs);
            return new RtspControl(s);
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** Sends a request with the given extra header lines ("Name: value") and an optional SDP body. */
    public Response request(String method, String url, String body, String... headerLines) throws IOException {
        StringBuilder sb = new StringBuilder(256);
        sb.append(method).append(' ').append(url).append(" RTSP/1.0\r\n");
        sb.append("CSeq: ").append(++cseq).append("\r\n");
        sb.append("User-Agent: sluice-bench\r\n");
        for (String h : headerLines) {
            sb.append(h).append("\r\n");
        }
        byte[] bodyBytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        if (bodyBytes.length > 0) {
            sb.append("Content-Type: application/sdp\r\n");
            sb.append("Content-Length: ").append(bodyBytes.length).append("\r\n");
        }
        sb.append("\r\n");
        out.write(sb.toString().getBytes(StandardCharsets.UTF_8));
        if (bodyBytes.length > 0) {
            out.write(bodyBytes);
        }
        out.flush();
        return readResponse();
    }

    private Response readResponse() throws IOException {
        String statusLine = readLine();
        if (!statusLine.startsWith("RTSP/1.0 ")) {
            throw new IOException("not an RTSP response: " + statusLine);
        }
        int status = Integer.parseInt(statusLine.substring(9, 12));
        Map<String, String> headers = new LinkedHashMap<>();
        for (String line = readLine(); !line.isEmpty(); line = readLine()) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), line.substring(colon + 1).trim());
            }
        }
        String length = headers.get("content-length");
        int contentLength = length == null ? 0 : Integer.parseInt(length);
        if (contentLength < 0 || contentLength > MAX_BODY_BYTES) {
            throw new IOException("bad Content-Length " + contentLength);
        }
        byte[] bodyBytes = in.readNBytes(contentLength);
        if (bodyBytes.length != contentLength) {
            throw new IOException("connection closed inside a response body");
        }
        return new Response(status, headers, new String(bodyBytes, StandardCharsets.UTF_8));
    }

    private String readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        while (true) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("connection closed by the server");
            }
            if (b == '\n') {
                break;
            }
            if (b != '\r') {
                line.write(b);
            }
            if (line.size() > MAX_LINE_BYTES) {
                throw new IOException("response line too long");
            }
        }
        return line.toString(StandardCharsets.US_ASCII);
    }

    /** The session id of a {@code Session: ID;timeout=N} header. */
    public static String sessionId(Response r) throws IOException {
        String s = r.header("Session");
        if (s == null) {
            throw new IOException("no Session header in " + r.headers());
        }
        int semi = s.indexOf(';');
        return semi < 0 ? s.trim() : s.substring(0, semi).trim();
    }

    /** The two ports of a Transport parameter such as {@code server_port=8000-8001}. */
    public static int[] transportPorts(Response r, String parameter) throws IOException {
        String t = r.header("Transport");
        if (t != null) {
            for (String part : t.split(";")) {
                part = part.trim();
                if (part.startsWith(parameter + "=")) {
                    String[] ports = part.substring(parameter.length() + 1).split("-");
                    int first = Integer.parseInt(ports[0].trim());
                    return new int[] {first, ports.length > 1 ? Integer.parseInt(ports[1].trim()) : first + 1};
                }
            }
        }
        throw new IOException("no " + parameter + " in Transport " + t);
    }

    @Override
    public void close() {
        UdpPorts.closeQuietly(socket);
    }
}

package io.sluice.systemtest.harness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A raw RTSP/1.0 connection over a plain socket: sends whatever bytes a test wants, well-formed or
 * not, and reads responses. Requests sent with {@link #request} get a fresh {@code CSeq}.
 */
public final class RtspConnection implements AutoCloseable {

    private static final int MAX_RESPONSE_HEAD = 65536;

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private int cseq;

    private RtspConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to the loopback {@code port}; reads time out after {@code readTimeout}. */
    public static RtspConnection open(int port, Duration readTimeout) {
        try {
            Socket socket = new Socket();
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 2000);
            socket.setSoTimeout((int) readTimeout.toMillis());
            socket.setTcpNoDelay(true);
            return new RtspConnection(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot connect to RTSP port " + port, e);
        }
    }

    /** Sends {@code method uri RTSP/1.0} with a CSeq, {@code headers} and {@code body}, and reads the response. */
    public RtspResponse request(String method, String uri, Map<String, String> headers, String body) throws IOException {
        StringBuilder request = new StringBuilder(method).append(' ').append(uri).append(" RTSP/1.0\r\n")
                .append("CSeq: ").append(++cseq).append("\r\n");
        headers.forEach((name, value) -> request.append(name).append(": ").append(value).append("\r\n"));
        byte[] content = body.getBytes(StandardCharsets.UTF_8);
        if (content.length > 0) {
            request.append("Content-Length: ").append(content.length).append("\r\n");
        }
        request.append("\r\n");
        write(request.toString().getBytes(StandardCharsets.UTF_8));
        write(content);
        return readResponse();
    }

    public RtspResponse request(String method, String uri, Map<String, String> headers) throws IOException {
        return request(method, uri, headers, "");
    }

    public void write(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void write(String ascii) throws IOException {
        write(ascii.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Closes our sending side only, as a client that gave up mid-request. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    /**
     * Reads one response (status line, headers, a body of Content-Length bytes); fails with
     * {@link java.io.EOFException} if the server closes first and with a timeout if it says nothing.
     */
    public RtspResponse readResponse() throws IOException {
        String head = readHead();
        String[] lines = head.split("\r\n");
        String[] status = lines[0].split(" ", 3);
        if (status.length < 2 || !status[0].startsWith("RTSP/")) {
            throw new IOException("not an RTSP status line: " + lines[0]);
        }
        Map<String, java.util.List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.computeIfAbsent(lines[i].substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
                        k -> new java.util.ArrayList<>()).add(lines[i].substring(colon + 1).trim());
            }
        }
        int length = headers.containsKey("content-length") ? Integer.parseInt(headers.get("content-length").get(0)) : 0;
        byte[] body = in.readNBytes(length);
        return new RtspResponse(Integer.parseInt(status[1]), status.length > 2 ? status[2] : "", headers,
                new String(body, StandardCharsets.UTF_8));
    }

    private String readHead() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int b = in.read();
            if (b < 0) {
                throw new java.io.EOFException("connection closed after " + head.size() + " bytes of a response: "
                        + head.toString(StandardCharsets.ISO_8859_1));
            }
            if (head.size() == 0 && b == '$') {
                skipInterleavedFrame();
                continue;
            }
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (head.size() > MAX_RESPONSE_HEAD) {
                throw new IOException("response head longer than " + MAX_RESPONSE_HEAD + " bytes");
            }
        }
        return head.toString(StandardCharsets.ISO_8859_1);
    }

    /** Skips a {@code $ channel length payload} frame the server interleaves before a response. */
    private void skipInterleavedFrame() throws IOException {
        in.read();
        int length = (in.read() << 8) | in.read();
        in.readNBytes(length);
    }

    /**
     * True if the server closes (EOF or reset) within {@code timeout}, consuming anything it still
     * sends; false if the connection stays open that long.
     */
    public boolean awaitClosedByServer(Duration timeout) throws IOException {
        long deadlineNs = System.nanoTime() + timeout.toNanos();
        int previousTimeout = socket.getSoTimeout();
        try {
            byte[] sink = new byte[4096];
            while (System.nanoTime() < deadlineNs) {
                socket.setSoTimeout((int) Math.max(1, (deadlineNs - System.nanoTime()) / 1_000_000));
                try {
                    if (in.read(sink) < 0) {
                        return true;
                    }
                } catch (SocketTimeoutException e) {
                    return false;
                } catch (SocketException e) {
                    return true;
                }
            }
            return false;
        } finally {
            if (!socket.isClosed()) {
                socket.setSoTimeout(previousTimeout);
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            // Nothing left to do with a socket that does not close.
        }
    }
}

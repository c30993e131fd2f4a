package io.sluice.rtsp.codec;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpHeadersFactory;
import io.netty.handler.codec.http.FullHttpMessage;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.TooLongHttpContentException;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.netty.handler.codec.rtsp.RtspMethods;
import io.netty.handler.codec.rtsp.RtspResponseStatuses;
import io.netty.handler.codec.rtsp.RtspVersions;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Splits an RTSP 1.0 byte stream (RFC 2326) into whole messages and {@code $}-framed interleaved
 * data (RFC 2326 section 10.12). Netty's own {@code RtspDecoder} treats the {@code $} frames that
 * RTP over TCP puts between messages as a broken request line; this decoder tells them apart at
 * every message boundary.
 *
 * <pre>
 * BEFORE (one TCP read, any split):
 * +------------------------------+-------------+----------------------------------+-------------+
 * | OPTIONS rtsp://h/a RTSP/1.0  | $ 0x00 0x00 | RTSP/1.0 200 OK                  | $ 0x01 0x00 |
 * | CSeq: 1                      | 0x0C + 12   | CSeq: 2                          | 0x08 + 8    |
 * |                              | bytes (RTP) | Content-Length: 5                | bytes (RTCP)|
 * |                              |             |                                  |             |
 * |                              |             | hello                            |             |
 * +------------------------------+-------------+----------------------------------+-------------+
 *
 * AFTER:
 * +------------------------------+-------------+----------------------------------+-------------+
 * | FullHttpRequest              | Interleaved | FullHttpResponse                 | Interleaved |
 * | OPTIONS, CSeq: 1             | Frame ch 0  | 200, CSeq: 2, content "hello"    | Frame ch 1  |
 * |                              | 12 bytes    |                                  | 8 bytes     |
 * +------------------------------+-------------+----------------------------------+-------------+
 * </pre>
 *
 * Requests and responses may both arrive on one connection (a server may send GET_PARAMETER to a
 * client), so the first line decides: {@code RTSP/1.0 200 OK} is a response, {@code METHOD url
 * RTSP/1.0} a request. Message bodies are framed by {@code Content-Length} only (absent means
 * none); bodies and interleaved data are retained slices of the received bytes, never copies.
 *
 * <p>Limits that protect memory:
 * <table border="1">
 * <caption>Constructor parameters</caption>
 * <tr><th>Name</th><th>Default</th><th>Meaning</th></tr>
 * <tr><td>{@code maxInitialLineLength}</td><td>4096</td><td>The longest request or status line,
 *     without CRLF. Longer fails with {@link TooLongHttpLineException}.</td></tr>
 * <tr><td>{@code maxHeaderSize}</td><td>8192</td><td>The sum of the lengths of all header lines.
 *     Larger fails with {@link TooLongHttpHeaderException}.</td></tr>
 * <tr><td>{@code maxContentLength}</td><td>65536</td><td>The largest {@code Content-Length}
 *     accepted. Larger fails with {@link TooLongHttpContentException} before any body byte is
 *     buffered.</td></tr>
 * <tr><td>{@code maxInterleavedLength}</td><td>65535</td><td>The longest interleaved frame
 *     emitted. The 16-bit length field cannot say more, so the default is no limit; a longer
 *     frame is skipped (its bytes are discarded and counted in {@link #droppedInterleavedFrames()})
 *     and decoding goes on with the next message, since its framing is still intact.</td></tr>
 * </table>
 *
 * <p>On bad input (a garbage first line, a version other than {@code RTSP/1.0}, a limit exceeded,
 * a malformed header or {@code Content-Length}) the decoder emits exactly one message whose
 * {@link FullHttpMessage#decoderResult()} is a failure naming the problem: a {@code
 * FullHttpResponse} when the status line had been read, otherwise a {@code FullHttpRequest} with
 * the method and URI read so far (or method {@code BAD} and URI {@code /bad-request}) and the
 * headers read so far, so that the receiver can still answer with the right {@code CSeq}. All
 * bytes after it are discarded: a stream whose framing is lost cannot be resynchronized.
 */
public final class RtspMessageDecoder extends ByteToMessageDecoder {

    /** Default {@code maxInitialLineLength}. */
    public static final int DEFAULT_MAX_INITIAL_LINE_LENGTH = 4096;
    /** Default {@code maxHeaderSize}. */
    public static final int DEFAULT_MAX_HEADER_SIZE = 8192;
    /** Default {@code maxContentLength}. */
    public static final int DEFAULT_MAX_CONTENT_LENGTH = 65536;
    /** Default {@code maxInterleavedLength}: what the 16-bit length field can hold. */
    public static final int DEFAULT_MAX_INTERLEAVED_LENGTH = InterleavedFrame.MAX_LENGTH;

    /** Method of the request emitted when not even a request line could be read. */
    public static final HttpMethod BAD_METHOD = HttpMethod.valueOf("BAD");
    /** URI of the request emitted when not even a request line could be read. */
    public static final String BAD_URI = "/bad-request";

    private static final String RTSP_VERSION_PREFIX = "RTSP/";
    private static final byte CR = '\r';
    private static final byte LF = '\n';
    private static final byte SP = ' ';
    private static final byte HT = '\t';

    enum State {
        SKIP_CONTROL_CHARS,
        READ_INITIAL,
        READ_HEADER,
        READ_CONTENT,
        READ_INTERLEAVED,
        DISCARD_INTERLEAVED,
        BAD_MESSAGE
    }

    private final int maxInitialLineLength;
    private final int maxHeaderSize;
    private final int maxContentLength;
    private final int maxInterleavedLength;

    private State state = State.SKIP_CONTROL_CHARS;
    /** Sentinel returned by {@link #readLine} for a line over its limit; compared by identity. */
    private static final String TOO_LONG = new String("line too long");

    /** Bytes of the current line already searched for LF, so split lines are not searched again. */
    private int lineScanned;
    private int lastLineLength;
    private int headerSize;

    // The message being read: a request (method != null) or a response (status != null).
    private HttpMethod method;
    private String uri;
    private HttpResponseStatus status;
    private HttpHeaders headers;
    private String lastHeaderName;
    private String lastHeaderValue;
    private int contentLength;

    private int discardRemaining;
    private long droppedInterleavedFrames;

    /** A decoder with the default limits: 4096, 8192, 65536 and no interleaved limit. */
    public RtspMessageDecoder() {
        this(DEFAULT_MAX_INITIAL_LINE_LENGTH, DEFAULT_MAX_HEADER_SIZE, DEFAULT_MAX_CONTENT_LENGTH);
    }

    /** A decoder with the given limits (see the class documentation) and no interleaved limit. */
    public RtspMessageDecoder(int maxInitialLineLength, int maxHeaderSize, int maxContentLength) {
        this(maxInitialLineLength, maxHeaderSize, maxContentLength, DEFAULT_MAX_INTERLEAVED_LENGTH);
    }

    /** A decoder with the given limits; see the class documentation. */
    public RtspMessageDecoder(int maxInitialLineLength, int maxHeaderSize, int maxContentLength,
                              int maxInterleavedLength) {
        this.maxInitialLineLength = positive(maxInitialLineLength, "maxInitialLineLength");
        this.maxHeaderSize = positive(maxHeaderSize, "maxHeaderSize");
        if (maxContentLength < 0) {
            throw new IllegalArgumentException("maxContentLength must be >= 0: " + maxContentLength);
        }
        this.maxContentLength = maxContentLength;
        if (maxInterleavedLength < 0 || maxInterleavedLength > InterleavedFrame.MAX_LENGTH) {
            throw new IllegalArgumentException("maxInterleavedLength must be 0-65535: " + maxInterleavedLength);
        }
        this.maxInterleavedLength = maxInterleavedLength;
    }

    private static int positive(int value, String name) {
        if (value <= 0) {
            throw new IllegalArgumentException(name + " must be > 0: " + value);
        }
        return value;
    }

    /** Interleaved frames skipped because they were longer than {@code maxInterleavedLength}. */
    public long droppedInterleavedFrames() {
        return droppedInterleavedFrames;
    }

    State state() {
        return state;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        for (;;) {
            switch (state) {
                case SKIP_CONTROL_CHARS -> {
                    if (!skipControlChars(in)) {
                        return;
                    }
                    byte first = in.getByte(in.readerIndex());
                    if (first == InterleavedFrame.MAGIC) {
                        state = State.READ_INTERLEAVED;
                    } else if (first < 0x21 || first > 0x7E) {
                        // No request or status line starts like this: fail now instead of buffering a line.
                        fail(out, new IllegalArgumentException(String.format(
                                "garbage at message start: byte 0x%02X", first & 0xFF)));
                    } else {
                        state = State.READ_INITIAL;
                    }
                }
                case READ_INTERLEAVED -> {
                    if (in.readableBytes() < InterleavedFrame.HEADER_LENGTH) {
                        return;
                    }
                    int start = in.readerIndex();
                    int channel = in.getUnsignedByte(start + InterleavedFrame.CHANNEL_OFFSET);
                    int length = in.getUnsignedShort(start + InterleavedFrame.LENGTH_OFFSET);
                    if (length > maxInterleavedLength) {
                        in.skipBytes(InterleavedFrame.HEADER_LENGTH);
                        droppedInterleavedFrames++;
                        discardRemaining = length;
                        state = State.DISCARD_INTERLEAVED;
                        continue;
                    }
                    if (in.readableBytes() < InterleavedFrame.HEADER_LENGTH + length) {
                        return;
                    }
                    in.skipBytes(InterleavedFrame.HEADER_LENGTH);
                    out.add(new InterleavedFrame(channel, in.readRetainedSlice(length)));
                    state = State.SKIP_CONTROL_CHARS;
                }
                case DISCARD_INTERLEAVED -> {
                    int n = Math.min(discardRemaining, in.readableBytes());
                    in.skipBytes(n);
                    discardRemaining -= n;
                    if (discardRemaining > 0) {
                        return;
                    }
                    state = State.SKIP_CONTROL_CHARS;
                }
                case READ_INITIAL -> {
                    String line = readLine(in, maxInitialLineLength);
                    if (line == TOO_LONG) {
                        fail(out, new TooLongHttpLineException(
                                "RTSP request line or status line longer than " + maxInitialLineLength + " bytes"));
                        continue;
                    }
                    if (line == null) {
                        return;
                    }
                    String problem = parseInitialLine(line);
                    if (problem != null) {
                        fail(out, new IllegalArgumentException(problem));
                        continue;
                    }
                    headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
                    headerSize = 0;
                    state = State.READ_HEADER;
                }
                case READ_HEADER -> {
                    String line = readLine(in, maxHeaderSize - headerSize);
                    if (line == TOO_LONG) {
                        fail(out, new TooLongHttpHeaderException("RTSP headers larger than " + maxHeaderSize + " bytes"));
                        continue;
                    }
                    if (line == null) {
                        return;
                    }
                    headerSize += lastLineLength;
                    if (!line.isEmpty()) {
                        String problem = headerLine(line);
                        if (problem != null) {
                            fail(out, new IllegalArgumentException(problem));
                        }
                        continue;
                    }
                    Exception problem = endOfHeaders();
                    if (problem != null) {
                        fail(out, problem);
                    } else if (contentLength == 0) {
                        out.add(message(Unpooled.EMPTY_BUFFER));
                        reset();
                    } else {
                        state = State.READ_CONTENT;
                    }
                }
                case READ_CONTENT -> {
                    if (in.readableBytes() < contentLength) {
                        return;
                    }
                    out.add(message(in.readRetainedSlice(contentLength)));
                    reset();
                }
                case BAD_MESSAGE -> {
                    in.skipBytes(in.readableBytes());
                    return;
                }
                default -> throw new IllegalStateException(state.name());
            }
        }
    }

    /** Skips CR, LF, SP and HT between messages; false when nothing else is left to look at. */
    private static boolean skipControlChars(ByteBuf in) {
        int i = in.readerIndex();
        int end = in.writerIndex();
        while (i < end) {
            byte b = in.getByte(i);
            if (b != CR && b != LF && b != SP && b != HT) {
                break;
            }
            i++;
        }
        in.readerIndex(i);
        return i < end;
    }

    /**
     * Reads one line ending in LF (an optional CR before it is dropped) and sets {@link
     * #lastLineLength} to its length in bytes. Returns null when the line is not complete yet and
     * within {@code max} bytes, and {@link #TOO_LONG} (consumed or not) when it exceeds {@code max}.
     */
    private String readLine(ByteBuf in, int max) {
        int start = in.readerIndex();
        // The line may be max bytes plus CR LF; nothing beyond that needs searching.
        int searchEnd = start + (int) Math.min(in.readableBytes(), (long) max + 2);
        int from = start + lineScanned;
        int lf = from < searchEnd ? in.indexOf(from, searchEnd, LF) : -1;
        if (lf < 0) {
            lineScanned = searchEnd - start;
            return in.readableBytes() > (long) max + 1 ? TOO_LONG : null;
        }
        lineScanned = 0;
        int end = lf > start && in.getByte(lf - 1) == CR ? lf - 1 : lf;
        in.readerIndex(lf + 1);
        lastLineLength = end - start;
        if (lastLineLength > max) {
            return TOO_LONG;
        }
        return in.toString(start, lastLineLength, StandardCharsets.UTF_8);
    }

    /** Parses a request or status line into the fields; returns a problem or null. */
    private String parseInitialLine(String line) {
        String[] parts = line.trim().split("[ \t]+", 3);
        if (parts[0].startsWith(RTSP_VERSION_PREFIX)) {
            if (!parts[0].equals(RtspVersions.RTSP_1_0.text())) {
                return "unsupported RTSP version: " + parts[0];
            }
            if (parts.length < 2 || !parts[1].matches("[1-9][0-9]{2}")) {
                return "malformed status line: " + line;
            }
            int code = Integer.parseInt(parts[1]);
            String reason = parts.length == 3 ? parts[2] : "";
            status = reason.isEmpty() ? RtspResponseStatuses.valueOf(code) : new HttpResponseStatus(code, reason);
            return null;
        }
        if (parts.length != 3) {
            return "malformed request line: " + line;
        }
        try {
            method = RtspMethods.valueOf(parts[0]);
        } catch (IllegalArgumentException e) {
            return "malformed method: " + parts[0];
        }
        uri = parts[1];
        if (!parts[2].equals(RtspVersions.RTSP_1_0.text())) {
            return "unsupported RTSP version: " + parts[2];
        }
        return null;
    }

    /** Takes one non-empty header line; returns a problem or null. */
    private String headerLine(String line) {
        char first = line.charAt(0);
        if (first == ' ' || first == '\t') {
            if (lastHeaderName == null) {
                return "header continuation without a header: " + line;
            }
            lastHeaderValue = lastHeaderValue + ' ' + line.trim();
            return null;
        }
        String problem = flushHeader();
        if (problem != null) {
            return problem;
        }
        int colon = line.indexOf(':');
        if (colon <= 0) {
            return "malformed header line: " + line;
        }
        lastHeaderName = line.substring(0, colon).trim();
        lastHeaderValue = line.substring(colon + 1).trim();
        return null;
    }

    private String flushHeader() {
        if (lastHeaderName == null) {
            return null;
        }
        String name = lastHeaderName;
        lastHeaderName = null;
        try {
            headers.add(name, lastHeaderValue);
            return null;
        } catch (IllegalArgumentException e) {
            return "malformed header " + name + ": " + e.getMessage();
        }
    }

    /** Adds the last header and reads Content-Length; returns the problem or null. */
    private Exception endOfHeaders() {
        String problem = flushHeader();
        if (problem != null) {
            return new IllegalArgumentException(problem);
        }
        List<String> lengths = headers.getAll(RtspHeaderNames.CONTENT_LENGTH);
        long length = 0;
        for (int i = 0; i < lengths.size(); i++) {
            String value = lengths.get(i);
            if (!isDigits(value)) {
                return new IllegalArgumentException("bad Content-Length: " + value);
            }
            long parsed = Long.parseLong(value);
            if (i > 0 && parsed != length) {
                return new IllegalArgumentException("conflicting Content-Length values: " + lengths);
            }
            length = parsed;
        }
        if (length > maxContentLength) {
            return new TooLongHttpContentException(
                    "RTSP content of " + length + " bytes larger than " + maxContentLength + " bytes");
        }
        contentLength = (int) length;
        return null;
    }

    /** 1 to 18 ASCII digits: anything longer would overflow a long and is far over any limit anyway. */
    private static boolean isDigits(String value) {
        if (value.isEmpty() || value.length() > 18) {
            return false;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }

    private FullHttpMessage message(ByteBuf content) {
        HttpHeaders trailers = DefaultHttpHeadersFactory.trailersFactory().newEmptyHeaders();
        if (status != null) {
            return new DefaultFullHttpResponse(RtspVersions.RTSP_1_0, status, content, headers, trailers);
        }
        return new DefaultFullHttpRequest(RtspVersions.RTSP_1_0, method, uri, content, headers, trailers);
    }

    private void fail(List<Object> out, Exception cause) {
        if (headers == null) {
            headers = DefaultHttpHeadersFactory.headersFactory().newHeaders();
        } else {
            flushHeader();
        }
        if (status == null && method == null) {
            method = BAD_METHOD;
            uri = BAD_URI;
        }
        FullHttpMessage message = message(Unpooled.EMPTY_BUFFER);
        message.setDecoderResult(DecoderResult.failure(cause));
        out.add(message);
        reset();
        state = State.BAD_MESSAGE;
    }

    private void reset() {
        state = State.SKIP_CONTROL_CHARS;
        lineScanned = 0;
        headerSize = 0;
        method = null;
        uri = null;
        status = null;
        headers = null;
        lastHeaderName = null;
        lastHeaderValue = null;
        contentLength = 0;
    }
}

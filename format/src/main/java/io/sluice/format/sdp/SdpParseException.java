package io.sluice.format.sdp;

/**
 * Thrown when a session description cannot be read. The message names the 1-based line at fault
 * (0 when the problem is the text as a whole, such as its size), so that an RTSP server can answer a
 * publisher's bad ANNOUNCE with a reason a person can act on.
 */
public final class SdpParseException extends IllegalArgumentException {

    private final int lineNumber;

    public SdpParseException(int lineNumber, String message) {
        super(lineNumber > 0 ? "SDP line " + lineNumber + ": " + message : "SDP: " + message);
        this.lineNumber = lineNumber;
    }

    /** The 1-based number of the offending line, or 0 when no single line is at fault. */
    public int lineNumber() {
        return lineNumber;
    }
}

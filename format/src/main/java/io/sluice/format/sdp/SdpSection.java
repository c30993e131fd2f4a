package io.sluice.format.sdp;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * What the session level and a media section of a description (RFC 4566 section 5) both are: lines
 * kept as text, {@code <type>=<value>}, written back in the level's RFC order, then the level's
 * {@code a=} lines (section 5.13):
 * <pre>
 * &lt;type&gt;=&lt;value&gt;      ...   (in the order of the level: "vosiuepcbtzk", "icbk")
 * a=&lt;attribute&gt;             a property attribute
 * a=&lt;attribute&gt;:&lt;value&gt;     a value attribute
 * </pre>
 * Not thread-safe.
 */
abstract sealed class SdpSection permits SessionDescription, MediaDescription {

    final List<SdpLine> lines = new ArrayList<>();
    final Attributes attributes = new Attributes();
    private final String lineOrder;

    SdpSection(String lineOrder) {
        this.lineOrder = lineOrder;
    }

    /**
     * The first value of that attribute of this level: the text after the colon, {@code ""} for a
     * property attribute such as {@code a=recvonly}, null when absent.
     */
    public String attribute(String name) {
        return attributes.first(name);
    }

    /** Every value of that attribute of this level, in order; empty when absent. */
    public List<String> attributes(String name) {
        return attributes.all(name);
    }

    /**
     * Replaces all attributes of that name of this level by one, or adds it (null or {@code ""}
     * value: a property attribute).
     */
    public void setAttribute(String name, String value) {
        attributes.set(name, value);
    }

    public void addAttribute(String name, String value) {
        attributes.add(name, value);
    }

    public void removeAttribute(String name) {
        attributes.remove(name);
    }

    /** The value of the first line of that type, or null. */
    final String line(char type) {
        for (SdpLine l : lines) {
            if (l.type() == type) {
                return l.value();
            }
        }
        return null;
    }

    /** Replaces the first line of that type (removing any others), adds one, or with null removes them. */
    final void setLine(char type, String value) {
        if (value != null && Attributes.containsLineBreak(value)) {
            throw new IllegalArgumentException("SDP value contains a line break: " + value);
        }
        int at = -1;
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).type() == type) {
                lines.remove(i);
                at = i;
            }
        }
        if (value == null) {
            return;
        }
        SdpLine line = new SdpLine(type, value);
        if (at < 0) {
            lines.add(line);
        } else {
            lines.add(at, line);
        }
    }

    /**
     * Writes the lines sorted by the position of their type in the level's order (stable, so lines of
     * one type keep their order), then the attributes. {@code r=} ranks with {@code t=} because each
     * repeat belongs to the timing line before it; unknown types go after the known ones.
     */
    final void appendLinesAndAttributes(StringBuilder out) {
        List<SdpLine> sorted = new ArrayList<>(lines);
        sorted.sort(Comparator.comparingInt(l -> rank(l.type())));
        for (SdpLine l : sorted) {
            out.append(l.type()).append('=').append(l.value()).append("\r\n");
        }
        attributes.appendTo(out);
    }

    private int rank(char type) {
        int at = lineOrder.indexOf(type == 'r' ? 't' : type);
        return at < 0 ? lineOrder.length() : at;
    }
}

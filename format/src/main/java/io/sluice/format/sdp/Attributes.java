package io.sluice.format.sdp;

import java.util.ArrayList;
import java.util.List;

/**
 * The ordered {@code a=} lines of one session or media level (RFC 4566 section 5.13):
 * {@code a=<attribute>} (a property, value {@code ""}) or {@code a=<attribute>:<value>}.
 * Names compare case-insensitively because peers disagree on case ({@code a=rtpmap} vs
 * {@code a=rtpMap}) and no registered attribute differs from another only by case.
 */
final class Attributes {

    private record Attribute(String name, String value) {
    }

    private final List<Attribute> entries = new ArrayList<>();

    /** Adds the attribute written on an {@code a=} line (the text after {@code a=}). */
    void addLine(String lineValue) {
        int colon = lineValue.indexOf(':');
        if (colon < 0) {
            entries.add(new Attribute(lineValue, ""));
        } else {
            entries.add(new Attribute(lineValue.substring(0, colon), lineValue.substring(colon + 1)));
        }
    }

    String first(String name) {
        for (Attribute a : entries) {
            if (a.name.equalsIgnoreCase(name)) {
                return a.value;
            }
        }
        return null;
    }

    List<String> all(String name) {
        List<String> values = new ArrayList<>();
        for (Attribute a : entries) {
            if (a.name.equalsIgnoreCase(name)) {
                values.add(a.value);
            }
        }
        return values;
    }

    /** Replaces every attribute of that name by one, kept where the first one was; appends when absent. */
    void set(String name, String value) {
        Attribute replacement = new Attribute(checkedName(name), checkedValue(value));
        int at = -1;
        for (int i = entries.size() - 1; i >= 0; i--) {
            if (entries.get(i).name.equalsIgnoreCase(name)) {
                entries.remove(i);
                at = i;
            }
        }
        if (at < 0) {
            entries.add(replacement);
        } else {
            entries.add(at, replacement);
        }
    }

    void add(String name, String value) {
        entries.add(new Attribute(checkedName(name), checkedValue(value)));
    }

    void remove(String name) {
        entries.removeIf(a -> a.name.equalsIgnoreCase(name));
    }

    /**
     * Replaces the attribute of that name whose value starts with {@code prefix} (such as
     * {@code "96 "} for one payload type's rtpmap or fmtp), or appends one.
     */
    void setWithPrefix(String name, String prefix, String value) {
        for (int i = 0; i < entries.size(); i++) {
            Attribute a = entries.get(i);
            if (a.name.equalsIgnoreCase(name) && a.value.startsWith(prefix)) {
                entries.set(i, new Attribute(a.name, checkedValue(value)));
                return;
            }
        }
        entries.add(new Attribute(checkedName(name), checkedValue(value)));
    }

    void removeWithPrefix(String name, String prefix) {
        entries.removeIf(a -> a.name.equalsIgnoreCase(name) && a.value.startsWith(prefix));
    }

    void appendTo(StringBuilder out) {
        for (Attribute a : entries) {
            out.append("a=").append(a.name);
            if (!a.value.isEmpty()) {
                out.append(':').append(a.value);
            }
            out.append("\r\n");
        }
    }

    private static String checkedName(String name) {
        if (name == null || name.isEmpty() || name.indexOf(':') >= 0 || containsLineBreak(name)) {
            throw new IllegalArgumentException("invalid SDP attribute name: " + name);
        }
        return name;
    }

    private static String checkedValue(String value) {
        if (value == null) {
            return "";
        }
        if (containsLineBreak(value)) {
            throw new IllegalArgumentException("SDP attribute value contains a line break: " + value);
        }
        return value;
    }

    static boolean containsLineBreak(String s) {
        return s.indexOf('\r') >= 0 || s.indexOf('\n') >= 0;
    }
}

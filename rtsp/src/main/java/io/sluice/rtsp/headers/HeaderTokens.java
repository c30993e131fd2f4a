package io.sluice.rtsp.headers;

import java.util.ArrayList;
import java.util.List;

/** Splitting and unquoting shared by the header parsers (RFC 2326 section 15.1 quoted-string). */
final class HeaderTokens {

    private HeaderTokens() {
    }

    /**
     * Splits at every {@code separator} outside double quotes; parts are not trimmed. A backslash
     * inside quotes escapes the next character.
     */
    static List<String> split(String value, char separator) {
        List<String> parts = new ArrayList<>();
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (quoted && c == '\\') {
                i++;
            } else if (c == '"') {
                quoted = !quoted;
            } else if (c == separator && !quoted) {
                parts.add(value.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(value.substring(start));
        return parts;
    }

    /** Removes surrounding double quotes and backslash escapes; other values are returned as given. */
    static String unquote(String value) {
        if (value.length() < 2 || value.charAt(0) != '"' || value.charAt(value.length() - 1) != '"') {
            return value;
        }
        StringBuilder sb = new StringBuilder(value.length() - 2);
        for (int i = 1; i < value.length() - 1; i++) {
            char c = value.charAt(i);
            if (c == '\\' && i + 1 < value.length() - 1) {
                c = value.charAt(++i);
            }
            sb.append(c);
        }
        return sb.toString();
    }
}

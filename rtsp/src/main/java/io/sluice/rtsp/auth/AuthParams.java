package io.sluice.rtsp.auth;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The comma-separated {@code name=value} list after the scheme of a challenge or credentials
 * (RFC 2617 section 1.2): values are tokens or quoted strings, names are case-insensitive.
 */
final class AuthParams {

    private AuthParams() {
    }

    /** Names lower-cased, values unquoted; a name without {@code =} maps to the empty string. */
    static Map<String, String> parse(String params) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = params.length();
        while (i < n) {
            while (i < n && (params.charAt(i) == ',' || Character.isWhitespace(params.charAt(i)))) {
                i++;
            }
            int nameStart = i;
            while (i < n && params.charAt(i) != '=' && params.charAt(i) != ',') {
                i++;
            }
            String name = params.substring(nameStart, i).trim().toLowerCase(Locale.ROOT);
            String value = "";
            if (i < n && params.charAt(i) == '=') {
                i++;
                while (i < n && Character.isWhitespace(params.charAt(i))) {
                    i++;
                }
                StringBuilder sb = new StringBuilder();
                if (i < n && params.charAt(i) == '"') {
                    i++;
                    while (i < n && params.charAt(i) != '"') {
                        char c = params.charAt(i++);
                        if (c == '\\' && i < n) {
                            c = params.charAt(i++);
                        }
                        sb.append(c);
                    }
                    if (i >= n) {
                        throw new IllegalArgumentException("unterminated quoted value for " + name + ": " + params);
                    }
                    i++;
                } else {
                    while (i < n && params.charAt(i) != ',') {
                        sb.append(params.charAt(i++));
                    }
                }
                value = sb.toString().trim();
            }
            if (!name.isEmpty()) {
                out.put(name, value);
            }
        }
        return out;
    }

    /** A quoted-string: the value in double quotes, inner quotes and backslashes escaped. */
    static String quote(String value) {
        StringBuilder sb = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\');
            }
            sb.append(c);
        }
        return sb.append('"').toString();
    }
}

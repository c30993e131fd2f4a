package io.sluice.rtsp.auth;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * RTSP authentication (RFC 2326 section 16.1 via RFC 2617): Basic and MD5 Digest, for both ends.
 *
 * <pre>
 * Server:   RTSP/1.0 401 Unauthorized
 *           WWW-Authenticate: Digest realm="sluice", nonce="0000018f...e1"
 *           WWW-Authenticate: Basic realm="sluice"
 * Client:   Authorization: Digest username="cam", realm="sluice", nonce="0000018f...e1",
 *                          uri="rtsp://host:8554/live/cam", response="6629fae4..."
 *
 * HA1      = MD5(username ":" realm ":" password)
 * HA2      = MD5(method ":" digest-uri)
 * response = MD5(HA1 ":" nonce ":" HA2)                                 (no qop: RFC 2069)
 *          | MD5(HA1 ":" nonce ":" nc ":" cnonce ":" "auth" ":" HA2)    (qop=auth)
 * </pre>
 *
 * Digest is checked against the {@code uri} the client hashed (clients differ in whether they send
 * the full URL or its path, and whether they keep the query). Every secret comparison is
 * constant-time. MD5-sess and qop=auth-int are not supported (no RTSP client uses them).
 */
public final class Authentication {

    private static final String BASIC = "Basic";
    private static final String DIGEST = "Digest";
    private static final String MD5 = "MD5";
    private static final String QOP_AUTH = "auth";
    private static final String FIRST_NONCE_COUNT = "00000001";
    private static final SecureRandom RANDOM = new SecureRandom();

    private Authentication() {
    }

    /** The {@code WWW-Authenticate} value asking for Basic credentials. */
    public static String basicChallenge(String realm) {
        return BASIC + " realm=" + AuthParams.quote(realm);
    }

    /** The {@code WWW-Authenticate} value asking for MD5 Digest credentials (no qop, as live555 and MediaMTX do). */
    public static String digestChallenge(String realm, String nonce) {
        return DIGEST + " realm=" + AuthParams.quote(realm) + ", nonce=" + AuthParams.quote(nonce);
    }

    /**
     * As {@link #digestChallenge(String, String)}; with {@code stale} the client learns that only its
     * nonce expired and may retry with the same password without asking the user (RFC 2617 3.2.1).
     */
    public static String digestChallenge(String realm, String nonce, boolean stale) {
        return stale ? digestChallenge(realm, nonce) + ", stale=TRUE" : digestChallenge(realm, nonce);
    }

    /** Parses an {@code Authorization} value; throws {@link IllegalArgumentException} if malformed. */
    public static Credentials parseAuthorization(String headerValue) {
        String value = headerValue.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        String rest = space < 0 ? "" : value.substring(space + 1).trim();
        if (scheme.equalsIgnoreCase(BASIC)) {
            return parseBasic(rest);
        }
        if (scheme.equalsIgnoreCase(DIGEST)) {
            return parseDigest(rest);
        }
        throw new IllegalArgumentException("unsupported authorization scheme: " + scheme);
    }

    private static Credentials parseBasic(String token) {
        String decoded;
        try {
            decoded = new String(Base64.getDecoder().decode(token), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("bad base64 in Basic authorization", e);
        }
        int colon = decoded.indexOf(':');
        if (colon < 0) {
            throw new IllegalArgumentException("Basic authorization without ':'");
        }
        return new Credentials(Credentials.Scheme.BASIC, decoded.substring(0, colon), decoded.substring(colon + 1),
                null, null, null, null, null, null, null, null, null);
    }

    private static Credentials parseDigest(String params) {
        Map<String, String> p = AuthParams.parse(params);
        for (String required : List.of("username", "realm", "nonce", "uri", "response")) {
            if (!p.containsKey(required)) {
                throw new IllegalArgumentException("Digest authorization without " + required);
            }
        }
        return new Credentials(Credentials.Scheme.DIGEST, p.get("username"), null, p.get("realm"), p.get("nonce"),
                p.get("uri"), p.get("response"), p.get("algorithm"), p.get("qop"), p.get("nc"), p.get("cnonce"),
                p.get("opaque"));
    }

    /**
     * Checks credentials against the expected user and password.
     *
     * @param c             what the client sent
     * @param method        the request method, as in the request line ({@code DESCRIBE})
     * @param expectedUser  the user the password belongs to
     * @param password      the password
     * @param realm         the realm of the challenge (Digest)
     * @param expectedNonce the nonce of the challenge (Digest); null when the caller has checked
     *                      {@code c.nonce()} itself, for example with {@link NonceGenerator#isValid}
     */
    public static boolean verify(Credentials c, String method, String expectedUser, String password,
                                 String realm, String expectedNonce) {
        boolean userOk = constantTimeEquals(c.username(), expectedUser);
        if (c.scheme() == Credentials.Scheme.BASIC) {
            return userOk & constantTimeEquals(c.password(), password);
        }
        if (!userOk || !realm.equals(c.realm()) || (expectedNonce != null && !expectedNonce.equals(c.nonce()))) {
            return false;
        }
        if (c.algorithm() != null && !c.algorithm().equalsIgnoreCase(MD5)) {
            return false;
        }
        String expected;
        if (c.qop() == null) {
            expected = digestResponse(expectedUser, realm, password, method, c.uri(), c.nonce(), null, null, null);
        } else if (c.qop().equalsIgnoreCase(QOP_AUTH) && c.nc() != null && c.cnonce() != null) {
            expected = digestResponse(expectedUser, realm, password, method, c.uri(), c.nonce(), QOP_AUTH, c.nc(),
                    c.cnonce());
        } else {
            return false;
        }
        return constantTimeEquals(c.response().toLowerCase(Locale.ROOT), expected);
    }

    /**
     * The RFC 2617 request-digest, 32 lower-case hex digits; {@code qop} null for the RFC 2069 form
     * (then {@code nc} and {@code cnonce} are ignored).
     */
    public static String digestResponse(String user, String realm, String password, String method, String uri,
                                        String nonce, String qop, String nc, String cnonce) {
        String ha1 = md5Hex(user + ":" + realm + ":" + password);
        String ha2 = md5Hex(method + ":" + uri);
        if (qop == null) {
            return md5Hex(ha1 + ":" + nonce + ":" + ha2);
        }
        return md5Hex(ha1 + ":" + nonce + ":" + nc + ":" + cnonce + ":" + qop + ":" + ha2);
    }

    /**
     * The {@code Authorization} value answering one {@code WWW-Authenticate} challenge, Digest or
     * Basic. When the Digest challenge offers {@code qop=auth} it is used with a fresh cnonce.
     */
    public static String authorizationFor(String challengeHeaderValue, String method, String uri, String user,
                                          String password) {
        String value = challengeHeaderValue.trim();
        int space = value.indexOf(' ');
        String scheme = space < 0 ? value : value.substring(0, space);
        if (scheme.equalsIgnoreCase(BASIC)) {
            return BASIC + " " + Base64.getEncoder().encodeToString(
                    (user + ":" + password).getBytes(StandardCharsets.UTF_8));
        }
        if (!scheme.equalsIgnoreCase(DIGEST)) {
            throw new IllegalArgumentException("unsupported authentication scheme: " + scheme);
        }
        Map<String, String> p = AuthParams.parse(space < 0 ? "" : value.substring(space + 1));
        String realm = p.get("realm");
        String nonce = p.get("nonce");
        if (realm == null || nonce == null) {
            throw new IllegalArgumentException("Digest challenge without realm or nonce: " + challengeHeaderValue);
        }
        String algorithm = p.get("algorithm");
        if (algorithm != null && !algorithm.equalsIgnoreCase(MD5)) {
            throw new IllegalArgumentException("unsupported Digest algorithm: " + algorithm);
        }
        boolean qopAuth = p.containsKey("qop") && List.of(p.get("qop").split("\\s*,\\s*")).contains(QOP_AUTH);
        StringBuilder sb = new StringBuilder(DIGEST)
                .append(" username=").append(AuthParams.quote(user))
                .append(", realm=").append(AuthParams.quote(realm))
                .append(", nonce=").append(AuthParams.quote(nonce))
                .append(", uri=").append(AuthParams.quote(uri));
        if (qopAuth) {
            String cnonce = HexFormat.of().formatHex(randomBytes(8));
            sb.append(", response=").append(AuthParams.quote(
                            digestResponse(user, realm, password, method, uri, nonce, QOP_AUTH, FIRST_NONCE_COUNT, cnonce)))
                    .append(", qop=").append(QOP_AUTH)
                    .append(", nc=").append(FIRST_NONCE_COUNT)
                    .append(", cnonce=").append(AuthParams.quote(cnonce));
        } else {
            sb.append(", response=").append(AuthParams.quote(
                    digestResponse(user, realm, password, method, uri, nonce, null, null, null)));
        }
        if (algorithm != null) {
            sb.append(", algorithm=").append(algorithm);
        }
        if (p.containsKey("opaque")) {
            sb.append(", opaque=").append(AuthParams.quote(p.get("opaque")));
        }
        return sb.toString();
    }

    /** Of several {@code WWW-Authenticate} values, the one to answer: Digest before Basic; null if neither. */
    public static String preferredChallenge(List<String> challenges) {
        String basic = null;
        for (String c : challenges) {
            String lower = c.trim().toLowerCase(Locale.ROOT);
            if (lower.startsWith("digest")) {
                return c;
            }
            if (lower.startsWith("basic") && basic == null) {
                basic = c;
            }
        }
        return basic;
    }

    private static boolean constantTimeEquals(String a, String b) {
        if (a == null || b == null) {
            return false;
        }
        return MessageDigest.isEqual(a.getBytes(StandardCharsets.UTF_8), b.getBytes(StandardCharsets.UTF_8));
    }

    private static String md5Hex(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance(MD5).digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has MD5", e);
        }
    }

    static byte[] randomBytes(int n) {
        byte[] b = new byte[n];
        RANDOM.nextBytes(b);
        return b;
    }
}

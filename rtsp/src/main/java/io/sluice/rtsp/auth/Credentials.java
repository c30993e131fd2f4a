package io.sluice.rtsp.auth;

/**
 * What a client sent in its {@code Authorization} header, parsed by
 * {@link Authentication#parseAuthorization(String)}. Basic credentials carry {@code username} and
 * {@code password}; Digest credentials carry the RFC 2617 section 3.2.2 fields and a null
 * password. Fields the client did not send are null.
 *
 * @param scheme    BASIC or DIGEST
 * @param username  the user name
 * @param password  the password (Basic only)
 * @param realm     the realm the client answers (Digest)
 * @param nonce     the server nonce the client answers (Digest)
 * @param uri       the digest-uri, as the client hashed it (Digest)
 * @param response  32 hex digits (Digest)
 * @param algorithm {@code MD5} or absent (Digest)
 * @param qop       {@code auth} or absent (Digest)
 * @param nc        the nonce count, 8 hex digits, with qop (Digest)
 * @param cnonce    the client nonce, with qop (Digest)
 * @param opaque    echoed from the challenge (Digest)
 */
public record Credentials(Scheme scheme, String username, String password, String realm, String nonce,
                          String uri, String response, String algorithm, String qop, String nc, String cnonce,
                          String opaque) {

    /** The authentication scheme. */
    public enum Scheme {
        BASIC,
        DIGEST
    }

    /** Keeps the password out of logs. */
    @Override
    public String toString() {
        return "Credentials(" + scheme + ", username=" + username + ", realm=" + realm + ", uri=" + uri + ")";
    }
}

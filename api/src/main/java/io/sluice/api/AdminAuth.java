package io.sluice.api;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.net.URI;
import java.security.MessageDigest;
import java.util.Locale;
import static java.nio.charset.StandardCharsets.UTF_8;

/**
 * Who may change the node: a caller with {@code Authorization: Bearer TOKEN}, or, when loopback is
 * trusted, any caller on this machine. A loopback call that a browser makes on behalf of another site
 * (its {@code Origin} names another host than {@code Host}) is not trusted: without that check any web
 * page open on the operator's machine could stop streams.
 */
public final class AdminAuth {

    private static final String BEARER = "bearer ";

    private final byte[] token;
    private final boolean loopbackTrusted;

    public AdminAuth(String token, boolean loopbackTrusted) {
        if (token == null || token.isEmpty()) {
            throw new IllegalArgumentException("an admin token is required");
        }
        this.token = token.getBytes(UTF_8);
        this.loopbackTrusted = loopbackTrusted;
    }

    /** Passes, or throws 401 (no or wrong credentials) or 403 (a cross-site call from loopback). */
    public void check(ApiRequest request) {
        String authorization = request.header(HttpHeaderNames.AUTHORIZATION);
        if (authorization != null) {
            if (authorization.length() > BEARER.length()
                    && authorization.substring(0, BEARER.length()).toLowerCase(Locale.ROOT).equals(BEARER)
                    && MessageDigest.isEqual(token, authorization.substring(BEARER.length()).trim().getBytes(UTF_8))) {
                return;
            }
            throw ApiException.unauthorized("the bearer token is not the node's admin token");
        }
        if (loopbackTrusted && request.fromLoopback()) {
            if (!sameOrigin(request)) {
                throw ApiException.forbidden("a cross-site call needs the admin token even from this machine");
            }
            return;
        }
        throw ApiException.unauthorized("this call needs Authorization: Bearer TOKEN "
                + "(the token of --api-token, or the one in the data directory's api-token file)");
    }

    private static boolean sameOrigin(ApiRequest request) {
        String origin = request.header(HttpHeaderNames.ORIGIN);
        if (origin == null) {
            return true;
        }
        String host = request.header(HttpHeaderNames.HOST);
        try {
            URI o = URI.create(origin);
            String originHost = o.getPort() < 0 ? o.getHost() : o.getHost() + ":" + o.getPort();
            return host != null && originHost != null && originHost.equalsIgnoreCase(host);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}

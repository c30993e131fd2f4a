package io.sluice.node.rtsp;

import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.rtsp.RtspHeaderNames;
import io.sluice.node.keys.StreamKeyStore;
import io.sluice.rtsp.auth.Authentication;
import io.sluice.rtsp.auth.Credentials;
import io.sluice.rtsp.auth.NonceGenerator;
import java.util.List;
import java.util.Optional;

/**
 * Decides whether a request may publish to a live path: the stream's key given as {@code ?key=CODE}, or
 * as RTSP credentials with the stream name as user and the key as password, by Basic or Digest.
 */
final class PublishAuthorizer {

    static final String REALM = "sluice";

    private final StreamKeyStore keys;
    private final NonceGenerator nonces;

    PublishAuthorizer(StreamKeyStore keys, NonceGenerator nonces) {
        this.keys = keys;
        this.nonces = nonces;
    }

    boolean authorized(FullHttpRequest request, RtspUrl url, String liveName) {
        String key = url.queryParameter("key");
        if (key != null) {
            return keys.verify(liveName, key);
        }
        String header = request.headers().get(RtspHeaderNames.AUTHORIZATION);
        if (header == null) {
            return false;
        }
        Credentials credentials;
        try {
            credentials = Authentication.parseAuthorization(header);
        } catch (IllegalArgumentException e) {
            return false;
        }
        if (!liveName.equals(credentials.username())) {
            return false;
        }
        Optional<String> code = keys.find(liveName).map(k -> k.liveCode());
        if (code.isEmpty()) {
            return false;
        }
        if (credentials.scheme() == Credentials.Scheme.DIGEST && !nonces.isValid(credentials.nonce())) {
            return false;
        }
        return Authentication.verify(credentials, request.method().name(), liveName, code.get(), REALM, null);
    }

    /** The WWW-Authenticate values of a 401: Digest first (what ffmpeg and GStreamer prefer), then Basic. */
    List<String> challenges() {
        return List.of(Authentication.digestChallenge(REALM, nonces.next()), Authentication.basicChallenge(REALM));
    }

    static void addChallenges(HttpHeaders headers, List<String> challenges) {
        for (String c : challenges) {
            headers.add(RtspHeaderNames.WWW_AUTHENTICATE, c);
        }
    }
}

package io.sluice.rtsp.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class AuthenticationTest {

    /** RFC 2617 section 3.5, the one published vector (qop=auth). */
    private static final String RFC_2617_AUTHORIZATION = "Digest username=\"Mufasa\", realm=\"testrealm@host.com\", "
            + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", uri=\"/dir/index.html\", qop=auth, nc=00000001, "
            + "cnonce=\"0a4f113b\", response=\"6629fae49393a05397450978507c4ef1\", "
            + "opaque=\"5ccc069c403ebaf9f0171e9517f40e41\"";

    /**
     * ffmpeg 5.1 style, no qop. Expected response from RFC 2617's formulas:
     * MD5(MD5("admin:Sluice:s3cret") ":3a5b1c9e0f2d4e6a:" MD5("DESCRIBE:rtsp://127.0.0.1:8554/live/cam")).
     */
    private static final String FFMPEG_AUTHORIZATION = "Digest username=\"admin\", realm=\"Sluice\", "
            + "nonce=\"3a5b1c9e0f2d4e6a\", uri=\"rtsp://127.0.0.1:8554/live/cam\", "
            + "response=\"c9dc9bf436f5d067ac683e1aa416b771\"";

    @Test
    void challenges() {
        assertThat(Authentication.basicChallenge("Sluice")).isEqualTo("Basic realm=\"Sluice\"");
        assertThat(Authentication.digestChallenge("Sluice", "abc123")).isEqualTo("Digest realm=\"Sluice\", nonce=\"abc123\"");
        assertThat(Authentication.digestChallenge("Sluice", "abc123", true))
                .isEqualTo("Digest realm=\"Sluice\", nonce=\"abc123\", stale=TRUE");
        assertThat(Authentication.basicChallenge("say \"hi\"")).isEqualTo("Basic realm=\"say \\\"hi\\\"\"");
    }

    @Test
    void rfc2617VectorWithQopAuth() {
        Credentials c = Authentication.parseAuthorization(RFC_2617_AUTHORIZATION);
        assertThat(c.scheme()).isEqualTo(Credentials.Scheme.DIGEST);
        assertThat(c.username()).isEqualTo("Mufasa");
        assertThat(c.realm()).isEqualTo("testrealm@host.com");
        assertThat(c.uri()).isEqualTo("/dir/index.html");
        assertThat(c.qop()).isEqualTo("auth");
        assertThat(c.nc()).isEqualTo("00000001");
        assertThat(c.cnonce()).isEqualTo("0a4f113b");
        assertThat(c.opaque()).isEqualTo("5ccc069c403ebaf9f0171e9517f40e41");
        assertThat(c.password()).isNull();
        assertThat(Authentication.verify(c, "GET", "Mufasa", "Circle Of Life", "testrealm@host.com",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093")).isTrue();
        assertThat(Authentication.verify(c, "GET", "Mufasa", "Circle of Life", "testrealm@host.com", null)).isFalse();
        assertThat(Authentication.verify(c, "POST", "Mufasa", "Circle Of Life", "testrealm@host.com", null)).isFalse();
    }

    @Test
    void ffmpegStyleDigestWithoutQop() {
        Credentials c = Authentication.parseAuthorization(FFMPEG_AUTHORIZATION);
        assertThat(c.nonce()).isEqualTo("3a5b1c9e0f2d4e6a");
        assertThat(c.response()).isEqualTo("c9dc9bf436f5d067ac683e1aa416b771");
        assertThat(c.algorithm()).isNull();
        assertThat(c.qop()).isNull();
        assertThat(Authentication.verify(c, "DESCRIBE", "admin", "s3cret", "Sluice", "3a5b1c9e0f2d4e6a")).isTrue();
        assertThat(Authentication.verify(c, "DESCRIBE", "admin", "s3cret", "Sluice", null)).isTrue();

        record Wrong(String why, String method, String user, String password, String realm, String nonce) {
        }
        for (Wrong w : List.of(
                new Wrong("password", "DESCRIBE", "admin", "wrong", "Sluice", null),
                new Wrong("method", "SETUP", "admin", "s3cret", "Sluice", null),
                new Wrong("user", "DESCRIBE", "root", "s3cret", "Sluice", null),
                new Wrong("realm", "DESCRIBE", "admin", "s3cret", "Other", null),
                new Wrong("stale nonce", "DESCRIBE", "admin", "s3cret", "Sluice", "ffffffffffffffff"))) {
            assertThat(Authentication.verify(c, w.method(), w.user(), w.password(), w.realm(), w.nonce())).as(w.why()).isFalse();
        }
    }

    @Test
    void upperCaseResponseAndMd5AlgorithmAccepted() {
        Credentials c = Authentication.parseAuthorization(FFMPEG_AUTHORIZATION
                .replace("c9dc9bf436f5d067ac683e1aa416b771", "C9DC9BF436F5D067AC683E1AA416B771") + ", algorithm=MD5");
        assertThat(Authentication.verify(c, "DESCRIBE", "admin", "s3cret", "Sluice", null)).isTrue();
        Credentials sess = Authentication.parseAuthorization(FFMPEG_AUTHORIZATION + ", algorithm=MD5-sess");
        assertThat(Authentication.verify(sess, "DESCRIBE", "admin", "s3cret", "Sluice", null)).isFalse();
        Credentials authInt = Authentication.parseAuthorization(FFMPEG_AUTHORIZATION + ", qop=auth-int, nc=00000001, cnonce=\"x\"");
        assertThat(Authentication.verify(authInt, "DESCRIBE", "admin", "s3cret", "Sluice", null)).isFalse();
    }

    @Test
    void basic() {
        // "cam:key=1:2" in base64; the password may contain ':'.
        Credentials c = Authentication.parseAuthorization("Basic Y2FtOmtleT0xOjI=");
        assertThat(c.scheme()).isEqualTo(Credentials.Scheme.BASIC);
        assertThat(c.username()).isEqualTo("cam");
        assertThat(c.password()).isEqualTo("key=1:2");
        assertThat(c.toString()).doesNotContain("key=1:2");
        assertThat(Authentication.verify(c, "ANNOUNCE", "cam", "key=1:2", "Sluice", null)).isTrue();
        assertThat(Authentication.verify(c, "ANNOUNCE", "cam", "key=1:3", "Sluice", null)).isFalse();
        assertThat(Authentication.verify(c, "ANNOUNCE", "other", "key=1:2", "Sluice", null)).isFalse();
        assertThat(Authentication.authorizationFor("Basic realm=\"Sluice\"", "ANNOUNCE", "rtsp://h/a", "cam", "key=1:2"))
                .isEqualTo("Basic Y2FtOmtleT0xOjI=");
    }

    @Test
    void malformedAuthorization() {
        for (String bad : List.of("Bearer abc", "Basic !!!", "Basic bm9jb2xvbg==", "Digest username=\"a\", realm=\"r\"",
                "Digest username=\"a, realm=r")) {
            assertThatThrownBy(() -> Authentication.parseAuthorization(bad)).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void clientAnswersDigestWithoutQopExactlyAsTheServerExpects() {
        String challenge = "Digest realm=\"r\", nonce=\"n\"";
        String uri = "rtsp://127.0.0.1:8554/live/cam/trackID=0";
        String authorization = Authentication.authorizationFor(challenge, "SETUP", uri, "a", "p");
        assertThat(authorization).isEqualTo("Digest username=\"a\", realm=\"r\", nonce=\"n\", uri=\"" + uri
                + "\", response=\"c2156577e70137dcb69cbae8808ad556\"");
        Credentials c = Authentication.parseAuthorization(authorization);
        assertThat(Authentication.verify(c, "SETUP", "a", "p", "r", "n")).isTrue();
    }

    @Test
    void clientUsesQopAuthWhenOffered() {
        String challenge = "Digest realm=\"testrealm@host.com\", qop=\"auth,auth-int\", "
                + "nonce=\"dcd98b7102dd2f0e8b11d0f600bfb0c093\", opaque=\"5ccc069c403ebaf9f0171e9517f40e41\", algorithm=MD5";
        String authorization = Authentication.authorizationFor(challenge, "GET", "/dir/index.html", "Mufasa", "Circle Of Life");
        Credentials c = Authentication.parseAuthorization(authorization);
        assertThat(c.qop()).isEqualTo("auth");
        assertThat(c.nc()).isEqualTo("00000001");
        assertThat(c.cnonce()).hasSize(16);
        assertThat(c.opaque()).isEqualTo("5ccc069c403ebaf9f0171e9517f40e41");
        assertThat(c.algorithm()).isEqualTo("MD5");
        assertThat(c.response()).isEqualTo(Authentication.digestResponse("Mufasa", "testrealm@host.com", "Circle Of Life",
                "GET", "/dir/index.html", "dcd98b7102dd2f0e8b11d0f600bfb0c093", "auth", "00000001", c.cnonce()));
        assertThat(Authentication.verify(c, "GET", "Mufasa", "Circle Of Life", "testrealm@host.com",
                "dcd98b7102dd2f0e8b11d0f600bfb0c093")).isTrue();
    }

    @Test
    void preferredChallenge() {
        assertThat(Authentication.preferredChallenge(List.of("Basic realm=\"r\"", "Digest realm=\"r\", nonce=\"n\"")))
                .startsWith("Digest");
        assertThat(Authentication.preferredChallenge(List.of("Basic realm=\"r\""))).startsWith("Basic");
        assertThat(Authentication.preferredChallenge(List.of("Bearer x"))).isNull();
        assertThatThrownBy(() -> Authentication.authorizationFor("Digest realm=\"r\", nonce=\"n\", algorithm=SHA-256",
                "GET", "/", "u", "p")).hasMessageContaining("SHA-256");
    }
}

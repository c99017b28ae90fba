package io.github.sessiongate.it;

import static io.github.sessiongate.it.JavaHttp.toResponse;
import static io.github.sessiongate.it.RotationScenarios.assertCleared;
import static io.github.sessiongate.it.RotationScenarios.describe;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The warm path and the refusal's clearing under attack, over real HTTP ({@link JettyWarmCookieAttackTest},
 * {@link TomcatWarmCookieAttackTest}) on the {@code revocation} webapp ({@link FakeAuthBackend}, cookie-secure
 * false: {@code sg_access}, {@code sg_refresh}): a token served warm and then signed out on this node is
 * refused at once; a lookalike of a warm token is refused; duplicated access cookies (valid and junk,
 * or a plain cookie next to a chunk) give no session and clear nothing; a refusal clears every chunk
 * and the refresh cookie it carried, a logout every name.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class WarmCookieAttackScenarios {
    static final String REV = "/rev";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;

    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private HttpClient http;
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().build().start());
        teardown.add(new ScenarioProperties("sessiongate.it.rev.")).backend(backend);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(REV, "revocation")));
        http = JavaHttp.newClient();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    private Response get(String cookieHeader) throws Exception {
        return RawHttp.send(base, "GET", REV + "/api/orders", "Accept: application/json", "Cookie: " + cookieHeader);
    }

    private Response logout(String cookieHeader) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + REV + "/auth/logout")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", cookieHeader)
                .header("Origin", base.toString()).header("Accept", "application/json").build();
        return toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static void assertRefused(Response r, String what) {
        assertAll(what,
                () -> assertEquals(401, r.status(), () -> what + ": " + describe(r)),
                () -> assertFalse(r.body().contains("token-echo"), what + ": reached the application"));
    }

    private static void assertNothingCleared(Response r, String what) {
        assertEquals(List.of(), r.headers("Set-Cookie"), () -> what + ": ambiguity never clears: " + describe(r));
    }

    private String warm() throws Exception {
        String access = backend.issue("alice").accessToken();
        for (int i = 0; i < 3; i++) {
            Response r = get(ACCESS + "=" + access);
            assertEquals(200, r.status(), () -> describe(r));
        }
        return access;
    }

    @Test
    void aWarmTokenSignedOutOnThisNodeIsRefusedAtOnce() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        long hits = RotationScenarios.metric(REV, "CacheHits");
        for (int i = 0; i < 3; i++) {
            Response r = get(ACCESS + "=" + tokens.accessToken());
            assertEquals(200, r.status(), () -> describe(r));
        }
        assertEquals(hits + 2, RotationScenarios.metric(REV, "CacheHits"), "the second and third requests were warm hits");
        Response out = logout(ACCESS + "=" + tokens.accessToken() + "; " + REFRESH + "=" + tokens.refreshToken());
        assertEquals(204, out.status(), () -> describe(out));
        for (int i = 0; i < 3; i++) {
            assertRefused(get(ACCESS + "=" + tokens.accessToken()), "replay " + i + " after the logout");
        }
    }

    @Test
    void lookalikesOfAWarmTokenAreRefused() throws Exception {
        String access = warm();
        int mid = access.indexOf('.') + 5; // inside the claims, a character the sampled hash may skip
        char[] c = access.toCharArray();
        c[mid] = c[mid] == 'A' ? 'B' : 'A';
        for (String lookalike : List.of(new String(c), access + "A", access.substring(0, access.length() - 1),
                access.substring(1), "A" + access)) {
            assertRefused(get(ACCESS + "=" + lookalike), "lookalike of length " + lookalike.length());
        }
        assertEquals(200, get(ACCESS + "=" + access).status(), "the genuine token still serves");
    }

    @Test
    void twoAccessCookiesOneValidOneJunkGiveNoSessionAndClearNothing() throws Exception {
        String access = warm();
        for (String header : List.of(ACCESS + "=" + access + "; " + ACCESS + "=junk",
                ACCESS + "=junk; " + ACCESS + "=" + access, ACCESS + "=" + access + "; " + ACCESS + "=" + access,
                ACCESS + "=" + access + "; " + ACCESS + ".0=junk", ACCESS + ".0=" + access + "; " + ACCESS + "=junk")) {
            Response r = get(header);
            assertRefused(r, header.replace(access, "<valid>"));
            assertNothingCleared(r, header.replace(access, "<valid>"));
        }
    }

    @Test
    void theOtherPrefixFormIsNeverReadAsTheToken() throws Exception {
        String access = warm();
        Response junkInPlain = get("__Host-" + ACCESS + "=" + access + "; " + ACCESS + "=junk");
        assertRefused(junkInPlain, "valid under __Host-, junk under the read name");
        assertCleared(junkInPlain, ACCESS);
        assertTrue(junkInPlain.headers("Set-Cookie").stream().anyMatch(h -> h.startsWith("__Host-" + ACCESS + "=;")
                && (h.toLowerCase(Locale.ROOT).contains("max-age=0") || h.toLowerCase(Locale.ROOT).contains("expires=thu, 01 jan 1970"))), () -> "the other form it carried: " + describe(junkInPlain));

        Response validInPlain = get("__Host-" + ACCESS + "=junk; " + ACCESS + "=" + access);
        assertEquals(200, validInPlain.status(), () -> describe(validInPlain));
    }

    @Test
    void aRefusalClearsEveryChunkAndTheRefreshCookieItCarried() throws Exception {
        Response r = get(ACCESS + ".0=junkA; " + ACCESS + ".1=junkB; " + REFRESH + "=not-a-refresh-token; theme=dark");
        assertRefused(r, "chunked junk and a refused refresh token");
        assertCleared(r, ACCESS + ".0");
        assertCleared(r, ACCESS + ".1");
        assertCleared(r, REFRESH);
        assertTrue(r.headers("Set-Cookie").stream().noneMatch(h -> h.startsWith("theme=")), () -> describe(r));

        Response single = get(ACCESS + "=junk");
        assertRefused(single, "one junk cookie");
        assertCleared(single, ACCESS);
        assertEquals(1, single.headers("Set-Cookie").size(), () -> "only what it carried: " + describe(single));
    }

    @Test
    void aLogoutClearsEveryName() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        Response out = logout(ACCESS + "=" + tokens.accessToken());
        assertEquals(204, out.status(), () -> describe(out));
        assertCleared(out, ACCESS);
        assertCleared(out, REFRESH); // not carried: a logout clears every canonical name all the same
    }
}

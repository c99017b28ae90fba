package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.JmxRegistration;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Collectors;
import no.nav.security.mock.oauth2.MockOAuth2Server;
import no.nav.security.mock.oauth2.OAuth2Config;
import no.nav.security.mock.oauth2.token.DefaultOAuth2TokenCallback;
import no.nav.security.mock.oauth2.token.OAuth2TokenProvider;
import okhttp3.mockwebserver.RecordedRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Token rotation in place, proven end to end on each real container ({@link JettyRotationTest},
 * {@link TomcatRotationTest}): a browser's expired access token plus its refresh cookie makes the
 * same request succeed, with the new cookies on its response.
 *
 * <p>Nothing is mocked. The filter is configured only by {@code web.xml} files under
 * {@code src/test/webapps}, whose URLs arrive as {@code ${sys:...}} properties set before the
 * container starts, and it talks over real sockets to two identity backends in this JVM:
 * <ul>
 *   <li>{@link FakeAuthBackend}: RS256 access tokens with a JWKS, refresh tokens rotated on every
 *       use with reuse detection that revokes the whole family, per-endpoint call counters and
 *       failure switches. It is the one that proves rotation, refusal and single flight.</li>
 *   <li>mock-oauth2-server ({@code no.nav.security}), a real OAuth2/OIDC server nobody here
 *       wrote: the interop check of the JWKS, issuer and audience and of the RFC 6749 refresh
 *       grant with client credentials.</li>
 * </ul>
 * Both backends run on an {@link MutableClock} following the system time: a token meant to be expired is minted by the
 * backend itself while its clock stands {@link #LONG_AGO} in the past, so it is genuinely expired
 * and correctly signed, and the refresh that follows mints a current one. Nobody sleeps for a
 * token to expire; the only sleep is the one that steps past a one-second grace window.
 *
 * <p>Every rotation scenario checks that a refresh really happened: the access cookie on the
 * response differs from the one sent, the backend counted the refresh call, and the application
 * was handed the new token (the servlet reports its SHA-256, never the token).
 *
 * <p>Webapps: {@value #ROT} ({@code rotation}: JWT validation, plain refresh URL, default grace,
 * {@code authorization-header-view=true}, a public page at {@code /}); {@value #GRACE}
 * ({@code rotation-grace}: the same with {@code refresh-grace=1s}); {@value #REMOTE}
 * ({@code remote-validate}: {@code HttpTokenValidator} against the backend's {@code /me});
 * {@value #OIDC} ({@code oidc}: mock-oauth2-server).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RotationScenarios {
    static final String ROT = "/rot";
    static final String GRACE = "/grace";
    static final String REMOTE = "/remote";
    static final String OIDC = "/oidc";
    static final String FILTER_NAME = "sessiongate";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    /** How far back a backend's clock stands while it mints an expired pair: the access token died long ago. */
    static final Duration LONG_AGO = Duration.ofHours(2);
    /** How long each backend answer takes in the concurrency scenarios, so the requests pile up on one call. */
    static final Duration SLOW_BACKEND = Duration.ofMillis(300);

    static final String OIDC_ISSUER_ID = "default";
    static final String OIDC_AUDIENCE = "sessiongate-it";
    static final String OIDC_CLIENT_ID = "sessiongate-it";
    static final String OIDC_CLIENT_SECRET = "it-client-secret-" + UUID.randomUUID();
    static final String OIDC_REDIRECT_URI = "http://127.0.0.1/callback";

    /** The {@code ${sys:...}} names the web.xml files read. */
    static final String PROP_JWKS_URL = "sessiongate.it.rotation.jwks-url";
    static final String PROP_ISSUER = "sessiongate.it.rotation.issuer";
    static final String PROP_AUDIENCE = "sessiongate.it.rotation.audience";
    static final String PROP_REFRESH_URL = "sessiongate.it.rotation.refresh-url";
    static final String PROP_VALIDATE_URL = "sessiongate.it.rotation.validate-url";
    static final String PROP_OIDC_JWKS_URL = "sessiongate.it.oidc.jwks-url";
    static final String PROP_OIDC_ISSUER = "sessiongate.it.oidc.issuer";
    static final String PROP_OIDC_AUDIENCE = "sessiongate.it.oidc.audience";
    static final String PROP_OIDC_TOKEN_URL = "sessiongate.it.oidc.token-url";
    static final String PROP_OIDC_CLIENT_ID = "sessiongate.it.oidc.client-id";
    static final String PROP_OIDC_CLIENT_SECRET = "sessiongate.it.oidc.client-secret";

    /** A session as the browser holds it: the two cookie values. */
    record Pair(String access, String refresh) {
        @Override
        public String toString() {
            return "Pair[access " + Tokens.fingerprint(access) + ", refresh " + Tokens.fingerprint(refresh) + "]";
        }
    }

    private final MutableClock backendClock = MutableClock.followingSystemTime();
    private final MutableClock oidcClock = MutableClock.followingSystemTime();
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private MockOAuth2Server oidc;
    /** {@code http://127.0.0.1:port/default}: mock-oauth2-server's issuer, as reached over 127.0.0.1. */
    private String oidcIssuer;
    private HttpClient http;
    /** {@code http://127.0.0.1:port}, no trailing slash. */
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().clock(backendClock).build().start());
        // rotateRefreshToken=true: each refresh grant answers a new refresh token and forgets the old one.
        oidc = new MockOAuth2Server(new OAuth2Config(false, null, null, true, new OAuth2TokenProvider(oidcClock::instant)));
        teardown.add(oidc::shutdown);
        oidc.start(InetAddress.getByName("127.0.0.1"), 0);
        // Its own URLs say "localhost"; tokens name the host they were requested from, so use 127.0.0.1 throughout.
        oidcIssuer = "http://127.0.0.1:" + oidc.baseUrl().port() + "/" + OIDC_ISSUER_ID;

        teardown.add(new ScenarioProperties())
                .set(PROP_JWKS_URL, backend.jwksUrl())
                .set(PROP_ISSUER, backend.issuer())
                .set(PROP_AUDIENCE, backend.audience())
                .set(PROP_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH))
                .set(PROP_VALIDATE_URL, backend.url(FakeAuthBackend.ME))
                .set(PROP_OIDC_JWKS_URL, oidcIssuer + "/jwks")
                .set(PROP_OIDC_ISSUER, oidcIssuer)
                .set(PROP_OIDC_AUDIENCE, OIDC_AUDIENCE)
                .set(PROP_OIDC_TOKEN_URL, oidcIssuer + "/token")
                .set(PROP_OIDC_CLIENT_ID, OIDC_CLIENT_ID)
                .set(PROP_OIDC_CLIENT_SECRET, OIDC_CLIENT_SECRET);

        base = teardown.add(newContainer()).startServing(List.of(
                Container.Webapp.of(ROT, "rotation"),
                Container.Webapp.of(GRACE, "rotation-grace"),
                Container.Webapp.of(REMOTE, "remote-validate"),
                Container.Webapp.of(OIDC, "oidc")));
        http = JavaHttp.newClient();
        // Each filter fetches its JWKS once and caches it, so the failure scenarios below fail the
        // refresh, not the key download, whatever order the tests run in.
        for (String context : List.of(ROT, GRACE)) {
            Response warm = get(context + "/api/warm-up", "Cookie: " + ACCESS + "=" + backend.accessToken("alice"));
            assertEquals(200, warm.status(), () -> context + " is not serving: " + warm);
        }
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ---------------------------------------------------------------- 1. rotation in place

    @Test
    void expiredAccessTokenWithRefreshCookieIsRotatedInPlace() throws Exception {
        Pair old = expiredPair("alice");
        int refreshes = refreshCalls();

        Response response = get(ROT + "/api/orders", cookies(old));

        assertEquals(200, response.status(), () -> describe(response));
        Pair rotated = assertRotated(response, old);
        assertEquals(refreshes + 1, refreshCalls(), "one refresh call at the backend");
        Map<String, Object> api = api(response);
        assertAll(
                () -> assertEquals("alice", api.get("sub")),
                () -> assertEquals(List.of("user"), api.get("roles")),
                () -> assertEquals(Tokens.sha256(rotated.access()), api.get("tokenSha256"),
                        "the application was handed the new access token, on the same request"),
                () -> assertEquals(Tokens.sha256(rotated.access()), api.get("bearerSha256"),
                        "authorization-header-view shows the new token as Authorization: Bearer"),
                () -> assertTrue(backend.isActive(rotated.refresh()), "the new refresh cookie is the backend's live token"),
                () -> assertFalse(backend.isActive(old.refresh()), "the old refresh token was spent"),
                () -> GateScenarios.assertPrivate(response));

        Response next = get(ROT + "/api/orders", "Cookie: " + ACCESS + "=" + rotated.access());
        assertEquals(200, next.status(), () -> describe(next));
        assertEquals("alice", api(next).get("sub"), "the new access cookie alone is a session");
        assertEquals(refreshes + 1, refreshCalls(), "and needs no further refresh");
    }

    // ---------------------------------------------------------------- 2. single flight

    @Test
    void fiftyConcurrentRequestsWithOneExpiredPairMakeOneRefreshCallAndAllGetTheSameNewCookies() throws Exception {
        Pair old = expiredPair("alice");
        int refreshes = refreshCalls();
        long refreshesOk = metric(ROT, "RefreshesOk");
        long sharedOrGrace = metric(ROT, "DedupWaits") + metric(ROT, "GraceHits");

        List<Response> responses = whileBackendIsSlow(() -> concurrently(50, ROT + "/api/orders", cookies(old)));

        assertEquals(refreshes + 1, refreshCalls(), "exactly one refresh call for 50 requests");
        List<Integer> statuses = responses.stream().map(Response::status).toList();
        assertTrue(statuses.stream().allMatch(s -> s == 200), () -> "statuses " + statuses + ", e.g. " + responses.get(0));
        Set<String> accessCookies = responses.stream().map(r -> setCookie(r, ACCESS).orElse("(none)")).collect(Collectors.toSet());
        Set<String> refreshCookies = responses.stream().map(r -> setCookie(r, REFRESH).orElse("(none)")).collect(Collectors.toSet());
        assertEquals(1, accessCookies.size(), () -> "different access cookies: " + fingerprints(accessCookies));
        assertEquals(1, refreshCookies.size(), () -> "different refresh cookies: " + fingerprints(refreshCookies));
        String access = accessCookies.iterator().next();
        String refresh = refreshCookies.iterator().next();
        assertAll(
                () -> assertNotEquals(old.access(), access, "the access cookie changed"),
                () -> assertNotEquals(old.refresh(), refresh, "the refresh cookie was rotated"),
                () -> assertTrue(backend.isActive(refresh), "the shared refresh token is the backend's live one"),
                () -> assertTrue(responses.stream().allMatch(r -> Tokens.sha256(access).equals(api(r).get("tokenSha256"))),
                        "every request was handed the new token"),
                () -> assertEquals(refreshesOk + 1, metric(ROT, "RefreshesOk")),
                () -> assertTrue(metric(ROT, "DedupWaits") + metric(ROT, "GraceHits") - sharedOrGrace >= 49,
                        "the other 49 shared the call in flight or its remembered result"));
    }

    // ---------------------------------------------------------------- 3. grace window

    @Test
    void oldRefreshTokenWithinTheGraceWindowGetsTheSameNewPairWithoutABackendCall() throws Exception {
        Pair old = expiredPair("alice");
        int refreshes = refreshCalls();
        Response first = get(ROT + "/api/orders", cookies(old));
        assertEquals(200, first.status(), () -> describe(first));
        Pair rotated = assertRotated(first, old);
        assertEquals(refreshes + 1, refreshCalls(), "the first request refreshed");
        long graceHits = metric(ROT, "GraceHits");

        // Another tab (or an XHR in flight) still sends the cookies the browser had before.
        Response late = get(ROT + "/api/orders", cookies(old));

        assertEquals(200, late.status(), () -> describe(late));
        assertAll(
                () -> assertEquals(refreshes + 1, refreshCalls(), "no second refresh call"),
                () -> assertEquals(Optional.of(rotated.access()), setCookie(late, ACCESS), "the same new access cookie"),
                () -> assertEquals(Optional.of(rotated.refresh()), setCookie(late, REFRESH), "the same new refresh cookie"),
                () -> assertEquals(Tokens.sha256(rotated.access()), api(late).get("tokenSha256")),
                () -> assertEquals(graceHits + 1, metric(ROT, "GraceHits")),
                () -> assertTrue(backend.isActive(rotated.refresh()), "the backend saw no reuse: the family lives"));
    }

    // ---------------------------------------------------------------- 4. after the grace window

    @Test
    void oldRefreshTokenAfterTheGraceWindowTripsReuseDetectionAndSignsTheUserOut() throws Exception {
        Pair old = expiredPair("alice");
        int refreshes = refreshCalls();
        Response first = get(GRACE + "/api/orders", cookies(old));
        assertEquals(200, first.status(), () -> describe(first));
        Pair rotated = assertRotated(first, old);
        assertEquals(refreshes + 1, refreshCalls());

        MutableClock filterClock = ClockedSessionFilter.clock(GRACE);
        Response replay;
        filterClock.advance(Duration.ofSeconds(2)); // past refresh-grace=1s of this webapp's filter
        try {
            replay = get(GRACE + "/api/orders", cookies(old));
        } finally {
            filterClock.followSystemTime();
        }

        assertAll(
                () -> assertEquals(refreshes + 2, refreshCalls(), "the old token went to the backend"),
                () -> GateScenarios.assertUnauthenticated(replay),
                () -> assertCleared(replay, ACCESS),
                () -> assertCleared(replay, REFRESH),
                () -> assertFalse(backend.isActive(rotated.refresh()),
                        "reuse detection revoked the family, the rotated refresh token with it"));
    }

    // ---------------------------------------------------------------- 5. transient failures

    @Test
    void backendAnswering503Gives503WithRetryAfterAndClearsNothingThenTheSameCookiesWork() throws Exception {
        Pair pair = expiredPair("alice");
        int refreshes = refreshCalls();

        backend.failWith(503);
        Response during;
        try {
            during = get(ROT + "/api/orders", cookies(pair));
        } finally {
            backend.clearFailure();
        }

        assertEquals(refreshes + 1, refreshCalls(), "the filter did try");
        assertUnavailableAndNothingCleared(during);
        assertTrue(backend.isActive(pair.refresh()), "the refresh token was not spent");

        Response after = get(ROT + "/api/orders", cookies(pair));

        assertEquals(200, after.status(), () -> describe(after));
        Pair rotated = assertRotated(after, pair);
        assertEquals(refreshes + 2, refreshCalls(), "the same cookies refreshed once the backend was back");
        assertEquals(Tokens.sha256(rotated.access()), api(after).get("tokenSha256"));
    }

    @Test
    void unreachableBackendGives503AndTheSameCookiesWorkOnceItIsBack() throws Exception {
        Pair pair = expiredPair("alice");
        int refreshes = refreshCalls();

        backend.stop();
        Response during;
        try {
            during = get(ROT + "/api/orders", cookies(pair));
        } finally {
            backend.start();
        }

        assertEquals(refreshes, refreshCalls(), "nothing reached the stopped backend");
        assertUnavailableAndNothingCleared(during);

        Response after = get(ROT + "/api/orders", cookies(pair));

        assertEquals(200, after.status(), () -> describe(after));
        Pair rotated = assertRotated(after, pair);
        assertEquals(refreshes + 1, refreshCalls());
        assertEquals(Tokens.sha256(rotated.access()), api(after).get("tokenSha256"));
    }

    // ---------------------------------------------------------------- 6. remote validation, single flight

    @Test
    void hundredConcurrentValidationsOfOneTokenMakeOneBackendCall() throws Exception {
        String token = backend.accessToken("alice");
        int calls = backend.calls(FakeAuthBackend.ME);
        long validations = metric(REMOTE, "Validations");

        List<Response> responses = whileBackendIsSlow(() -> concurrently(100, REMOTE + "/api/profile", "Cookie: " + ACCESS + "=" + token));

        List<Integer> statuses = responses.stream().map(Response::status).toList();
        assertTrue(statuses.stream().allMatch(s -> s == 200), () -> "statuses " + statuses + ", e.g. " + responses.get(0));
        assertAll(
                () -> assertEquals(calls + 1, backend.calls(FakeAuthBackend.ME), "one /me call for 100 requests"),
                () -> assertEquals(validations + 1, metric(REMOTE, "Validations")),
                () -> assertTrue(responses.stream().allMatch(r -> "alice".equals(api(r).get("sub"))
                        && Tokens.sha256(token).equals(api(r).get("tokenSha256"))), "every request saw alice's session"),
                () -> assertTrue(responses.stream().allMatch(r -> setCookie(r, ACCESS).isEmpty()), "no cookie was touched"));
    }

    // ---------------------------------------------------------------- 7. public paths

    @Test
    void browserNavigationToThePublicPageRefreshesSoThePageGreetsTheUser() throws Exception {
        Pair old = expiredPair("alice");
        int refreshes = refreshCalls();

        Response page = get(ROT + "/", cookies(old), "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document",
                "Accept: text/html");

        assertEquals(200, page.status(), () -> describe(page));
        assertEquals(GreetingServlet.greeting("alice"), page.body());
        assertRotated(page, old);
        assertEquals(refreshes + 1, refreshCalls());
        GateScenarios.assertPrivate(page);
    }

    @Test
    void imageRequestForThePublicPageNeitherRefreshesNorClearsAndIsServedAnonymously() throws Exception {
        Pair old = expiredPair("alice");
        int refreshes = refreshCalls();

        Response image = get(ROT + "/", cookies(old), "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Dest: image",
                "Accept: image/avif,image/webp,*/*");

        assertEquals(200, image.status(), () -> describe(image));
        assertAll(
                () -> assertEquals(GreetingServlet.ANONYMOUS, image.body()),
                () -> assertEquals(refreshes, refreshCalls(), "no refresh for a sub-resource"),
                () -> assertEquals(List.of(), image.headers("Set-Cookie"), "nothing set, nothing cleared"),
                () -> assertTrue(backend.isActive(old.refresh())));

        // The pair was refreshable all along: the next page navigation does refresh it.
        Response page = get(ROT + "/", cookies(old), "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document");
        assertEquals(GreetingServlet.greeting("alice"), page.body(), () -> describe(page));
        assertRotated(page, old);
        assertEquals(refreshes + 1, refreshCalls());
    }

    // ---------------------------------------------------------------- 8. definitive refusal

    @Test
    void revokedRefreshTokenClearsBothCookiesIsAuditedAndTheApiGets401() throws Exception {
        Pair pair = expiredPair("alice");
        assertTrue(backend.revoke(pair.refresh()));
        int refreshes = refreshCalls();

        AtomicReference<Response> answer = new AtomicReference<>();
        String log = LogCapture.during(() -> answer.set(get(ROT + "/api/orders", cookies(pair))));
        Response response = answer.get();

        List<String> audit = log.lines().filter(l -> l.contains(AuditLog.LOGGER_NAME)).toList();
        assertAll(
                () -> assertEquals(refreshes + 1, refreshCalls(), "the refusal came from the backend"),
                () -> GateScenarios.assertUnauthenticated(response),
                () -> assertCleared(response, ACCESS),
                () -> assertCleared(response, REFRESH),
                () -> assertEquals(2, response.headers("Set-Cookie").size(),
                        () -> "one clearing per session cookie carried, none for the others: " + response.headers("Set-Cookie")),
                () -> assertTrue(audit.stream().anyMatch(l -> l.contains("event=cookies_cleared")
                        && l.contains("token=" + Tokens.fingerprint(pair.refresh()))),
                        () -> "no cookies_cleared audit line with the refresh token's fingerprint in:\n" + String.join("\n", audit)),
                () -> assertFalse(log.contains(pair.refresh()), "the refresh token is in the log"),
                () -> assertFalse(log.contains(pair.access().split("\\.")[2]), "the access token is in the log"));
    }

    @Test
    void revokedRefreshTokenOnABrowserNavigationClearsBothCookiesAndRedirectsToLogin() throws Exception {
        Pair pair = expiredPair("alice");
        assertTrue(backend.revoke(pair.refresh()));
        int refreshes = refreshCalls();

        Response response = get(ROT + "/account", cookies(pair), "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document",
                "Accept: text/html");

        assertEquals(302, response.status(), () -> describe(response));
        String location = response.header("Location").orElseThrow();
        assertAll(
                () -> assertTrue(location.startsWith(ROT + GateConfig.DEFAULT_LOGIN_PATH + "?from="), location),
                () -> assertEquals(ROT + "/account", GateScenarios.from(location)),
                () -> assertEquals(refreshes + 1, refreshCalls()),
                () -> assertCleared(response, ACCESS),
                () -> assertCleared(response, REFRESH));
    }

    // ---------------------------------------------------------------- 9. interop: mock-oauth2-server

    @Test
    void validTokenFromMockOAuth2ServerReachesTheApplicationWithItsSubject() throws Exception {
        Map<String, Object> tokens = oidcToken("grant_type=password&username=bob&password=any&scope=openid+" + OIDC_AUDIENCE,
                "bob");
        String access = (String) tokens.get("access_token");

        Response response = get(OIDC + "/api/me", "Cookie: " + ACCESS + "=" + access);

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> api = api(response);
        assertAll(
                () -> assertEquals("bob", api.get("sub")),
                () -> assertEquals(List.of("user"), api.get("roles")),
                () -> assertEquals(Tokens.sha256(access), api.get("tokenSha256")),
                () -> assertEquals(List.of(), response.headers("Set-Cookie"), "a valid token is not refreshed"));
    }

    @Test
    void expiredTokenFromMockOAuth2ServerIsRefreshedInPlaceThroughItsTokenEndpoint() throws Exception {
        Pair old = oidcClock.travelledBack(LONG_AGO, () -> unchecked(() -> oidcLogin("alice")));
        oidcRequests(); // forget the login's requests

        Response response = get(OIDC + "/api/me", cookies(old));

        assertEquals(200, response.status(), () -> describe(response));
        Pair rotated = assertRotated(response, old);
        List<RecordedRequest> refreshes = oidcRequests().stream()
                .filter(r -> r.getPath() != null && r.getPath().endsWith("/token") && r.getBody().readUtf8().contains("grant_type=refresh_token"))
                .toList();
        Map<String, Object> api = api(response);
        assertAll(
                () -> assertEquals(1, refreshes.size(), "one refresh grant at the token endpoint"),
                () -> assertEquals(basic(OIDC_CLIENT_ID, OIDC_CLIENT_SECRET), refreshes.get(0).getHeader("Authorization"),
                        "the filter authenticated as its client (client_secret_basic)"),
                () -> assertEquals("alice", api.get("sub")),
                () -> assertEquals(List.of("user"), api.get("roles")),
                () -> assertEquals(Tokens.sha256(rotated.access()), api.get("tokenSha256")),
                () -> assertEquals(Tokens.sha256(rotated.access()), api.get("bearerSha256")),
                () -> GateScenarios.assertPrivate(response));

        // The refresh cookie holds what the server answered: it takes the new token and forgot the old one.
        assertEquals(400, oidcTokenStatus("grant_type=refresh_token&refresh_token=" + form(old.refresh())),
                "the server forgot the refresh token it rotated");
        assertEquals(200, oidcTokenStatus("grant_type=refresh_token&refresh_token=" + form(rotated.refresh())),
                "the rotated refresh cookie is live at the server");
    }

    // ---------------------------------------------------------------- helpers: tokens

    /** A pair the fake backend issued {@link #LONG_AGO}: the access token expired long since, the refresh token is live. */
    private Pair expiredPair(String user) {
        FakeAuthBackend.Tokens tokens = backendClock.travelledBack(LONG_AGO, () -> backend.issue(user));
        return new Pair(tokens.accessToken(), tokens.refreshToken());
    }

    private int refreshCalls() {
        return backend.calls(FakeAuthBackend.REFRESH);
    }

    /** Runs {@code action} while every fake-backend answer takes {@link #SLOW_BACKEND}. */
    private <T> T whileBackendIsSlow(Action<T> action) throws Exception {
        backend.delay(SLOW_BACKEND);
        try {
            return action.run();
        } finally {
            backend.delay(Duration.ZERO);
        }
    }

    /**
     * Signs a user in at mock-oauth2-server by the authorization code flow (no nonce, so the access
     * token is a plain access token) and returns the access and refresh token it issued.
     */
    private Pair oidcLogin(String user) throws Exception {
        enqueueOidcUser(user);
        String state = UUID.randomUUID().toString();
        HttpResponse<String> authorize = http.send(HttpRequest.newBuilder(URI.create(oidcIssuer + "/authorize?response_type=code"
                + "&client_id=" + form(OIDC_CLIENT_ID) + "&redirect_uri=" + form(OIDC_REDIRECT_URI)
                + "&scope=" + form("openid " + OIDC_AUDIENCE) + "&state=" + state)).build(), HttpResponse.BodyHandlers.ofString());
        String location = authorize.headers().firstValue("Location")
                .orElseThrow(() -> new AssertionError("authorize answered " + authorize.statusCode() + " without Location"));
        String code = location.replaceFirst(".*[?&]code=([^&]*).*", "$1");
        Map<String, Object> tokens = oidcToken("grant_type=authorization_code&code=" + code
                + "&redirect_uri=" + form(OIDC_REDIRECT_URI), null);
        return new Pair((String) tokens.get("access_token"), (String) tokens.get("refresh_token"));
    }

    /** POSTs a grant to mock-oauth2-server's token endpoint as the filter's client; 200 expected. */
    private Map<String, Object> oidcToken(String grant, String user) throws Exception {
        if (user != null) {
            enqueueOidcUser(user);
        }
        HttpResponse<String> response = http.send(oidcTokenRequest(grant), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, response.statusCode(), () -> "token endpoint: " + response.body());
        return Json.object(response.body());
    }

    private int oidcTokenStatus(String grant) throws Exception {
        return http.send(oidcTokenRequest(grant), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    private HttpRequest oidcTokenRequest(String grant) {
        return HttpRequest.newBuilder(URI.create(oidcIssuer + "/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .header("Authorization", basic(OIDC_CLIENT_ID, OIDC_CLIENT_SECRET))
                .POST(HttpRequest.BodyPublishers.ofString(grant))
                .build();
    }

    /** The next token mock-oauth2-server issues is for this subject, this audience, with role {@code user}. */
    private void enqueueOidcUser(String user) {
        oidc.enqueueCallback(new DefaultOAuth2TokenCallback(OIDC_ISSUER_ID, user, "JWT", List.of(OIDC_AUDIENCE),
                Map.of("roles", List.of("user")), 3600));
    }

    /** Takes every request mock-oauth2-server has recorded since the last call. */
    private List<RecordedRequest> oidcRequests() {
        List<RecordedRequest> requests = new ArrayList<>();
        while (true) {
            RecordedRequest request;
            try {
                request = oidc.takeRequest(10, TimeUnit.MILLISECONDS);
            } catch (RuntimeException empty) {
                return requests; // it throws when nothing arrives in time
            }
            if (request == null) {
                return requests;
            }
            requests.add(request);
        }
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((form(id) + ":" + form(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    // ---------------------------------------------------------------- helpers: HTTP

    interface Action<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Action<T> action) {
        try {
            return action.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static String cookies(Pair pair) {
        return "Cookie: " + ACCESS + "=" + pair.access() + "; " + REFRESH + "=" + pair.refresh();
    }

    /** GET through java.net.http; {@code headers} are {@code "Name: value"} lines. */
    Response get(String target, String... headers) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(target, headers), HttpResponse.BodyHandlers.ofString());
        return JavaHttp.toResponse(response);
    }

    /** {@code n} identical GETs sent at once; their responses in order. */
    List<Response> concurrently(int n, String target, String... headers) {
        List<CompletableFuture<HttpResponse<String>>> inFlight = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            inFlight.add(http.sendAsync(request(target, headers), HttpResponse.BodyHandlers.ofString()));
        }
        return inFlight.stream().map(CompletableFuture::join).map(JavaHttp::toResponse).toList();
    }

    private HttpRequest request(String target, String... headers) {
        return JavaHttp.request(base, target, Duration.ofSeconds(20), headers).GET().build();
    }

    /** The token-echo servlet's account of the request; fails if it did not write the body. */
    static Map<String, Object> api(Response response) {
        Map<String, Object> json = Json.object(response.body());
        assertEquals(TokenEchoServlet.MARKER, json.get("servlet"), () -> "not the API servlet: " + describe(response));
        return json;
    }

    // ---------------------------------------------------------------- helpers: cookies

    /** The value a {@code Set-Cookie} for {@code name} sets (empty string for a clearing), if any. */
    static Optional<String> setCookie(Response response, String name) {
        return SetCookies.value(response, name);
    }

    /**
     * Both cookies set anew on this response, each different from what the browser sent, with the
     * attributes of a session cookie on plain HTTP to 127.0.0.1; returns the new pair.
     */
    static Pair assertRotated(Response response, Pair old) {
        String access = setCookie(response, ACCESS)
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + ACCESS + ": " + describe(response)));
        String refresh = setCookie(response, REFRESH)
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + REFRESH + ": " + describe(response)));
        String accessHeader = SetCookies.header(response, ACCESS).orElseThrow().toLowerCase(Locale.ROOT);
        String refreshHeader = SetCookies.header(response, REFRESH).orElseThrow().toLowerCase(Locale.ROOT);
        assertAll(
                () -> assertFalse(access.isEmpty(), "the access cookie is set, not cleared"),
                () -> assertFalse(refresh.isEmpty(), "the refresh cookie is set, not cleared"),
                () -> assertNotEquals(old.access(), access, "the access cookie changed"),
                () -> assertNotEquals(old.refresh(), refresh, "the refresh cookie was rotated"),
                () -> assertTrue(accessHeader.contains("httponly") && refreshHeader.contains("httponly"), "HttpOnly"),
                () -> assertTrue(accessHeader.contains("path=/") && refreshHeader.contains("path=/"), "Path=/"),
                () -> assertFalse(accessHeader.contains("max-age=0") || refreshHeader.contains("max-age=0"), "not expired"),
                () -> assertFalse(accessHeader.contains("secure") || refreshHeader.contains("secure"),
                        "cookie-secure=false on plain HTTP"));
        return new Pair(access, refresh);
    }

    /** A clearing {@code Set-Cookie}: empty value, Path=/, expired (Jetty: Max-Age=0; Tomcat: Expires in 1970). */
    static void assertCleared(Response response, String name) {
        String header = SetCookies.header(response, name)
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + ": " + describe(response)));
        String lower = header.toLowerCase(Locale.ROOT);
        assertAll(
                () -> assertTrue(lower.startsWith(name + "=;") || lower.equals(name + "="), header),
                () -> assertTrue(lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970"), header),
                () -> assertTrue(lower.contains("path=/"), header));
    }

    /** 503, Retry-After, the fixed JSON body, and no Set-Cookie at all: a transient failure signs nobody out. */
    static void assertUnavailableAndNothingCleared(Response response) {
        assertAll(
                () -> assertEquals(503, response.status(), () -> describe(response)),
                () -> assertEquals(Optional.of(Integer.toString(GateConfig.DEFAULT_RETRY_AFTER)), response.header("Retry-After")),
                () -> assertTrue(response.header("Content-Type").orElse("").startsWith("application/json"),
                        () -> "Content-Type " + response.header("Content-Type")),
                () -> assertEquals(Map.of("error", "unavailable"), Json.object(response.body())),
                () -> assertEquals(List.of(), response.headers("Set-Cookie"), "no cookie cleared or set"));
    }

    // ---------------------------------------------------------------- helpers: counters

    /** A counter of the filter in {@code context}, read over JMX from this JVM's platform MBean server. */
    static long metric(String context, String attribute) throws Exception {
        Object value = ManagementFactory.getPlatformMBeanServer()
                .getAttribute(JmxRegistration.objectName(context, FILTER_NAME), attribute);
        return ((Number) value).longValue();
    }

    private static List<String> fingerprints(Set<String> tokens) {
        return tokens.stream().map(Tokens::fingerprint).toList();
    }

    /** A response for a failure message, with cookie values reduced to fingerprints. */
    static String describe(Response response) {
        return ResponseText.describe(response);
    }
}

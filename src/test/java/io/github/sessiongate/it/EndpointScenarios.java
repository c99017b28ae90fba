package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jose4j.jwe.JsonWebEncryption;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.keys.AesKey;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The filter's own endpoints (login, logout, session, refresh, client token) and its CSRF defence,
 * proven end to end on each real container ({@link JettyEndpointTest}, {@link TomcatEndpointTest}),
 * together with the features that change what those endpoints and cookies look like: guest
 * sessions, server-enforced lifetimes, sealed cookies, bearer headers and refresh-ahead.
 *
 * <p>Nothing is mocked. Every webapp is configured only by its {@code src/test/webapps/<name>/WEB-INF/web.xml},
 * whose URLs and keys arrive as {@code ${sys:...}} properties set before the container starts, and
 * the filter talks over real sockets to {@link FakeAuthBackend} in this JVM (RS256 access tokens and
 * JWKS, login, rotating refresh with reuse detection, revocation, call counters, failure switches).
 * The backend runs on an {@link MutableClock} following the system time, so a token meant to be expired (or close to expiry) is
 * minted by the backend itself in the past; nobody sleeps.
 *
 * <p>One container per class serves seven webapps:
 * <ul>
 *   <li>{@value #EP} ({@code endpoints}): every endpoint, CSRF enforcing, {@code login-success-path=/welcome},
 *       {@code logout-redirect-path=/goodbye}, {@code login-max-body-bytes=1024}, {@code session-claims=iss jti email},
 *       127.0.0.1 a trusted proxy (so failed logins can come from distinct addresses);</li>
 *   <li>the root context ({@code endpoints-guest}): guest tokens and login;</li>
 *   <li>{@value #LIFE} ({@code endpoints-lifetime}): idle 30m and absolute 12h timeouts, signed meta cookie;</li>
 *   <li>{@value #SEALED} ({@code endpoints-sealed}): {@code cookie-encryption-keys};</li>
 *   <li>{@value #BEARER} ({@code endpoints-bearer}): {@code accept-bearer-header=true};</li>
 *   <li>{@value #AHEAD} ({@code endpoints-ahead}): {@code refresh-ahead=10m};</li>
 *   <li>{@value #REPORT} ({@code endpoints-report}): {@code csrf=report-only}.</li>
 * </ul>
 * In each, {@code /api/*} is protected and {@code /} public, both served by {@link ApiServlet}, which
 * counts its calls so a refusal is proven to happen before the application runs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class EndpointScenarios {
    static final String EP = "/ep";
    static final String GUEST = "";
    static final String LIFE = "/life";
    static final String SEALED = "/sealed";
    static final String BEARER = "/bearer";
    static final String AHEAD = "/ahead";
    static final String REPORT = "/report";

    static final String ACCESS = "sg_access";
    static final String REFRESH = "sg_refresh";
    static final String GUEST_COOKIE = "sg_guest";
    static final String META = "sg_meta";
    static final String EVIL = "https://evil.example";

    /** How long the backend's access tokens live; long enough that refresh-ahead (10m) leaves a fresh one alone. */
    static final Duration ACCESS_TTL = Duration.ofMinutes(30);
    static final Duration LONG_AGO = Duration.ofHours(2);

    static final String PROP_PREFIX = "sessiongate.it.ep.";
    static final String CLIENT_TOKEN_SECRET = "it-client-token-secret-" + UUID.randomUUID();
    static final String GUEST_SECRET = "it-guest-secret-" + UUID.randomUUID();
    static final String SIGNING_SECRET = "it-meta-signing-secret-" + UUID.randomUUID();
    /** The sealing key (first in the ring) and a second, older one that only opens. */
    static final byte[] SEAL_KEY = randomBytes(32);
    static final String SEAL_KID = "k-2026";

    private static final Pattern JWT = Pattern.compile("eyJ[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]+\\.");

    private final MutableClock backendClock = MutableClock.followingSystemTime();
    private final AtomicInteger clientAddresses = new AtomicInteger();
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private HttpClient http;
    /** {@code http://127.0.0.1:port}, no trailing slash: also the application's origin. */
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().clock(backendClock).accessTtl(ACCESS_TTL).build().start());
        teardown.add(new ScenarioProperties(PROP_PREFIX)).backend(backend)
                .prefixed("client-token-secret", CLIENT_TOKEN_SECRET)
                .prefixed("guest-secret", GUEST_SECRET)
                .prefixed("signing-secret", SIGNING_SECRET)
                .prefixed("cookie-keys", SEAL_KID + ":" + Base64.getEncoder().encodeToString(SEAL_KEY)
                        + ", k-2025:" + Base64.getUrlEncoder().encodeToString(randomBytes(32)));

        base = teardown.add(newContainer()).startServing(List.of(
                Container.Webapp.of(EP, "endpoints"),
                Container.Webapp.of(GUEST, "endpoints-guest"),
                Container.Webapp.of(LIFE, "endpoints-lifetime"),
                Container.Webapp.of(SEALED, "endpoints-sealed"),
                Container.Webapp.of(BEARER, "endpoints-bearer"),
                Container.Webapp.of(AHEAD, "endpoints-ahead"),
                Container.Webapp.of(REPORT, "endpoints-report")));
        http = JavaHttp.newClient();
        // Each filter fetches the JWKS once and caches it, so the scenarios that stop or fail the
        // backend fail the login, refresh or revocation, never the key download, in any order.
        for (String context : List.of(EP, GUEST, LIFE, AHEAD, REPORT, BEARER)) {
            Response warm = get(context + "/api/warm-up", "Cookie: " + ACCESS + "=" + backend.accessToken("alice"));
            assertEquals(200, warm.status(), () -> "'" + context + "' is not serving: " + describe(warm));
        }
        Response warm = jsonLogin(SEALED, "alice", "alice-password");
        assertEquals(200, warm.status(), () -> SEALED + " is not serving: " + describe(warm));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ================================================================ login

    @Test
    void formLoginRedirectsToFromWithHttpOnlyLaxHostOnlyCookies() throws Exception {
        int logins = backend.calls(FakeAuthBackend.LOGIN);

        Response response = formLogin(EP, "alice", "alice-password", EP + "/orders?tab=2");

        assertEquals(303, response.status(), () -> describe(response));
        assertEquals(List.of(EP + "/orders?tab=2"), response.headers("Location"), "303 to from, as given");
        assertEquals(logins + 1, backend.calls(FakeAuthBackend.LOGIN), "the backend was asked once");
        assertNoStore(response);
        assertAll(
                () -> assertSessionCookie(response, ACCESS),
                () -> assertSessionCookie(response, REFRESH));
        Jar jar = jar(response);
        assertTrue(backend.isActive(jar.refresh()), "the refresh cookie is the backend's live refresh token");
        Response api = get(EP + "/api/me", jar.header());
        assertEquals(200, api.status(), () -> describe(api));
        assertEquals("alice", app(api).get("principal"), "the new cookies are a session");
    }

    @Test
    void aLoginWithoutRefreshTokenClearsThePreviousUsersRefreshCookie() throws Exception {
        FakeAuthBackend.Tokens previous = backend.issue("admin");
        backend.override(FakeAuthBackend.LOGIN, 200, "application/json",
                "{\"access_token\":\"" + backend.accessToken("alice") + "\",\"expires_in\":300}");
        Response response;
        try {
            response = formLogin(EP, "alice", "alice-password", null, cookies(previous));
        } finally {
            backend.clearOverrides();
        }

        assertEquals(303, response.status(), () -> describe(response));
        assertTrue(response.headers("Set-Cookie").stream().anyMatch(c -> c.startsWith(REFRESH + "=;")),
                () -> "admin's refresh cookie must not survive alice's login: " + response.headers("Set-Cookie"));
        assertSessionCookie(response, ACCESS);
    }

    @Test
    void jsonLoginAnswersTheSubjectAndSetsTheCookies() throws Exception {
        Response response = jsonLogin(EP, "admin", "admin-password");

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> body = Json.object(response.body());
        assertAll(
                () -> assertEquals(Boolean.TRUE, body.get("authenticated")),
                () -> assertEquals("admin", body.get("subject")),
                () -> assertEquals(List.of("admin", "user"), body.get("roles") == null ? null
                        : ((List<?>) body.get("roles")).stream().map(String::valueOf).sorted().toList()),
                () -> assertNoStore(response),
                () -> assertSessionCookie(response, ACCESS),
                () -> assertSessionCookie(response, REFRESH),
                () -> assertNoTokenIn(response.body(), jar(response)));
    }

    @Test
    void wrongPasswordOnAFormGoesBackToTheLoginPageWithErrorAndFromAndSetsNoCookie() throws Exception {
        String from = EP + "/orders?tab=2&q=a%20b";

        Response response = formLogin(EP, "alice", "wrong-password", from, freshClient());

        assertEquals(303, response.status(), () -> describe(response));
        assertEquals(EP + "/login?error=1&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8),
                response.header("Location").orElse(null));
        assertNoStore(response);
        assertEquals(List.of(), response.headers("Set-Cookie"), "no cookie of any kind");
    }

    @Test
    void wrongPasswordAsJsonIs401AndSetsNoCookie() throws Exception {
        Response response = jsonLogin(EP, "alice", "wrong-password", freshClient());
        Response unknownUser = jsonLogin(EP, "mallory", "alice-password", freshClient());

        for (Response r : List.of(response, unknownUser)) {
            assertEquals(401, r.status(), () -> describe(r));
            assertEquals(Map.of("error", "invalid_credentials"), Json.object(r.body()));
            assertEquals(List.of(), r.headers("Set-Cookie"), "no cookie of any kind");
        }
    }

    @Test
    void loginWhileTheBackendIsDownSaysUnavailableAndSetsNothing() throws Exception {
        Response form;
        Response json;
        backend.stop();
        try {
            form = formLogin(EP, "alice", "alice-password", EP + "/orders");
            json = jsonLogin(EP, "alice", "alice-password");
        } finally {
            backend.start();
        }

        Response f = form;
        Response j = json;
        assertAll(
                () -> assertEquals(303, f.status(), () -> describe(f)),
                () -> assertEquals(EP + "/login?error=unavailable&from=%2Fep%2Forders", f.header("Location").orElse(null)),
                () -> assertEquals(List.of(), f.headers("Set-Cookie")),
                () -> assertEquals(503, j.status(), () -> describe(j)),
                () -> assertTrue(j.header("Retry-After").isPresent(), "Retry-After"),
                () -> assertEquals(Map.of("error", "unavailable"), Json.object(j.body())),
                () -> assertEquals(List.of(), j.headers("Set-Cookie")));
        // An outage is not a wrong password: the address is not closer to being locked out.
        Response after = jsonLogin(EP, "alice", "alice-password");
        assertEquals(200, after.status(), () -> describe(after));
    }

    @Test
    void loginBodyOverTheLimitIs413WhetherDeclaredOrStreamed() throws Exception {
        String body = "username=alice&password=alice-password&pad=" + "x".repeat(2000);
        int logins = backend.calls(FakeAuthBackend.LOGIN);

        HttpRequest withLength = request("POST", EP + "/auth/login", HttpRequest.BodyPublishers.ofString(body),
                sameOrigin(), "Content-Type: application/x-www-form-urlencoded");
        HttpRequest streamed = request("POST", EP + "/auth/login",
                HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8))),
                sameOrigin(), "Content-Type: application/x-www-form-urlencoded");
        // Each on a connection of its own (see send).
        Response declared = toResponse(JavaHttp.newClient().send(withLength, HttpResponse.BodyHandlers.ofString()));
        Response chunked = toResponse(JavaHttp.newClient().send(streamed, HttpResponse.BodyHandlers.ofString()));

        for (Response r : List.of(declared, chunked)) {
            assertEquals(413, r.status(), () -> describe(r));
            assertEquals(Map.of("error", "too_large"), Json.object(r.body()));
            assertEquals(List.of(), r.headers("Set-Cookie"));
        }
        assertEquals(logins, backend.calls(FakeAuthBackend.LOGIN), "nothing reached the backend");
    }

    @Test
    void loginWithAnUnsupportedContentTypeIs415() throws Exception {
        Response response = send("POST", EP + "/auth/login", "username=alice&password=alice-password", sameOrigin(),
                "Content-Type: text/plain");

        assertEquals(415, response.status(), () -> describe(response));
        assertEquals(Map.of("error", "unsupported_media_type"), Json.object(response.body()));
        assertEquals(List.of(), response.headers("Set-Cookie"));
    }

    @Test
    void tooManyFailedLoginsFromOneAddressGet429WithRetryAfterEvenWithTheRightPassword() throws Exception {
        String client = freshClient();
        for (int i = 0; i < 5; i++) { // login-max-failures defaults to 5
            Response failed = jsonLogin(EP, "alice", "wrong-password-" + i, client);
            assertEquals(401, failed.status(), () -> describe(failed));
        }
        int logins = backend.calls(FakeAuthBackend.LOGIN);

        Response refused = jsonLogin(EP, "alice", "alice-password", client);
        Response refusedForm = formLogin(EP, "alice", "alice-password", EP + "/orders", client);
        int loginsAfterRefusals = backend.calls(FakeAuthBackend.LOGIN);
        Response otherAddress = jsonLogin(EP, "alice", "alice-password", freshClient());

        for (Response r : List.of(refused, refusedForm)) {
            assertEquals(429, r.status(), () -> describe(r));
            assertEquals(Map.of("error", "too_many_attempts"), Json.object(r.body()));
            long retryAfter = Long.parseLong(r.header("Retry-After").orElse("-1"));
            assertTrue(retryAfter >= 1 && retryAfter <= 300, () -> "Retry-After within the 5m window: " + retryAfter);
            assertEquals(List.of(), r.headers("Set-Cookie"));
        }
        assertEquals(logins, loginsAfterRefusals, "a refused attempt never reaches the backend");
        assertEquals(200, otherAddress.status(), () -> "another address is not locked out: " + describe(otherAddress));
    }

    @Test
    void getOnTheLoginEndpointIs405() throws Exception {
        Response response = get(EP + "/auth/login", "Accept: text/html", "Sec-Fetch-Site: none", "Sec-Fetch-Mode: navigate");

        assertEquals(405, response.status(), () -> describe(response));
        assertEquals(Optional.of("POST"), response.header("Allow"));
        assertEquals(List.of(), response.headers("Set-Cookie"));
    }

    @Test
    void loginReplacesAGuestCookie() throws Exception {
        String guest = startGuest();

        Response response = formLogin(GUEST, "alice", "alice-password", "/account",
                "Cookie: " + GUEST_COOKIE + "=" + guest);

        assertEquals(303, response.status(), () -> describe(response));
        assertEquals(Optional.of("/account"), response.header("Location"));
        assertAll(
                () -> assertCleared(response, GUEST_COOKIE),
                () -> assertSessionCookie(response, ACCESS),
                () -> assertSessionCookie(response, REFRESH));
        Response api = get(GUEST + "/api/me", jar(response).header());
        assertEquals("alice", app(api).get("principal"));
        assertEquals(Boolean.FALSE, app(api).get("guest"));
    }

    // ================================================================ open redirects through "from"

    @ParameterizedTest
    @ValueSource(strings = {"//evil.example", "/\\evil.example", "https://evil.example", "/%2F%2Fevil.example",
            "javascript:alert(1)", "/ok\r\nSet-Cookie: injected=1", "/ok\r\nLocation: https://evil.example",
            "/ok\nX-Injected: 1", "///evil.example", "\\/evil.example", "/%5Cevil.example", "https:evil.example",
            "/\tevil.example", " //evil.example", "http://127.0.0.1/elsewhere"})
    void unsafeFromNeverLeavesTheOriginNorSplitsTheResponse(String from) throws Exception {
        String fields = "&from=" + URLEncoder.encode(from, StandardCharsets.UTF_8);

        Response success = rawFormLogin(EP, "username=alice&password=alice-password" + fields);
        Response failure = rawFormLogin(EP, "username=alice&password=wrong" + fields, freshClient());

        assertSameOriginRedirect(success, EP + "/welcome");
        assertSameOriginRedirect(failure, EP + "/login?error=1");
    }

    @Test
    void rawCrLfInTheFormBodyCannotSplitTheResponse() throws Exception {
        Response response = rawFormLogin(EP, "username=alice&password=alice-password&from=/ok\r\nSet-Cookie: injected=1\r\n");

        assertSameOriginRedirect(response, EP + "/welcome");
    }

    // ================================================================ logout

    @Test
    void formLogoutClearsEveryCookieRevokesTheRefreshTokenAndRedirects() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        int revocations = backend.calls(FakeAuthBackend.REVOKE);

        Response response = send("POST", EP + "/auth/logout", "", cookies(tokens), sameOrigin(), "Accept: text/html",
                "Content-Type: application/x-www-form-urlencoded");

        assertEquals(303, response.status(), () -> describe(response));
        assertEquals(Optional.of(EP + "/goodbye"), response.header("Location"));
        assertAllCleared(response, ACCESS, REFRESH);
        assertEquals(revocations + 1, backend.calls(FakeAuthBackend.REVOKE), "one revocation at the backend");
        assertFalse(backend.isActive(tokens.refreshToken()), "the refresh token is revoked");

        int refreshes = backend.calls(FakeAuthBackend.REFRESH);
        Response replay = get(EP + "/api/orders", "Cookie: " + REFRESH + "=" + tokens.refreshToken());
        assertEquals(401, replay.status(), () -> "the old refresh cookie alone: " + describe(replay));
        assertCleared(replay, REFRESH);
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "refused from its tombstone, no backend call");
    }

    @Test
    void jsonLogoutIs204AndClearsTheCookies() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");

        Response response = send("POST", EP + "/auth/logout", null, cookies(tokens), sameOrigin(), "Accept: application/json");

        assertEquals(204, response.status(), () -> describe(response));
        assertNoStore(response);
        assertAllCleared(response, ACCESS, REFRESH);
        assertFalse(backend.isActive(tokens.refreshToken()), "the refresh token is revoked");
    }

    @Test
    void logoutClearsTheCookiesEvenWhenTheBackendCannotRevoke() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        int revocations = backend.calls(FakeAuthBackend.REVOKE);
        Response response;
        backend.failWith(503);
        try {
            response = send("POST", EP + "/auth/logout", "", cookies(tokens), sameOrigin(), "Accept: text/html",
                    "Content-Type: application/x-www-form-urlencoded");
        } finally {
            backend.clearFailure();
        }

        Response r = response;
        assertEquals(303, r.status(), () -> describe(r));
        assertEquals(Optional.of(EP + "/goodbye"), r.header("Location"));
        assertAllCleared(r, ACCESS, REFRESH);
        assertEquals(revocations + 1, backend.calls(FakeAuthBackend.REVOKE), "revocation was attempted");
    }

    // ================================================================ session endpoint

    @Test
    void anonymousSessionSaysNotAuthenticated() throws Exception {
        Response response = get(EP + "/auth/session", sameOrigin(), "Sec-Fetch-Site: same-origin");

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> body = Json.object(response.body());
        assertAll(
                () -> assertEquals(Boolean.FALSE, body.get("authenticated")),
                () -> assertEquals(Boolean.FALSE, body.get("guest")),
                () -> assertNull(body.get("subject")),
                () -> assertEquals(List.of(), body.get("roles")),
                () -> assertNoStore(response),
                () -> assertEquals(List.of(), response.headers("Set-Cookie")));
    }

    @Test
    void signedInSessionDescribesTheUserWithAllowListedClaimsOnlyAndNoToken() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("admin");
        Map<String, Object> claims = jwtPart(tokens.accessToken(), 1);

        Response response = get(EP + "/auth/session", cookies(tokens), "Sec-Fetch-Site: same-origin");

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> body = Json.object(response.body());
        assertAll(
                () -> assertEquals(Boolean.TRUE, body.get("authenticated")),
                () -> assertEquals(Boolean.FALSE, body.get("guest")),
                () -> assertEquals("admin", body.get("subject")),
                () -> assertEquals(List.of("admin", "user"), ((List<?>) body.get("roles")).stream().map(String::valueOf).sorted().toList()),
                () -> assertEquals(((Number) claims.get("exp")).longValue(), ((Number) body.get("expiresAt")).longValue(), "expiresAt"),
                () -> assertEquals(EP + "/auth/logout", body.get("logoutUrl")),
                () -> assertEquals(Map.of("iss", backend.issuer(), "jti", claims.get("jti")), body.get("claims"),
                        "only the allow-listed claims the token has: not aud, iat, exp, sub, roles"),
                () -> assertNoTokenIn(response.body(), new Jar(tokens.accessToken(), tokens.refreshToken())),
                () -> assertNoStore(response));
    }

    @Test
    void sessionWithAnExpiredAccessTokenRefreshesInPlace() throws Exception {
        FakeAuthBackend.Tokens old = longAgo(() -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(EP + "/auth/session", cookies(old), "Sec-Fetch-Site: same-origin");

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> body = Json.object(response.body());
        assertEquals(Boolean.TRUE, body.get("authenticated"));
        assertEquals("alice", body.get("subject"));
        Jar rotated = assertRotated(response, old);
        assertEquals(refreshes + 1, backend.calls(FakeAuthBackend.REFRESH), "one refresh at the backend");
        assertTrue(((Number) body.get("expiresAt")).longValue() > Instant.now().getEpochSecond(), "the new token's expiry");
        assertNoTokenIn(response.body(), rotated);
        assertNoTokenIn(response.body(), new Jar(old.accessToken(), old.refreshToken()));
    }

    // ================================================================ refresh endpoint

    @Test
    void explicitRefreshRotatesTheCookies() throws Exception {
        FakeAuthBackend.Tokens old = backend.issue("alice");
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = send("POST", EP + "/auth/refresh", null, cookies(old), sameOrigin());

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> body = Json.object(response.body());
        assertEquals(Boolean.TRUE, body.get("authenticated"));
        assertEquals("alice", body.get("subject"));
        Jar rotated = assertRotated(response, old);
        assertEquals(refreshes + 1, backend.calls(FakeAuthBackend.REFRESH), "one refresh at the backend");
        assertFalse(backend.isActive(old.refreshToken()), "the old refresh token was spent");
        assertTrue(backend.isActive(rotated.refresh()), "the new refresh cookie is live");
        assertNoTokenIn(response.body(), rotated);
        assertNoStore(response);
    }

    @Test
    void refreshWithoutARefreshCookieIs401() throws Exception {
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response accessOnly = send("POST", EP + "/auth/refresh", null, "Cookie: " + ACCESS + "=" + backend.accessToken("alice"),
                sameOrigin());
        Response none = send("POST", EP + "/auth/refresh", null, sameOrigin());

        for (Response r : List.of(accessOnly, none)) {
            assertEquals(401, r.status(), () -> describe(r));
            assertEquals(Map.of("error", "unauthenticated"), Json.object(r.body()));
        }
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "nothing to refresh with");
    }

    @Test
    void refreshWithARevokedTokenIs401AndClearsTheCookies() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        backend.revoke(tokens.refreshToken());

        Response response = send("POST", EP + "/auth/refresh", null, cookies(tokens), sameOrigin());

        assertEquals(401, response.status(), () -> describe(response));
        assertEquals(Map.of("error", "unauthenticated"), Json.object(response.body()));
        assertAllCleared(response, ACCESS, REFRESH);
    }

    // ================================================================ client token

    @Test
    void clientTokenForASignedInUserIsAShortLivedTypedJwtBoundToTheSessionByAHash() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("admin");

        Response response = get(EP + "/auth/client-token", cookies(tokens), "Sec-Fetch-Site: same-origin");

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> body = Json.object(response.body());
        String token = (String) body.get("token");
        assertNotNull(token, () -> describe(response));
        Map<String, Object> header = jwtPart(token, 0);
        Map<String, Object> claims = jwtPart(token, 1);
        Object sid = claims.get("sid");
        assertAll(
                () -> assertEquals("sessiongate-client+jwt", header.get("typ")),
                () -> assertEquals("HS256", header.get("alg")),
                () -> assertEquals("admin", claims.get("sub")),
                () -> assertEquals(300L, ((Number) claims.get("exp")).longValue() - ((Number) claims.get("iat")).longValue(),
                        "exp - iat: client-token-ttl defaults to 5 minutes"),
                () -> assertEquals("Bearer", body.get("tokenType")),
                () -> assertEquals(300L, ((Number) body.get("expiresIn")).longValue()),
                () -> assertTrue(sid instanceof String s && s.length() >= 16, () -> "sid: " + sid),
                () -> assertFalse(tokens.accessToken().contains(String.valueOf(sid))
                        || tokens.refreshToken().contains(String.valueOf(sid)), "sid is no cookie value nor part of one"),
                () -> assertNotEquals(Tokens.sha256(tokens.accessToken()), sid, "sid is keyed, not a plain hash"),
                () -> assertFalse(token.contains(tokens.accessToken()) || response.body().contains(tokens.refreshToken())),
                () -> assertNoStore(response),
                () -> assertTrue(verifiesWith(token, CLIENT_TOKEN_SECRET), "HS256 with client-token-secret"));

        Response asAccess = get(EP + "/api/orders", "Cookie: " + ACCESS + "=" + token);
        assertEquals(401, asAccess.status(), () -> "a client token is no access token: " + describe(asAccess));
    }

    @Test
    void clientTokenForACrossSiteRequestIsRefused() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");

        Response fetchMetadata = get(EP + "/auth/client-token", cookies(tokens), "Sec-Fetch-Site: cross-site");
        Response foreignOrigin = get(EP + "/auth/client-token", cookies(tokens), "Origin: " + EVIL);

        for (Response r : List.of(fetchMetadata, foreignOrigin)) {
            assertEquals(403, r.status(), () -> describe(r));
            assertEquals(Map.of("error", "csrf"), Json.object(r.body()));
            assertEquals(List.of(), r.headers("Set-Cookie"));
        }
    }

    @Test
    void clientTokenForAnAnonymousVisitorHasAnAnonymousSubject() throws Exception {
        Response response = get(EP + "/auth/client-token", sameOrigin());

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> claims = jwtPart((String) Json.object(response.body()).get("token"), 1);
        assertTrue(String.valueOf(claims.get("sub")).startsWith("anon:"), () -> "sub: " + claims.get("sub"));
        assertNull(claims.get("sid"), "no session, no binding");
        assertNoStore(response);
    }

    // ================================================================ CSRF

    @Test
    void crossSitePostWithSessionCookiesIsRefusedBeforeTheApplication() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        int calls = ApiServlet.calls(EP);

        Response response = send("POST", EP + "/api/orders", "{}", cookies(tokens), "Origin: " + EVIL,
                "Content-Type: application/json");

        assertCsrfRefused(response);
        assertEquals(calls, ApiServlet.calls(EP), "the servlet never ran");
    }

    @Test
    void sameOriginPostReachesTheApplication() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");

        Response byOrigin = send("POST", EP + "/api/orders", "{}", cookies(tokens), sameOrigin(), "Content-Type: application/json");
        Response byFetchMetadata = send("POST", EP + "/api/orders", "{}", cookies(tokens), "Sec-Fetch-Site: same-origin",
                sameOrigin());
        Response byReferer = send("POST", EP + "/api/orders", "{}", cookies(tokens), "Referer: " + base + EP + "/page?x=1");

        for (Response r : List.of(byOrigin, byFetchMetadata, byReferer)) {
            assertEquals(201, r.status(), () -> describe(r));
            assertEquals("alice", app(r).get("principal"));
        }
    }

    @Test
    void nullOriginIsRefused() throws Exception {
        int calls = ApiServlet.calls(EP);

        assertCsrfRefused(send("POST", EP + "/api/orders", "{}", cookies(backend.issue("alice")), "Origin: null"));
        assertEquals(calls, ApiServlet.calls(EP));
    }

    @Test
    void sameSiteRequestFromASiblingIsRefused() throws Exception {
        int calls = ApiServlet.calls(EP);

        assertCsrfRefused(send("POST", EP + "/api/orders", "{}", cookies(backend.issue("alice")), "Sec-Fetch-Site: same-site",
                "Origin: http://sibling.127.0.0.1.nip.io:" + base.getPort()));
        assertCsrfRefused(send("POST", EP + "/api/orders", "{}", cookies(backend.issue("alice")), "Sec-Fetch-Site: same-site"));
        assertEquals(calls, ApiServlet.calls(EP));
    }

    @Test
    void postWithoutOriginRefererOrFetchMetadataIsAllowedAsANonBrowserClient() throws Exception {
        Response response = send("POST", EP + "/api/orders", "{}", cookies(backend.issue("alice")));

        assertEquals(201, response.status(), () -> "documented: none of the three headers is allowed: " + describe(response));
        assertEquals("alice", app(response).get("principal"));
    }

    @Test
    void refererFromAnotherOriginIsRefused() throws Exception {
        int calls = ApiServlet.calls(EP);

        assertCsrfRefused(send("POST", EP + "/api/orders", "{}", cookies(backend.issue("alice")),
                "Referer: " + EVIL + EP + "/api/orders"));
        assertCsrfRefused(send("POST", EP + "/api/orders", "{}", cookies(backend.issue("alice")),
                "Referer: http://127.0.0.1:" + (base.getPort() == 65535 ? 1 : base.getPort() + 1) + "/"));
        assertEquals(calls, ApiServlet.calls(EP));
    }

    @Test
    void methodOverrideNeverMakesAnUnsafeRequestSafe() throws Exception {
        int calls = ApiServlet.calls(EP);

        assertCsrfRefused(send("GET", EP + "/api/orders/7", null, cookies(backend.issue("alice")), "Origin: " + EVIL,
                "X-HTTP-Method-Override: DELETE"));
        assertCsrfRefused(send("GET", EP + "/api/orders/7?_method=DELETE", null, cookies(backend.issue("alice")),
                "Sec-Fetch-Site: cross-site"));
        assertEquals(calls, ApiServlet.calls(EP));
    }

    @Test
    void crossSiteGetWithCookiesIsNotSubjectToTheCheck() throws Exception {
        Response response = get(EP + "/api/orders", cookies(backend.issue("alice")), "Origin: " + EVIL, "Sec-Fetch-Site: cross-site");

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("alice", app(response).get("principal"));
    }

    @Test
    void crossSiteLoginWithoutCookiesIsRefused() throws Exception {
        int logins = backend.calls(FakeAuthBackend.LOGIN);

        Response response = formLogin(EP, "mallory-account", "attacker-password", EP + "/", "Origin: " + EVIL);
        Response json = send("POST", EP + "/auth/login", "{\"username\":\"alice\",\"password\":\"alice-password\"}",
                "Sec-Fetch-Site: cross-site", "Content-Type: application/json");

        for (Response r : List.of(response, json)) {
            assertCsrfRefused(r);
            assertEquals(List.of(), r.headers("Set-Cookie"));
        }
        assertEquals(logins, backend.calls(FakeAuthBackend.LOGIN), "the backend was never asked");
    }

    @Test
    void crossSiteLogoutIsRefusedAndLeavesTheSessionAlone() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        int revocations = backend.calls(FakeAuthBackend.REVOKE);

        Response response = send("POST", EP + "/auth/logout", "", cookies(tokens), "Origin: " + EVIL, "Accept: text/html",
                "Content-Type: application/x-www-form-urlencoded");

        assertCsrfRefused(response);
        assertEquals(List.of(), response.headers("Set-Cookie"), "cookies untouched");
        assertEquals(revocations, backend.calls(FakeAuthBackend.REVOKE), "nothing revoked");
        assertTrue(backend.isActive(tokens.refreshToken()));
        assertEquals(200, get(EP + "/api/orders", cookies(tokens)).status(), "still signed in");
    }

    @Test
    void bearerPostFromAnyOriginIsNotSubjectToTheCheckAndNeverGetsACookie() throws Exception {
        FakeAuthBackend.Tokens expired = longAgo(() -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = send("POST", BEARER + "/api/orders", "{}", "Authorization: Bearer " + backend.accessToken("alice"),
                "Origin: " + EVIL, "Sec-Fetch-Site: cross-site", cookies(expired), "Content-Type: application/json");

        assertEquals(201, response.status(), () -> describe(response));
        assertEquals("alice", app(response).get("principal"));
        assertEquals(List.of(), response.headers("Set-Cookie"), "a bearer client never receives a cookie");
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "the cookies beside the bearer header were not used");
    }

    @Test
    void reportOnlyLetsACrossSitePostThroughButAuditsIt() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        Response[] response = new Response[1];

        String log = LogCapture.during(() -> response[0] = send("POST", REPORT + "/api/orders", "{}", cookies(tokens),
                "Origin: " + EVIL, "Content-Type: application/json"));

        assertEquals(201, response[0].status(), () -> describe(response[0]));
        assertEquals("alice", app(response[0]).get("principal"));
        assertTrue(log.lines().anyMatch(l -> l.contains("event=csrf_refused") && l.contains("path=\"/api/orders\"")),
                () -> "no csrf_refused audit line in:\n" + log);
        assertFalse(log.contains(tokens.accessToken()) || log.contains(tokens.refreshToken()), "no token in the log");
    }

    // ================================================================ guests

    @Test
    void anonymousNavigationToAPublicPageStartsAGuestSession() throws Exception {
        Response response = get(GUEST + "/", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Accept: text/html");

        assertEquals(200, response.status(), () -> describe(response));
        String guest = setCookie(response, GUEST_COOKIE).orElseThrow(() -> new AssertionError("no guest cookie: " + describe(response)));
        assertSessionCookie(response, GUEST_COOKIE);
        Map<String, Object> page = app(response);
        assertAll(
                () -> assertEquals(Boolean.TRUE, page.get("guest"), "Session.isGuest()"),
                () -> assertNull(page.get("principal"), "a guest is no principal"),
                () -> assertTrue(String.valueOf(page.get("subject")).startsWith("guest:"), () -> "subject " + page.get("subject")),
                () -> assertEquals("sessiongate-guest+jwt", jwtPart(guest, 0).get("typ")),
                () -> assertEquals(Optional.empty(), setCookie(response, ACCESS), "no user cookie"));

        Response again = get(GUEST + "/", "Cookie: " + GUEST_COOKIE + "=" + guest, "Sec-Fetch-Mode: navigate");
        assertEquals(page.get("subject"), app(again).get("subject"), "the guest cookie resumes the same guest");
        assertEquals(Optional.empty(), setCookie(again, GUEST_COOKIE), "and is not re-minted");
    }

    @Test
    void aPublicSubresourceRequestDoesNotStartAGuestSession() throws Exception {
        Response response = get(GUEST + "/", "Sec-Fetch-Mode: no-cors", "Sec-Fetch-Dest: image", "Accept: image/*");

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals(List.of(), response.headers("Set-Cookie"));
        assertEquals(Boolean.FALSE, app(response).get("guest"));
    }

    @Test
    void aGuestCookieNeverPassesAProtectedPath() throws Exception {
        String guest = startGuest();
        int calls = ApiServlet.calls(GUEST);

        Response api = get(GUEST + "/api/orders", "Cookie: " + GUEST_COOKIE + "=" + guest);
        Response page = get(GUEST + "/api/orders", "Cookie: " + GUEST_COOKIE + "=" + guest, "Sec-Fetch-Mode: navigate",
                "Accept: text/html");
        Response post = send("POST", GUEST + "/api/orders", "{}", "Cookie: " + GUEST_COOKIE + "=" + guest, sameOrigin());

        assertEquals(401, api.status(), () -> describe(api));
        assertEquals(302, page.status(), () -> describe(page));
        assertTrue(page.header("Location").orElse("").startsWith("/login?from="), () -> describe(page));
        assertEquals(401, post.status(), () -> describe(post));
        assertEquals(calls, ApiServlet.calls(GUEST), "the application never ran for a guest");
    }

    @Test
    void aGuestTokenInTheAccessCookieIsNotAUserSession() throws Exception {
        String guest = startGuest();
        int calls = ApiServlet.calls(GUEST);

        Response response = get(GUEST + "/api/orders", "Cookie: " + ACCESS + "=" + guest);

        assertEquals(401, response.status(), () -> describe(response));
        assertEquals(calls, ApiServlet.calls(GUEST));
        Response session = get(GUEST + "/auth/session", "Cookie: " + ACCESS + "=" + guest, sameOrigin());
        assertEquals(Boolean.FALSE, Json.object(session.body()).get("authenticated"), () -> describe(session));
    }

    /** The session endpoint sees a guest resumed from its cookie. */
    @Test
    void theSessionEndpointReportsAGuest() throws Exception {
        String guest = startGuest();

        Response response = get(GUEST + "/auth/session", "Cookie: " + GUEST_COOKIE + "=" + guest, sameOrigin());

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> body = Json.object(response.body());
        assertEquals(Boolean.FALSE, body.get("authenticated"), () -> describe(response));
        assertEquals(Boolean.TRUE, body.get("guest"), () -> describe(response));
        assertNull(body.get("subject"), "a guest's subject is not shown as a user's");
        assertFalse(response.body().contains(guest), "never the guest token");
    }

    /** A client token for a guest carries the guest subject and claim. */
    @Test
    void aClientTokenForAGuestNamesTheGuest() throws Exception {
        String guest = startGuest();
        String subject = jwtPart(guest, 1).get("sub").toString();

        Response response = get(GUEST + "/auth/client-token", "Cookie: " + GUEST_COOKIE + "=" + guest, sameOrigin());

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> claims = jwtPart((String) Json.object(response.body()).get("token"), 1);
        assertEquals(subject, claims.get("sub"), () -> "the guest's subject, not a fresh anon: one: " + claims);
        assertEquals(Boolean.TRUE, claims.get("guest"), () -> "claims " + claims);
    }

    // ================================================================ lifetime

    @Test
    void validTokensWithoutAMetaCookiePassButStartNoLifetimeAndCannotRefresh() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(LIFE + "/api/orders", cookies(tokens));
        Response explicit = send("POST", LIFE + "/auth/refresh", null, cookies(tokens), sameOrigin());

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("alice", app(response).get("principal"));
        assertEquals(List.of(), response.headers("Set-Cookie"),
                "only a login starts a lifetime record: starting one here would restart the absolute timeout");
        assertEquals(401, explicit.status(), () -> "no refresh without a live lifetime record: " + describe(explicit));
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "the backend was never asked");
    }

    @Test
    void aLiveMetaWithinTheSlidingIntervalIsNotRewritten() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");

        Response next = get(LIFE + "/api/orders", cookies(tokens) + "; " + META + "=" + meta(tokens));

        assertEquals(200, next.status(), () -> describe(next));
        assertEquals(List.of(), next.headers("Set-Cookie"), "an alive meta within sliding-interval is not rewritten");
    }

    @Test
    void aGenuineLifetimeRecordOfAnotherSubjectNeverKeepsThisSessionRefreshing() throws Exception {
        long now = Instant.now().getEpochSecond();
        String bobs = META + "=" + signedMeta("bob", now, now); // genuine, from another login
        FakeAuthBackend.Tokens expired = longAgo(() -> backend.issue("alice"));
        FakeAuthBackend.Tokens other = longAgo(() -> backend.issue("alice"));

        Response inPlace = get(LIFE + "/api/orders", cookies(expired) + "; " + bobs);
        Response explicit = send("POST", LIFE + "/auth/refresh", null, cookies(other) + "; " + bobs, sameOrigin());

        assertEquals(401, inPlace.status(), () -> describe(inPlace));
        assertAllCleared(inPlace, ACCESS, REFRESH, META);
        assertEquals(401, explicit.status(), () -> describe(explicit));
        assertAllCleared(explicit, ACCESS, REFRESH, META);
    }

    @Test
    void aTamperedMetaCookieEndsTheSession() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        String meta = meta(tokens);
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);
        int calls = ApiServlet.calls(LIFE);

        Response response = get(LIFE + "/api/orders", cookies(tokens) + "; " + META + "=" + tamper(meta));

        assertEquals(401, response.status(), () -> describe(response));
        assertAllCleared(response, ACCESS, REFRESH, META);
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "no refresh attempted");
        assertEquals(calls, ApiServlet.calls(LIFE));
        Response page = get(LIFE + "/api/orders", cookies(tokens) + "; " + META + "=" + tamper(meta), "Sec-Fetch-Mode: navigate");
        assertEquals(302, page.status(), () -> "a page navigation is sent to sign in: " + describe(page));
    }

    @Test
    void aTamperedMetaCookieWithAnExpiredAccessTokenIsNeverRefreshed() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        String meta = meta(tokens);
        FakeAuthBackend.Tokens expired = longAgo(() -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(LIFE + "/api/orders", cookies(expired) + "; " + META + "=" + tamper(meta));

        assertEquals(401, response.status(), () -> describe(response));
        assertAllCleared(response, ACCESS, REFRESH, META);
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "no refresh attempted past the lifetime check");
        assertTrue(backend.isActive(expired.refreshToken()), "the refresh token was never presented");
    }

    @Test
    void aRefreshWithoutALifetimeCookieIsRefusedSoDroppingItRestartsNothing() throws Exception {
        FakeAuthBackend.Tokens expired = longAgo(() -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(LIFE + "/api/orders", cookies(expired));

        assertEquals(401, response.status(), () -> describe(response));
        assertAllCleared(response, ACCESS, REFRESH);
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "a stolen refresh token alone gets nothing");
    }

    @Test
    void aGenuineMetaPastTheIdleOrAbsoluteTimeoutEndsTheSessionWithoutRefresh() throws Exception {
        long now = Instant.now().getEpochSecond();
        FakeAuthBackend.Tokens control = longAgo(() -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);
        // Control: a meta signed here with the configured key and recent times is alive, so the
        // encoding below is the filter's own and the refusals that follow are for the times.
        Response alive = get(LIFE + "/api/orders", cookies(control) + "; " + META + "=" + signedMeta("alice", now - 3600, now - 60));
        assertEquals(200, alive.status(), () -> describe(alive));
        assertEquals(refreshes + 1, backend.calls(FakeAuthBackend.REFRESH), "an alive session refreshes in place");

        for (long[] times : List.of(new long[] {now - 3600, now - 31 * 60}, new long[] {now - 13 * 3600, now - 60})) {
            FakeAuthBackend.Tokens expired = longAgo(() -> backend.issue("alice"));
            int before = backend.calls(FakeAuthBackend.REFRESH);

            Response response = get(LIFE + "/api/orders", cookies(expired) + "; " + META + "=" + signedMeta("alice", times[0], times[1]));

            assertEquals(401, response.status(), () -> describe(response));
            assertAllCleared(response, ACCESS, REFRESH, META);
            assertEquals(before, backend.calls(FakeAuthBackend.REFRESH), "no refresh past a timeout");
        }
    }

    // ================================================================ sealed cookies

    @Test
    void sealedCookiesShowNoClaimsYetTheApiWorks() throws Exception {
        Response login = jsonLogin(SEALED, "alice", "alice-password");
        assertEquals(200, login.status(), () -> describe(login));
        assertSessionCookie(login, ACCESS);
        Jar sealed = jar(login);

        String inner = open(sealed.access());
        String[] jwt = inner.split("\\.");
        String[] jwe = sealed.access().split("\\.", -1);
        Map<String, Object> jweHeader = jwtPart(sealed.access(), 0);
        assertAll(
                () -> assertEquals(3, jwt.length, "the sealed value holds the backend's JWT"),
                () -> assertEquals("alice", jwtPart(inner, 1).get("sub")),
                () -> assertEquals(5, jwe.length, "the cookie is a five-part JWE, not a three-part JWS"),
                () -> assertEquals(Map.of("alg", "dir", "enc", "A256GCM", "kid", SEAL_KID), jweHeader,
                        "its only readable part is the JWE header: no claim"),
                () -> assertFalse(sealed.access().contains(jwt[1]), "the token's payload does not appear"),
                () -> assertFalse(sealed.access().contains(jwt[2]), "nor its signature"),
                () -> assertEquals(5, sealed.refresh().split("\\.", -1).length, "the refresh cookie is sealed too"),
                () -> assertTrue(backend.isActive(open(sealed.refresh())), "and holds the live refresh token"));

        Response api = get(SEALED + "/api/orders", sealed.header());
        assertEquals(200, api.status(), () -> describe(api));
        assertEquals("alice", app(api).get("principal"));
        assertEquals(List.of(), api.headers("Set-Cookie"));
    }

    @Test
    void aTamperedOrUnsealedCookieIsRefusedAndCleared() throws Exception {
        Response login = jsonLogin(SEALED, "alice", "alice-password");
        Jar sealed = jar(login);

        Response tampered = get(SEALED + "/api/orders", "Cookie: " + ACCESS + "=" + tamperSegment(sealed.access(), 3));
        Response plain = get(SEALED + "/api/orders", "Cookie: " + ACCESS + "=" + open(sealed.access()));

        for (Response r : List.of(tampered, plain)) {
            assertEquals(401, r.status(), () -> describe(r));
            assertCleared(r, ACCESS);
        }
    }

    // ================================================================ bearer header

    @Test
    void aValidBearerHeaderIsServedWithoutCookies() throws Exception {
        Response response = get(BEARER + "/api/orders", "Authorization: Bearer " + backend.accessToken("admin"));

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("admin", app(response).get("principal"));
        assertEquals(List.of(), response.headers("Set-Cookie"));
    }

    @Test
    void anInvalidBearerHeaderIs401WithABearerChallenge() throws Exception {
        String token = backend.accessToken("alice");
        String forged = tamperSegment(token, 2);

        Response response = get(BEARER + "/api/orders", "Authorization: Bearer " + forged);

        assertEquals(401, response.status(), () -> describe(response));
        assertEquals(Optional.of("Bearer realm=\"bearer-it\""), response.header("WWW-Authenticate"));
        assertEquals(Map.of("error", "unauthenticated"), Json.object(response.body()));
        assertEquals(List.of(), response.headers("Set-Cookie"), "nothing to clear for a bearer client");
    }

    // ================================================================ refresh ahead

    @Test
    void aValidTokenCloseToExpiryIsRefreshedAhead() throws Exception {
        // Minted 25 minutes ago with a 30-minute lifetime: valid for 5 more minutes, inside refresh-ahead=10m.
        FakeAuthBackend.Tokens old = backendClock.travelledBack(ACCESS_TTL.minusMinutes(5), () -> backend.issue("alice"));
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(AHEAD + "/api/orders", cookies(old));

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("alice", app(response).get("principal"));
        assertRotated(response, old);
        assertEquals(refreshes + 1, backend.calls(FakeAuthBackend.REFRESH), "one proactive refresh");
    }

    @Test
    void aValidTokenFarFromExpiryIsNotRefreshed() throws Exception {
        FakeAuthBackend.Tokens fresh = backend.issue("alice");
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(AHEAD + "/api/orders", cookies(fresh));

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals(List.of(), response.headers("Set-Cookie"));
        assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH));
    }

    // ================================================================ helpers: requests

    /** A session as the browser holds it: the two cookie values as sent or set. */
    record Jar(String access, String refresh) {
        String header() {
            return "Cookie: " + ACCESS + "=" + access + "; " + REFRESH + "=" + refresh;
        }

        @Override
        public String toString() {
            return "Jar[access " + Tokens.fingerprint(access) + ", refresh " + Tokens.fingerprint(refresh) + "]";
        }
    }

    static String cookies(FakeAuthBackend.Tokens tokens) {
        return new Jar(tokens.accessToken(), tokens.refreshToken()).header();
    }

    /** {@code Origin} of the application itself, as a browser sends it on a same-origin POST. */
    String sameOrigin() {
        return "Origin: " + base;
    }

    /** A client address of its own for the login limiter, through the trusted proxy 127.0.0.1. */
    String freshClient() {
        int n = clientAddresses.incrementAndGet();
        return "X-Forwarded-For: 198.51." + (100 + n / 250) + "." + (1 + n % 250);
    }

    Response formLogin(String context, String user, String password, String from, String... headers)
            throws IOException, InterruptedException {
        String body = "username=" + form(user) + "&password=" + form(password) + (from == null ? "" : "&from=" + form(from));
        String[] all = concat(headers, "Content-Type: application/x-www-form-urlencoded", "Accept: text/html");
        if (Arrays.stream(headers).noneMatch(h -> h.regionMatches(true, 0, "Origin:", 0, 7))) {
            all = concat(all, sameOrigin());
        }
        return send("POST", context + "/auth/login", body, all);
    }

    Response jsonLogin(String context, String user, String password, String... headers) throws IOException, InterruptedException {
        String body = "{\"username\":" + Json.quote(user) + ",\"password\":" + Json.quote(password) + "}";
        return send("POST", context + "/auth/login", body, concat(headers, "Content-Type: application/json", sameOrigin()));
    }

    /** A same-origin form login written byte for byte on a socket, so the raw response headers can be read. */
    Response rawFormLogin(String context, String body, String... headers) throws IOException {
        return RawHttp.send(base, "POST", context + "/auth/login", body.getBytes(StandardCharsets.ISO_8859_1),
                concat(headers, "Content-Type: application/x-www-form-urlencoded", sameOrigin()));
    }

    /** A guest token, started by a page navigation on the guest webapp. */
    String startGuest() throws IOException, InterruptedException {
        Response response = get(GUEST + "/", "Sec-Fetch-Mode: navigate", "Accept: text/html");
        return setCookie(response, GUEST_COOKIE).orElseThrow(() -> new AssertionError("no guest cookie: " + describe(response)));
    }

    /** The meta cookie the lifetime webapp starts for these tokens. */
    /** A live lifetime record for alice's tokens, as a login here would start it. */
    String meta(FakeAuthBackend.Tokens tokens) throws Exception {
        long now = Instant.now().getEpochSecond();
        return signedMeta("alice", now, now);
    }

    <T> T longAgo(Supplier<T> action) {
        return backendClock.travelledBack(LONG_AGO, action);
    }

    Response get(String target, String... headers) throws IOException, InterruptedException {
        return send("GET", target, null, headers);
    }

    /**
     * A request through java.net.http, redirects not followed; {@code body} {@code null} for none.
     *
     * <p>A request with a body goes on a connection of its own (a fresh client): when the filter
     * refuses it without reading the body (CSRF, 401, 413), Jetty closes the connection after the
     * answer, and a pooled connection would hand that close to the next request as "header parser
     * received no bytes". Browsers retry such a request on a new connection; a test must not need to.
     */
    Response send(String method, String target, String body, String... headers) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher publisher = body == null ? HttpRequest.BodyPublishers.noBody()
                : HttpRequest.BodyPublishers.ofString(body);
        HttpClient client = body == null ? http : JavaHttp.newClient();
        return toResponse(client.send(request(method, target, publisher, headers), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest request(String method, String target, HttpRequest.BodyPublisher body, String... headers) {
        return JavaHttp.request(base, target, Duration.ofSeconds(10), headers).method(method, body).build();
    }

    private static Response toResponse(HttpResponse<String> response) {
        return JavaHttp.toResponse(response);
    }

    /** The application's account of the request; fails if it did not write the body. */
    static Map<String, Object> app(Response response) {
        Map<String, Object> json;
        try {
            json = Json.object(response.body());
        } catch (IllegalArgumentException e) {
            throw new AssertionError("not the application's JSON: " + describe(response), e);
        }
        assertEquals(ApiServlet.MARKER, json.get("servlet"), () -> "not the application: " + describe(response));
        return json;
    }

    // ================================================================ helpers: assertions

    static void assertCsrfRefused(Response response) {
        assertAll(
                () -> assertEquals(403, response.status(), () -> describe(response)),
                () -> assertEquals(Map.of("error", "csrf"), Json.object(response.body())),
                () -> assertFalse(response.body().contains("\"servlet\""), "never the application's answer"));
    }

    static void assertNoStore(Response response) {
        String cacheControl = String.join(", ", response.headers("Cache-Control")).toLowerCase(Locale.ROOT);
        assertTrue(cacheControl.contains("no-store"), () -> "Cache-Control: " + cacheControl);
    }

    /**
     * A 303 whose only {@code Location} is exactly {@code expected}, a path on this origin, and whose
     * headers show no trace of an injected line.
     */
    static void assertSameOriginRedirect(Response response, String expected) {
        List<String> locations = response.headers("Location");
        assertAll(
                () -> assertEquals(303, response.status(), () -> describe(response)),
                () -> assertEquals(List.of(expected), locations, () -> describe(response)),
                () -> assertTrue(locations.stream().allMatch(l -> l.startsWith("/") && !l.startsWith("//")
                        && l.indexOf('\\') < 0 && l.indexOf('\r') < 0 && l.indexOf('\n') < 0), () -> "Location " + locations),
                () -> assertFalse(response.headers().containsKey("x-injected"), () -> describe(response)),
                () -> assertTrue(response.headers("Set-Cookie").stream().noneMatch(c -> c.contains("injected")), () -> describe(response)),
                () -> assertTrue(response.headers().values().stream().flatMap(List::stream)
                        .noneMatch(v -> v.contains("evil.example") || v.contains("injected")), () -> describe(response)));
    }

    /** A session cookie as it must be set on plain HTTP to 127.0.0.1: HttpOnly, SameSite=Lax, Path=/, host-only, not Secure. */
    static void assertSessionCookie(Response response, String name) {
        String header = SetCookies.header(response, name)
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + ": " + describe(response)));
        Map<String, String> attributes = attributes(header);
        assertAll(header,
                () -> assertFalse(setCookie(response, name).orElse("").isEmpty(), "a value, not a clearing"),
                () -> assertTrue(attributes.containsKey("httponly"), "HttpOnly"),
                () -> assertEquals("lax", attributes.getOrDefault("samesite", "").toLowerCase(Locale.ROOT), "SameSite=Lax"),
                () -> assertEquals("/", attributes.get("path"), "Path=/"),
                () -> assertFalse(attributes.containsKey("domain"), "host-only: no Domain"),
                () -> assertFalse(attributes.containsKey("secure"), "cookie-secure=false"),
                () -> assertFalse("0".equals(attributes.get("max-age")), "not expired"));
    }

    /** A clearing {@code Set-Cookie}: empty value, Path=/, already expired (Jetty: Max-Age=0; Tomcat: an Expires in the past). */
    static void assertCleared(Response response, String name) {
        String header = SetCookies.header(response, name)
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + name + ": " + describe(response)));
        assertClearing(header);
    }

    private static void assertClearing(String header) {
        Map<String, String> attributes = attributes(header);
        String expires = attributes.get("expires");
        assertAll(header,
                () -> assertTrue(header.indexOf('=') == header.indexOf(";") - 1 || header.endsWith("="), "empty value"),
                () -> assertEquals("/", attributes.get("path"), "the same Path as when set"),
                () -> assertTrue("0".equals(attributes.get("max-age")) || expires != null
                        && ZonedDateTime.parse(expires, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant().isBefore(Instant.now()),
                        "Max-Age=0 or an Expires in the past"),
                () -> assertFalse(attributes.containsKey("domain"), "no Domain"));
    }

    /** Each named cookie is cleared, and every {@code Set-Cookie} on the response is a clearing. */
    static void assertAllCleared(Response response, String... names) {
        for (String name : names) {
            assertCleared(response, name);
        }
        List<String> all = response.headers("Set-Cookie");
        all.forEach(EndpointScenarios::assertClearing);
    }

    /** Both cookies set anew, each different from what was sent, as session cookies; returns the new pair. */
    static Jar assertRotated(Response response, FakeAuthBackend.Tokens old) {
        assertSessionCookie(response, ACCESS);
        assertSessionCookie(response, REFRESH);
        Jar jar = jar(response);
        assertNotEquals(old.accessToken(), jar.access(), "the access cookie changed");
        assertNotEquals(old.refreshToken(), jar.refresh(), "the refresh cookie was rotated");
        return jar;
    }

    /** No cookie value and nothing that looks like a JWT in a body meant for client code. */
    static void assertNoTokenIn(String body, Jar jar) {
        assertAll(
                () -> assertFalse(body.contains(jar.access()), "the access token"),
                () -> assertFalse(body.contains(jar.refresh()), "the refresh token"),
                () -> assertFalse(JWT.matcher(body).find(), () -> "a JWT in " + body));
    }

    // ================================================================ helpers: cookies and tokens

    static Jar jar(Response response) {
        return new Jar(setCookie(response, ACCESS).orElseThrow(() -> new AssertionError("no access cookie: " + describe(response))),
                setCookie(response, REFRESH).orElseThrow(() -> new AssertionError("no refresh cookie: " + describe(response))));
    }

    /** The value a {@code Set-Cookie} for {@code name} sets (empty for a clearing), if any. */
    static Optional<String> setCookie(Response response, String name) {
        return SetCookies.value(response, name);
    }

    /** A {@code Set-Cookie}'s attributes by lower-case name ({@code ""} for a flag). */
    static Map<String, String> attributes(String setCookie) {
        Map<String, String> attributes = new LinkedHashMap<>();
        String[] parts = setCookie.split(";");
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i].strip();
            int eq = part.indexOf('=');
            attributes.put((eq < 0 ? part : part.substring(0, eq)).strip().toLowerCase(Locale.ROOT),
                    eq < 0 ? "" : part.substring(eq + 1).strip());
        }
        return attributes;
    }

    /** A part of a compact JWS or JWE (0: header, 1: payload of a JWS), base64url-decoded JSON. */
    static Map<String, Object> jwtPart(String token, int index) {
        String part = token.split("\\.")[index];
        return Json.object(new String(Base64.getUrlDecoder().decode(part), StandardCharsets.UTF_8));
    }

    static boolean verifiesWith(String token, String secret) throws Exception {
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(token);
        jws.setKey(new HmacKey(secret.getBytes(StandardCharsets.UTF_8)));
        return jws.verifySignature();
    }

    /** Opens a sealed cookie value with the sealing key, as the filter does. */
    static String open(String sealed) throws Exception {
        JsonWebEncryption jwe = new JsonWebEncryption();
        jwe.setCompactSerialization(sealed);
        jwe.setKey(new AesKey(SEAL_KEY));
        return jwe.getPayload();
    }

    /** The value with one character of segment {@code index} (dot-separated) changed, still base64url. */
    static String tamperSegment(String value, int index) {
        String[] parts = value.split("\\.", -1);
        parts[index] = flip(parts[index], parts[index].length() / 2);
        return String.join(".", parts);
    }

    /** A meta value with one character changed in the middle (times and MAC region), still canonical base64url. */
    static String tamper(String meta) {
        return flip(meta, 30);
    }

    private static String flip(String s, int at) {
        char c = s.charAt(at);
        return s.substring(0, at) + (c == 'A' ? 'B' : 'A') + s.substring(at + 1);
    }

    /**
     * A meta cookie value signed here with {@code session-signing-secret}, in the documented format
     * ({@code SessionLifetime}): base64url of version 1, a 16-byte HMAC tag of the subject, first-login
     * and last-activity epoch seconds, and an HMAC-SHA256 over those 33 bytes.
     */
    static String signedMeta(String subject, long firstLogin, long lastActivity) {
        return LifetimeRecords.signed(SIGNING_SECRET, subject, firstLogin, lastActivity);
    }

    private static String form(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** A response for a failure message, with cookie values reduced to fingerprints. */
    static String describe(Response response) {
        return ResponseText.describe(response);
    }
}

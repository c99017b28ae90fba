package io.github.sessiongate.it;

import static io.github.sessiongate.it.JavaHttp.toResponse;
import static io.github.sessiongate.it.RotationScenarios.assertCleared;
import static io.github.sessiongate.it.RotationScenarios.describe;
import static io.github.sessiongate.it.RotationScenarios.metric;
import static io.github.sessiongate.it.RotationScenarios.setCookie;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.RotationScenarios.Pair;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A logout ends the whole chain of the session it can read (issue 7, section 1), on each real
 * container ({@link JettyLogoutChainTest}, {@link TomcatLogoutChainTest}), against
 * {@link FakeAuthBackend} over real sockets: the login's access token after a rotation, the refresh
 * token when only the access cookie was readable, and an explicit refresh racing the logout.
 *
 * <p>Webapps: {@value #LC} ({@code logout-chain}: JWT, login, refresh and revoke URLs, a backend read
 * timeout that outlasts a deliberately slow backend); {@value #TINY} ({@code logout-chain-tiny}: the
 * same with {@code security-max-entries=2}). Sessions
 * start with a real login through the filter, so the filter has seen the login's pair.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LogoutChainScenarios {
    static final String LC = "/lc";
    static final String TINY = "/lctiny";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final HttpClient http = JavaHttp.newClient();
    private final MutableClock backendClock = MutableClock.followingSystemTime();
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().clock(backendClock).build().start());
        teardown.add(new ScenarioProperties("sessiongate.it.lc.")).backend(backend);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(LC, "logout-chain"),
                Container.Webapp.of(TINY, "logout-chain-tiny")));
    }

    @AfterEach
    void fastBackend() {
        backend.delay(Duration.ZERO);
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    @Test
    void theLoginsAccessTokenIsRefusedAfterALogoutWithTheRotatedPair() throws Exception {
        Pair a0 = login();
        Pair a1 = explicitRefresh(a0);
        long revoked = metric(LC, "Revoked");
        assertEquals(200, get("/api/orders", "Cookie: " + ACCESS + "=" + a0.access()).status(),
                "A0 still serves before the logout");

        Response logout = logout(cookies(a1.access(), a1.refresh()));
        assertEquals(204, logout.status(), () -> describe(logout));

        Response replayed = get("/api/orders", "Cookie: " + ACCESS + "=" + a0.access());
        Response a1Replayed = get("/api/orders", "Cookie: " + ACCESS + "=" + a1.access());
        Response oldRefresh = get("/api/orders", "Cookie: " + REFRESH + "=" + a0.refresh());
        assertAll(
                () -> assertEquals(401, replayed.status(), () -> "A0, the login's access token: " + describe(replayed)),
                () -> assertEquals(401, a1Replayed.status(), () -> describe(a1Replayed)),
                () -> assertEquals(401, oldRefresh.status(), () -> "R0, the login's refresh token: " + describe(oldRefresh)),
                () -> assertEquals(revoked + 2, metric(LC, "Revoked"), "counted over JMX: refused from the revocation list"));
    }

    @Test
    void aLogoutWithOnlyTheAccessCookieEndsTheRefreshTokenToo() throws Exception {
        Pair a0 = login();
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response logout = logout("Cookie: " + ACCESS + "=" + a0.access()); // the refresh cookie did not come
        assertEquals(204, logout.status(), () -> describe(logout));

        Response refreshAlone = get("/api/orders", "Cookie: " + REFRESH + "=" + a0.refresh());
        assertAll(
                () -> assertEquals(401, refreshAlone.status(), () -> "R0 after the logout: " + describe(refreshAlone)),
                () -> assertCleared(refreshAlone, REFRESH),
                () -> assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "refused from its tombstone"),
                () -> assertFalse(backend.isActive(a0.refresh()), "revoked at the backend"));
    }

    @Test
    void aLogoutWithDuplicatedRefreshCookiesEndsEachValue() throws Exception {
        Pair a0 = login();
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        // Two refresh cookies (one planted from a sibling domain): neither is read as the token, both end.
        Response logout = logout("Cookie: " + REFRESH + "=planted-value; " + REFRESH + "=" + a0.refresh());
        assertEquals(204, logout.status(), () -> describe(logout));

        Response refreshAlone = get("/api/orders", "Cookie: " + REFRESH + "=" + a0.refresh());
        Response access = get("/api/orders", "Cookie: " + ACCESS + "=" + a0.access());
        assertAll(
                () -> assertEquals(401, refreshAlone.status(), () -> describe(refreshAlone)),
                () -> assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH), "refused from its tombstone"),
                () -> assertFalse(backend.isActive(a0.refresh()), "revoked at the backend"),
                () -> assertEquals(401, access.status(), () -> "A0, minted with the ended R0: " + describe(access)));
    }

    @Test
    void anExplicitRefreshRacingALogoutHandsOutNothingUsable() throws Exception {
        Pair a0 = login();
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);
        int revocations = backend.calls(FakeAuthBackend.REVOKE);
        CompletableFuture<HttpResponse<String>> refresh;
        CompletableFuture<HttpResponse<String>> ending;
        // The backend completes the rotation only once the logout has ended the chain here, and
        // answers no revoke until both revocations have been asked for: the order is fixed, not timed.
        try (FakeAuthBackend.Hold revokes = backend.hold(FakeAuthBackend.REVOKE)) {
            try (FakeAuthBackend.Hold rotation = backend.hold(FakeAuthBackend.REFRESH)) {
                refresh = http.sendAsync(post("/auth/refresh", cookies(a0.access(), a0.refresh())),
                        HttpResponse.BodyHandlers.ofString());
                awaitCall(FakeAuthBackend.REFRESH, refreshes + 1); // the rotation is in flight at the backend
                ending = http.sendAsync(post(LC, "/auth/logout", cookies(a0.access(), a0.refresh())),
                        HttpResponse.BodyHandlers.ofString());
                awaitCall(FakeAuthBackend.REVOKE, revocations + 1); // the chain is ended here; R0 goes to the backend
            }
            // The late rotation's pair: the filter revokes it instead of handing it out.
            awaitCall(FakeAuthBackend.REVOKE, revocations + 2);
        }
        Response logout = toResponse(ending.get(20, TimeUnit.SECONDS));
        Response late = toResponse(refresh.get(20, TimeUnit.SECONDS));

        assertEquals(204, logout.status(), () -> describe(logout));
        String access = setCookie(late, ACCESS).orElse("");
        String refreshed = setCookie(late, REFRESH).orElse("");
        assertAll(
                () -> assertEquals(401, late.status(), () -> "the refresh that completed after the logout: " + describe(late)),
                () -> assertEquals("", access, "no access token handed out"),
                () -> assertEquals("", refreshed, "no refresh token handed out"),
                () -> assertTrue(backend.calls(FakeAuthBackend.REVOKE) >= revocations + 2,
                        "the presented refresh token and the pair the late refresh received were revoked"),
                () -> assertEquals(401, get("/api/orders", "Cookie: " + ACCESS + "=" + a0.access()).status()));
    }

    @Test
    void aRefusedRefreshRevokesOnlyAnAccessTokenWhoseSignatureVerified() throws Exception {
        Pair victim = login();
        Pair attacker = explicitRefresh(login()); // a refresh token this node saw valid: its refusal is definitive
        assertTrue(backend.revoke(attacker.refresh()), "the backend will refuse the attacker's refresh token");
        // The victim's header.payload (its identity) under another token's signature: it never verifies.
        String forged = victim.access().substring(0, victim.access().lastIndexOf('.'))
                + attacker.access().substring(attacker.access().lastIndexOf('.'));

        Response refused = get("/api/orders", cookies(forged, attacker.refresh()));
        Response victimAfter = get("/api/orders", "Cookie: " + ACCESS + "=" + victim.access());
        assertAll(
                () -> assertEquals(401, refused.status(), () -> describe(refused)),
                () -> assertCleared(refused, ACCESS),
                () -> assertEquals(200, victimAfter.status(),
                        () -> "an unverified token revoked nobody's session: " + describe(victimAfter)));
    }

    @Test
    void aRefusalThatCannotRevokeTheVerifiedAccessTokenFailsClosedWithoutClearingCookies() throws Exception {
        for (int i = 0; i < 2; i++) { // two logouts fill the two-entry revocation list
            FakeAuthBackend.Tokens tokens = backend.issue("alice");
            Response ok = logout(TINY, cookies(tokens.accessToken(), tokens.refreshToken()));
            assertEquals(204, ok.status(), () -> "a logout that fits: " + describe(ok));
        }
        // Lapsed 10 s ago, within the 30 s clock skew: verified, and still to be revoked until exp + skew.
        FakeAuthBackend.Tokens expired = backendClock.travelledBack(backend.accessTtl().plusSeconds(10),
                () -> backend.issue("alice"));
        assertTrue(backend.revoke(expired.refreshToken()), "the backend will refuse it: a definitive refusal");
        long full = metric(TINY, "SecurityStoreFull");

        Response response = getIn(TINY, "/api/orders", cookies(expired.accessToken(), expired.refreshToken()));

        RotationScenarios.assertUnavailableAndNothingCleared(response);
        assertEquals(full + 1, metric(TINY, "SecurityStoreFull"), "counted over JMX");
    }

    // ---------------------------------------------------------------- helpers

    /** Logs alice in through the filter's login endpoint; returns the pair it set. */
    @Test
    void anExplicitRefreshThatResolveAlreadyFoundUnavailableAsksTheBackendOnce() throws Exception {
        Pair a0 = login();
        int before = backend.calls(FakeAuthBackend.REFRESH);
        backend.override(FakeAuthBackend.REFRESH, 503, "{\"error\":\"temporarily_unavailable\"}");
        Response response;
        try {
            // No access cookie: resolve() refreshes first, and the endpoint must not ask again.
            response = toResponse(http.send(post("/auth/refresh", "Cookie: " + REFRESH + "=" + a0.refresh()),
                    HttpResponse.BodyHandlers.ofString()));
        } finally {
            backend.clearOverrides();
        }
        Response r = response;
        assertAll(
                () -> assertEquals(503, r.status(), () -> describe(r)),
                () -> assertEquals(before + 1, backend.calls(FakeAuthBackend.REFRESH), "one backend call, not two"),
                () -> assertEquals(List.of(), r.headers("Set-Cookie"), "a transient failure clears nothing"));
    }

    private Pair login() throws Exception {
        HttpRequest request = JavaHttp.request(base, LC + "/auth/login", TIMEOUT, "Content-Type: application/json",
                        "Origin: " + base, "Accept: application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice-password\"}"))
                .build();
        Response response = toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, response.status(), () -> "login: " + describe(response));
        return new Pair(setCookie(response, ACCESS).orElseThrow(), setCookie(response, REFRESH).orElseThrow());
    }

    /** POSTs the refresh endpoint with a pair whose access token is still valid: an explicit rotation. */
    private Pair explicitRefresh(Pair old) throws Exception {
        Response response = toResponse(http.send(post("/auth/refresh", cookies(old.access(), old.refresh())),
                HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, response.status(), () -> "explicit refresh: " + describe(response));
        Pair rotated = new Pair(setCookie(response, ACCESS).orElseThrow(), setCookie(response, REFRESH).orElseThrow());
        assertNotEquals(old.refresh(), rotated.refresh());
        return rotated;
    }

    /** Waits (bounded) until the backend has received {@code count} calls on {@code path}; a condition, not a time. */
    private void awaitCall(String path, int count) {
        Await.until("the backend received " + count + " calls on " + path, () -> backend.calls(path) >= count,
                () -> backend.calls(path) + " calls");
    }

    static String cookies(String access, String refresh) {
        return "Cookie: " + ACCESS + "=" + access + "; " + REFRESH + "=" + refresh;
    }

    private HttpRequest post(String target, String cookieHeader) {
        return post(LC, target, cookieHeader);
    }

    private HttpRequest post(String context, String target, String cookieHeader) {
        return JavaHttp.request(base, context + target, TIMEOUT, cookieHeader, "Origin: " + base, "Accept: application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private Response logout(String cookieHeader) throws IOException, InterruptedException {
        return logout(LC, cookieHeader);
    }

    private Response logout(String context, String cookieHeader) throws IOException, InterruptedException {
        return toResponse(http.send(post(context, "/auth/logout", cookieHeader), HttpResponse.BodyHandlers.ofString()));
    }

    private Response get(String target, String... headers) throws IOException, InterruptedException {
        return getIn(LC, target, headers);
    }

    private Response getIn(String context, String target, String... headers) throws IOException, InterruptedException {
        return toResponse(http.send(JavaHttp.request(base, context + target, TIMEOUT, headers).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }
}

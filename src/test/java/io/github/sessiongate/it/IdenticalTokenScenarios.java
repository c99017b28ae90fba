package io.github.sessiongate.it;

import static io.github.sessiongate.it.JavaHttp.toResponse;
import static io.github.sessiongate.it.LogoutChainScenarios.ACCESS;
import static io.github.sessiongate.it.LogoutChainScenarios.LC;
import static io.github.sessiongate.it.LogoutChainScenarios.REFRESH;
import static io.github.sessiongate.it.LogoutChainScenarios.TINY;
import static io.github.sessiongate.it.RotationScenarios.describe;
import static io.github.sessiongate.it.RotationScenarios.metric;
import static io.github.sessiongate.it.RotationScenarios.setCookie;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.RotationScenarios.Pair;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * A backend whose access tokens carry no {@code jti} ({@link FakeAuthBackend#jti(boolean)}) mints
 * the same string for one user twice in one second (RS256 signs deterministically): a sign-in after
 * a refresh, or after a logout, in that second, on each real container ({@link JettyIdenticalTokenTest},
 * {@link TomcatIdenticalTokenTest}). The backend's clock stands still, so the tokens are identical on
 * every run (the Spring Boot sample met it in about half of its runs: a logout, then a sign-in of
 * the same user).
 *
 * <p>The webapps of {@link LogoutChainScenarios}: {@code logout-chain} (JWT, login, refresh and revoke
 * URLs, default store sizes) and {@code logout-chain-tiny} (the same with {@code security-max-entries=2}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class IdenticalTokenScenarios {
    private static final Duration TIMEOUT = Duration.ofSeconds(20);
    /** Seconds of the backend's clock each scenario has to itself. */
    private static final int SECONDS_EACH = 10;

    private final HttpClient http = JavaHttp.newClient();
    /** Where the backend's clock stands for the first scenario: in the past, as its tokens live an hour. */
    private final Instant first = Instant.now().truncatedTo(ChronoUnit.SECONDS).minus(Duration.ofMinutes(30));
    private final MutableClock backendClock = new MutableClock(first);
    private final Teardown teardown = new Teardown();
    private int scenarios;
    private FakeAuthBackend backend;
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().clock(backendClock).accessTtl(Duration.ofHours(1)).build().start());
        backend.jti(false);
        teardown.add(new ScenarioProperties("sessiongate.it.lc.")).backend(backend);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(LC, "logout-chain"),
                Container.Webapp.of(TINY, "logout-chain-tiny")));
    }

    /** Each scenario in seconds of its own, so nothing another one minted is the same string. */
    @BeforeEach
    void secondsOfItsOwn() {
        backendClock.set(first.plusSeconds((long) SECONDS_EACH * scenarios++));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    @Test
    void aSignInMintingTheTokenARefreshJustIssuedStartsTheNewSession() throws Exception {
        Pair a0 = login(LC);
        Pair a1 = explicitRefresh(a0);
        assertEquals(a0.access(), a1.access(), "precondition: the refresh minted the same access token");

        Response again = loginResponse(LC);
        assertEquals(200, again.status(), () -> "the sign-in after the refresh: " + describe(again));
        Pair a2 = pair(again);
        Response served = get(LC, "Cookie: " + ACCESS + "=" + a2.access());
        assertAll(
                () -> assertEquals(a0.access(), a2.access(), "precondition: the same access token a third time"),
                () -> assertEquals(200, served.status(), () -> describe(served)),
                () -> assertEquals(200, toResponse(http.send(post(LC, "/auth/refresh", cookies(a2)),
                        HttpResponse.BodyHandlers.ofString())).status(), "the sign-in's refresh token rotates"));
    }

    @Test
    void aSignInMintingTheTokenALogoutJustEndedStartsTheNewSession() throws Exception {
        Pair a0 = login(LC);
        Pair a1 = explicitRefresh(a0);
        assertEquals(a0.access(), a1.access(), "precondition: the refresh minted the same access token");
        Response logout = logout(LC, cookies(a1));
        assertEquals(204, logout.status(), () -> describe(logout));

        Response again = loginResponse(LC);
        assertEquals(200, again.status(), () -> "the sign-in after the logout: " + describe(again));
        Pair a2 = pair(again);
        assertEquals(a0.access(), a2.access(), "precondition: the backend minted the signed-out token again");
        Response served = get(LC, "Cookie: " + ACCESS + "=" + a2.access());
        Response oldRefresh = get(LC, "Cookie: " + REFRESH + "=" + a1.refresh());
        assertAll(
                () -> assertEquals(200, served.status(), () -> "the new session's access cookie: " + describe(served)),
                () -> assertEquals(401, oldRefresh.status(), () -> "the signed-out refresh token stays ended: " + describe(oldRefresh)),
                () -> assertFalse(backend.isActive(a1.refresh()), "revoked at the backend"));

        // The access token is the latest sign-in's now: a logout that reads only it ends that sign-in's refresh token.
        Response second = logout(LC, "Cookie: " + ACCESS + "=" + a2.access());
        assertEquals(204, second.status(), () -> describe(second));
        Response accessAfter = get(LC, "Cookie: " + ACCESS + "=" + a2.access());
        Response refreshAfter = get(LC, "Cookie: " + REFRESH + "=" + a2.refresh());
        assertAll(
                () -> assertEquals(401, accessAfter.status(), () -> describe(accessAfter)),
                () -> assertEquals(401, refreshAfter.status(), () -> describe(refreshAfter)),
                () -> assertFalse(backend.isActive(a2.refresh()), "the latest sign-in's refresh token, revoked at the backend"));
    }

    @Test
    void aSignInThatAFullStoreRefusesLeavesTheSignedOutTokenRevoked() throws Exception {
        Instant second = backendClock.instant();
        Pair a0 = login(TINY);
        Response logout = logout(TINY, cookies(a0));
        assertEquals(204, logout.status(), () -> describe(logout));
        backendClock.advance(Duration.ofSeconds(1));
        login(TINY); // its chain takes the second (last) entry of the two-entry store
        backendClock.set(second);
        long full = metric(TINY, "SecurityStoreFull");

        Response again = loginResponse(TINY);
        Response signedOut = get(TINY, "Cookie: " + ACCESS + "=" + a0.access());
        assertAll(
                () -> RotationScenarios.assertUnavailableAndNothingCleared(again),
                () -> assertEquals(Optional.empty(), setCookie(again, ACCESS), "nothing handed out"),
                () -> assertEquals(full + 1, metric(TINY, "SecurityStoreFull"), "counted over JMX"),
                () -> assertEquals(401, signedOut.status(), () -> "the signed-out token is refused still: " + describe(signedOut)));
    }

    // ---------------------------------------------------------------- helpers

    private Response loginResponse(String context) throws Exception {
        HttpRequest request = JavaHttp.request(base, context + "/auth/login", TIMEOUT, "Content-Type: application/json",
                        "Origin: " + base, "Accept: application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alice\",\"password\":\"alice-password\"}"))
                .build();
        return toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** Logs alice in through the filter's login endpoint; returns the pair it set. */
    private Pair login(String context) throws Exception {
        Response response = loginResponse(context);
        assertEquals(200, response.status(), () -> "login: " + describe(response));
        return pair(response);
    }

    /** POSTs the refresh endpoint with a pair whose access token is still valid: an explicit rotation. */
    private Pair explicitRefresh(Pair old) throws Exception {
        Response response = toResponse(http.send(post(LC, "/auth/refresh", cookies(old)), HttpResponse.BodyHandlers.ofString()));
        assertEquals(200, response.status(), () -> "explicit refresh: " + describe(response));
        Pair rotated = pair(response);
        assertNotEquals(old.refresh(), rotated.refresh());
        return rotated;
    }

    private static Pair pair(Response response) {
        return new Pair(setCookie(response, ACCESS).orElseThrow(), setCookie(response, REFRESH).orElseThrow());
    }

    private static String cookies(Pair pair) {
        return LogoutChainScenarios.cookies(pair.access(), pair.refresh());
    }

    private Response logout(String context, String cookieHeader) throws IOException, InterruptedException {
        return toResponse(http.send(post(context, "/auth/logout", cookieHeader), HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest post(String context, String target, String cookieHeader) {
        return JavaHttp.request(base, context + target, TIMEOUT, cookieHeader, "Origin: " + base, "Accept: application/json")
                .POST(HttpRequest.BodyPublishers.noBody()).build();
    }

    private Response get(String context, String cookieHeader) throws IOException, InterruptedException {
        return toResponse(http.send(JavaHttp.request(base, context + "/api/orders", TIMEOUT, cookieHeader).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }
}

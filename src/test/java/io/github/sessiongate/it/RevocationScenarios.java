package io.github.sessiongate.it;

import static io.github.sessiongate.it.JavaHttp.toResponse;
import static io.github.sessiongate.it.RotationScenarios.assertCleared;
import static io.github.sessiongate.it.RotationScenarios.assertRotated;
import static io.github.sessiongate.it.RotationScenarios.assertUnavailableAndNothingCleared;
import static io.github.sessiongate.it.RotationScenarios.describe;
import static io.github.sessiongate.it.RotationScenarios.metric;
import static io.github.sessiongate.it.RotationScenarios.setCookie;
import static io.github.sessiongate.testing.EcdsaMalleability.withNegatedS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.RotationScenarios.Pair;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.NumericDate;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Logout ends everything a session's chain produced, and full stores never drop security state
 * (issue 7, sections 1, 5 and 6), on each real container ({@link JettyRevocationTest},
 * {@link TomcatRevocationTest}), against {@link FakeAuthBackend} over real sockets.
 *
 * <p>Webapps: {@value #REV} ({@code revocation}: JWT, login, refresh and revoke URLs, and
 * {@link HoldingServlet} at {@code /api/held} to keep a rotated response in flight);
 * {@value #TINY} ({@code revocation-tiny}: the same with {@code security-max-entries=2});
 * {@value #ES} ({@code revocation-es256}: an EC P-256 public key, no backend).
 *
 * <p>Nobody sleeps: expired tokens come from the backend's {@link MutableClock} following the system time, and the request held
 * in flight is released by a latch.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class RevocationScenarios {
    static final String REV = "/rev";
    static final String TINY = "/revtiny";
    static final String ES = "/es";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final Duration LONG_AGO = Duration.ofHours(2);
    static final String ES_ISSUER = "https://es.example.com";
    static final String ES_AUDIENCE = "sessiongate-es";

    private final MutableClock backendClock = MutableClock.followingSystemTime();
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend backend;
    private EllipticCurveJsonWebKey ecKey;
    private HttpClient http;
    private URI base;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        backend = teardown.add(FakeAuthBackend.builder().clock(backendClock).build().start());
        ecKey = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        Path pemFile = Files.createTempFile("sessiongate-es256-", ".pem");
        teardown.add(() -> Files.deleteIfExists(pemFile));
        Files.writeString(pemFile, "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(ecKey.getPublicKey().getEncoded())
                + "\n-----END PUBLIC KEY-----\n");
        teardown.add(new ScenarioProperties("sessiongate.it.rev.")).backend(backend);
        teardown.add(new ScenarioProperties("sessiongate.it.es."))
                .prefixed("public-key", "file:" + pemFile.toAbsolutePath())
                .prefixed("issuer", ES_ISSUER)
                .prefixed("audience", ES_AUDIENCE);

        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(REV, "revocation"),
                Container.Webapp.of(TINY, "revocation-tiny"), Container.Webapp.of(ES, "revocation-es256")));
        http = JavaHttp.newClient();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ---------------------------------------------------------------- 1. signed out at once

    @Test
    void aSignedOutAccessTokenIsRefusedOnThisNodeAtOnceNotAtExp() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        String accessOnly = "Cookie: " + ACCESS + "=" + tokens.accessToken();
        Response before = get(REV + "/api/orders", accessOnly);
        assertEquals(200, before.status(), () -> describe(before));

        Response logout = logout(REV, cookies(tokens.accessToken(), tokens.refreshToken()));
        assertEquals(204, logout.status(), () -> describe(logout));

        Response after = get(REV + "/api/orders", accessOnly);
        assertAll(
                () -> assertEquals(401, after.status(), () -> "a copy of the access cookie, replayed: " + describe(after)),
                () -> assertFalse(after.body().contains("token-echo"), "never the application's answer"));
    }

    // ---------------------------------------------------------------- 2. the logout race

    @Test
    void aRotatedResponseThatReachesTheBrowserAfterTheLogoutPlantsNothingThatWorks() throws Exception {
        Pair old = expiredPair("alice");
        int revocations = backend.calls(FakeAuthBackend.REVOKE);

        // A request rotates the pair in place, then is held in the application: its response,
        // carrying the new cookies, has not reached the browser.
        CountDownLatch entered = HoldingServlet.arm();
        CompletableFuture<HttpResponse<String>> held = http.sendAsync(getRequest(REV + "/api/held", cookies(old.access(), old.refresh()))
                .build(), HttpResponse.BodyHandlers.ofString());
        try {
            assertTrue(entered.await(10, TimeUnit.SECONDS), "the held request reached the application");

            // The user signs out with the cookies the browser still holds: the old pair.
            Response logout = logout(REV, cookies(old.access(), old.refresh()));
            assertEquals(204, logout.status(), () -> describe(logout));
            assertCleared(logout, ACCESS);
            assertCleared(logout, REFRESH);
        } finally {
            HoldingServlet.release();
        }
        Response late = toResponse(held.get(20, TimeUnit.SECONDS));
        assertEquals(200, late.status(), () -> describe(late));
        Pair planted = assertRotated(late, old); // the browser stores these after the logout

        Response accessAlone = get(REV + "/api/orders", "Cookie: " + ACCESS + "=" + planted.access());
        Response both = get(REV + "/api/orders", cookies(planted.access(), planted.refresh()));
        assertAll(
                () -> assertEquals(401, accessAlone.status(), () -> "the planted access cookie: " + describe(accessAlone)),
                () -> assertEquals(401, both.status(), () -> "the planted pair: " + describe(both)),
                () -> assertCleared(both, ACCESS),
                () -> assertCleared(both, REFRESH),
                () -> assertEquals(List.of(), setCookieValues(both).stream().filter(v -> !v.isEmpty()).toList(),
                        "no new token handed out"),
                () -> assertEquals(revocations + 2, backend.calls(FakeAuthBackend.REVOKE),
                        "the backend was asked to revoke the presented refresh token and its descendant"),
                () -> assertEquals(planted.refresh(), backend.lastRequest(FakeAuthBackend.REVOKE).orElseThrow().form()
                        .get("refresh_token"), "the descendant by name, not only the presented token"),
                () -> assertFalse(backend.isActive(planted.refresh()), "the planted refresh token is dead at the backend"));
    }

    // ---------------------------------------------------------------- 3. full security stores

    @Test
    void rotationsThatFillTheSecurityStoreGet503WithRetryAfterAndNeverASignOut() throws Exception {
        long full = metric(TINY, "SecurityStoreFull");
        for (int i = 0; i < 2; i++) {
            Pair pair = expiredPair("alice");
            Response ok = get(TINY + "/api/orders", cookies(pair.access(), pair.refresh()));
            assertEquals(200, ok.status(), () -> "rotation that fits: " + describe(ok));
            assertRotated(ok, pair);
        }
        Pair third = expiredPair("alice");
        int refreshes = backend.calls(FakeAuthBackend.REFRESH);

        Response response = get(TINY + "/api/orders", cookies(third.access(), third.refresh()));

        assertUnavailableAndNothingCleared(response);
        assertAll(
                () -> assertEquals(refreshes, backend.calls(FakeAuthBackend.REFRESH),
                        "the backend was not asked to rotate a pair the filter could not remember"),
                () -> assertTrue(backend.isActive(third.refresh()), "the session lives: a retry can still refresh"),
                () -> assertEquals(full + 1, metric(TINY, "SecurityStoreFull"), "counted over JMX"));
    }

    @Test
    void aLogoutThatCannotRecordItsTombstonesGets503WithRetryAfterAndSignsNobodyOutYet() throws Exception {
        long full = metric(TINY, "SecurityStoreFull");
        for (int i = 0; i < 2; i++) { // two logouts fill the two-entry tombstone store
            FakeAuthBackend.Tokens tokens = backend.issue("alice");
            Response ok = logout(TINY, cookies(tokens.accessToken(), tokens.refreshToken()));
            assertEquals(204, ok.status(), () -> "a logout that fits: " + describe(ok));
        }
        FakeAuthBackend.Tokens third = backend.issue("alice");
        int revocations = backend.calls(FakeAuthBackend.REVOKE);

        Response response = logout(TINY, cookies(third.accessToken(), third.refreshToken()));

        assertUnavailableAndNothingCleared(response);
        Response still = get(TINY + "/api/orders", "Cookie: " + ACCESS + "=" + third.accessToken());
        assertAll(
                () -> assertEquals(revocations, backend.calls(FakeAuthBackend.REVOKE), "nothing revoked before the tombstones"),
                () -> assertTrue(backend.isActive(third.refreshToken()), "a retry can still end the session properly"),
                () -> assertEquals(200, still.status(), () -> describe(still)),
                () -> assertEquals(full + 1, metric(TINY, "SecurityStoreFull"), "counted over JMX"));
    }

    // ---------------------------------------------------------------- 4. one token, one identity

    @Test
    void anEs256TokenReSignedAsRAndNMinusSIsStillRefusedAfterLogout() throws Exception {
        for (boolean withJti : new boolean[] {false, true}) {
            String token = es256(withJti);
            String twin = withNegatedS(token);
            Response originalBefore = get(ES + "/api/orders", "Cookie: " + ACCESS + "=" + token);
            assertEquals(200, originalBefore.status(), () -> "the token as signed (jti " + withJti + "): "
                    + describe(originalBefore));
            Response twinBefore = get(ES + "/api/orders", "Cookie: " + ACCESS + "=" + twin);
            assertEquals(200, twinBefore.status(), () -> "jose4j accepts (r, n-s) as well (jti " + withJti + "): "
                    + describe(twinBefore));

            Response logout = logout(ES, "Cookie: " + ACCESS + "=" + token);
            assertEquals(204, logout.status(), () -> describe(logout));

            Response original = get(ES + "/api/orders", "Cookie: " + ACCESS + "=" + token);
            Response reSigned = get(ES + "/api/orders", "Cookie: " + ACCESS + "=" + twin);
            assertAll("jti " + withJti,
                    () -> assertEquals(401, original.status(), () -> describe(original)),
                    () -> assertEquals(401, reSigned.status(), () -> "the (r, n-s) spelling: " + describe(reSigned)));
        }
    }

    // ---------------------------------------------------------------- helpers

    private Pair expiredPair(String user) {
        FakeAuthBackend.Tokens tokens = backendClock.travelledBack(LONG_AGO, () -> backend.issue(user));
        return new Pair(tokens.accessToken(), tokens.refreshToken());
    }

    private String es256(boolean withJti) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer(ES_ISSUER);
        claims.setAudience(ES_AUDIENCE);
        claims.setSubject("alice");
        claims.setIssuedAt(NumericDate.fromSeconds(Instant.now().getEpochSecond()));
        claims.setExpirationTime(NumericDate.fromSeconds(Instant.now().plus(Duration.ofMinutes(5)).getEpochSecond()));
        claims.setClaim("sid", UUID.randomUUID().toString()); // each token its own signing input (not "nonce": an ID token)
        if (withJti) {
            claims.setJwtId(UUID.randomUUID().toString());
        }
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKey(ecKey.getPrivateKey());
        return jws.getCompactSerialization();
    }

    static String cookies(String access, String refresh) {
        return "Cookie: " + ACCESS + "=" + access + "; " + REFRESH + "=" + refresh;
    }

    private Response logout(String context, String cookieHeader) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + context + "/auth/logout")).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.noBody()).header("Cookie", cookieHeader.substring("Cookie: ".length()))
                .header("Origin", base.toString()).header("Accept", "application/json").build();
        return toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private HttpRequest.Builder getRequest(String target, String header) {
        int colon = header.indexOf(':');
        return HttpRequest.newBuilder(URI.create(base + target)).timeout(Duration.ofSeconds(20)).GET()
                .header(header.substring(0, colon).strip(), header.substring(colon + 1).strip());
    }

    private Response get(String target, String... headers) throws IOException, InterruptedException {
        HttpRequest request = JavaHttp.request(base, target, Duration.ofSeconds(20), headers).GET().build();
        return toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    private static List<String> setCookieValues(Response response) {
        return List.of(ACCESS, REFRESH).stream().map(name -> setCookie(response, name).orElse("")).toList();
    }
}

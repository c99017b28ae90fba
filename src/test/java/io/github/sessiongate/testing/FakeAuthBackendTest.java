package io.github.sessiongate.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.jose4j.json.JsonUtil;
import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The fake backend does what the tests built on it rely on. */
class FakeAuthBackendTest {
    private final FakeAuthBackend backend = FakeAuthBackend.started();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @AfterEach
    void stop() {
        backend.close();
    }

    @Test
    void withoutJtiTwoTokensForOneUserInOneSecondAreTheSameString() {
        MutableClock clock = new MutableClock();
        try (FakeAuthBackend still = FakeAuthBackend.builder().clock(clock).build().start()) {
            assertNotEquals(still.issue("alice").accessToken(), still.issue("alice").accessToken(), "a unique jti each");
            still.jti(false);
            String first = still.issue("alice").accessToken();
            assertEquals(first, still.issue("alice").accessToken(), "same claims, same second: RS256 gives the same string");
            assertFalse(payload(first).contains("\"jti\""), payload(first));
            clock.advance(Duration.ofSeconds(1));
            assertNotEquals(first, still.issue("alice").accessToken(), "the next second: another iat");
        }
    }

    private static String payload(String jws) {
        return new String(Base64.getUrlDecoder().decode(jws.split("\\.")[1]), StandardCharsets.UTF_8);
    }

    @Test
    void loginIssuesRs256AccessTokenVerifiableWithThePublishedJwks() throws Exception {
        HttpResponse<String> login = post(FakeAuthBackend.LOGIN, "username=admin&password=admin-password");
        assertEquals(200, login.statusCode());
        Map<String, Object> json = JsonUtil.parseJson(login.body());
        assertEquals("Bearer", json.get("token_type"));
        assertEquals(FakeAuthBackend.DEFAULT_ACCESS_TTL.toSeconds(), ((Number) json.get("expires_in")).longValue());

        JwtConsumer consumer = new JwtConsumerBuilder()
                .setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(new HttpsJwks(backend.jwksUrl())))
                .setExpectedIssuer(backend.baseUrl())
                .setExpectedAudience(FakeAuthBackend.DEFAULT_AUDIENCE)
                .setRequireExpirationTime()
                .setRequireJwtId()
                .build();
        JwtClaims claims = consumer.processToClaims((String) json.get("access_token"));
        assertEquals("admin", claims.getSubject());
        assertEquals(List.of("user", "admin"), claims.getStringListClaimValue("roles"));
    }

    @Test
    void loginAcceptsJsonAndRefusesAWrongPassword() throws Exception {
        assertEquals(200, postJson(FakeAuthBackend.LOGIN, "{\"username\":\"alice\",\"password\":\"alice-password\"}")
                .statusCode());
        assertEquals(401, post(FakeAuthBackend.LOGIN, "username=alice&password=nope").statusCode());
    }

    @Test
    void refreshRotatesAndReuseOfTheRotatedTokenRevokesTheWholeFamily() throws Exception {
        FakeAuthBackend.Tokens first = backend.issue("alice");
        FakeAuthBackend.Tokens other = backend.issue("alice");

        HttpResponse<String> rotated = post(FakeAuthBackend.REFRESH, "refresh_token=" + first.refreshToken());
        assertEquals(200, rotated.statusCode());
        String second = (String) JsonUtil.parseJson(rotated.body()).get("refresh_token");
        assertNotEquals(first.refreshToken(), second);
        assertFalse(backend.isActive(first.refreshToken()));
        assertTrue(backend.isActive(second));

        HttpResponse<String> reuse = postJson(FakeAuthBackend.REFRESH, "{\"refresh_token\":\"" + first.refreshToken() + "\"}");
        assertEquals(401, reuse.statusCode());
        assertEquals("invalid_grant", JsonUtil.parseJson(reuse.body()).get("error"));
        assertFalse(backend.isActive(second), "the descendant is revoked with its family");
        assertEquals(401, post(FakeAuthBackend.REFRESH, "refresh_token=" + second).statusCode());
        assertTrue(backend.isActive(other.refreshToken()), "another login's family is untouched");
    }

    @Test
    void withRotationOffTheSameRefreshTokenKeepsWorking() throws Exception {
        backend.rotate(false);
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        for (int i = 0; i < 2; i++) {
            HttpResponse<String> r = post(FakeAuthBackend.REFRESH, "refresh_token=" + tokens.refreshToken());
            assertEquals(200, r.statusCode());
            assertEquals(tokens.refreshToken(), JsonUtil.parseJson(r.body()).get("refresh_token"));
        }
    }

    @Test
    void oauth2TokenEndpointAuthenticatesTheClientAndAnswersInvalidGrantWith400() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        String form = "grant_type=refresh_token&refresh_token=" + tokens.refreshToken();
        assertEquals(401, post(FakeAuthBackend.TOKEN, form, basic("sessiongate", "wrong")).statusCode());
        HttpResponse<String> ok = post(FakeAuthBackend.TOKEN, form, basic(backend.clientId(), backend.clientSecret()));
        assertEquals(200, ok.statusCode());
        HttpResponse<String> reused = post(FakeAuthBackend.TOKEN, form, basic(backend.clientId(), backend.clientSecret()));
        assertEquals(400, reused.statusCode());
        assertEquals("invalid_grant", JsonUtil.parseJson(reused.body()).get("error"));
        // client_secret_post works too
        HttpResponse<String> post = post(FakeAuthBackend.TOKEN, "grant_type=refresh_token&refresh_token=x&client_id="
                + backend.clientId() + "&client_secret=" + enc(backend.clientSecret()));
        assertEquals(400, post.statusCode());
    }

    @Test
    void introspectionAndMeSeeActiveTokensOnly() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("admin");
        String auth = basic(backend.clientId(), backend.clientSecret());
        Map<String, Object> active = JsonUtil.parseJson(
                post(FakeAuthBackend.INTROSPECT, "token=" + tokens.accessToken() + "&token_type_hint=access_token", auth).body());
        assertEquals(true, active.get("active"));
        assertEquals("admin", active.get("sub"));
        assertEquals(List.of("user", "admin"), active.get("roles"));
        assertEquals(200, get(FakeAuthBackend.ME, tokens.accessToken()).statusCode());

        backend.revoke(tokens.refreshToken());
        assertEquals(Map.of("active", false), JsonUtil.parseJson(
                post(FakeAuthBackend.INTROSPECT, "token=" + tokens.accessToken(), auth).body()));
        assertEquals(401, get(FakeAuthBackend.ME, tokens.accessToken()).statusCode());
        assertEquals(401, post(FakeAuthBackend.INTROSPECT, "token=x", basic("x", "y")).statusCode());
    }

    @Test
    void countersCountEveryCallPerPath() throws Exception {
        post(FakeAuthBackend.REFRESH, "refresh_token=unknown");
        post(FakeAuthBackend.REFRESH, "refresh_token=unknown");
        get(FakeAuthBackend.ME, "x");
        assertEquals(2, backend.calls(FakeAuthBackend.REFRESH));
        assertEquals(1, backend.calls(FakeAuthBackend.ME));
        assertEquals(0, backend.calls(FakeAuthBackend.LOGIN));
        assertEquals("refresh_token=unknown", backend.lastRequest(FakeAuthBackend.REFRESH).orElseThrow().body());
        backend.resetCalls();
        assertEquals(0, backend.totalCalls());
    }

    @Test
    void delayMakesAnswersSlow() {
        backend.delay(Duration.ofMillis(400));
        HttpRequest request = HttpRequest.newBuilder(URI.create(backend.url(FakeAuthBackend.ME)))
                .timeout(Duration.ofMillis(100)).GET().build();
        long start = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> http.send(request, HttpResponse.BodyHandlers.ofString()));
        assertTrue(System.nanoTime() - start < Duration.ofMillis(390).toNanos());
    }

    @Test
    void failWithAnswersEveryCallWithTheStatusUntilCleared() throws Exception {
        backend.failWith(503);
        assertEquals(503, post(FakeAuthBackend.LOGIN, "username=alice&password=alice-password").statusCode());
        assertEquals(503, get(FakeAuthBackend.JWKS, null).statusCode());
        backend.clearFailure();
        assertEquals(200, post(FakeAuthBackend.LOGIN, "username=alice&password=alice-password").statusCode());
    }

    @Test
    void overrideAnswersOnePathWithACannedBody() throws Exception {
        backend.override(FakeAuthBackend.REFRESH, 200, "{not json");
        assertEquals("{not json", post(FakeAuthBackend.REFRESH, "refresh_token=x").body());
        backend.clearOverrides();
        assertEquals(401, post(FakeAuthBackend.REFRESH, "refresh_token=x").statusCode());
    }

    @Test
    void stopRefusesConnectionsAndStartRecoversOnTheSamePortWithTheSameTokens() throws Exception {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        int port = backend.port();
        backend.stop();
        assertFalse(backend.isRunning());
        assertThrows(ConnectException.class, () -> post(FakeAuthBackend.REFRESH, "refresh_token=x"));
        backend.start();
        assertEquals(port, backend.port());
        assertEquals(200, post(FakeAuthBackend.REFRESH, "refresh_token=" + tokens.refreshToken()).statusCode());
    }

    @Test
    void revokeAllEndsEverySession() throws Exception {
        FakeAuthBackend.Tokens a = backend.issue("alice");
        FakeAuthBackend.Tokens b = backend.issue("admin");
        backend.revokeAll();
        assertEquals(401, post(FakeAuthBackend.REFRESH, "refresh_token=" + a.refreshToken()).statusCode());
        assertEquals(401, post(FakeAuthBackend.REFRESH, "refresh_token=" + b.refreshToken()).statusCode());
    }

    private HttpResponse<String> post(String path, String form) throws IOException, InterruptedException {
        return post(path, form, null);
    }

    private HttpResponse<String> post(String path, String form, String authorization)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(backend.url(path)))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> postJson(String path, String json) throws IOException, InterruptedException {
        return http.send(HttpRequest.newBuilder(URI.create(backend.url(path)))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(json)).build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> get(String path, String bearer) throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(backend.url(path))).GET();
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String id, String secret) {
        return "Basic " + Base64.getEncoder().encodeToString((enc(id) + ":" + enc(secret)).getBytes(StandardCharsets.UTF_8));
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}

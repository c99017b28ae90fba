package io.github.sessiongate.login;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.remote.Params;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.RevokeSettings;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.RevokeSettings.PARAM_OAUTH2_REVOCATION_URL;
import static io.github.sessiongate.RevokeSettings.PARAM_REVOKE_FORMAT;
import static io.github.sessiongate.RevokeSettings.PARAM_REVOKE_REQUEST_FIELD;
import static io.github.sessiongate.RevokeSettings.PARAM_REVOKE_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Best-effort revocation at logout: true on 2xx, false otherwise, quickly, never an exception. */
class RevocationClientTest {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private final List<RevocationClient> endpoints = new ArrayList<>();

    @AfterEach
    void close() {
        endpoints.forEach(RevocationClient::close);
        backend.close();
    }

    private RevocationClient plain(String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_REVOKE_URL, backend.url(FakeAuthBackend.REVOKE)));
        all.addAll(List.of(extra));
        return endpoint(all);
    }

    private RevocationClient oauth2(String secret, String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_OAUTH2_REVOCATION_URL, backend.url(FakeAuthBackend.REVOKE),
                PARAM_OAUTH2_CLIENT_ID, backend.clientId(), PARAM_OAUTH2_CLIENT_SECRET, secret));
        all.addAll(List.of(extra));
        return endpoint(all);
    }

    private RevocationClient endpoint(List<String> params) {
        RevocationClient endpoint = FromParams.revocationClient(Params.of(params.toArray(new String[0])), clock).orElseThrow();
        endpoints.add(endpoint);
        return endpoint;
    }

    @Test
    void plainFormRevocationSucceedsAndTheRefreshTokenIsThenInactive() {
        String refreshToken = backend.issue("alice").refreshToken();
        assertTrue(backend.isActive(refreshToken));
        assertTrue(plain().revoke(refreshToken));
        assertFalse(backend.isActive(refreshToken));

        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.REVOKE).orElseThrow();
        assertEquals("POST", sent.method());
        assertEquals("application/x-www-form-urlencoded", sent.header("Content-Type").orElseThrow());
        assertEquals(Map.of("refresh_token", refreshToken), sent.form());
    }

    @Test
    void plainJsonRevocationSendsAJsonMember() throws Exception {
        String refreshToken = backend.issue("alice").refreshToken();
        assertTrue(plain(PARAM_REVOKE_FORMAT, "json").revoke(refreshToken));
        assertFalse(backend.isActive(refreshToken));
        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.REVOKE).orElseThrow();
        assertEquals("application/json", sent.header("Content-Type").orElseThrow());
        assertEquals(Map.of("refresh_token", refreshToken), JsonUtil.parseJson(sent.body()));
    }

    @Test
    void requestFieldNameIsConfigurable() {
        String refreshToken = backend.issue("alice").refreshToken();
        assertTrue(plain(PARAM_REVOKE_REQUEST_FIELD, "token").revoke(refreshToken));
        assertEquals(Map.of("token", refreshToken), backend.lastRequest(FakeAuthBackend.REVOKE).orElseThrow().form());
        assertFalse(backend.isActive(refreshToken));
    }

    @Test
    void oauth2RevocationSendsTokenAndHintWithClientAuthenticationAndTheTokenIsThenInactive() {
        String refreshToken = backend.issue("alice").refreshToken();
        assertTrue(oauth2(backend.clientSecret()).revoke(refreshToken));
        assertFalse(backend.isActive(refreshToken));

        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.REVOKE).orElseThrow();
        String basic = "Basic " + Base64.getEncoder().encodeToString(
                (backend.clientId() + ":" + backend.clientSecret()).getBytes(StandardCharsets.UTF_8));
        assertEquals(basic, sent.header("Authorization").orElseThrow());
        assertEquals(Map.of("token", refreshToken, "token_type_hint", "refresh_token"), sent.form());
    }

    @Test
    void oauth2ClientSecretPostPutsTheClientInTheForm() {
        String refreshToken = backend.issue("alice").refreshToken();
        assertTrue(oauth2(backend.clientSecret(), PARAM_OAUTH2_CLIENT_AUTH, "client_secret_post").revoke(refreshToken));
        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.REVOKE).orElseThrow();
        assertTrue(sent.header("Authorization").isEmpty());
        assertEquals(Map.of("token", refreshToken, "token_type_hint", "refresh_token",
                "client_id", backend.clientId(), "client_secret", backend.clientSecret()), sent.form());
        assertFalse(backend.isActive(refreshToken));
    }

    @Test
    void every2xxIsTrueAndEverythingElseFalse() {
        RevocationClient endpoint = plain();
        for (int status : new int[] {200, 202, 204}) {
            backend.override(FakeAuthBackend.REVOKE, status, "");
            assertTrue(endpoint.revoke("rt_x"), String.valueOf(status));
        }
        for (int status : new int[] {301, 400, 401, 403, 404, 429, 500, 502, 503}) {
            backend.override(FakeAuthBackend.REVOKE, status, "{}");
            assertFalse(endpoint.revoke("rt_x"), String.valueOf(status));
        }
        backend.clearOverrides();
        backend.failWith(503);
        assertFalse(oauth2(backend.clientSecret()).revoke("rt_x"));
    }

    @Test
    void stoppedBackendReturnsFalseQuickly() {
        RevocationClient endpoint = plain(PARAM_BACKEND_CONNECT_TIMEOUT, "300ms", PARAM_BACKEND_READ_TIMEOUT, "300ms");
        String refreshToken = backend.issue("alice").refreshToken();
        backend.stop();
        long start = System.nanoTime();
        assertFalse(endpoint.revoke(refreshToken));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < Duration.ofMillis(600).toNanos(), "took " + elapsed / 1_000_000 + " ms");
        assertTrue(backend.isActive(refreshToken), "not revoked: the backend was down");
        backend.start();
        assertTrue(endpoint.revoke(refreshToken));
    }

    @Test
    void slowBackendReturnsFalseWithinTheTimeout() {
        RevocationClient endpoint = oauth2(backend.clientSecret(), PARAM_BACKEND_READ_TIMEOUT, "300ms");
        backend.delay(Duration.ofSeconds(5));
        long start = System.nanoTime();
        assertFalse(endpoint.revoke(backend.issue("alice").refreshToken()));
        long elapsed = System.nanoTime() - start;
        assertTrue(elapsed < Duration.ofMillis(1500).toNanos(), "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void rejectedClientCredentialsAreFalseWithExactlyOneWarningPerBurst() throws Exception {
        RevocationClient endpoint = oauth2("rotated-away-secret");
        String refreshToken = backend.issue("alice").refreshToken();
        backend.override(FakeAuthBackend.REVOKE, 401, "{\"error\":\"invalid_client\"}");
        try (LogCapture log = new LogCapture(RevocationClient.class)) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<Boolean>> results = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    results.add(pool.submit(() -> endpoint.revoke(refreshToken)));
                }
                for (Future<Boolean> r : results) {
                    assertFalse(r.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, log.count("WARN", "client credentials"), log.text());
            assertTrue(log.text().contains(backend.url(FakeAuthBackend.REVOKE)), log.text());
            assertTrue(log.text().contains("revoke " + io.github.sessiongate.audit.Fingerprint.of(refreshToken)),
                    "DEBUG names the fingerprint: " + log.text());
            assertFalse(log.text().contains(refreshToken), log.text());
            assertFalse(log.text().contains("rotated-away-secret"), log.text());

            clock.advance(HttpTokenRefresher.WARNING_INTERVAL);
            backend.override(FakeAuthBackend.REVOKE, 400, "{\"error\":\"unauthorized_client\"}");
            assertFalse(endpoint.revoke(refreshToken));
            assertEquals(2, log.count("WARN", "client credentials"), log.text());
            assertEquals(1, log.count("WARN", "11 similar warnings left out"), log.text());
        }
    }

    @Test
    void aRefusedRevocationRequestIsFalseWithAWarningButAPlain401IsOnlyDebug() {
        try (LogCapture log = new LogCapture(RevocationClient.class)) {
            backend.override(FakeAuthBackend.REVOKE, 400, "{\"error\":\"unsupported_token_type\"}");
            assertFalse(oauth2(backend.clientSecret()).revoke("rt_x"));
            assertEquals(1, log.count("WARN", "rejects the revocation request itself"), log.text());

            backend.override(FakeAuthBackend.REVOKE, 401, "{\"error\":\"invalid_client\"}");
            assertFalse(plain().revoke("rt_x"));
            assertEquals(1, log.count("WARN", ""), "plain mode has no client credentials: " + log.text());
        }
    }

    @Test
    void tokensThatCannotComeFromACookieAreNotSent() {
        RevocationClient endpoint = plain();
        for (String token : new String[] {null, "", "has space", "semi;colon", "quo\"te", "new\nline", "ünï",
                "x".repeat(TokenValidator.MAX_TOKEN_LENGTH + 1)}) {
            assertFalse(endpoint.revoke(token));
        }
        assertEquals(0, backend.calls(FakeAuthBackend.REVOKE));
    }

    @Test
    void afterCloseRevocationsAreFalse() {
        RevocationClient endpoint = plain();
        String refreshToken = backend.issue("alice").refreshToken();
        endpoint.close();
        assertFalse(endpoint.revoke(refreshToken));
        assertTrue(backend.isActive(refreshToken));
    }

    @Test
    void describeShowsTheUrlAndClientButNeverTheSecret() {
        RevocationClient o = oauth2(backend.clientSecret());
        assertEquals("RevocationClient[oauth2 " + backend.url(FakeAuthBackend.REVOKE) + ", client=" + backend.clientId()
                + " (client_secret_basic)]", o.describe());
        assertFalse(o.toString().contains(backend.clientSecret()));
        assertEquals(HttpTokenRefresher.Mode.OAUTH2, o.mode());
        assertEquals("RevocationClient[plain json " + backend.url(FakeAuthBackend.REVOKE) + "]",
                plain(PARAM_REVOKE_FORMAT, "json").describe());
    }

    @Test
    void noTokenOrSecretIsEverLogged() {
        List<String> secrets = new ArrayList<>(List.of(backend.clientSecret(), "wrong-secret-value"));
        try (LogCapture log = new LogCapture(RevocationClient.class)) {
            for (RevocationClient endpoint : List.of(plain(PARAM_BACKEND_READ_TIMEOUT, "200ms"),
                    plain(PARAM_REVOKE_FORMAT, "json"), oauth2(backend.clientSecret()), oauth2("wrong-secret-value"))) {
                String token = backend.issue("alice").refreshToken();
                secrets.add(token);
                endpoint.revoke(token);
                backend.override(FakeAuthBackend.REVOKE, 401, "{\"error\":\"invalid_client\",\"token\":\"" + token + "\"}");
                endpoint.revoke(token);
                backend.clearOverrides();
                backend.failWith(503);
                endpoint.revoke(token);
                backend.clearFailure();
                endpoint.revoke(token + " ");
            }
            backend.delay(Duration.ofMillis(400));
            String slow = backend.issue("admin").refreshToken();
            secrets.add(slow);
            plain(PARAM_BACKEND_READ_TIMEOUT, "200ms").revoke(slow);
            backend.delay(Duration.ZERO);
            backend.stop();
            plain().revoke(slow);

            String text = log.text();
            assertTrue(text.contains("not revoked"), "DEBUG was captured: " + text);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "logged a secret: " + text);
            }
            assertEquals(0, text.lines().filter(l -> l.contains("Basic ")).count(), text);
        }
    }
}

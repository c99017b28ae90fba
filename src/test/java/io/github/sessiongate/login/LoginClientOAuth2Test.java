package io.github.sessiongate.login;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.remote.Params;
import io.github.sessiongate.login.LoginResult;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.LoginSettings;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_GRANT;
import static io.github.sessiongate.login.LoginClientTest.PASSWORD;
import static io.github.sessiongate.login.LoginClientTest.assertRejected;
import static io.github.sessiongate.login.LoginClientTest.assertUnavailable;
import static io.github.sessiongate.login.LoginClientTest.success;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.TokenPair;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The OAuth2 password grant: only invalid_grant rejects; the filter's own rejected client
 * credentials are "unavailable" with one WARN per interval, never a wrong password.
 */
class LoginClientOAuth2Test {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private final List<LoginClient> endpoints = new ArrayList<>();

    @AfterEach
    void close() {
        endpoints.forEach(LoginClient::close);
        backend.close();
    }

    private LoginClient endpoint(String secret, String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_LOGIN_GRANT, "password",
                PARAM_OAUTH2_TOKEN_URL, backend.url(FakeAuthBackend.TOKEN),
                PARAM_OAUTH2_CLIENT_ID, backend.clientId(), PARAM_OAUTH2_CLIENT_SECRET, secret));
        all.addAll(List.of(extra));
        LoginClient endpoint = FromParams.loginClient(Params.of(all.toArray(new String[0])), clock).orElseThrow();
        endpoints.add(endpoint);
        return endpoint;
    }

    @Test
    void passwordGrantWithHttpBasicClientAuthenticationReturnsTheTokenPair() {
        TokenPair tokens = success(endpoint(backend.clientSecret()).login("alice", PASSWORD));
        assertTrue(backend.isActive(tokens.refreshToken()));
        assertEquals(clock.instant().plus(FakeAuthBackend.DEFAULT_ACCESS_TTL), tokens.accessExpiresAt());

        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.TOKEN).orElseThrow();
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (backend.clientId() + ":" + backend.clientSecret()).getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, sent.header("Authorization").orElseThrow());
        assertEquals("application/x-www-form-urlencoded", sent.header("Content-Type").orElseThrow());
        assertEquals(Map.of("grant_type", "password", "username", "alice", "password", PASSWORD), sent.form());
    }

    @Test
    void clientSecretPostSendsTheClientCredentialsInTheForm() {
        success(endpoint(backend.clientSecret(), PARAM_OAUTH2_CLIENT_AUTH, "client_secret_post").login("alice", PASSWORD));
        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.TOKEN).orElseThrow();
        assertTrue(sent.header("Authorization").isEmpty());
        assertEquals(backend.clientId(), sent.form().get("client_id"));
        assertEquals(backend.clientSecret(), sent.form().get("client_secret"));
    }

    @Test
    void invalidGrantIsRejected() {
        LoginClient endpoint = endpoint(backend.clientSecret());
        assertRejected(endpoint.login("alice", "not-" + PASSWORD));
        assertRejected(endpoint.login("mallory", PASSWORD));
        backend.override(FakeAuthBackend.TOKEN, 401, "{\"error\":\"invalid_grant\"}");
        assertRejected(endpoint.login("alice", PASSWORD));
    }

    @Test
    void wrongClientCredentialsAreUnavailableWithExactlyOneWarningPerBurst() throws Exception {
        LoginClient endpoint = endpoint("rotated-away-secret");
        try (LogCapture log = new LogCapture()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<LoginResult>> results = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    results.add(pool.submit(() -> endpoint.login("alice", PASSWORD)));
                }
                for (Future<LoginResult> r : results) {
                    assertEquals("token endpoint rejects the client credentials", assertUnavailable(r.get()));
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, log.count("WARN", "client credentials"), log.text());
            assertTrue(log.text().contains(backend.url(FakeAuthBackend.TOKEN)), log.text());
            assertFalse(log.text().contains("rotated-away-secret"), log.text());
            assertFalse(log.text().contains(PASSWORD), log.text());

            clock.advance(HttpTokenRefresher.WARNING_INTERVAL);
            assertUnavailable(endpoint.login("alice", PASSWORD));
            assertEquals(2, log.count("WARN", "client credentials"), log.text());
            assertEquals(1, log.count("WARN", "11 similar warnings left out"), log.text());
        }
    }

    @Test
    void a401WithoutJsonIsAClientProblemNotAWrongPassword() {
        LoginClient endpoint = endpoint(backend.clientSecret());
        backend.override(FakeAuthBackend.TOKEN, 401, "text/html", "<h1>Unauthorized</h1>");
        assertUnavailable(endpoint.login("alice", PASSWORD));
        backend.override(FakeAuthBackend.TOKEN, 400, "{\"error\":\"invalid_client\"}");
        assertUnavailable(endpoint.login("alice", PASSWORD));
    }

    @Test
    void aTokenEndpointThatRefusesThePasswordGrantIsUnavailableWithAWarning() {
        LoginClient endpoint = endpoint(backend.clientSecret());
        try (LogCapture log = new LogCapture()) {
            for (String error : List.of("unsupported_grant_type", "unauthorized_client", "invalid_request", "invalid_scope", "")) {
                backend.override(FakeAuthBackend.TOKEN, 400, "{\"error\":\"" + error + "\"}");
                assertEquals("token endpoint rejects the login request", assertUnavailable(endpoint.login("alice", PASSWORD)));
            }
            backend.override(FakeAuthBackend.TOKEN, 400, "garbage");
            assertUnavailable(endpoint.login("alice", PASSWORD));
            assertEquals(1, log.count("WARN", "password grant"), log.text());
        }
        backend.override(FakeAuthBackend.TOKEN, 403, "{\"error\":\"invalid_grant\"}");
        assertUnavailable(endpoint.login("alice", PASSWORD));
    }

    @Test
    void serverErrorsOutagesAndGarbageAreUnavailable() {
        LoginClient endpoint = endpoint(backend.clientSecret());
        backend.failWith(503);
        assertUnavailable(endpoint.login("alice", PASSWORD));
        backend.clearFailure();
        backend.override(FakeAuthBackend.TOKEN, 200, "{\"token_type\":\"Bearer\"}");
        assertUnavailable(endpoint.login("alice", PASSWORD));
        backend.clearOverrides();
        backend.stop();
        assertUnavailable(endpoint.login("alice", PASSWORD));
        backend.start();
        success(endpoint.login("alice", PASSWORD));
    }

    @Test
    void hostileUsernamesNeverReachTheTokenEndpoint() {
        LoginClient endpoint = endpoint(backend.clientSecret());
        for (String username : new String[] {"", " ", "alice\r\n", "alice\u0000", "x".repeat(1025), "\uD83D"}) {
            assertRejected(endpoint.login(username, PASSWORD));
        }
        assertEquals(0, backend.calls(FakeAuthBackend.TOKEN));
    }

    @Test
    void describeShowsTheTokenEndpointAndClientButNeverTheSecret() {
        LoginClient endpoint = endpoint(backend.clientSecret());
        assertEquals("LoginClient[oauth2 password grant " + backend.url(FakeAuthBackend.TOKEN) + ", client="
                + backend.clientId() + " (client_secret_basic)]", endpoint.describe());
        assertFalse(endpoint.toString().contains(backend.clientSecret()));
        assertEquals(HttpTokenRefresher.Mode.OAUTH2, endpoint.mode());
    }
}

package io.github.sessiongate.remote;

import io.github.sessiongate.ClientCredentials;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static io.github.sessiongate.remote.HttpTokenRefresherTest.assertUnavailable;
import static io.github.sessiongate.remote.HttpTokenRefresherTest.refreshed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.RefreshResult;
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
 * The OAuth2 refresh grant: only invalid_grant refuses; the filter's own rejected credentials are
 * "unavailable" with one WARN per interval, so a rotated client secret never signs everyone out.
 */
class HttpTokenRefresherOAuth2Test {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private final List<HttpTokenRefresher> endpoints = new ArrayList<>();

    @AfterEach
    void close() {
        endpoints.forEach(HttpTokenRefresher::close);
        backend.close();
    }

    private HttpTokenRefresher endpoint(String secret, String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_OAUTH2_TOKEN_URL, backend.url(FakeAuthBackend.TOKEN),
                PARAM_OAUTH2_CLIENT_ID, backend.clientId(), PARAM_OAUTH2_CLIENT_SECRET, secret));
        all.addAll(List.of(extra));
        HttpTokenRefresher endpoint = HttpTokenRefresher.fromParams(Params.of(all.toArray(new String[0])), clock).orElseThrow();
        endpoints.add(endpoint);
        return endpoint;
    }

    @Test
    void refreshGrantWithHttpBasicClientAuthenticationRotatesTheToken() {
        FakeAuthBackend.Tokens login = backend.issue("alice");
        TokenPair tokens = refreshed(endpoint(backend.clientSecret()).refresh(login.refreshToken()));
        assertNotEquals(login.refreshToken(), tokens.refreshToken());

        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.TOKEN).orElseThrow();
        String expected = "Basic " + Base64.getEncoder().encodeToString(
                (backend.clientId() + ":" + backend.clientSecret()).getBytes(StandardCharsets.UTF_8));
        assertEquals(expected, sent.header("Authorization").orElseThrow());
        assertEquals(Map.of("grant_type", "refresh_token", "refresh_token", login.refreshToken()), sent.form());
    }

    @Test
    void clientSecretPostSendsTheCredentialsInTheForm() {
        FakeAuthBackend.Tokens login = backend.issue("alice");
        refreshed(endpoint(backend.clientSecret(), PARAM_OAUTH2_CLIENT_AUTH, "client_secret_post").refresh(login.refreshToken()));
        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.TOKEN).orElseThrow();
        assertTrue(sent.header("Authorization").isEmpty());
        assertEquals(backend.clientSecret(), sent.form().get("client_secret"));
    }

    @Test
    void invalidGrantIsRefusedAndReuseOfARotatedTokenToo() {
        HttpTokenRefresher endpoint = endpoint(backend.clientSecret());
        FakeAuthBackend.Tokens login = backend.issue("alice");
        refreshed(endpoint.refresh(login.refreshToken()));
        assertEquals(RefreshResult.refused(), endpoint.refresh(login.refreshToken()));
        assertEquals(RefreshResult.refused(), endpoint.refresh("rt_unknown"));
    }

    @Test
    void invalidGrantOn401IsRefusedToo() {
        backend.override(FakeAuthBackend.TOKEN, 401, "{\"error\":\"invalid_grant\"}");
        assertEquals(RefreshResult.refused(), endpoint(backend.clientSecret()).refresh("rt_x"));
    }

    @Test
    void rejectedClientCredentialsAreUnavailableWithExactlyOneWarningPerBurst() throws Exception {
        HttpTokenRefresher endpoint = endpoint("rotated-away-secret");
        FakeAuthBackend.Tokens login = backend.issue("alice");
        try (LogCapture log = new LogCapture()) {
            ExecutorService pool = Executors.newFixedThreadPool(4);
            try {
                List<Future<RefreshResult>> results = new ArrayList<>();
                for (int i = 0; i < 12; i++) {
                    results.add(pool.submit(() -> endpoint.refresh(login.refreshToken())));
                }
                for (Future<RefreshResult> r : results) {
                    assertUnavailable(r.get());
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(1, log.count("WARN", "client credentials"), log.text());
            assertTrue(log.text().contains(backend.url(FakeAuthBackend.TOKEN)), log.text());
            assertFalse(log.text().contains("rotated-away-secret"), log.text());
            assertFalse(log.text().contains(login.refreshToken()), log.text());

            clock.advance(HttpTokenRefresher.WARNING_INTERVAL);
            assertUnavailable(endpoint.refresh(login.refreshToken()));
            assertEquals(2, log.count("WARN", "client credentials"), log.text());
            assertEquals(1, log.count("WARN", "11 similar warnings left out"), log.text());
        }
        assertTrue(backend.isActive(login.refreshToken()), "the user's refresh token was never spent");
    }

    @Test
    void unauthorizedClientAndA401WithoutJsonAreUnavailable() {
        HttpTokenRefresher endpoint = endpoint(backend.clientSecret());
        backend.override(FakeAuthBackend.TOKEN, 400, "{\"error\":\"unauthorized_client\"}");
        assertUnavailable(endpoint.refresh("rt_x"));
        backend.override(FakeAuthBackend.TOKEN, 401, "text/html", "<h1>Unauthorized</h1>");
        assertUnavailable(endpoint.refresh("rt_x"));
        backend.override(FakeAuthBackend.TOKEN, 401, "{\"error\":\"invalid_client\"}");
        assertUnavailable(endpoint.refresh("rt_x"));
    }

    @Test
    void otherRejectionsOfTheRequestAreUnavailable() {
        HttpTokenRefresher endpoint = endpoint(backend.clientSecret());
        for (String error : List.of("invalid_request", "unsupported_grant_type", "invalid_scope", "")) {
            backend.override(FakeAuthBackend.TOKEN, 400, "{\"error\":\"" + error + "\"}");
            assertUnavailable(endpoint.refresh("rt_x"));
        }
        backend.override(FakeAuthBackend.TOKEN, 400, "garbage");
        assertUnavailable(endpoint.refresh("rt_x"));
        backend.override(FakeAuthBackend.TOKEN, 403, "{\"error\":\"invalid_grant\"}");
        assertUnavailable(endpoint.refresh("rt_x"));
    }

    @Test
    void serverErrorsAndOutagesAreUnavailable() {
        HttpTokenRefresher endpoint = endpoint(backend.clientSecret());
        FakeAuthBackend.Tokens login = backend.issue("alice");
        backend.failWith(503);
        assertUnavailable(endpoint.refresh(login.refreshToken()));
        backend.clearFailure();
        backend.stop();
        assertUnavailable(endpoint.refresh(login.refreshToken()));
        backend.start();
        refreshed(endpoint.refresh(login.refreshToken()));
    }

    @Test
    void describeShowsTheEndpointAndClientButNeverTheSecret() {
        HttpTokenRefresher endpoint = endpoint(backend.clientSecret());
        String text = endpoint.describe();
        assertTrue(text.contains(backend.url(FakeAuthBackend.TOKEN)), text);
        assertTrue(text.contains(backend.clientId()), text);
        assertFalse(text.contains(backend.clientSecret()), text);
        assertEquals(HttpTokenRefresher.Mode.OAUTH2, endpoint.mode());
    }
}

package io.github.sessiongate.remote;

import io.github.sessiongate.internal.BackendHttp;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_ACCESS_TOKEN;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_EXPIRES_IN;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_REFRESH_TOKEN;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_FORMAT;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_REFUSED_STATUSES;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_REQUEST_FIELD;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain-mode refresh against a real HTTP backend: every answer is either a verdict or "unavailable". */
class HttpTokenRefresherTest {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private final List<HttpTokenRefresher> endpoints = new ArrayList<>();

    @AfterEach
    void close() {
        endpoints.forEach(HttpTokenRefresher::close);
        backend.close();
    }

    private HttpTokenRefresher endpoint(String... extra) {
        return endpoint(HttpTokenRefresher.Hooks.DEFAULT, extra);
    }

    private HttpTokenRefresher endpoint(HttpTokenRefresher.Hooks hooks, String... extra) {
        String[] all = new String[extra.length + 2];
        all[0] = PARAM_REFRESH_URL;
        all[1] = backend.url(FakeAuthBackend.REFRESH);
        System.arraycopy(extra, 0, all, 2, extra.length);
        HttpTokenRefresher endpoint = HttpTokenRefresher.fromParams(Params.of(all), clock, hooks).orElseThrow();
        endpoints.add(endpoint);
        return endpoint;
    }

    static TokenPair refreshed(RefreshResult result) {
        return assertInstanceOf(RefreshResult.Refreshed.class, result, String.valueOf(result)).tokens();
    }

    static void assertUnavailable(RefreshResult result) {
        assertInstanceOf(RefreshResult.Unavailable.class, result, String.valueOf(result));
    }

    @Test
    void refreshReturnsTheNewAccessTokenAndTheRotatedRefreshToken() {
        FakeAuthBackend.Tokens login = backend.issue("alice");
        TokenPair tokens = refreshed(endpoint().refresh(login.refreshToken()));
        assertNotEquals(login.accessToken(), tokens.accessToken());
        String rotated = tokens.rotatedRefreshToken().orElseThrow();
        assertNotEquals(login.refreshToken(), rotated);
        assertTrue(backend.isActive(rotated));
        assertEquals(clock.instant().plus(FakeAuthBackend.DEFAULT_ACCESS_TTL), tokens.accessExpiresAt());
        assertEquals("application/x-www-form-urlencoded",
                backend.lastRequest(FakeAuthBackend.REFRESH).orElseThrow().header("Content-Type").orElseThrow());
    }

    @Test
    void theRotatedTokenWorksNextTimeAndTheOldOneIsRefused() {
        HttpTokenRefresher endpoint = endpoint();
        FakeAuthBackend.Tokens login = backend.issue("alice");
        String second = refreshed(endpoint.refresh(login.refreshToken())).refreshToken();
        String third = refreshed(endpoint.refresh(second)).refreshToken();
        assertNotEquals(second, third);

        assertEquals(RefreshResult.refused(), endpoint.refresh(login.refreshToken()));
        assertEquals(RefreshResult.refused(), endpoint.refresh(third), "reuse revoked the whole family");
    }

    @Test
    void unknownRefreshTokenIsRefused() {
        assertEquals(RefreshResult.refused(), endpoint().refresh("rt_never-issued"));
    }

    @Test
    void withoutRotationTheSameRefreshTokenComesBack() {
        backend.rotate(false);
        FakeAuthBackend.Tokens login = backend.issue("alice");
        assertEquals(login.refreshToken(), refreshed(endpoint().refresh(login.refreshToken())).refreshToken());
    }

    @Test
    void answerWithoutRefreshTokenKeepsTheOldOne() {
        backend.override(FakeAuthBackend.REFRESH, 200, "{\"access_token\":\"new-access\",\"expires_in\":60}");
        TokenPair tokens = refreshed(endpoint().refresh("rt_x"));
        assertEquals("new-access", tokens.accessToken());
        assertTrue(tokens.rotatedRefreshToken().isEmpty());
        assertEquals(clock.instant().plusSeconds(60), tokens.accessExpiresAt());
    }

    @Test
    void backend503IsUnavailableNotRefused() {
        backend.failWith(503);
        assertUnavailable(endpoint().refresh(backend.issue("alice").refreshToken()));
    }

    @Test
    void everyStatusOutsideTheRefusedListIsUnavailable() {
        HttpTokenRefresher endpoint = endpoint();
        for (int status : new int[] {400, 403, 404, 408, 429, 500, 502, 504, 302, 204, 201}) {
            backend.override(FakeAuthBackend.REFRESH, status, "{\"error\":\"invalid_grant\"}");
            assertUnavailable(endpoint.refresh("rt_x"));
        }
    }

    @Test
    void refusedStatusesAreConfigurable() {
        HttpTokenRefresher endpoint = endpoint(PARAM_REFRESH_REFUSED_STATUSES, "400, 410");
        backend.override(FakeAuthBackend.REFRESH, 400, "{}");
        assertEquals(RefreshResult.refused(), endpoint.refresh("rt_x"));
        backend.override(FakeAuthBackend.REFRESH, 410, "");
        assertEquals(RefreshResult.refused(), endpoint.refresh("rt_x"));
        backend.override(FakeAuthBackend.REFRESH, 401, "{}");
        assertUnavailable(endpoint.refresh("rt_x"));
    }

    @Test
    void connectionRefusedIsUnavailableAndTheEndpointRecoversWhenTheBackendReturns() {
        HttpTokenRefresher endpoint = endpoint();
        FakeAuthBackend.Tokens login = backend.issue("alice");
        backend.stop();
        RefreshResult down = endpoint.refresh(login.refreshToken());
        assertUnavailable(down);
        assertTrue(((RefreshResult.Unavailable) down).cause().contains("connection refused"), down.toString());
        backend.start();
        refreshed(endpoint.refresh(login.refreshToken()));
    }

    @Test
    void slowBackendTimesOutWellUnderTwoSeconds() {
        HttpTokenRefresher endpoint = endpoint(PARAM_BACKEND_READ_TIMEOUT, "300ms");
        backend.delay(Duration.ofSeconds(5));
        long start = System.nanoTime();
        RefreshResult result = endpoint.refresh("rt_x");
        long elapsed = System.nanoTime() - start;
        assertUnavailable(result);
        assertTrue(((RefreshResult.Unavailable) result).cause().contains("timed out"), result.toString());
        assertTrue(elapsed < Duration.ofMillis(1500).toNanos(), "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void garbageOrIncompleteAnswersAreUnavailable() {
        HttpTokenRefresher endpoint = endpoint();
        for (String body : List.of("{not json", "", "[]", "\"text\"", "null", "{}",
                "{\"access_token\":\"\"}", "{\"access_token\":42}", "{\"access_token\":\"has space\"}",
                "{\"access_token\":\"ok\",\"refresh_token\":17}", "{\"access_token\":\"ok\",\"refresh_token\":\"\"}",
                "{\"access_token\":\"ok\",\"refresh_token\":\"semi;colon\"}",
                "[".repeat(100) + "]".repeat(100))) {
            backend.override(FakeAuthBackend.REFRESH, 200, body);
            assertUnavailable(endpoint.refresh("rt_x"));
        }
    }

    @Test
    void anAnswerLargerThanTheCapIsUnavailable() {
        backend.override(FakeAuthBackend.REFRESH, 200,
                "{\"access_token\":\"a\",\"pad\":\"" + "x".repeat(BackendHttp.MAX_RESPONSE_BYTES) + "\"}");
        assertUnavailable(endpoint().refresh("rt_x"));
    }

    @Test
    void oddExpiresInIsIgnoredNotFatal() {
        HttpTokenRefresher endpoint = endpoint();
        for (String expiresIn : List.of("\"soon\"", "-5", "0", "1.5", "1e30", "true")) {
            backend.override(FakeAuthBackend.REFRESH, 200, "{\"access_token\":\"a\",\"expires_in\":" + expiresIn + "}");
            assertNull(refreshed(endpoint.refresh("rt_x")).accessExpiresAt(), expiresIn);
        }
        backend.override(FakeAuthBackend.REFRESH, 200, "{\"access_token\":\"a\",\"expires_in\":\"90\"}");
        assertEquals(clock.instant().plusSeconds(90), refreshed(endpoint.refresh("rt_x")).accessExpiresAt());
    }

    @Test
    void nestedFieldPathsAreFollowed() {
        HttpTokenRefresher endpoint = endpoint(PARAM_FIELD_ACCESS_TOKEN, "data.tokens.access",
                PARAM_FIELD_REFRESH_TOKEN, "data.tokens.refresh", PARAM_FIELD_EXPIRES_IN, "data.ttl");
        backend.override(FakeAuthBackend.REFRESH, 200,
                "{\"data\":{\"ttl\":30,\"tokens\":{\"access\":\"A1\",\"refresh\":\"R2\"}}}");
        TokenPair tokens = refreshed(endpoint.refresh("rt_x"));
        assertEquals("A1", tokens.accessToken());
        assertEquals("R2", tokens.refreshToken());
        assertEquals(clock.instant().plusSeconds(30), tokens.accessExpiresAt());
    }

    @Test
    void jsonFormatSendsTheTokenAsAJsonMember() throws Exception {
        FakeAuthBackend.Tokens login = backend.issue("alice");
        refreshed(endpoint(PARAM_REFRESH_FORMAT, "json").refresh(login.refreshToken()));
        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.REFRESH).orElseThrow();
        assertEquals("application/json", sent.header("Content-Type").orElseThrow());
        assertEquals(Map.of("refresh_token", login.refreshToken()), JsonUtil.parseJson(sent.body()));
    }

    @Test
    void requestFieldNameIsConfigurable() {
        refresh(endpoint(PARAM_REFRESH_REQUEST_FIELD, "token"), "rt_abc");
        assertEquals(Map.of("token", "rt_abc"), backend.lastRequest(FakeAuthBackend.REFRESH).orElseThrow().form());
    }

    private static void refresh(HttpTokenRefresher endpoint, String token) {
        endpoint.refresh(token);
    }

    @Test
    void hooksAddHeadersAndReadOddAnswers() {
        HttpTokenRefresher.Hooks hooks = new HttpTokenRefresher.Hooks() {
            @Override
            public void customize(HttpRequest.Builder request) {
                request.header("X-Api-Key", "k1");
            }

            @Override
            public Optional<TokenPair> toTokens(Map<String, Object> json,
                    Function<Map<String, Object>, Optional<TokenPair>> byFields) {
                Object pair = json.get("pair");
                if (pair instanceof List<?> list && list.size() == 2) {
                    return Optional.of(new TokenPair((String) list.get(0), (String) list.get(1), null));
                }
                return byFields.apply(json);
            }
        };
        HttpTokenRefresher endpoint = endpoint(hooks);
        backend.override(FakeAuthBackend.REFRESH, 200, "{\"pair\":[\"A\",\"R\"]}");
        TokenPair tokens = refreshed(endpoint.refresh("rt_x"));
        assertEquals("A", tokens.accessToken());
        assertEquals("R", tokens.refreshToken());
        assertEquals("k1", backend.lastRequest(FakeAuthBackend.REFRESH).orElseThrow().header("X-Api-Key").orElseThrow());
    }

    @Test
    void aHookThatThrowsIsUnavailable() {
        HttpTokenRefresher.Hooks hooks = new HttpTokenRefresher.Hooks() {
            @Override
            public Optional<TokenPair> toTokens(Map<String, Object> json,
                    Function<Map<String, Object>, Optional<TokenPair>> byFields) {
                throw new IllegalStateException("boom");
            }
        };
        assertUnavailable(endpoint(hooks).refresh(backend.issue("alice").refreshToken()));
    }

    @Test
    void afterCloseRefreshIsUnavailable() {
        HttpTokenRefresher endpoint = endpoint();
        endpoint.close();
        assertUnavailable(endpoint.refresh(backend.issue("alice").refreshToken()));
        assertFalse(endpoint.describe().isEmpty());
    }
}

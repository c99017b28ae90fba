package io.github.sessiongate.login;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.remote.Params;
import io.github.sessiongate.login.LoginResult;
import io.github.sessiongate.internal.BackendHttp;
import io.github.sessiongate.LoginSettings;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_FORMAT;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_PASSWORD_FIELD;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_URL;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_USERNAME_FIELD;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_ACCESS_TOKEN;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_EXPIRES_IN;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_REFRESH_TOKEN;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.TokenPair;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jose4j.json.JsonUtil;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Plain-mode login against a real HTTP backend: a pair, a rejection, or "unavailable", never an exception. */
class LoginClientTest {
    static final String PASSWORD = "alice-password";

    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock)
            .user("jürgen", "pä ss&=wörd+%2B\u200c😀", "user").build().start();
    private final List<LoginClient> endpoints = new ArrayList<>();

    @AfterEach
    void close() {
        endpoints.forEach(LoginClient::close);
        backend.close();
    }

    private LoginClient endpoint(String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_LOGIN_URL, backend.url(FakeAuthBackend.LOGIN)));
        all.addAll(List.of(extra));
        LoginClient endpoint = FromParams.loginClient(Params.of(all.toArray(new String[0])), clock).orElseThrow();
        endpoints.add(endpoint);
        return endpoint;
    }

    static TokenPair success(LoginResult result) {
        return assertInstanceOf(LoginResult.Success.class, result, String.valueOf(result)).tokens();
    }

    static void assertRejected(LoginResult result) {
        assertEquals(LoginResult.rejected(), result, String.valueOf(result));
    }

    static String assertUnavailable(LoginResult result) {
        return assertInstanceOf(LoginResult.Unavailable.class, result, String.valueOf(result)).cause();
    }

    @Test
    void formLoginReturnsTheTokenPair() {
        TokenPair tokens = success(endpoint().login("alice", PASSWORD));
        assertTrue(backend.isActive(tokens.rotatedRefreshToken().orElseThrow()));
        assertEquals(3, tokens.accessToken().split("\\.").length, "the backend's JWT");
        assertEquals(clock.instant().plus(FakeAuthBackend.DEFAULT_ACCESS_TTL), tokens.accessExpiresAt());

        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.LOGIN).orElseThrow();
        assertEquals("POST", sent.method());
        assertEquals("application/x-www-form-urlencoded", sent.header("Content-Type").orElseThrow());
        assertEquals(Map.of("username", "alice", "password", PASSWORD), sent.form());
    }

    @Test
    void jsonLoginSendsAJsonObjectAndReturnsTheTokenPair() throws Exception {
        TokenPair tokens = success(endpoint(PARAM_LOGIN_FORMAT, "json").login("alice", PASSWORD));
        assertTrue(backend.isActive(tokens.refreshToken()));
        FakeAuthBackend.Recorded sent = backend.lastRequest(FakeAuthBackend.LOGIN).orElseThrow();
        assertEquals("application/json", sent.header("Content-Type").orElseThrow());
        assertEquals(Map.of("username", "alice", "password", PASSWORD), JsonUtil.parseJson(sent.body()));
    }

    @Test
    void nonAsciiAndReservedCharactersArriveUnchangedInFormAndJson() {
        String password = "pä ss&=wörd+%2B\u200c😀";
        success(endpoint().login("jürgen", password));
        success(endpoint(PARAM_LOGIN_FORMAT, "json").login("jürgen", password));
        assertRejected(endpoint().login("jürgen", "pä ss&=wörd+%2B\u200c"));
    }

    @Test
    void fieldNamesAreConfigurable() {
        backend.override(FakeAuthBackend.LOGIN, 200, "{\"access_token\":\"A1\"}");
        success(endpoint(PARAM_LOGIN_USERNAME_FIELD, "email", PARAM_LOGIN_PASSWORD_FIELD, "secret").login("a@example.com", "pw"));
        assertEquals(Map.of("email", "a@example.com", "secret", "pw"),
                backend.lastRequest(FakeAuthBackend.LOGIN).orElseThrow().form());
    }

    @Test
    void wrongPasswordAndUnknownUserAreRejected() {
        LoginClient endpoint = endpoint();
        assertRejected(endpoint.login("alice", "not-" + PASSWORD));
        assertRejected(endpoint.login("mallory", PASSWORD));
        assertRejected(endpoint(PARAM_LOGIN_FORMAT, "json").login("alice", "not-" + PASSWORD));
    }

    @Test
    void only400And401And403RejectEveryOtherStatusIsUnavailable() {
        LoginClient endpoint = endpoint();
        for (int status : new int[] {400, 401, 403}) {
            backend.override(FakeAuthBackend.LOGIN, status, "{\"error\":\"invalid_grant\"}");
            assertRejected(endpoint.login("alice", PASSWORD));
        }
        for (int status : new int[] {404, 405, 408, 409, 429, 500, 502, 503, 504, 302, 204, 201}) {
            backend.override(FakeAuthBackend.LOGIN, status, "{\"access_token\":\"A1\"}");
            assertUnavailable(endpoint.login("alice", PASSWORD));
        }
    }

    @Test
    void backend503IsUnavailable() {
        backend.failWith(503);
        assertEquals("login endpoint answered 503", assertUnavailable(endpoint().login("alice", PASSWORD)));
    }

    @Test
    void slowBackendTimesOutWellUnderTwoSeconds() {
        LoginClient endpoint = endpoint(PARAM_BACKEND_READ_TIMEOUT, "300ms");
        backend.delay(Duration.ofSeconds(5));
        long start = System.nanoTime();
        String cause = assertUnavailable(endpoint.login("alice", PASSWORD));
        long elapsed = System.nanoTime() - start;
        assertTrue(cause.contains("timed out"), cause);
        assertTrue(elapsed < Duration.ofMillis(1500).toNanos(), "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void stoppedBackendIsUnavailableAndLoginWorksAgainWhenItReturns() {
        LoginClient endpoint = endpoint();
        backend.stop();
        String cause = assertUnavailable(endpoint.login("alice", PASSWORD));
        assertTrue(cause.contains("connection refused"), cause);
        backend.start();
        success(endpoint.login("alice", PASSWORD));
    }

    @Test
    void garbageOrIncomplete200IsUnavailableNeverASuccess() {
        LoginClient endpoint = endpoint();
        for (String body : List.of("{not json", "", "[]", "\"text\"", "null", "{}", "<html>welcome</html>",
                "{\"access_token\":\"\"}", "{\"access_token\":42}", "{\"access_token\":\"has space\"}",
                "{\"access_token\":\"ok\",\"refresh_token\":17}", "{\"access_token\":\"ok\",\"refresh_token\":\"\"}",
                "{\"access_token\":\"ok\",\"refresh_token\":\"semi;colon\"}", "{\"token\":\"ok\"}",
                "[".repeat(100) + "]".repeat(100))) {
            backend.override(FakeAuthBackend.LOGIN, 200, body);
            assertUnavailable(endpoint.login("alice", PASSWORD));
        }
        backend.override(FakeAuthBackend.LOGIN, 200,
                "{\"access_token\":\"a\",\"pad\":\"" + "x".repeat(BackendHttp.MAX_RESPONSE_BYTES) + "\"}");
        assertUnavailable(endpoint.login("alice", PASSWORD));
    }

    @Test
    void answerWithoutRefreshTokenIsASessionWithoutOne() {
        backend.override(FakeAuthBackend.LOGIN, 200, "{\"access_token\":\"A1\",\"expires_in\":\"90\"}");
        TokenPair tokens = success(endpoint().login("alice", PASSWORD));
        assertEquals("A1", tokens.accessToken());
        assertNull(tokens.refreshToken());
        assertEquals(clock.instant().plusSeconds(90), tokens.accessExpiresAt());
    }

    @Test
    void theRefreshFieldPathsReadTheLoginAnswerToo() {
        LoginClient endpoint = endpoint(PARAM_FIELD_ACCESS_TOKEN, "data.tokens.access",
                PARAM_FIELD_REFRESH_TOKEN, "data.tokens.refresh", PARAM_FIELD_EXPIRES_IN, "data.ttl");
        backend.override(FakeAuthBackend.LOGIN, 200,
                "{\"data\":{\"ttl\":30,\"tokens\":{\"access\":\"A1\",\"refresh\":\"R2\"}}}");
        TokenPair tokens = success(endpoint.login("alice", PASSWORD));
        assertEquals("A1", tokens.accessToken());
        assertEquals("R2", tokens.refreshToken());
        assertEquals(clock.instant().plusSeconds(30), tokens.accessExpiresAt());
    }

    @Test
    void hostileOrImpossibleCredentialsAreRejectedWithoutABackendCall() {
        LoginClient endpoint = endpoint();
        String max = "x".repeat(LoginClient.MAX_CREDENTIAL_LENGTH);
        List<String[]> hostile = List.of(
                new String[] {null, PASSWORD}, new String[] {"alice", null}, new String[] {null, null},
                new String[] {"", PASSWORD}, new String[] {"   ", PASSWORD}, new String[] {"\t\n", PASSWORD},
                new String[] {"alice", ""},
                new String[] {max + "x", PASSWORD}, new String[] {"alice", max + "x"},
                new String[] {"ali\u0000ce", PASSWORD}, new String[] {"alice\r\nX-Injected: 1", PASSWORD},
                new String[] {"alice\u007f", PASSWORD}, new String[] {"alice\u0085", PASSWORD},
                new String[] {"alice\u001b[31m", PASSWORD}, new String[] {"alice", "pass\nword"},
                new String[] {"alice", "pass\u0000"}, new String[] {"alice\uD800", PASSWORD},
                new String[] {"alice", "pass\uDC00word"}, new String[] {"alice", "\uDBFF"});
        for (String[] credentials : hostile) {
            assertRejected(endpoint.login(credentials[0], credentials[1]));
        }
        assertEquals(0, backend.calls(FakeAuthBackend.LOGIN), "no hostile input reached the backend");

        assertRejected(endpoint.login(max, max));
        assertRejected(endpoint.login(" alice", PASSWORD));
        assertEquals(2, backend.calls(FakeAuthBackend.LOGIN), "the longest allowed and odd-but-printable ones are sent");
    }

    @Test
    void concurrentLoginsEachGetTheirOwnPair() throws Exception {
        LoginClient endpoint = endpoint();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<LoginResult>> results = new ArrayList<>();
            for (int i = 0; i < 24; i++) {
                boolean good = i % 3 != 0;
                results.add(pool.submit(() -> endpoint.login("alice", good ? PASSWORD : "wrong")));
            }
            Set<String> refreshTokens = new HashSet<>();
            for (int i = 0; i < results.size(); i++) {
                if (i % 3 != 0) {
                    refreshTokens.add(success(results.get(i).get()).refreshToken());
                } else {
                    assertRejected(results.get(i).get());
                }
            }
            assertEquals(16, refreshTokens.size());
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void afterCloseLoginsAreUnavailable() {
        LoginClient endpoint = endpoint();
        endpoint.close();
        assertEquals("login endpoint: closed", assertUnavailable(endpoint.login("alice", PASSWORD)));
    }

    @Test
    void describeShowsTheUrlWithoutTheQuery() {
        LoginClient endpoint = FromParams.loginClient(Params.of(PARAM_LOGIN_URL,
                backend.url(FakeAuthBackend.LOGIN) + "?api_key=k3y-value", PARAM_LOGIN_FORMAT, "json"), clock).orElseThrow();
        endpoints.add(endpoint);
        assertEquals("LoginClient[plain json " + backend.url(FakeAuthBackend.LOGIN) + "]", endpoint.describe());
        assertEquals(endpoint.describe(), endpoint.toString());
        assertEquals(HttpTokenRefresher.Mode.PLAIN, endpoint.mode());
    }

    @Test
    void resultsNeverShowTokens() {
        TokenPair tokens = success(endpoint().login("alice", PASSWORD));
        String text = LoginResult.success(tokens).toString();
        assertFalse(text.contains(tokens.accessToken()) || text.contains(tokens.refreshToken()), text);
    }

    @Test
    void noPasswordUsernameOrTokenIsEverLogged() {
        String user = "hygiene-user-7f3a";
        String password = "hygiene-Pa55word-9d2c";
        FakeAuthBackend own = FakeAuthBackend.builder().clock(clock).noUsers().user(user, password, "user").build().start();
        List<String> secrets = new ArrayList<>(List.of(user, password));
        try (LogCapture log = new LogCapture(LoginClient.class, HttpTokenRefresher.class)) {
            for (String format : List.of("form", "json")) {
                try (LoginClient endpoint = FromParams.loginClient(Params.of(PARAM_LOGIN_URL, own.url(FakeAuthBackend.LOGIN),
                        PARAM_LOGIN_FORMAT, format, PARAM_BACKEND_READ_TIMEOUT, "200ms"), clock).orElseThrow()) {
                    TokenPair tokens = success(endpoint.login(user, password));
                    secrets.add(tokens.accessToken());
                    secrets.add(tokens.refreshToken());
                    assertRejected(endpoint.login(user, password + "-wrong"));
                    assertRejected(endpoint.login(user + "\n", password));
                    assertRejected(endpoint.login(user, password + "\u0000"));
                    own.override(FakeAuthBackend.LOGIN, 200, "{\"access_token\":\"" + password + " " + user + "\"}");
                    assertUnavailable(endpoint.login(user, password));
                    own.clearOverrides();
                    own.failWith(503);
                    assertUnavailable(endpoint.login(user, password));
                    own.clearFailure();
                    own.delay(Duration.ofMillis(400));
                    assertUnavailable(endpoint.login(user, password));
                    own.delay(Duration.ZERO);
                }
            }
            own.stop();
            try (LoginClient endpoint = FromParams.loginClient(Params.of(PARAM_LOGIN_URL, own.url(FakeAuthBackend.LOGIN)),
                    clock).orElseThrow()) {
                assertUnavailable(endpoint.login(user, password));
            }
            String text = log.text();
            assertTrue(text.contains("login done at"), "DEBUG was captured: " + text);
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "logged a secret: " + text);
            }
            for (String part : secrets.get(2).split("\\.")) {
                assertFalse(text.contains(part), "logged a part of a JWT: " + text);
            }
        } finally {
            own.close();
        }
    }
}

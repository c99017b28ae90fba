package io.github.sessiongate.remote;

import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_OAUTH2_INTROSPECTION_URL;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_VALIDATE_URL;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** close() releases every thread; no path through the remote code logs a token or a secret. */
class RemoteHygieneTest {
    private static final String CLIENT_SECRET = "hygiene-client-s3cret";

    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock)
            .client(FakeAuthBackend.DEFAULT_CLIENT_ID, CLIENT_SECRET).build().start();

    @AfterEach
    void stop() {
        backend.close();
    }

    private static Set<Thread> liveThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).collect(Collectors.toSet());
    }

    /** New threads that close() must stop: any non-daemon one, and the transport's own. */
    private static List<Thread> leftAfterClose(Set<Thread> before) {
        List<Thread> left = new ArrayList<>();
        for (Thread t : liveThreads()) {
            if (!before.contains(t) && (!t.isDaemon() || t.getName().startsWith("sessiongate-http-"))) {
                left.add(t);
            }
        }
        return left;
    }

    @Test
    void closeLeavesNoNonDaemonThreadAndStopsItsOwnThreads() throws Exception {
        Set<Thread> before = liveThreads();
        HttpTokenValidator validator = HttpTokenValidator.fromParams(Params.map(
                PARAM_VALIDATE_URL, backend.url(FakeAuthBackend.ME),
                PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH)), clock);
        FakeAuthBackend.Tokens login = backend.issue("alice");
        validator.validate(login.accessToken());
        validator.refresh(login.refreshToken());
        validator.close();

        Await.until("every thread the validator started stopped", () -> leftAfterClose(before).isEmpty(),
                () -> leftAfterClose(before));
        for (Thread t : liveThreads()) {
            if (!before.contains(t)) {
                assertTrue(t.isDaemon(), "new non-daemon thread " + t.getName());
            }
        }
    }

    @Test
    void noTokenOrSecretIsEverLogged() {
        FakeAuthBackend.Tokens alice = backend.issue("alice");
        FakeAuthBackend.Tokens admin = backend.issue("admin");
        List<String> secrets = new ArrayList<>(List.of(alice.accessToken(), alice.refreshToken(), admin.accessToken(),
                admin.refreshToken(), CLIENT_SECRET, "wrong-secret-value"));
        try (LogCapture log = new LogCapture(HttpTokenRefresher.class, HttpTokenValidator.class, JwtTokenValidator.class,
                TokenValidator.class)) {
            try (HttpTokenValidator plain = HttpTokenValidator.fromParams(Params.map(
                    PARAM_VALIDATE_URL, backend.url(FakeAuthBackend.ME), PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH),
                    PARAM_BACKEND_READ_TIMEOUT, "200ms"), clock)) {
                plain.validate(alice.accessToken());
                plain.validate(alice.refreshToken());
                String rotated = plain.refresh(alice.refreshToken()).toString();
                assertFalse(rotated.isEmpty());
                plain.refresh(alice.refreshToken()); // reuse: refused
                backend.override(FakeAuthBackend.ME, 200, "{\"sub\":\"" + admin.accessToken() + "-not-json");
                plain.validate(admin.accessToken());
                backend.clearOverrides();
                backend.failWith(503);
                plain.validate(admin.accessToken());
                plain.refresh(admin.refreshToken());
                backend.clearFailure();
                backend.delay(Duration.ofMillis(400));
                plain.validate(admin.accessToken());
                plain.refresh(admin.refreshToken());
                backend.delay(Duration.ZERO);
            }
            for (String secret : List.of(CLIENT_SECRET, "wrong-secret-value")) {
                try (HttpTokenValidator oauth = HttpTokenValidator.fromParams(Params.map(
                        PARAM_OAUTH2_INTROSPECTION_URL, backend.url(FakeAuthBackend.INTROSPECT),
                        PARAM_OAUTH2_TOKEN_URL, backend.url(FakeAuthBackend.TOKEN),
                        PARAM_OAUTH2_CLIENT_ID, backend.clientId(), PARAM_OAUTH2_CLIENT_SECRET, secret), clock)) {
                    oauth.validate(admin.accessToken());
                    oauth.validate(admin.refreshToken());
                    oauth.refresh(admin.refreshToken());
                    oauth.refresh("rt_unknown-but-secret-looking");
                }
            }
            backend.stop();
            try (JwtTokenValidator jwt = JwtTokenValidator.fromParams(Params.map(
                    JwtTokenValidator.PARAM_JWKS_URL, backend.jwksUrl(), JwtTokenValidator.PARAM_ISSUER, backend.issuer(),
                    JwtTokenValidator.PARAM_AUDIENCE, backend.audience(),
                    PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH)), clock)) {
                jwt.validate(admin.accessToken());
                jwt.refresh(admin.refreshToken());
            }

            String text = log.text();
            assertTrue(text.contains("DEBUG"), "the capture saw the DEBUG lines: " + text);
            assertTrue(text.contains(" WARN "), "the rejected client was warned about: " + text);
            secrets.add("rt_unknown-but-secret-looking");
            for (String secret : secrets) {
                assertFalse(text.contains(secret), "logged a secret: " + text);
                assertFalse(text.contains(secret.substring(secret.length() - 16)), "logged a secret's tail: " + text);
            }
            String[] parts = admin.accessToken().split("\\.");
            assertFalse(text.contains(parts[1]) || text.contains(parts[2]), "logged a part of a JWT: " + text);
            assertEquals(0, text.lines().filter(l -> l.contains("Basic ")).count(), text);
        }
    }
}

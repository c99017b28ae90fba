package io.github.sessiongate.remote;

import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_EXPIRES_AT;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_ROLES;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_SUBJECT;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_VALIDATE_URL;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static io.github.sessiongate.remote.HttpTokenRefresherTest.refreshed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.InitParams;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Validate-URL mode against a real HTTP backend: 200 valid, 401/403 refused, anything else unavailable. */
class HttpTokenValidatorTest {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private final List<HttpTokenValidator> validators = new ArrayList<>();

    @AfterEach
    void close() {
        validators.forEach(HttpTokenValidator::close);
        backend.close();
    }

    private HttpTokenValidator validator(String... extra) {
        return configure(new HttpTokenValidator(), extra);
    }

    private <V extends HttpTokenValidator> V configure(V validator, String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_VALIDATE_URL, backend.url(FakeAuthBackend.ME)));
        all.addAll(List.of(extra));
        io.github.sessiongate.ValidatorInit.init(validator, Params.of(all.toArray(new String[0])), clock);
        validators.add(validator);
        return validator;
    }

    static Session valid(ValidationResult result) {
        return assertInstanceOf(ValidationResult.Valid.class, result, String.valueOf(result)).session();
    }

    static void assertRefused(Reason reason, ValidationResult result) {
        assertEquals(ValidationResult.invalid(reason), result);
    }

    static ValidationResult.Unavailable assertUnavailable(ValidationResult result) {
        return assertInstanceOf(ValidationResult.Unavailable.class, result, String.valueOf(result));
    }

    @Test
    void validTokenGivesTheSessionTheBackendDescribes() {
        FakeAuthBackend.Tokens tokens = backend.issue("admin");
        Session session = valid(validator().validate(tokens.accessToken()));
        assertEquals("admin", session.subject());
        assertEquals(Set.of("user", "admin"), session.roles());
        assertEquals(clock.instant().plus(FakeAuthBackend.DEFAULT_ACCESS_TTL), session.expiresAt().orElseThrow());
        assertEquals("admin", session.claims().get("sub"));
        assertEquals(tokens.accessToken(), session.token());
        assertEquals("Bearer " + tokens.accessToken(),
                backend.lastRequest(FakeAuthBackend.ME).orElseThrow().header("Authorization").orElseThrow());
    }

    @Test
    void backend401And403RefuseTheToken() {
        HttpTokenValidator validator = validator();
        assertRefused(Reason.REJECTED_BY_BACKEND, validator.validate("unknown.access.token"));
        backend.override(FakeAuthBackend.ME, 403, "{}");
        assertRefused(Reason.REJECTED_BY_BACKEND, validator.validate("any"));
    }

    @Test
    void revokedSessionIsRefused() {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        HttpTokenValidator validator = validator();
        valid(validator.validate(tokens.accessToken()));
        backend.revokeAll();
        assertRefused(Reason.REJECTED_BY_BACKEND, validator.validate(tokens.accessToken()));
    }

    @Test
    void serverErrorsAreUnavailable() {
        HttpTokenValidator validator = validator();
        for (int status : new int[] {500, 502, 503, 504, 429, 404, 400, 302}) {
            backend.override(FakeAuthBackend.ME, status, "{\"sub\":\"alice\"}");
            assertUnavailable(validator.validate(backend.accessToken("alice")));
        }
    }

    @Test
    void failWith503IsUnavailable() {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        backend.failWith(503);
        assertUnavailable(validator().validate(tokens.accessToken()));
    }

    @Test
    void connectionRefusedIsUnavailableAndValidationRecovers() {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        HttpTokenValidator validator = validator();
        backend.stop();
        assertTrue(assertUnavailable(validator.validate(tokens.accessToken())).cause().contains("connection refused"));
        backend.start();
        valid(validator.validate(tokens.accessToken()));
    }

    @Test
    void slowBackendTimesOutWellUnderTwoSeconds() {
        HttpTokenValidator validator = validator(PARAM_BACKEND_READ_TIMEOUT, "300ms");
        backend.delay(Duration.ofSeconds(5));
        long start = System.nanoTime();
        ValidationResult.Unavailable result = assertUnavailable(validator.validate("any-token"));
        long elapsed = System.nanoTime() - start;
        assertTrue(result.cause().contains("timed out"), result.cause());
        assertTrue(elapsed < Duration.ofMillis(1500).toNanos(), "took " + elapsed / 1_000_000 + " ms");
    }

    @Test
    void garbageAndIncompleteAnswersAreUnavailable() {
        HttpTokenValidator validator = validator();
        for (String body : List.of("{not json", "", "[\"alice\"]", "null", "{}", "{\"sub\":\"\"}", "{\"sub\":42}",
                "{\"sub\":[\"alice\"]}", "{\"a\":" + "[".repeat(50) + "]".repeat(50) + "}")) {
            backend.override(FakeAuthBackend.ME, 200, body);
            assertUnavailable(validator.validate("any"));
        }
    }

    @Test
    void answerWithAPastExpiryIsExpired() {
        HttpTokenValidator validator = validator();
        long now = clock.instant().getEpochSecond();
        backend.override(FakeAuthBackend.ME, 200, "{\"sub\":\"alice\",\"exp\":" + now + "}");
        assertEquals(ValidationResult.expired(), validator.validate("any"));
        backend.override(FakeAuthBackend.ME, 200, "{\"sub\":\"alice\",\"exp\":" + (now + 1) + "}");
        valid(validator.validate("any"));
        backend.override(FakeAuthBackend.ME, 200, "{\"sub\":\"alice\"}");
        assertTrue(valid(validator.validate("any")).expiresAt().isEmpty());
    }

    @Test
    void fieldPathsAndSpaceSeparatedRolesAreRead() {
        HttpTokenValidator validator = validator(PARAM_FIELD_SUBJECT, "user.id", PARAM_FIELD_ROLES, "user.scope",
                PARAM_FIELD_EXPIRES_AT, "session.expires");
        long exp = clock.instant().getEpochSecond() + 60;
        backend.override(FakeAuthBackend.ME, 200,
                "{\"user\":{\"id\":\"u-17\",\"scope\":\"read  write\"},\"session\":{\"expires\":\"" + exp + "\"}}");
        Session session = valid(validator.validate("any"));
        assertEquals("u-17", session.subject());
        assertEquals(Set.of("read", "write"), session.roles());
        assertEquals(exp, session.expiresAt().orElseThrow().getEpochSecond());
        assertEquals(Map.of("id", "u-17", "scope", "read  write"), session.claims().get("user"));
    }

    @Test
    void refreshGoesThroughTheRefreshEndpointWhenConfigured() {
        FakeAuthBackend.Tokens login = backend.issue("alice");
        HttpTokenValidator validator = validator(PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH));
        TokenPair tokens = refreshed(validator.refresh(login.refreshToken()));
        valid(validator.validate(tokens.accessToken()));
        assertEquals(RefreshResult.refused(), validator.refresh(login.refreshToken()));
    }

    @Test
    void withoutARefreshUrlRefreshIsUnsupported() {
        assertEquals(RefreshResult.unsupported(), validator().refresh(backend.issue("alice").refreshToken()));
        assertEquals(0, backend.calls(FakeAuthBackend.REFRESH));
    }

    @Test
    void malformedTokensNeverReachTheBackend() {
        HttpTokenValidator validator = validator();
        assertRefused(Reason.MALFORMED, validator.validate("has space"));
        assertRefused(Reason.MALFORMED, validator.validate("x".repeat(20_000)));
        assertEquals(0, backend.calls(FakeAuthBackend.ME));
    }

    @Test
    void afterCloseEverythingIsUnavailable() {
        FakeAuthBackend.Tokens login = backend.issue("alice");
        HttpTokenValidator validator = validator(PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH));
        validator.close();
        assertUnavailable(validator.validate(login.accessToken()));
        assertInstanceOf(RefreshResult.Unavailable.class, validator.refresh(login.refreshToken()));
        assertTrue(validator.describe().contains("closed"));
    }

    /** A subclass as a user would write one: an API key header and a tenant check. */
    static final class TenantValidator extends HttpTokenValidator {
        private volatile String apiKey;

        @Override
        protected void readParams(InitParams params) {
            apiKey = params.require("acme.api-key", "the key");
        }

        @Override
        protected HttpRequest.Builder validateRequest(String token) {
            return super.validateRequest(token).header("X-Api-Key", apiKey);
        }

        @Override
        protected Session toSession(Map<String, Object> json, String token) {
            Session session = super.toSession(json, token);
            return session == null ? null : Session.builder(session.subject(), token)
                    .roles(Set.of("tenant-" + json.getOrDefault("tenant", "none"))).claims(json).build();
        }
    }

    @Test
    void subclassHooksAddHeadersAndShapeTheSession() {
        TenantValidator validator = configure(new TenantValidator(), "acme.api-key", "k-123");
        backend.override(FakeAuthBackend.ME, 200, "{\"sub\":\"alice\",\"tenant\":\"blue\"}");
        Session session = valid(validator.validate("any"));
        assertEquals(Set.of("tenant-blue"), session.roles());
        assertEquals("k-123", backend.lastRequest(FakeAuthBackend.ME).orElseThrow().header("X-Api-Key").orElseThrow());
    }

    /** A hook that throws denies without a verdict. */
    static final class BrokenValidator extends HttpTokenValidator {
        @Override
        protected Session toSession(Map<String, Object> json, String token) {
            throw new IllegalStateException("bug");
        }
    }

    @Test
    void aHookThatThrowsIsUnavailable() {
        BrokenValidator validator = configure(new BrokenValidator());
        assertUnavailable(validator.validate(backend.accessToken("alice")));
    }
}

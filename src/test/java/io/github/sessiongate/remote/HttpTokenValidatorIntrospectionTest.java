package io.github.sessiongate.remote;

import io.github.sessiongate.ClientCredentials;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_ROLES;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_OAUTH2_INTROSPECTION_URL;
import static io.github.sessiongate.remote.HttpTokenValidatorTest.assertRefused;
import static io.github.sessiongate.remote.HttpTokenValidatorTest.assertUnavailable;
import static io.github.sessiongate.remote.HttpTokenValidatorTest.valid;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static io.github.sessiongate.remote.HttpTokenRefresherTest.refreshed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** RFC 7662 introspection: active true is a session, false a refusal, a rejected client "unavailable". */
class HttpTokenValidatorIntrospectionTest {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private final List<HttpTokenValidator> validators = new ArrayList<>();

    @AfterEach
    void close() {
        validators.forEach(HttpTokenValidator::close);
        backend.close();
    }

    private HttpTokenValidator validator(String secret, String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_OAUTH2_INTROSPECTION_URL, backend.url(FakeAuthBackend.INTROSPECT),
                PARAM_OAUTH2_CLIENT_ID, backend.clientId(), PARAM_OAUTH2_CLIENT_SECRET, secret));
        all.addAll(List.of(extra));
        HttpTokenValidator validator = HttpTokenValidator.fromParams(Params.map(all.toArray(new String[0])), clock);
        validators.add(validator);
        return validator;
    }

    @Test
    void activeTokenIsAValidSessionWithSubjectRolesExpiryAndClaims() {
        FakeAuthBackend.Tokens tokens = backend.issue("admin");
        Session session = valid(validator(backend.clientSecret()).validate(tokens.accessToken()));
        assertEquals("admin", session.subject());
        assertEquals(Set.of("user", "admin"), session.roles());
        assertEquals(clock.instant().plus(FakeAuthBackend.DEFAULT_ACCESS_TTL), session.expiresAt().orElseThrow());
        assertEquals(FakeAuthBackend.DEFAULT_SCOPE, session.claims().get("scope"));

        Map<String, String> sent = backend.lastRequest(FakeAuthBackend.INTROSPECT).orElseThrow().form();
        assertEquals(Map.of("token", tokens.accessToken(), "token_type_hint", "access_token"), sent);
    }

    @Test
    void scopeCanServeAsRoles() {
        Session session = valid(validator(backend.clientSecret(), PARAM_FIELD_ROLES, "scope")
                .validate(backend.accessToken("alice")));
        assertEquals(Set.of("openid", "profile"), session.roles());
    }

    @Test
    void inactiveTokensAreRefused() {
        HttpTokenValidator validator = validator(backend.clientSecret());
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        assertRefused(Reason.REJECTED_BY_BACKEND, validator.validate("never-issued"));
        backend.revoke(tokens.refreshToken());
        assertRefused(Reason.REJECTED_BY_BACKEND, validator.validate(tokens.accessToken()));
        FakeAuthBackend.Tokens later = backend.issue("alice");
        clock.advance(FakeAuthBackend.DEFAULT_ACCESS_TTL);
        assertRefused(Reason.REJECTED_BY_BACKEND, validator.validate(later.accessToken()));
    }

    @Test
    void aRefreshTokenPresentedAsAnAccessTokenIsRefused() {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        assertRefused(Reason.WRONG_TOKEN_TYPE, validator(backend.clientSecret()).validate(tokens.refreshToken()));
    }

    @Test
    void rejectedClientCredentialsAreUnavailableWithOneWarning() {
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        HttpTokenValidator validator = validator("wrong-secret");
        try (LogCapture log = new LogCapture()) {
            for (int i = 0; i < 5; i++) {
                assertUnavailable(validator.validate(tokens.accessToken()));
            }
            assertEquals(1, log.count("WARN", "client credentials"), log.text());
            assertFalse(log.text().contains("wrong-secret"), log.text());
            assertFalse(log.text().contains(tokens.accessToken()), log.text());
        }
    }

    @Test
    void invalidClientOn400AndForbiddenAreUnavailable() {
        HttpTokenValidator validator = validator(backend.clientSecret());
        backend.override(FakeAuthBackend.INTROSPECT, 400, "{\"error\":\"invalid_client\"}");
        assertUnavailable(validator.validate("t"));
        backend.override(FakeAuthBackend.INTROSPECT, 403, "");
        assertUnavailable(validator.validate("t"));
        backend.override(FakeAuthBackend.INTROSPECT, 400, "{\"error\":\"invalid_request\"}");
        assertUnavailable(validator.validate("t"));
    }

    @Test
    void oddAnswersAndOutagesAreUnavailable() {
        HttpTokenValidator validator = validator(backend.clientSecret());
        for (String body : List.of("{}", "{\"active\":\"false\"}", "{\"active\":0}", "{\"active\":null}", "nope",
                "{\"active\":true}", "{\"active\":true,\"sub\":\"\"}")) {
            backend.override(FakeAuthBackend.INTROSPECT, 200, body);
            assertUnavailable(validator.validate("t"));
        }
        backend.clearOverrides();
        backend.failWith(503);
        assertUnavailable(validator.validate("t"));
        backend.clearFailure();
        backend.stop();
        assertUnavailable(validator.validate("t"));
    }

    @Test
    void introspectionWithOAuth2RefreshSharesTheClient() {
        FakeAuthBackend.Tokens login = backend.issue("alice");
        HttpTokenValidator validator = validator(backend.clientSecret(), PARAM_OAUTH2_TOKEN_URL, backend.url(FakeAuthBackend.TOKEN));
        TokenPair tokens = refreshed(validator.refresh(login.refreshToken()));
        assertEquals("alice", valid(validator.validate(tokens.accessToken())).subject());
        assertEquals(RefreshResult.refused(), validator.refresh(login.refreshToken()));
        assertEquals(ValidationResult.invalid(Reason.REJECTED_BY_BACKEND), validator.validate(tokens.accessToken()),
                "reuse revoked the family, so its access token is no longer active");
        String description = validator.describe();
        assertTrue(description.contains(backend.url(FakeAuthBackend.INTROSPECT)) && description.contains(backend.url(FakeAuthBackend.TOKEN)),
                description);
        assertFalse(description.contains(backend.clientSecret()), description);
    }
}

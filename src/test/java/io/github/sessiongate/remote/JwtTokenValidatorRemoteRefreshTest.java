package io.github.sessiongate.remote;

import io.github.sessiongate.GateConfig;
import static io.github.sessiongate.jwt.JwtTokenValidator.PARAM_AUDIENCE;
import static io.github.sessiongate.jwt.JwtTokenValidator.PARAM_ISSUER;
import static io.github.sessiongate.jwt.JwtTokenValidator.PARAM_JWKS_URL;
import static io.github.sessiongate.remote.HttpTokenValidatorTest.assertUnavailable;
import static io.github.sessiongate.remote.HttpTokenValidatorTest.valid;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static io.github.sessiongate.remote.HttpTokenRefresherTest.refreshed;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Local validation of the fake backend's RS256 tokens through its JWKS, with refresh at the backend. */
class JwtTokenValidatorRemoteRefreshTest {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private final List<JwtTokenValidator> validators = new ArrayList<>();

    @AfterEach
    void close() {
        validators.forEach(JwtTokenValidator::close);
        backend.close();
    }

    private JwtTokenValidator validator(String... extra) {
        List<String> all = new ArrayList<>(List.of(PARAM_JWKS_URL, backend.jwksUrl(), PARAM_ISSUER, backend.issuer(),
                PARAM_AUDIENCE, backend.audience()));
        all.addAll(List.of(extra));
        JwtTokenValidator validator = JwtTokenValidator.fromParams(Params.map(all.toArray(new String[0])), clock);
        validators.add(validator);
        return validator;
    }

    @Test
    void validatesTheBackendsRs256TokensLocallyThroughItsJwks() {
        JwtTokenValidator validator = validator();
        Session session = valid(validator.validate(backend.accessToken("admin")));
        assertEquals("admin", session.subject());
        assertEquals(Set.of("user", "admin"), session.roles());
        valid(validator.validate(backend.accessToken("alice")));
        assertEquals(1, backend.calls(FakeAuthBackend.JWKS), "keys fetched once and cached");
        assertEquals(0, backend.calls(FakeAuthBackend.ME), "validation is local");
    }

    @Test
    void expiredTokenIsRefreshedThroughTheRefreshUrlWithRotation() {
        JwtTokenValidator validator = validator(PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH));
        FakeAuthBackend.Tokens login = backend.issue("alice");
        clock.advance(FakeAuthBackend.DEFAULT_ACCESS_TTL);
        assertEquals(ValidationResult.Kind.EXPIRED, validator.validate(login.accessToken()).kind());

        TokenPair tokens = refreshed(validator.refresh(login.refreshToken()));
        assertNotEquals(login.refreshToken(), tokens.refreshToken());
        assertEquals("alice", valid(validator.validate(tokens.accessToken())).subject());

        assertEquals(RefreshResult.refused(), validator.refresh(login.refreshToken()), "reuse of the rotated token");
        assertEquals(RefreshResult.refused(), validator.refresh(tokens.refreshToken()), "whole family revoked");
    }

    @Test
    void refreshThroughTheOAuth2TokenEndpoint() {
        JwtTokenValidator validator = validator(PARAM_OAUTH2_TOKEN_URL, backend.url(FakeAuthBackend.TOKEN),
                PARAM_OAUTH2_CLIENT_ID, backend.clientId(), PARAM_OAUTH2_CLIENT_SECRET, backend.clientSecret());
        FakeAuthBackend.Tokens login = backend.issue("admin");
        TokenPair tokens = refreshed(validator.refresh(login.refreshToken()));
        assertEquals("admin", valid(validator.validate(tokens.accessToken())).subject());
        assertEquals(RefreshResult.refused(), validator.refresh(login.refreshToken()));
        assertTrue(validator.describe().contains(backend.url(FakeAuthBackend.TOKEN)), validator.describe());
        assertFalse(validator.describe().contains(backend.clientSecret()), validator.describe());
    }

    @Test
    void backendOutageDuringRefreshIsUnavailableNotRefused() {
        JwtTokenValidator validator = validator(PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH));
        FakeAuthBackend.Tokens login = backend.issue("alice");
        backend.failWith(503);
        assertInstanceOf(RefreshResult.Unavailable.class, validator.refresh(login.refreshToken()));
        backend.clearFailure();
        refreshed(validator.refresh(login.refreshToken()));
    }

    @Test
    void withoutARefreshUrlRefreshIsUnsupported() {
        assertEquals(RefreshResult.unsupported(), validator().refresh(backend.issue("alice").refreshToken()));
    }

    @Test
    void afterCloseRefreshIsUnavailable() {
        JwtTokenValidator validator = validator(PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH));
        validator.close();
        assertInstanceOf(RefreshResult.Unavailable.class, validator.refresh(backend.issue("alice").refreshToken()));
        assertUnavailable(validator.validate(backend.accessToken("alice")));
    }

    @Test
    void badRefreshSettingsFailStartUp() {
        ConfigException e = assertThrows(ConfigException.class, () -> validator(PARAM_REFRESH_URL, "http://example.com/r"));
        assertEquals(PARAM_REFRESH_URL, e.parameter());
        e = assertThrows(ConfigException.class, () -> validator(GateConfig.PARAM_BACKEND_READ_TIMEOUT, "1s"));
        assertEquals(GateConfig.PARAM_BACKEND_READ_TIMEOUT, e.parameter(), "meaningless without a refresh URL");
    }
}

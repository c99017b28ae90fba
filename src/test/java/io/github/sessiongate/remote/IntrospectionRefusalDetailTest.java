package io.github.sessiongate.remote;

import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_OAUTH2_INTROSPECTION_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** An introspection answer's own {@code token_type} names why a token is the wrong type; an inactive token gets no detail. */
class IntrospectionRefusalDetailTest {
    private final MutableClock clock = new MutableClock();
    private final FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start();
    private HttpTokenValidator validator;

    @AfterEach
    void close() {
        if (validator != null) {
            validator.close();
        }
        backend.close();
    }

    @Test
    void aRefreshTokenIsNamedByTheAnswersTokenType() {
        validator = HttpTokenValidator.fromParams(Params.map(PARAM_OAUTH2_INTROSPECTION_URL, backend.url(FakeAuthBackend.INTROSPECT),
                PARAM_OAUTH2_CLIENT_ID, backend.clientId(), PARAM_OAUTH2_CLIENT_SECRET, backend.clientSecret()), clock);
        FakeAuthBackend.Tokens tokens = backend.issue("alice");
        ValidationResult.Invalid invalid = assertInstanceOf(ValidationResult.Invalid.class, validator.validate(tokens.refreshToken()));
        assertEquals(Reason.WRONG_TOKEN_TYPE, invalid.reason());
        assertEquals("introspection token_type \"refresh_token\"", invalid.detail());
        ValidationResult.Invalid inactive = assertInstanceOf(ValidationResult.Invalid.class, validator.validate("not-issued-here"));
        assertNull(inactive.detail());
    }
}

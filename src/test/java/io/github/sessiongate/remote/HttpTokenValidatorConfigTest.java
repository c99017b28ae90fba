package io.github.sessiongate.remote;

import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.engine.InitParamsMapping;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_SUBJECT;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_OAUTH2_INTROSPECTION_URL;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_VALIDATE_URL;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** Every bad validator setting fails start-up with a ConfigException naming the parameter. */
class HttpTokenValidatorConfigTest {
    private static final String ME = "https://auth.example.com/me";
    private static final String INTROSPECT = "https://idp.example.com/oauth2/introspect";

    private static void assertRejected(String parameter, String... params) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HttpTokenValidator.fromParams(Params.map(params), Clock.systemUTC()).close());
        assertEquals(parameter, e.parameter(), e.getMessage());
    }

    @Test
    void exactlyOneOfValidateUrlAndIntrospectionUrl() {
        assertRejected(PARAM_VALIDATE_URL);
        assertRejected(PARAM_OAUTH2_INTROSPECTION_URL, PARAM_VALIDATE_URL, ME, PARAM_OAUTH2_INTROSPECTION_URL, INTROSPECT,
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
    }

    @Test
    void urlsMustBeHttpsUnlessLoopback() {
        assertRejected(PARAM_VALIDATE_URL, PARAM_VALIDATE_URL, "http://auth.example.com/me");
        assertRejected(PARAM_OAUTH2_INTROSPECTION_URL, PARAM_OAUTH2_INTROSPECTION_URL, "http://192.168.1.1/i",
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
        assertRejected(PARAM_REFRESH_URL, PARAM_VALIDATE_URL, ME, PARAM_REFRESH_URL, "http://auth.example.com/r");
        HttpTokenValidator.fromParams(Params.map(PARAM_VALIDATE_URL, "http://localhost:9/me"), Clock.systemUTC()).close();
    }

    @Test
    void introspectionNeedsClientCredentials() {
        assertRejected(PARAM_OAUTH2_CLIENT_ID, PARAM_OAUTH2_INTROSPECTION_URL, INTROSPECT);
        assertRejected(PARAM_OAUTH2_CLIENT_SECRET, PARAM_OAUTH2_INTROSPECTION_URL, INTROSPECT, PARAM_OAUTH2_CLIENT_ID, "c");
    }

    @Test
    void unknownAndMisplacedParametersAreRejected() {
        assertRejected("validate-ur1", PARAM_VALIDATE_URL, ME, "validate-ur1", ME);
        // client credentials mean nothing to a validate URL with a plain refresh URL
        assertRejected(PARAM_OAUTH2_CLIENT_ID, PARAM_VALIDATE_URL, ME, PARAM_OAUTH2_CLIENT_ID, "c");
        assertRejected(PARAM_FIELD_SUBJECT, PARAM_VALIDATE_URL, ME, PARAM_FIELD_SUBJECT, "user id");
        assertRejected(PARAM_OAUTH2_TOKEN_URL, PARAM_VALIDATE_URL, ME, PARAM_REFRESH_URL, ME, PARAM_OAUTH2_TOKEN_URL, ME,
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
    }

    @Test
    void describeShowsUrlsButNeverTheSecret() {
        try (HttpTokenValidator v = HttpTokenValidator.fromParams(Params.map(PARAM_OAUTH2_INTROSPECTION_URL, INTROSPECT,
                PARAM_OAUTH2_CLIENT_ID, "my-app", PARAM_OAUTH2_CLIENT_SECRET, "top-s3cret"), Clock.systemUTC())) {
            assertTrue(v.describe().contains(INTROSPECT), v.describe());
            assertTrue(v.describe().contains("my-app"), v.describe());
            assertFalse(v.describe().contains("top-s3cret"), v.describe());
            assertFalse(v.toString().contains("top-s3cret"));
        }
    }

    @Test
    void namedByClassInWebXmlParams() {
        InitParams params = Params.of(GateConfig.PARAM_VALIDATOR_CLASS, HttpTokenValidator.class.getName(),
                PARAM_VALIDATE_URL, ME, PARAM_REFRESH_URL, "https://auth.example.com/refresh");
        GateConfig config = InitParamsMapping.fromInitParams(params, Clock.systemUTC());
        try {
            assertTrue(config.validator() instanceof HttpTokenValidator, config.validator().describe());
            assertTrue(config.validator().callsBackendToValidate());
        } finally {
            config.validator().close();
        }
    }
}

package io.github.sessiongate.login;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.remote.Params;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.RevokeSettings;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static io.github.sessiongate.RevokeSettings.PARAM_OAUTH2_REVOCATION_URL;
import static io.github.sessiongate.RevokeSettings.PARAM_REVOKE_FORMAT;
import static io.github.sessiongate.RevokeSettings.PARAM_REVOKE_REQUEST_FIELD;
import static io.github.sessiongate.RevokeSettings.PARAM_REVOKE_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every bad revocation setting fails start-up with a ConfigException naming the parameter. */
class RevocationClientConfigTest {
    private static final String URL = "https://auth.example.com/logout";
    private static final String REVOCATION_URL = "https://idp.example.com/oauth2/revoke";

    private static void assertRejected(String parameter, String... params) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FromParams.revocationClient(Params.of(params), Clock.systemUTC()).ifPresent(RevocationClient::close));
        assertEquals(parameter, e.parameter(), e.getMessage());
    }

    @Test
    void noRevocationSettingMeansNoEndpoint() {
        assertTrue(FromParams.revocationClient(Params.of(), Clock.systemUTC()).isEmpty());
        assertTrue(FromParams.revocationClient(Params.of(PARAM_REFRESH_URL, "https://auth.example.com/refresh"),
                Clock.systemUTC()).isEmpty());
    }

    @Test
    void bothUrlsAreRejected() {
        assertRejected(PARAM_OAUTH2_REVOCATION_URL, PARAM_REVOKE_URL, URL, PARAM_OAUTH2_REVOCATION_URL, REVOCATION_URL,
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
    }

    @Test
    void plainSettingsNeedTheRevokeUrl() {
        assertRejected(PARAM_REVOKE_FORMAT, PARAM_REVOKE_FORMAT, "json");
        assertRejected(PARAM_REVOKE_REQUEST_FIELD, PARAM_REVOKE_REQUEST_FIELD, "token");
        assertRejected(PARAM_REVOKE_FORMAT, PARAM_OAUTH2_REVOCATION_URL, REVOCATION_URL, PARAM_OAUTH2_CLIENT_ID, "c",
                PARAM_OAUTH2_CLIENT_SECRET, "s", PARAM_REVOKE_FORMAT, "json");
    }

    @Test
    void oauth2NeedsClientCredentials() {
        assertRejected(PARAM_OAUTH2_CLIENT_ID, PARAM_OAUTH2_REVOCATION_URL, REVOCATION_URL, PARAM_OAUTH2_CLIENT_SECRET, "s");
        assertRejected(PARAM_OAUTH2_CLIENT_SECRET, PARAM_OAUTH2_REVOCATION_URL, REVOCATION_URL, PARAM_OAUTH2_CLIENT_ID, "c");
        assertRejected(PARAM_OAUTH2_CLIENT_AUTH, PARAM_OAUTH2_REVOCATION_URL, REVOCATION_URL, PARAM_OAUTH2_CLIENT_ID, "c",
                PARAM_OAUTH2_CLIENT_SECRET, "s", PARAM_OAUTH2_CLIENT_AUTH, "private_key_jwt");
    }

    @Test
    void plainHttpIsRejectedExceptForLoopbackAndMalformedUrlsToo() {
        assertRejected(PARAM_REVOKE_URL, PARAM_REVOKE_URL, "http://auth.example.com/logout");
        assertRejected(PARAM_OAUTH2_REVOCATION_URL, PARAM_OAUTH2_REVOCATION_URL, "http://10.0.0.1/revoke",
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
        for (String bad : new String[] {"not a url", "ftp://auth.example.com/r", "https://u:p@auth.example.com/r"}) {
            assertRejected(PARAM_REVOKE_URL, PARAM_REVOKE_URL, bad);
        }
        FromParams.revocationClient(Params.of(PARAM_REVOKE_URL, "http://localhost:1/r"), Clock.systemUTC()).orElseThrow().close();
    }

    @Test
    void badFormatFieldAndTimeoutAreRejected() {
        assertRejected(PARAM_REVOKE_FORMAT, PARAM_REVOKE_URL, URL, PARAM_REVOKE_FORMAT, "xml");
        assertRejected(PARAM_REVOKE_REQUEST_FIELD, PARAM_REVOKE_URL, URL, PARAM_REVOKE_REQUEST_FIELD, "a b");
        assertRejected(PARAM_BACKEND_READ_TIMEOUT, PARAM_REVOKE_URL, URL, PARAM_BACKEND_READ_TIMEOUT, "2 weeks");
        assertRejected(PARAM_BACKEND_CONNECT_TIMEOUT, PARAM_REVOKE_URL, URL, PARAM_BACKEND_CONNECT_TIMEOUT, "10m");
    }

    @Test
    void everyParameterReadIsMarkedReadAndNoSecretIsDescribed() {
        InitParams params = Params.of(PARAM_OAUTH2_REVOCATION_URL, REVOCATION_URL + "?k=qu3ry", PARAM_OAUTH2_CLIENT_ID, "c",
                PARAM_OAUTH2_CLIENT_SECRET, "s3cr3t-value", PARAM_BACKEND_READ_TIMEOUT, "500ms", "unrelated", "x");
        try (RevocationClient endpoint = FromParams.revocationClient(params, Clock.systemUTC()).orElseThrow()) {
            assertEquals(Set.of("unrelated"), params.unread());
            assertEquals("RevocationClient[oauth2 " + REVOCATION_URL + ", client=c (client_secret_basic)]", endpoint.describe());
            assertFalse(endpoint.describe().contains("s3cr3t-value") || endpoint.describe().contains("qu3ry"));
        }
        InitParams plain = Params.of(PARAM_REVOKE_URL, URL, PARAM_REVOKE_FORMAT, "json", PARAM_REVOKE_REQUEST_FIELD, "token");
        try (RevocationClient endpoint = FromParams.revocationClient(plain, Clock.systemUTC()).orElseThrow()) {
            assertEquals(Set.of(), plain.unread());
        }
    }
}

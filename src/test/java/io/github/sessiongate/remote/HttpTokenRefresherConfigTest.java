package io.github.sessiongate.remote;

import io.github.sessiongate.ClientCredentials;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_ACCESS_TOKEN;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_EXPIRES_IN;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_FORMAT;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_REFUSED_STATUSES;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_REQUEST_FIELD;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.InitParams;
import java.time.Clock;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every bad refresh setting fails start-up with a ConfigException naming the parameter. */
class HttpTokenRefresherConfigTest {
    private static final String URL = "https://auth.example.com/refresh";
    private static final String TOKEN_URL = "https://idp.example.com/oauth2/token";

    private static void assertRejected(String parameter, String... params) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> HttpTokenRefresher.fromParams(Params.of(params), Clock.systemUTC()).ifPresent(HttpTokenRefresher::close));
        assertEquals(parameter, e.parameter(), e.getMessage());
    }

    @Test
    void neitherUrlMeansNoEndpoint() {
        assertTrue(HttpTokenRefresher.fromParams(Params.of(), Clock.systemUTC()).isEmpty());
    }

    @Test
    void bothUrlsAreRejected() {
        assertRejected(PARAM_OAUTH2_TOKEN_URL, PARAM_REFRESH_URL, URL, PARAM_OAUTH2_TOKEN_URL, TOKEN_URL,
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
    }

    @Test
    void refreshSettingsWithoutAUrlAreRejected() {
        assertRejected(PARAM_REFRESH_FORMAT, PARAM_REFRESH_FORMAT, "json");
        assertRejected(PARAM_FIELD_ACCESS_TOKEN, PARAM_FIELD_ACCESS_TOKEN, "token");
    }

    @Test
    void plainHttpIsRejectedExceptForLoopback() {
        assertRejected(PARAM_REFRESH_URL, PARAM_REFRESH_URL, "http://auth.example.com/refresh");
        assertRejected(PARAM_OAUTH2_TOKEN_URL, PARAM_OAUTH2_TOKEN_URL, "http://10.0.0.1/token",
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
        for (String ok : new String[] {"http://localhost:1/r", "http://127.0.0.1:1/r", "http://[::1]:1/r", URL}) {
            HttpTokenRefresher.fromParams(Params.of(PARAM_REFRESH_URL, ok), Clock.systemUTC()).orElseThrow().close();
        }
    }

    @Test
    void malformedUrlsAreRejected() {
        for (String bad : new String[] {"not a url", "ftp://auth.example.com/r", "https:///r", "/relative",
                "https://user:pw@auth.example.com/r", "https://auth.example.com/r#frag"}) {
            assertRejected(PARAM_REFRESH_URL, PARAM_REFRESH_URL, bad);
        }
    }

    @Test
    void transientStatusesCanNeverRefuse() {
        for (String bad : new String[] {"503", "500", "429", "408", "200", "302", "abc", "401 x"}) {
            assertRejected(PARAM_REFRESH_REFUSED_STATUSES, PARAM_REFRESH_URL, URL, PARAM_REFRESH_REFUSED_STATUSES, bad);
        }
    }

    @Test
    void badFormatFieldAndTimeoutAreRejected() {
        assertRejected(PARAM_REFRESH_FORMAT, PARAM_REFRESH_URL, URL, PARAM_REFRESH_FORMAT, "xml");
        assertRejected(PARAM_REFRESH_REQUEST_FIELD, PARAM_REFRESH_URL, URL, PARAM_REFRESH_REQUEST_FIELD, "a b");
        assertRejected(PARAM_FIELD_EXPIRES_IN, PARAM_REFRESH_URL, URL, PARAM_FIELD_EXPIRES_IN, "a..b");
        assertRejected(PARAM_BACKEND_READ_TIMEOUT, PARAM_REFRESH_URL, URL, PARAM_BACKEND_READ_TIMEOUT, "forever");
        assertRejected(PARAM_BACKEND_CONNECT_TIMEOUT, PARAM_REFRESH_URL, URL, PARAM_BACKEND_CONNECT_TIMEOUT, "10m");
        assertRejected(PARAM_BACKEND_CONNECT_TIMEOUT, PARAM_REFRESH_URL, URL, PARAM_BACKEND_CONNECT_TIMEOUT, "1ms");
    }

    @Test
    void oauth2NeedsClientCredentialsAndRefusesPlainOnlySettings() {
        assertRejected(PARAM_OAUTH2_CLIENT_ID, PARAM_OAUTH2_TOKEN_URL, TOKEN_URL, PARAM_OAUTH2_CLIENT_SECRET, "s");
        assertRejected(PARAM_OAUTH2_CLIENT_SECRET, PARAM_OAUTH2_TOKEN_URL, TOKEN_URL, PARAM_OAUTH2_CLIENT_ID, "c");
        assertRejected(PARAM_OAUTH2_CLIENT_AUTH, PARAM_OAUTH2_TOKEN_URL, TOKEN_URL, PARAM_OAUTH2_CLIENT_ID, "c",
                PARAM_OAUTH2_CLIENT_SECRET, "s", PARAM_OAUTH2_CLIENT_AUTH, "private_key_jwt");
        assertRejected(PARAM_REFRESH_REFUSED_STATUSES, PARAM_OAUTH2_TOKEN_URL, TOKEN_URL, PARAM_OAUTH2_CLIENT_ID, "c",
                PARAM_OAUTH2_CLIENT_SECRET, "s", PARAM_REFRESH_REFUSED_STATUSES, "400");
    }

    @Test
    void everyParameterReadIsMarkedRead() {
        InitParams params = Params.of(PARAM_OAUTH2_TOKEN_URL, TOKEN_URL, PARAM_OAUTH2_CLIENT_ID, "c",
                PARAM_OAUTH2_CLIENT_SECRET, "s3cr3t-value", PARAM_OAUTH2_CLIENT_AUTH, "client_secret_post",
                PARAM_FIELD_ACCESS_TOKEN, "data.at", PARAM_BACKEND_READ_TIMEOUT, "500ms", "unrelated", "x");
        try (HttpTokenRefresher endpoint = HttpTokenRefresher.fromParams(params, Clock.systemUTC()).orElseThrow()) {
            assertEquals(Set.of("unrelated"), params.unread());
            assertFalse(endpoint.describe().contains("s3cr3t-value"), endpoint.describe());
        }
    }

    @Test
    void describeLeavesOutTheQuery() {
        try (HttpTokenRefresher endpoint = HttpTokenRefresher.fromParams(
                Params.of(PARAM_REFRESH_URL, URL + "?api_key=k3y"), Clock.systemUTC()).orElseThrow()) {
            assertFalse(endpoint.describe().contains("k3y"), endpoint.describe());
            assertTrue(endpoint.describe().contains(URL), endpoint.describe());
        }
    }
}

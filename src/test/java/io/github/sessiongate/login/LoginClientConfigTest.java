package io.github.sessiongate.login;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.remote.Params;
import io.github.sessiongate.ClientCredentials;
import io.github.sessiongate.LoginSettings;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_FORMAT;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_GRANT;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_PASSWORD_FIELD;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_URL;
import static io.github.sessiongate.LoginSettings.PARAM_LOGIN_USERNAME_FIELD;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_ACCESS_TOKEN;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
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

/** Every bad login setting fails start-up with a ConfigException naming the parameter. */
class LoginClientConfigTest {
    private static final String URL = "https://auth.example.com/login";
    private static final String TOKEN_URL = "https://idp.example.com/oauth2/token";

    private static void assertRejected(String parameter, String... params) {
        ConfigException e = assertThrows(ConfigException.class,
                () -> FromParams.loginClient(Params.of(params), Clock.systemUTC()).ifPresent(LoginClient::close));
        assertEquals(parameter, e.parameter(), e.getMessage());
    }

    @Test
    void noLoginSettingMeansNoEndpointEvenWithRefreshConfigured() {
        assertTrue(FromParams.loginClient(Params.of(), Clock.systemUTC()).isEmpty());
        assertTrue(FromParams.loginClient(Params.of(PARAM_REFRESH_URL, "https://auth.example.com/refresh"),
                Clock.systemUTC()).isEmpty());
        assertTrue(FromParams.loginClient(Params.of(PARAM_OAUTH2_TOKEN_URL, TOKEN_URL, PARAM_OAUTH2_CLIENT_ID, "c",
                PARAM_OAUTH2_CLIENT_SECRET, "s"), Clock.systemUTC()).isEmpty(), "a token URL alone is for refresh");
    }

    @Test
    void loginUrlAndPasswordGrantTogetherAreRejected() {
        assertRejected(PARAM_LOGIN_GRANT, PARAM_LOGIN_URL, URL, PARAM_LOGIN_GRANT, "password",
                PARAM_OAUTH2_TOKEN_URL, TOKEN_URL, PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
    }

    @Test
    void onlyThePasswordGrantIsKnown() {
        for (String grant : new String[] {"authorization_code", "client_credentials", "refresh_token", "pass"}) {
            assertRejected(PARAM_LOGIN_GRANT, PARAM_LOGIN_GRANT, grant, PARAM_OAUTH2_TOKEN_URL, TOKEN_URL,
                    PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
        }
    }

    @Test
    void passwordGrantNeedsTheTokenUrlAndClientCredentials() {
        assertRejected(PARAM_OAUTH2_TOKEN_URL, PARAM_LOGIN_GRANT, "password");
        assertRejected(PARAM_OAUTH2_CLIENT_ID, PARAM_LOGIN_GRANT, "password", PARAM_OAUTH2_TOKEN_URL, TOKEN_URL,
                PARAM_OAUTH2_CLIENT_SECRET, "s");
        assertRejected(PARAM_OAUTH2_CLIENT_SECRET, PARAM_LOGIN_GRANT, "password", PARAM_OAUTH2_TOKEN_URL, TOKEN_URL,
                PARAM_OAUTH2_CLIENT_ID, "c");
        assertRejected(PARAM_OAUTH2_CLIENT_AUTH, PARAM_LOGIN_GRANT, "password", PARAM_OAUTH2_TOKEN_URL, TOKEN_URL,
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s", PARAM_OAUTH2_CLIENT_AUTH, "none");
        assertRejected(PARAM_OAUTH2_TOKEN_URL, PARAM_LOGIN_GRANT, "password", PARAM_OAUTH2_TOKEN_URL,
                "http://idp.example.com/token", PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s");
    }

    @Test
    void plainSettingsNeedTheLoginUrl() {
        assertRejected(PARAM_LOGIN_FORMAT, PARAM_LOGIN_FORMAT, "json");
        assertRejected(PARAM_LOGIN_USERNAME_FIELD, PARAM_LOGIN_USERNAME_FIELD, "email");
        assertRejected(PARAM_LOGIN_PASSWORD_FIELD, PARAM_LOGIN_GRANT, "password", PARAM_OAUTH2_TOKEN_URL, TOKEN_URL,
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s", PARAM_LOGIN_PASSWORD_FIELD, "pw");
    }

    @Test
    void plainHttpIsRejectedExceptForLoopbackAndMalformedUrlsToo() {
        assertRejected(PARAM_LOGIN_URL, PARAM_LOGIN_URL, "http://auth.example.com/login");
        for (String bad : new String[] {"not a url", "ftp://auth.example.com/l", "/login",
                "https://user:pw@auth.example.com/l", "https://auth.example.com/l#frag"}) {
            assertRejected(PARAM_LOGIN_URL, PARAM_LOGIN_URL, bad);
        }
        for (String ok : new String[] {"http://localhost:1/l", "http://127.0.0.1:1/l", "http://[::1]:1/l", URL}) {
            FromParams.loginClient(Params.of(PARAM_LOGIN_URL, ok), Clock.systemUTC()).orElseThrow().close();
        }
    }

    @Test
    void badFormatFieldNamesPathsAndTimeoutsAreRejected() {
        assertRejected(PARAM_LOGIN_FORMAT, PARAM_LOGIN_URL, URL, PARAM_LOGIN_FORMAT, "xml");
        assertRejected(PARAM_LOGIN_USERNAME_FIELD, PARAM_LOGIN_URL, URL, PARAM_LOGIN_USERNAME_FIELD, "user name");
        assertRejected(PARAM_LOGIN_PASSWORD_FIELD, PARAM_LOGIN_URL, URL, PARAM_LOGIN_PASSWORD_FIELD, "p&w");
        assertRejected(PARAM_LOGIN_PASSWORD_FIELD, PARAM_LOGIN_URL, URL, PARAM_LOGIN_USERNAME_FIELD, "login",
                PARAM_LOGIN_PASSWORD_FIELD, "login");
        assertRejected(PARAM_FIELD_ACCESS_TOKEN, PARAM_LOGIN_URL, URL, PARAM_FIELD_ACCESS_TOKEN, "a..b");
        assertRejected(PARAM_BACKEND_READ_TIMEOUT, PARAM_LOGIN_URL, URL, PARAM_BACKEND_READ_TIMEOUT, "forever");
        assertRejected(PARAM_BACKEND_CONNECT_TIMEOUT, PARAM_LOGIN_URL, URL, PARAM_BACKEND_CONNECT_TIMEOUT, "1ms");
    }

    @Test
    void everyParameterReadIsMarkedReadAndNoSecretIsDescribed() {
        InitParams params = Params.of(PARAM_LOGIN_GRANT, "PASSWORD", PARAM_OAUTH2_TOKEN_URL, TOKEN_URL + "?k=qu3ry",
                PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s3cr3t-value",
                PARAM_OAUTH2_CLIENT_AUTH, "client_secret_post", PARAM_FIELD_ACCESS_TOKEN, "data.at",
                PARAM_BACKEND_READ_TIMEOUT, "500ms", "unrelated", "x");
        try (LoginClient endpoint = FromParams.loginClient(params, Clock.systemUTC()).orElseThrow()) {
            assertEquals(Set.of("unrelated"), params.unread());
            assertEquals("LoginClient[oauth2 password grant " + TOKEN_URL + ", client=c (client_secret_post)]",
                    endpoint.describe());
            assertFalse(endpoint.describe().contains("s3cr3t-value") || endpoint.describe().contains("qu3ry"));
        }
        InitParams plain = Params.of(PARAM_LOGIN_URL, URL, PARAM_LOGIN_FORMAT, "JSON", PARAM_LOGIN_USERNAME_FIELD, "email",
                PARAM_LOGIN_PASSWORD_FIELD, "secret", PARAM_BACKEND_CONNECT_TIMEOUT, "1s");
        try (LoginClient endpoint = FromParams.loginClient(plain, Clock.systemUTC()).orElseThrow()) {
            assertEquals(Set.of(), plain.unread());
            assertEquals("LoginClient[plain json " + URL + "]", endpoint.describe());
        }
    }
}

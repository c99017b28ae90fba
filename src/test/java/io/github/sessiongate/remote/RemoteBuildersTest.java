package io.github.sessiongate.remote;

import io.github.sessiongate.internal.ClientAuth;
import io.github.sessiongate.ClientCredentials;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_EXPIRES_AT;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_ROLES;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_FIELD_SUBJECT;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_OAUTH2_INTROSPECTION_URL;
import static io.github.sessiongate.remote.HttpTokenValidator.PARAM_VALIDATE_URL;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_CONNECT_TIMEOUT;
import static io.github.sessiongate.GateConfig.PARAM_BACKEND_READ_TIMEOUT;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_ACCESS_TOKEN;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_EXPIRES_IN;
import static io.github.sessiongate.LoginSettings.PARAM_FIELD_REFRESH_TOKEN;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_AUTH;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_ID;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_CLIENT_SECRET;
import static io.github.sessiongate.ClientCredentials.PARAM_OAUTH2_TOKEN_URL;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_FORMAT;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_REFUSED_STATUSES;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_REQUEST_FIELD;
import static io.github.sessiongate.remote.HttpTokenRefresher.PARAM_REFRESH_URL;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.MutableClock;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.function.Executable;

/**
 * The typed builders of {@link HttpTokenValidator}, {@link HttpTokenRefresher} and
 * {@link ClientCredentials} and the init-params are one path: the same bad value is refused with
 * the same message naming the same parameter, and the same settings behave alike.
 */
class RemoteBuildersTest {
    private static final String ME = "https://auth.example.com/me";
    private static final URI ME_URI = URI.create(ME);
    private static final String REFRESH = "https://auth.example.com/refresh";
    private static final URI REFRESH_URI = URI.create(REFRESH);
    private static final String TOKEN = "https://idp.example.com/token";
    private static final URI TOKEN_URI = URI.create(TOKEN);
    private static final String INTROSPECT = "https://idp.example.com/introspect";

    private static Arguments row(Map<String, String> params, Executable typed) {
        return Arguments.of(params, typed);
    }

    private static Map<String, String> validateUrl(String... more) {
        String[] all = new String[more.length + 2];
        all[0] = PARAM_VALIDATE_URL;
        all[1] = ME;
        System.arraycopy(more, 0, all, 2, more.length);
        return Params.map(all);
    }

    private static HttpTokenValidator.Builder me() {
        return HttpTokenValidator.withValidateUrl(ME_URI);
    }

    private static ClientCredentials client() {
        return ClientCredentials.of("c", "s");
    }

    static Stream<Arguments> badValues() {
        return Stream.of(
                row(Params.map(PARAM_VALIDATE_URL, "http://auth.example.com/me"),
                        () -> HttpTokenValidator.withValidateUrl(URI.create("http://auth.example.com/me"))),
                row(Params.map(PARAM_OAUTH2_INTROSPECTION_URL, "http://10.0.0.1/i", PARAM_OAUTH2_CLIENT_ID, "c",
                        PARAM_OAUTH2_CLIENT_SECRET, "s"),
                        () -> HttpTokenValidator.withIntrospection(URI.create("http://10.0.0.1/i"), client())),
                row(Params.map(PARAM_OAUTH2_INTROSPECTION_URL, INTROSPECT, PARAM_OAUTH2_CLIENT_ID, "c\u0001x",
                        PARAM_OAUTH2_CLIENT_SECRET, "s"), () -> ClientCredentials.of("c\u0001x", "s")),
                row(Params.map(PARAM_OAUTH2_INTROSPECTION_URL, INTROSPECT, PARAM_OAUTH2_CLIENT_ID, "c",
                        PARAM_OAUTH2_CLIENT_SECRET, "s\u007f"), () -> ClientCredentials.of("c", "s\u007f")),
                row(validateUrl(PARAM_FIELD_SUBJECT, "user id"), () -> me().subjectField("user id")),
                row(validateUrl(PARAM_FIELD_ROLES, "a..b"), () -> me().rolesField("a..b")),
                row(validateUrl(PARAM_FIELD_EXPIRES_AT, "a b"), () -> me().expiresAtField("a b")),
                row(validateUrl(PARAM_BACKEND_READ_TIMEOUT, "61s"), () -> me().readTimeout(Duration.ofSeconds(61))),
                row(validateUrl(PARAM_BACKEND_CONNECT_TIMEOUT, "10ms"), () -> me().connectTimeout(Duration.ofMillis(10))),
                row(validateUrl(PARAM_REFRESH_URL, "http://auth.example.com/r"),
                        () -> HttpTokenRefresher.plain(URI.create("http://auth.example.com/r"))),
                row(validateUrl(PARAM_OAUTH2_TOKEN_URL, "http://10.0.0.1/t", PARAM_OAUTH2_CLIENT_ID, "c",
                        PARAM_OAUTH2_CLIENT_SECRET, "s"), () -> HttpTokenRefresher.oauth2(URI.create("http://10.0.0.1/t"), client())),
                row(validateUrl(PARAM_REFRESH_URL, REFRESH, PARAM_REFRESH_REQUEST_FIELD, "a b"),
                        () -> HttpTokenRefresher.plain(REFRESH_URI).requestField("a b")),
                row(validateUrl(PARAM_REFRESH_URL, REFRESH, PARAM_REFRESH_REFUSED_STATUSES, "429"),
                        () -> HttpTokenRefresher.plain(REFRESH_URI).refusedStatuses(429)),
                row(validateUrl(PARAM_REFRESH_URL, REFRESH, PARAM_REFRESH_REFUSED_STATUSES, "401 500"),
                        () -> HttpTokenRefresher.plain(REFRESH_URI).refusedStatuses(401, 500)),
                row(validateUrl(PARAM_REFRESH_URL, REFRESH, PARAM_FIELD_ACCESS_TOKEN, "a b"),
                        () -> HttpTokenRefresher.plain(REFRESH_URI).accessTokenField("a b")),
                row(validateUrl(PARAM_REFRESH_URL, REFRESH, PARAM_FIELD_REFRESH_TOKEN, "a b"),
                        () -> HttpTokenRefresher.plain(REFRESH_URI).refreshTokenField("a b")),
                row(validateUrl(PARAM_REFRESH_URL, REFRESH, PARAM_FIELD_EXPIRES_IN, "a b"),
                        () -> HttpTokenRefresher.plain(REFRESH_URI).expiresInField("a b")),
                row(validateUrl(PARAM_OAUTH2_TOKEN_URL, TOKEN, PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s",
                        PARAM_REFRESH_FORMAT, "json"),
                        () -> HttpTokenRefresher.oauth2(TOKEN_URI, client()).format(HttpTokenRefresher.Format.JSON).build()),
                row(validateUrl(PARAM_OAUTH2_TOKEN_URL, TOKEN, PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s",
                        PARAM_REFRESH_REQUEST_FIELD, "token"),
                        () -> HttpTokenRefresher.oauth2(TOKEN_URI, client()).requestField("token").build()),
                row(validateUrl(PARAM_OAUTH2_TOKEN_URL, TOKEN, PARAM_OAUTH2_CLIENT_ID, "c", PARAM_OAUTH2_CLIENT_SECRET, "s",
                        PARAM_REFRESH_REFUSED_STATUSES, "403"),
                        () -> HttpTokenRefresher.oauth2(TOKEN_URI, client()).refusedStatuses(403).build()));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void builderAndInitParamsRefuseTheSameValueWithTheSameMessage(Map<String, String> params, Executable typed) {
        ConfigException byParams = assertThrows(ConfigException.class,
                () -> HttpTokenValidator.fromParams(params, Clock.systemUTC()).close());
        ConfigException byBuilder = assertThrows(ConfigException.class, typed);
        assertEquals(byParams.getMessage(), byBuilder.getMessage());
        assertEquals(byParams.parameter(), byBuilder.parameter());
    }

    @Test
    void theSameSettingsValidateAndRefreshAlike() {
        MutableClock clock = new MutableClock();
        try (FakeAuthBackend backend = FakeAuthBackend.builder().clock(clock).build().start()) {
            String me = backend.url(FakeAuthBackend.ME);
            String refresh = backend.url(FakeAuthBackend.REFRESH);
            try (HttpTokenValidator byParams = HttpTokenValidator.fromParams(Params.map(PARAM_VALIDATE_URL, me,
                    PARAM_REFRESH_URL, refresh, PARAM_FIELD_ROLES, "roles", PARAM_BACKEND_READ_TIMEOUT, "3s"), clock);
                    HttpTokenValidator byBuilder = HttpTokenValidator.withValidateUrl(URI.create(me))
                            .rolesField("roles").readTimeout(Duration.ofSeconds(3)).clock(clock)
                            .refresher(HttpTokenRefresher.plain(URI.create(refresh)).clock(clock).build()).build()) {
                assertEquals(byParams.describe(), byBuilder.describe());
                for (HttpTokenValidator v : new HttpTokenValidator[] {byParams, byBuilder}) {
                    FakeAuthBackend.Tokens tokens = backend.issue("alice");
                    ValidationResult valid = v.validate(tokens.accessToken());
                    assertEquals(ValidationResult.Kind.VALID, valid.kind(), String.valueOf(valid));
                    assertEquals(ValidationResult.Kind.INVALID, v.validate("not-a-token-the-backend-knows").kind());
                    RefreshResult refreshed = v.refresh(tokens.refreshToken());
                    assertEquals(RefreshResult.Refreshed.class, refreshed.getClass(), String.valueOf(refreshed));
                    assertEquals(RefreshResult.refused(), v.refresh(tokens.refreshToken()), "a rotated token is refused");
                }
            }
        }
    }

    @Test
    void clientCredentialsOfCodeAndParamsAreAlike() {
        ClientCredentials byParams = ClientAuth.read(Params.of(PARAM_OAUTH2_CLIENT_ID, "my-app",
                PARAM_OAUTH2_CLIENT_SECRET, "s3cret", PARAM_OAUTH2_CLIENT_AUTH, "client_secret_post"), "x");
        ClientCredentials byCode = ClientCredentials.of("my-app", "s3cret", ClientCredentials.AuthMethod.CLIENT_SECRET_POST);
        assertEquals(byParams.toString(), byCode.toString());
        assertEquals(ClientCredentials.of("my-app", "s3cret").toString(), ClientAuth.read(Params.of(
                PARAM_OAUTH2_CLIENT_ID, "my-app", PARAM_OAUTH2_CLIENT_SECRET, "s3cret"), "x").toString());
    }
}

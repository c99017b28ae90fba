package io.github.sessiongate;

import io.github.sessiongate.engine.InitParamsMapping;
import io.github.sessiongate.cookie.CookieSeal;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.guest.GuestTokens;
import io.github.sessiongate.lifetime.SessionLifetime;
import io.github.sessiongate.login.LoginClient;
import io.github.sessiongate.login.RevocationClient;
import io.github.sessiongate.web.ClientTokens;
import io.github.sessiongate.web.CsrfGuard;
import io.github.sessiongate.EndpointSettings;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The typed builders and the init-param path are one set of rules: for each group, the same
 * settings given both ways are equal, and the same bad value is refused both ways with the same
 * parameter and message.
 */
class TypedSettingsTest {
    private static final String SECRET_A = "base64:" + Base64.getEncoder().encodeToString(bytes(1));
    private static final String SECRET_B = "base64:" + Base64.getEncoder().encodeToString(bytes(2));
    private static final String KEY_C = Base64.getEncoder().encodeToString(bytes(3));

    private static byte[] bytes(int seed) {
        byte[] b = new byte[32];
        for (int i = 0; i < b.length; i++) {
            b[i] = (byte) (seed * 31 + i * 7);
        }
        return b;
    }

    /** One row: init-params, the same in code, and how to see what either produced. */
    record Row(String name, Map<String, String> params, Function<InitParams, Object> fromParams, Supplier<Object> typed) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Row row(String name, Function<InitParams, Object> fromParams, Supplier<Object> typed, String... pairs) {
        Map<String, String> params = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            params.put(pairs[i], pairs[i + 1]);
        }
        return new Row(name, params, fromParams, typed);
    }

    // ------------------------------------------------------------------ one mapping per group

    private static Object lifetime(InitParams p) {
        return SessionLifetime.settingsFrom(p);
    }

    private static Object clientTokens(InitParams p) {
        return ClientTokens.settingsFrom(p);
    }

    private static Object seal(InitParams p) {
        return CookieSeal.settingsFrom(p);
    }

    private static Object guests(InitParams p) {
        return GuestTokens.settingsFrom(p);
    }

    private static Object login(InitParams p) {
        return LoginClient.settingsFrom(p);
    }

    private static Object revoke(InitParams p) {
        return RevocationClient.settingsFrom(p);
    }

    private static Object endpoints(InitParams p) {
        return facts(io.github.sessiongate.engine.InitParamsMapping.endpointSettings(p));
    }

    private static Object cookies(InitParams p) {
        return InitParamsMapping.cookieSettings(p).describe();
    }

    private static Object csrf(InitParams p) {
        return CsrfGuard.fromParams(p).describe();
    }

    /** GateConfig's own settings, with a validator given in code, as seen through its getters. */
    private static Object gate(InitParams p) {
        Map<String, String> raw = new LinkedHashMap<>();
        p.names().forEach(n -> raw.put(n, p.peek(n).orElseThrow()));
        raw.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        raw.put("recording.endpoint", "http://127.0.0.1:1/");
        return facts(InitParamsMapping.fromInitParams(InitParams.resolve(raw), Clock.systemUTC()));
    }

    private static GateConfig.Builder gateBuilder() {
        return GateConfig.builder().validator(new GateConfigTest.RecordingValidator());
    }

    private static String facts(EndpointSettings e) {
        return e.describe() + " " + e.loginSuccessPath() + " " + e.logoutRedirectPath() + " " + e.loginMaxBodyBytes() + " "
                + e.loginMaxFailures() + " " + e.loginAddressMaxFailures() + " " + e.loginFailureWindow() + " "
                + e.loginUsernameMaxDelay() + " " + e.sessionClaims();
    }

    private static String facts(GateConfig c) {
        return c.retryAfterSeconds() + " " + c.cacheTtl() + " " + c.cacheMaxEntries() + " " + c.refreshGrace() + " "
                + c.graceMaxEntries() + " " + c.securityMaxEntries() + " " + c.negativeCacheMaxEntries() + " "
                + c.backendMaxConcurrency() + " " + c.backendWaitTimeout() + " " + c.refreshAhead() + " "
                + c.backendConnectTimeout() + " " + c.lifetime().isPresent() + " " + c.clientTokens().isPresent() + " "
                + c.cookieSeal().isPresent() + " " + c.guests().isPresent() + " " + c.loginEnabled() + " "
                + c.revokeEnabled() + " " + c.loginRedirect() + " " + facts(c.endpoints()) + " " + c.cookies().describe();
    }

    static Stream<Row> rows() {
        return Stream.of(
                // lifetime
                row("lifetime off", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder().build()),
                row("lifetime idle + absolute", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .idleTimeout(Duration.ofMinutes(30)).absoluteTimeout(Duration.ofHours(8)).signingSecret(SECRET_A).build(),
                        "idle-timeout", "30m", "absolute-timeout", "8h", "session-signing-secret", SECRET_A),
                row("lifetime idle below the bound", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .idleTimeout(Duration.ofSeconds(59)).signingSecret(SECRET_A).build(),
                        "idle-timeout", "59s", "session-signing-secret", SECRET_A),
                row("lifetime idle not shorter than absolute", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .idleTimeout(Duration.ofHours(2)).absoluteTimeout(Duration.ofHours(1)).signingSecret(SECRET_A).build(),
                        "idle-timeout", "2h", "absolute-timeout", "1h", "session-signing-secret", SECRET_A),
                row("lifetime interval too long", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .idleTimeout(Duration.ofMinutes(10)).slidingInterval(Duration.ofMinutes(6)).signingSecret(SECRET_A).build(),
                        "idle-timeout", "10m", "sliding-interval", "6m", "session-signing-secret", SECRET_A),
                row("lifetime without secret", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .slidingExpiry(Duration.ofDays(1)).build(), "sliding-expiry", "1d"),
                row("lifetime short secret", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .absoluteTimeout(Duration.ofDays(1)).signingSecret("short").build(),
                        "absolute-timeout", "1d", "session-signing-secret", "short"),
                row("lifetime secret alone", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .signingSecret(SECRET_A).build(), "session-signing-secret", SECRET_A),
                row("lifetime fractional seconds", TypedSettingsTest::lifetime, () -> LifetimeSettings.builder()
                        .idleTimeout(Duration.ofMillis(90_500)).signingSecret(SECRET_A).build(),
                        "idle-timeout", "90500ms", "session-signing-secret", SECRET_A),
                // client tokens
                row("client tokens off", TypedSettingsTest::clientTokens, () -> ClientTokenSettings.builder().build()),
                row("client tokens on", TypedSettingsTest::clientTokens, () -> ClientTokenSettings.builder().secret(SECRET_A)
                        .ttl(Duration.ofMinutes(10)).issuer("me").audience("sdk").build(),
                        "client-token-secret", SECRET_A, "client-token-ttl", "10m", "client-token-issuer", "me",
                        "client-token-audience", "sdk"),
                row("client token ttl too long", TypedSettingsTest::clientTokens, () -> ClientTokenSettings.builder()
                        .secret(SECRET_A).ttl(Duration.ofHours(2)).build(), "client-token-secret", SECRET_A, "client-token-ttl", "2h"),
                row("client token ttl without secret", TypedSettingsTest::clientTokens, () -> ClientTokenSettings.builder()
                        .ttl(Duration.ofMinutes(1)).build(), "client-token-ttl", "1m"),
                row("client token bad issuer", TypedSettingsTest::clientTokens, () -> ClientTokenSettings.builder()
                        .secret(SECRET_A).issuer("a b").build(), "client-token-secret", SECRET_A, "client-token-issuer", "a b"),
                row("client token short secret", TypedSettingsTest::clientTokens, () -> ClientTokenSettings.builder()
                        .secret("short").build(), "client-token-secret", "short"),
                // sealing
                row("seal off", TypedSettingsTest::seal, () -> CookieSealSettings.builder().build()),
                row("seal two keys", TypedSettingsTest::seal, () -> CookieSealSettings.builder().key("k1", KEY_C)
                        .key("k2", SECRET_B.substring("base64:".length())).build(),
                        "cookie-encryption-keys", "k1:" + KEY_C + " k2:" + SECRET_B.substring("base64:".length())),
                row("seal duplicate kid", TypedSettingsTest::seal, () -> CookieSealSettings.builder().key("k1", KEY_C)
                        .key("k1", SECRET_B.substring(7)).build(), "cookie-encryption-keys", "k1:" + KEY_C + ",k1:" + SECRET_B.substring(7)),
                row("seal short key", TypedSettingsTest::seal, () -> CookieSealSettings.builder().key("k1", "AAAA").build(),
                        "cookie-encryption-keys", "k1:AAAA"),
                row("seal bad kid", TypedSettingsTest::seal, () -> CookieSealSettings.builder().key("k 1", KEY_C).build(),
                        "cookie-encryption-keys", "k\u00e91:" + KEY_C),
                // guests
                row("guests off", TypedSettingsTest::guests, () -> GuestSettings.builder().build()),
                row("guests minted", TypedSettingsTest::guests, () -> GuestSettings.builder().enabled(true).secret(SECRET_A)
                        .ttl(Duration.ofHours(2)).build(), "guest-tokens", "true", "guest-secret", SECRET_A, "guest-ttl", "2h"),
                row("guests fetched", TypedSettingsTest::guests, () -> GuestSettings.builder().enabled(true)
                        .url("https://auth.example.com/guest").urlTimeout(Duration.ofSeconds(3)).build(),
                        "guest-tokens", "true", "guest-url", "https://auth.example.com/guest", "guest-url-timeout", "3s"),
                row("guests secret and url", TypedSettingsTest::guests, () -> GuestSettings.builder().enabled(true)
                        .secret(SECRET_A).url("https://auth.example.com/guest").build(),
                        "guest-tokens", "true", "guest-secret", SECRET_A, "guest-url", "https://auth.example.com/guest"),
                row("guests plain http", TypedSettingsTest::guests, () -> GuestSettings.builder().enabled(true)
                        .url("http://auth.example.com/guest").build(),
                        "guest-tokens", "true", "guest-url", "http://auth.example.com/guest"),
                row("guest ttl while off", TypedSettingsTest::guests, () -> GuestSettings.builder().ttl(Duration.ofHours(1)).build(),
                        "guest-ttl", "1h"),
                row("guest ttl too short", TypedSettingsTest::guests, () -> GuestSettings.builder().enabled(true).secret(SECRET_A)
                        .ttl(Duration.ofSeconds(5)).build(), "guest-tokens", "true", "guest-secret", SECRET_A, "guest-ttl", "5s"),
                // login and revoke
                row("login off", TypedSettingsTest::login, () -> LoginSettings.builder().build()),
                row("login plain json", TypedSettingsTest::login, () -> LoginSettings.builder().url("https://auth.example.com/login")
                        .format("json").usernameField("user").passwordField("pass").accessTokenField("data.at").build(),
                        "login-url", "https://auth.example.com/login", "login-format", "json", "login-username-field", "user",
                        "login-password-field", "pass", "field.access-token", "data.at"),
                row("login same fields", TypedSettingsTest::login, () -> LoginSettings.builder().url("https://auth.example.com/login")
                        .usernameField("x").passwordField("x").build(),
                        "login-url", "https://auth.example.com/login", "login-username-field", "x", "login-password-field", "x"),
                row("login bad format", TypedSettingsTest::login, () -> LoginSettings.builder().url("https://auth.example.com/login")
                        .format("xml").build(), "login-url", "https://auth.example.com/login", "login-format", "xml"),
                row("login format without url", TypedSettingsTest::login, () -> LoginSettings.builder().format("json").build(),
                        "login-format", "json"),
                row("login plain http", TypedSettingsTest::login, () -> LoginSettings.builder().url("http://auth.example.com/login")
                        .build(), "login-url", "http://auth.example.com/login"),
                row("revoke off", TypedSettingsTest::revoke, () -> RevokeSettings.builder().build()),
                row("revoke plain", TypedSettingsTest::revoke, () -> RevokeSettings.builder().url("https://auth.example.com/revoke")
                        .format("JSON").requestField("token").build(), "revoke-url", "https://auth.example.com/revoke",
                        "revoke-format", "JSON", "revoke-request-field", "token"),
                row("revoke field without url", TypedSettingsTest::revoke, () -> RevokeSettings.builder().requestField("t").build(),
                        "revoke-request-field", "t"),
                // endpoints and the login limiter
                row("endpoints default", TypedSettingsTest::endpoints, () -> facts(EndpointSettings.builder().build())),
                row("endpoints moved and off", TypedSettingsTest::endpoints, () -> facts(EndpointSettings.builder()
                        .path(EndpointSettings.Endpoint.LOGIN, "/api/login").off(EndpointSettings.Endpoint.REFRESH)
                        .loginMaxFailures(3).loginUsernameMaxDelay(Duration.ZERO).sessionClaims(List.of("email")).build()),
                        "login-endpoint", "/api/login", "refresh-endpoint", "off", "login-max-failures", "3",
                        "login-username-max-delay", "0s", "session-claims", "email"),
                row("endpoints same path", TypedSettingsTest::endpoints, () -> facts(EndpointSettings.builder()
                        .path(EndpointSettings.Endpoint.SESSION, "/auth/login").build()), "session-endpoint", "/auth/login"),
                row("address limit below pair limit", TypedSettingsTest::endpoints, () -> facts(EndpointSettings.builder()
                        .loginMaxFailures(10).loginAddressMaxFailures(5).build()),
                        "login-max-failures", "10", "login-address-max-failures", "5"),
                row("login body too small", TypedSettingsTest::endpoints, () -> facts(EndpointSettings.builder()
                        .loginMaxBodyBytes(100).build()), "login-max-body-bytes", "100"),
                row("failure window too long", TypedSettingsTest::endpoints, () -> facts(EndpointSettings.builder()
                        .loginFailureWindow(Duration.ofDays(2)).build()), "login-failure-window", "2d"),
                row("username delay too long", TypedSettingsTest::endpoints, () -> facts(EndpointSettings.builder()
                        .loginUsernameMaxDelay(Duration.ofSeconds(11)).build()), "login-username-max-delay", "11s"),
                // cookies and CSRF
                row("cookies", TypedSettingsTest::cookies, () -> CookieSettings.builder().accessMaxAge(Duration.ofMinutes(15))
                        .maxTotalBytes(4096).build().describe(), "access-cookie-max-age", "15m", "cookie-max-total-bytes", "4096"),
                row("cookie budget too small", TypedSettingsTest::cookies, () -> CookieSettings.builder().maxTotalBytes(100)
                        .build().describe(), "cookie-max-total-bytes", "100"),
                row("cookie max age too long", TypedSettingsTest::cookies, () -> CookieSettings.builder()
                        .refreshMaxAge(Duration.ofDays(401)).build().describe(), "refresh-cookie-max-age", "401d"),
                row("csrf report-only", TypedSettingsTest::csrf, () -> CsrfGuard.builder().mode(CsrfGuard.Mode.REPORT_ONLY)
                        .allowedOrigins(List.of("https://admin.example.com")).build().describe(),
                        "csrf", "report-only", "allowed-origins", "https://admin.example.com"),
                row("csrf wildcard origin", TypedSettingsTest::csrf, () -> CsrfGuard.builder().allowedOrigins(List.of("*"))
                        .build().describe(), "allowed-origins", "*"),
                // GateConfig's own settings and the groups it holds
                row("gate defaults", TypedSettingsTest::gate, () -> facts(gateBuilder().build())),
                row("gate rotation", TypedSettingsTest::gate, () -> facts(gateBuilder().cacheTtl(Duration.ZERO).cacheMaxEntries(5)
                        .refreshGrace(Duration.ofMinutes(1)).securityMaxEntries(7).backendWaitTimeout(Duration.ofMillis(500))
                        .refreshAhead(Duration.ofMinutes(2)).retryAfterSeconds(9).backendConnectTimeout(Duration.ofSeconds(1)).build()),
                        "cache-ttl", "0", "cache-max-entries", "5", "refresh-grace", "1m", "security-max-entries", "7",
                        "backend-wait-timeout", "500ms", "refresh-ahead", "2m", "retry-after-seconds", "9",
                        "backend-connect-timeout", "1s"),
                row("gate groups", TypedSettingsTest::gate, () -> facts(gateBuilder()
                        .lifetime(LifetimeSettings.builder().idleTimeout(Duration.ofMinutes(30)).signingSecret(SECRET_A).build())
                        .clientTokens(ClientTokenSettings.builder().secret(SECRET_B).build())
                        .cookieSeal(CookieSealSettings.builder().key("k1", KEY_C).build())
                        .login(LoginSettings.builder().url("https://auth.example.com/login").build())
                        .revoke(RevokeSettings.builder().url("https://auth.example.com/revoke").build())
                        .endpoints(EndpointSettings.builder().loginMaxFailures(2).build()).build()),
                        "idle-timeout", "30m", "session-signing-secret", SECRET_A, "client-token-secret", SECRET_B,
                        "cookie-encryption-keys", "k1:" + KEY_C, "login-url", "https://auth.example.com/login",
                        "revoke-url", "https://auth.example.com/revoke", "login-max-failures", "2"),
                row("gate api only", TypedSettingsTest::gate, () -> facts(gateBuilder().loginRedirect(false).build()),
                        "login-redirect", "false"),
                row("gate cache ttl too long", TypedSettingsTest::gate, () -> facts(gateBuilder().cacheTtl(Duration.ofMinutes(2))
                        .build()), "cache-ttl", "2m"),
                row("gate retry-after zero", TypedSettingsTest::gate, () -> facts(gateBuilder().retryAfterSeconds(0).build()),
                        "retry-after-seconds", "0"),
                row("gate concurrency too high", TypedSettingsTest::gate, () -> facts(gateBuilder().backendMaxConcurrency(100_001)
                        .build()), "backend-max-concurrency", "100001"),
                row("gate connect timeout too long", TypedSettingsTest::gate, () -> facts(gateBuilder()
                        .backendConnectTimeout(Duration.ofMinutes(2)).build()), "backend-connect-timeout", "2m"),
                row("gate secret reused: lifetime = client tokens", TypedSettingsTest::gate, () -> facts(gateBuilder()
                        .lifetime(LifetimeSettings.builder().idleTimeout(Duration.ofMinutes(30)).signingSecret(SECRET_A).build())
                        .clientTokens(ClientTokenSettings.builder().secret(SECRET_A).build()).build()),
                        "idle-timeout", "30m", "session-signing-secret", SECRET_A, "client-token-secret", SECRET_A),
                row("gate secret reused: lifetime = guests", TypedSettingsTest::gate, () -> facts(gateBuilder()
                        .lifetime(LifetimeSettings.builder().idleTimeout(Duration.ofMinutes(30)).signingSecret(SECRET_A).build())
                        .guests(GuestSettings.builder().enabled(true).secret(SECRET_A).build()).build()),
                        "idle-timeout", "30m", "session-signing-secret", SECRET_A, "guest-tokens", "true", "guest-secret", SECRET_A),
                row("gate secret reused: seal key = client tokens", TypedSettingsTest::gate, () -> facts(gateBuilder()
                        .clientTokens(ClientTokenSettings.builder().secret("base64:" + KEY_C).build())
                        .cookieSeal(CookieSealSettings.builder().key("k1", KEY_C).build()).build()),
                        "client-token-secret", "base64:" + KEY_C, "cookie-encryption-keys", "k1:" + KEY_C),
                row("gate secret reused: guests = seal key", TypedSettingsTest::gate, () -> facts(gateBuilder()
                        .guests(GuestSettings.builder().enabled(true).secret("base64:" + KEY_C).build())
                        .cookieSeal(CookieSealSettings.builder().key("k1", KEY_C).build()).build()),
                        "guest-tokens", "true", "guest-secret", "base64:" + KEY_C, "cookie-encryption-keys", "k1:" + KEY_C));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void builderAndInitParamsAgree(Row row) {
        Outcome fromParams = Outcome.of(() -> row.fromParams().apply(InitParams.resolve(row.params())));
        Outcome typed = Outcome.of(row.typed());
        assertEquals(fromParams, typed, row.name());
    }

    @org.junit.jupiter.api.Test
    void buildRunsTheSecretCrossCheckWithoutInitParams() {
        ConfigException e = assertThrows(ConfigException.class, () -> gateBuilder()
                .clientTokens(ClientTokenSettings.builder().secret(SECRET_A).build())
                .guests(GuestSettings.builder().enabled(true).secret(SECRET_A).build()).build());
        assertEquals(ClientTokenSettings.PARAM_SECRET, e.parameter());
        assertTrue(!e.getMessage().contains(SECRET_A.substring(7)), "the secret is never echoed");
    }

    @org.junit.jupiter.api.Test
    void buildComparesTheSecretsOfAValidatorBuiltInCode() {
        var jwt = io.github.sessiongate.jwt.JwtTokenValidator.withSecret(SECRET_A)
                .issuer("https://idp.example.com").audience("app").build();
        ConfigException lifetime = assertThrows(ConfigException.class, () -> GateConfig.builder().validator(jwt)
                .lifetime(LifetimeSettings.builder().idleTimeout(Duration.ofMinutes(30)).signingSecret(SECRET_A).build())
                .build());
        assertEquals(LifetimeSettings.PARAM_SIGNING_SECRET, lifetime.parameter());
        assertTrue(lifetime.getMessage().contains("jwt.secret"), lifetime.getMessage());
        ConfigException guests = assertThrows(ConfigException.class, () -> GateConfig.builder().validator(jwt)
                .guests(GuestSettings.builder().enabled(true).secret(SECRET_A).build()).build());
        assertEquals(GuestSettings.PARAM_SECRET, guests.parameter());
        // Another key is fine.
        GateConfig.builder().validator(jwt)
                .lifetime(LifetimeSettings.builder().idleTimeout(Duration.ofMinutes(30)).signingSecret(SECRET_B).build()).build();
    }

    @org.junit.jupiter.api.Test
    void buildComparesTheOAuth2ClientSecretOfRefreshAndRevocation() {
        String reused = "not-so-secret-but-long-enough-0123456789";
        var refreshing = io.github.sessiongate.jwt.JwtTokenValidator.withSecret(SECRET_A).issuer("https://idp.example.com").audience("app")
                .refresher(io.github.sessiongate.remote.HttpTokenRefresher.oauth2(java.net.URI.create("https://auth.example.com/token"),
                        ClientCredentials.of("app", reused)).build()).build();
        ConfigException viaRefresh = assertThrows(ConfigException.class, () -> GateConfig.builder().validator(refreshing)
                .clientTokens(ClientTokenSettings.builder().secret(reused).build()).build());
        assertEquals(ClientTokenSettings.PARAM_SECRET, viaRefresh.parameter());
        ConfigException viaRevoke = assertThrows(ConfigException.class, () -> gateBuilder()
                .revoke(RevokeSettings.builder().oauth2("https://auth.example.com/revoke", ClientCredentials.of("app", reused)).build())
                .clientTokens(ClientTokenSettings.builder().secret(reused).build()).build());
        assertEquals(ClientTokenSettings.PARAM_SECRET, viaRevoke.parameter());
        refreshing.close();
    }

    /** What a row produced: a value, or a refusal with its parameter and message. */
    record Outcome(Object value, String parameter, String refusal) {
        static Outcome of(Supplier<Object> run) {
            try {
                return new Outcome(Objects.requireNonNull(run.get()), null, null);
            } catch (ConfigException e) {
                return new Outcome(null, e.parameter(), e.getMessage());
            }
        }
    }
}

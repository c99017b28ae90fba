package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.EC;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.SECRET;
import static io.github.sessiongate.jwt.TestJwt.pem;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenRefresher;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The typed builder and the {@code jwt.*} init-params are one path: the same values are refused
 * with the same message naming the same parameter, and the same settings validate alike.
 */
class JwtTokenValidatorBuilderTest {
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final String JWKS = "https://idp.example.com/jwks";

    /** A complete HMAC configuration, changed by {@code pairs} (a {@code null} value removes the parameter). */
    private static Map<String, String> params(String... pairs) {
        Map<String, String> p = new HashMap<>();
        p.put(JwtTokenValidator.PARAM_SECRET, SECRET);
        p.put(JwtTokenValidator.PARAM_ISSUER, ISSUER);
        p.put(JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE);
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i + 1] == null) {
                p.remove(pairs[i]);
            } else {
                p.put(pairs[i], pairs[i + 1]);
            }
        }
        return p;
    }

    private static JwtTokenValidator.Builder hmac() {
        return JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK);
    }

    private static JwtTokenValidator.Builder jwks() {
        return JwtTokenValidator.withJwkSetUri(URI.create(JWKS)).issuer(ISSUER).audience(AUDIENCE).clock(CLOCK);
    }

    private static Arguments row(Map<String, String> params, Supplier<JwtTokenValidator> typed) {
        return Arguments.of(params, typed);
    }

    /** Bad value as an init-param, and the same value through the builder. */
    static Stream<Arguments> badValues() {
        String jwksKey = JwtTokenValidator.PARAM_JWKS_URL;
        return Stream.of(
                row(params(JwtTokenValidator.PARAM_CLOCK_SKEW, "10m"), () -> hmac().clockSkew(Duration.ofMinutes(10)).build()),
                row(params(JwtTokenValidator.PARAM_MAX_LIFETIME, "31d"), () -> hmac().maxLifetime(Duration.ofDays(31)).build()),
                row(params(JwtTokenValidator.PARAM_MAX_LIFETIME, "30s"), () -> hmac().maxLifetime(Duration.ofSeconds(30)).build()),
                row(params(JwtTokenValidator.PARAM_ALGORITHMS, "none"), () -> hmac().algorithms("none").build()),
                row(params(JwtTokenValidator.PARAM_ALGORITHMS, "HS999"), () -> hmac().algorithms("HS999").build()),
                row(params(JwtTokenValidator.PARAM_ALGORITHMS, "RS256"), () -> hmac().algorithms("RS256").build()),
                row(params(JwtTokenValidator.PARAM_ALGORITHMS, "HS512"), () -> hmac().algorithms("HS512").build()),
                row(params(JwtTokenValidator.PARAM_SECRET, "too-short"),
                        () -> JwtTokenValidator.withSecret("too-short").issuer(ISSUER).audience(AUDIENCE).build()),
                row(params(JwtTokenValidator.PARAM_SECRET, "base64:!!"), () -> JwtTokenValidator.withSecret("base64:!!").build()),
                row(params(JwtTokenValidator.PARAM_ISSUER, null), () -> hmac().issuers(List.of()).build()),
                row(params(JwtTokenValidator.PARAM_AUDIENCE, null), () -> hmac().audiences(List.of()).build()),
                row(params(JwtTokenValidator.PARAM_ALLOW_ANY_AUDIENCE, "true"), () -> hmac().allowAnyAudience().build()),
                row(params(JwtTokenValidator.PARAM_REQUIRE_TYPE, "refresh+jwt"), () -> hmac().requireType("refresh+jwt").build()),
                row(params(JwtTokenValidator.PARAM_REQUIRE_TYPE, "at jwt"), () -> hmac().requireType("at jwt").build()),
                row(params(JwtTokenValidator.PARAM_JWKS_TIMEOUT, "1s"), () -> hmac().jwksTimeout(Duration.ofSeconds(1)).build()),
                row(params(JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "1h"),
                        () -> hmac().jwksCacheDuration(Duration.ofHours(1)).build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, jwksKey, JWKS, JwtTokenValidator.PARAM_JWKS_TIMEOUT, "31s"),
                        () -> jwks().jwksTimeout(Duration.ofSeconds(31)).build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, jwksKey, JWKS, JwtTokenValidator.PARAM_JWKS_RETAIN_ON_ERROR, "8d"),
                        () -> jwks().jwksRetainOnError(Duration.ofDays(8)).build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, jwksKey, JWKS, JwtTokenValidator.PARAM_JWKS_REFETCH_INTERVAL, "0"),
                        () -> jwks().jwksRefetchInterval(Duration.ZERO).build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, jwksKey, JWKS, JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "2d"),
                        () -> jwks().jwksCacheDuration(Duration.ofDays(2)).build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, jwksKey, JWKS, JwtTokenValidator.PARAM_ALGORITHMS, "HS256"),
                        () -> jwks().algorithms("HS256").build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, jwksKey, "http://idp.example.com/jwks"),
                        () -> JwtTokenValidator.withJwkSetUri(URI.create("http://idp.example.com/jwks")).build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, JwtTokenValidator.PARAM_PUBLIC_KEY, "not a pem"),
                        () -> JwtTokenValidator.withPublicKeyPem("not a pem").build()),
                row(params(JwtTokenValidator.PARAM_SECRET, null, JwtTokenValidator.PARAM_PUBLIC_KEY, pem(EC.getPublicKey()),
                        JwtTokenValidator.PARAM_ALGORITHMS, "RS256"),
                        () -> JwtTokenValidator.withPublicKeyPem(pem(EC.getPublicKey())).issuer(ISSUER).audience(AUDIENCE)
                                .algorithms("RS256").build()));
    }

    @ParameterizedTest
    @MethodSource("badValues")
    void builderAndInitParamsRefuseTheSameValueWithTheSameMessage(Map<String, String> params, Supplier<JwtTokenValidator> typed) {
        ConfigException byParams = assertThrows(ConfigException.class, () -> JwtTokenValidator.fromParams(params, CLOCK));
        ConfigException byBuilder = assertThrows(ConfigException.class, typed::get);
        assertEquals(byParams.parameter(), byBuilder.parameter(), byBuilder.getMessage());
        assertEquals(byParams.getMessage().replace("PEM public key", "PEM"), byBuilder.getMessage().replace("PEM public key", "PEM"));
    }

    @Test
    void theSameSettingsValidateAlike() {
        JwtTokenValidator byParams = JwtTokenValidator.fromParams(params(
                JwtTokenValidator.PARAM_AUDIENCE, "my-app other-app",
                JwtTokenValidator.PARAM_REQUIRED_CLAIMS, "tenant",
                JwtTokenValidator.PARAM_ROLES_CLAIM, "realm_access.roles",
                JwtTokenValidator.PARAM_REQUIRE_TYPE, "at+jwt",
                JwtTokenValidator.PARAM_CLOCK_SKEW, "10s",
                JwtTokenValidator.PARAM_MAX_LIFETIME, "2h",
                JwtTokenValidator.PARAM_ALGORITHMS, "HS256"), CLOCK);
        JwtTokenValidator byBuilder = JwtTokenValidator.withSecret(SECRET.getBytes(StandardCharsets.UTF_8))
                .issuer(ISSUER).audience("my-app", "other-app").requiredClaims("tenant").rolesClaim("realm_access.roles")
                .requireType("at+jwt").clockSkew(Duration.ofSeconds(10)).maxLifetime(Duration.ofHours(2))
                .algorithms("HS256").clock(CLOCK).build();

        Map<String, Object> realm = Map.of("roles", List.of("admin"));
        List<String> tokens = List.of(
                token().header("typ", "at+jwt").claim("tenant", "t1").claim("realm_access", realm).hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").claim("aud", "other-app").hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").time("exp", -1).hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").time("nbf", 5).hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").time("nbf", 20).hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").time("exp", 3 * 3600).hs256(),
                token().header("typ", "at+jwt").hs256(),
                token().claim("tenant", "t1").hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").claim("aud", "elsewhere").hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").claim("iss", "https://evil.example").hs256(),
                token().header("typ", "at+jwt").claim("tenant", "t1").rs256());
        for (String t : tokens) {
            assertEquals(String.valueOf(byParams.validate(t)), String.valueOf(byBuilder.validate(t)), t);
        }
        assertEquals(byParams.clockSkew(), byBuilder.clockSkew());
        assertEquals(byParams.describe(), byBuilder.describe());
        byParams.close();
        byBuilder.close();
    }

    @Test
    void publicKeyFromCodeAndFromPemAreOneKey() {
        String token = token().rs256();
        try (JwtTokenValidator byParams = JwtTokenValidator.fromParams(params(JwtTokenValidator.PARAM_SECRET, null,
                JwtTokenValidator.PARAM_PUBLIC_KEY, pem(RSA.getPublicKey())), CLOCK);
                JwtTokenValidator byBuilder = JwtTokenValidator.withPublicKey(RSA.getPublicKey())
                        .issuer(ISSUER).audience(AUDIENCE).clock(CLOCK).build()) {
            assertEquals(String.valueOf(byParams.validate(token)), String.valueOf(byBuilder.validate(token)));
            assertEquals(io.github.sessiongate.ValidationResult.Kind.VALID, byBuilder.validate(token).kind());
        }
    }

    @Test
    void aBuiltValidatorIsReadyAndRefreshesThroughItsRefresher() {
        AtomicInteger closed = new AtomicInteger();
        TokenRefresher refresher = new TokenRefresher() {
            @Override
            public RefreshResult refresh(String refreshToken) {
                return RefreshResult.refreshed(new TokenPair("new-access", null, null));
            }

            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        JwtTokenValidator validator = hmac().refresher(refresher).build();
        assertEquals(io.github.sessiongate.ValidationResult.Kind.VALID, validator.validate(token().hs256()).kind());
        assertTrue(validator.refresh("a-refresh-token") instanceof RefreshResult.Refreshed);
        assertEquals(RefreshResult.unsupported(), hmac().build().refresh("a-refresh-token"), "no refresher: unsupported");
        validator.close();
        assertEquals(1, closed.get(), "the validator closes its refresher");
    }

    @Test
    void aBuilderStartsASubclassOnceAndRefusesAStartedOne() {
        JwtTokenValidator started = hmac().build();
        assertThrows(IllegalStateException.class, () -> hmac().build(() -> started));
        started.close();
    }

    /** The README's "From code" example, as written there. */
    @Test
    void theReadmeExampleBuildsAReadyConfig() {
        io.github.sessiongate.GateConfig config = io.github.sessiongate.GateConfig.builder()
                .publicPaths("/", "/login", "/static/*")
                .roleRules("/admin/*=admin")
                .validator(JwtTokenValidator.withJwkSetUri(URI.create("https://idp.example.com/.well-known/jwks.json"))
                        .issuer("https://idp.example.com")
                        .audience("my-app")
                        .build())
                .build();
        assertTrue(config.validator().describe().contains("jwks=https://idp.example.com/.well-known/jwks.json"),
                config.validator().describe());
        config.validator().close();
    }
}

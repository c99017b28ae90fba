package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GateConfigTest;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.ParameterTableTest;
import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.jwt.JwtTokenValidator;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Start-up names an unknown parameter before the checks that depend on it, with the known name
 * nearest to it; a {@code ${NAME}} without {@code env:} or {@code sys:} gets the two spellings that work.
 */
class ParameterTypoTest {
    private static final String SECRET = "0123456789abcdef0123456789abcdef-not-a-real-secret";

    @Test
    void aMisspeltJwksUrlIsReportedAsUnknownNotAsAMissingKeySource() {
        ConfigException e = refused(jwt(JwtTokenValidator.PARAM_JWKS_URL.substring(0, 11), "https://idp.example/jwks.json"));
        assertEquals("jwt.jwks-ur", e.parameter());
        assertEquals("init-param 'jwt.jwks-ur': is not a SessionGate parameter; did you mean `"
                + JwtTokenValidator.PARAM_JWKS_URL + "`?", e.getMessage());
    }

    @Test
    void everyUnknownNameIsListedTheFirstWithItsSuggestion() {
        Map<String, String> raw = jwt(JwtTokenValidator.PARAM_SECRET, SECRET);
        raw.put("jwt.isuer", "https://idp.example");
        raw.put("zz-frobnicate", "1");
        ConfigException e = refused(raw);
        assertEquals("jwt.isuer", e.parameter());
        assertTrue(e.getMessage().contains("(nor are [zz-frobnicate])"), e.getMessage());
        assertTrue(e.getMessage().endsWith("did you mean `" + JwtTokenValidator.PARAM_ISSUER + "`?"), e.getMessage());
    }

    @Test
    void aNameNearNothingGetsNoGuess() {
        ConfigException e = refused(with(jwt(JwtTokenValidator.PARAM_SECRET, SECRET), "frobnicate", "1"));
        assertEquals("frobnicate", e.parameter());
        assertTrue(e.getMessage().endsWith("check the spelling against the README's parameter table"), e.getMessage());
    }

    @Test
    void aRouteParameterIsMatchedAgainstTheDeclaredRoutes() {
        Map<String, String> raw = jwt(JwtTokenValidator.PARAM_SECRET, SECRET);
        raw.put(ProxyRoute.PARAM_ROUTES, "backend /api/backend/* https://api.internal/v1/");
        raw.put("proxy.backnd.timeout", "5s");
        ConfigException e = refused(raw);
        assertEquals("proxy.backnd.timeout", e.parameter());
        assertTrue(e.getMessage().endsWith("did you mean `" + ProxyRoute.param(ProxyRoute.PARAM_TIMEOUT, "backend") + "`?"),
                e.getMessage());
        raw.remove("proxy.backnd.timeout");
        raw.put(ProxyRoute.param(ProxyRoute.PARAM_TIMEOUT, "backend"), "5s");
        assertEquals(1, parse(raw).proxyRoutes().size(), "the declared route's own parameter is known");
        raw.put(ProxyRoute.param(ProxyRoute.PARAM_STRIP_HEADERS, "reports"), "X-Debug");
        ConfigException undeclared = refused(raw);
        assertEquals("proxy.reports.strip-headers", undeclared.parameter());
        assertTrue(undeclared.getMessage().endsWith("its route `reports` is not declared in " + ProxyRoute.PARAM_ROUTES),
                undeclared.getMessage());
    }

    @Test
    void suggestionsIgnoreCaseAndAcceptACommonPrefix() {
        KnownParameters known = KnownParameters.of(InitParams.resolve(Map.of()));
        assertEquals(Optional.of(JwtTokenValidator.PARAM_JWKS_URL), known.suggestion("JWT.JWKS-URL"));
        assertEquals(Optional.of(JwtTokenValidator.PARAM_ISSUER), known.suggestion("jwt.issuer-url"));
        assertEquals(Optional.empty(), known.suggestion("jwt.x"));
        assertEquals(3, KnownParameters.distance("kitten", "sitting"));
    }

    @Test
    void aKnownParameterTheseSettingsDoNotUseSaysSo() {
        ConfigException e = refused(with(jwt(JwtTokenValidator.PARAM_SECRET, SECRET), "redis.url", "redis://localhost:6379"));
        assertEquals("redis.url", e.parameter());
        assertTrue(e.getMessage().contains("is not used with these settings"), e.getMessage());
        assertTrue(e.getMessage().contains(GateConfig.PARAM_STATE_STORE + "=redis"), e.getMessage());
    }

    @Test
    void aCustomValidatorKeepsItsOwnParametersAndATypoIsStillNamedAfterItRead() {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        raw.put("recording.endpoint", "http://127.0.0.1:1/");
        parse(raw); // its own parameter is not refused up front
        raw.put("protected-path", "/app/*");
        ConfigException e = refused(raw);
        assertEquals("protected-path", e.parameter());
        assertTrue(e.getMessage().endsWith("did you mean `" + GateConfig.PARAM_PROTECTED_PATHS + "`?"), e.getMessage());
    }

    @Test
    void aBareDollarBraceGetsTheTwoSpellingsThatWork() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> InitParams.resolve(Map.of(JwtTokenValidator.PARAM_JWKS_URL, "${JWKS_URL}")));
        assertEquals(JwtTokenValidator.PARAM_JWKS_URL, e.parameter());
        assertEquals("init-param 'jwt.jwks-url': contains ${JWKS_URL}, which SessionGate does not resolve; write"
                + " ${env:JWKS_URL} for an environment variable or ${sys:JWKS_URL} for a system property", e.getMessage());
        ConfigException upper = assertThrows(ConfigException.class,
                () -> InitParams.resolve(Map.of(GateConfig.PARAM_REALM, "x-${ENV:REALM}"), k -> "r", k -> "r"));
        assertTrue(upper.getMessage().contains("${env:REALM}"), upper.getMessage());
        assertEquals("a-r", InitParams.resolve(Map.of(GateConfig.PARAM_REALM, "a-${env:REALM}"), k -> "r", k -> "r")
                .get(GateConfig.PARAM_REALM).orElseThrow(), "a real reference still resolves");
        assertEquals("$ {x} and $x", InitParams.resolve(Map.of(GateConfig.PARAM_REALM, "$ {x} and $x"))
                .get(GateConfig.PARAM_REALM).orElseThrow(), "no braces after the dollar: a literal");
    }

    @Test
    void theCatalogueHoldsEveryParamConstantOfTheJar() throws Exception {
        assertEquals(ParameterTableTest.declared().keySet(), KnownParameters.declared(),
                "a class declaring PARAM_* constants is missing from KnownParameters.DECLARING");
    }

    @Test
    void theFixedConfigStarts() {
        Map<String, String> raw = jwt(JwtTokenValidator.PARAM_SECRET, SECRET);
        assertNotNull(parse(raw).validator());
    }

    private static Map<String, String> jwt(String keyParam, String keyValue) {
        Map<String, String> raw = new LinkedHashMap<>();
        raw.put(JwtTokenValidator.PARAM_ISSUER, "https://idp.example");
        raw.put(JwtTokenValidator.PARAM_AUDIENCE, "app");
        raw.put(keyParam, keyValue);
        return raw;
    }

    private static Map<String, String> with(Map<String, String> raw, String name, String value) {
        raw.put(name, value);
        return raw;
    }

    private static GateConfig parse(Map<String, String> raw) {
        return InitParamsMapping.fromInitParams(InitParams.resolve(raw), Clock.systemUTC());
    }

    private static ConfigException refused(Map<String, String> raw) {
        return assertThrows(ConfigException.class, () -> parse(raw));
    }
}

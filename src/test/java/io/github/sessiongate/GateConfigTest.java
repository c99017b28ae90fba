package io.github.sessiongate;

import io.github.sessiongate.engine.InitParamsMapping;
import io.github.sessiongate.engine.SettingsChecks;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.path.PathRules;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

public class GateConfigTest {

    /** A validator that reads one parameter of its own, like a user's subclass would. */
    public static final class RecordingValidator extends TokenValidator {
        String endpoint;
        Clock clock;
        int inits;

        @Override
        protected void init(InitParams params, Clock clock) {
            inits++;
            this.endpoint = params.require("recording.endpoint", "where the backend lives");
            this.clock = clock;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            return ValidationResult.invalid(ValidationResult.Reason.REJECTED_BY_BACKEND);
        }
    }

    private static Map<String, String> params(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(GateConfig.PARAM_VALIDATOR_CLASS, RecordingValidator.class.getName());
        m.put("recording.endpoint", "http://127.0.0.1:1/");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return m;
    }

    private static GateConfig parse(Map<String, String> raw) {
        return InitParamsMapping.fromInitParams(InitParams.resolve(raw), Clock.systemUTC());
    }

    @Test
    void defaultsAreSecure() {
        GateConfig c = parse(params());
        assertEquals(GateConfig.Access.PROTECTED, c.defaultAccess());
        assertEquals(GateConfig.DEFAULT_LOGIN_PATH, c.loginPath());
        assertFalse(c.acceptBearerHeader());
        assertFalse(c.allowJsessionidPathParameter());
        assertTrue(c.trustedProxies().isEmpty());
        assertTrue(c.publicOrigin().isEmpty());
        assertEquals(PathRules.Access.PROTECTED, SettingsChecks.pathRules(c).decide("/anything").access());
    }

    @Test
    void validatorClassIsInstantiatedAndGivenItsParameters() {
        Clock clock = Clock.fixed(java.time.Instant.parse("2026-01-01T00:00:00Z"), java.time.ZoneOffset.UTC);
        GateConfig c = InitParamsMapping.fromInitParams(InitParams.resolve(params()), clock);
        RecordingValidator v = (RecordingValidator) c.validator();
        assertEquals("http://127.0.0.1:1/", v.endpoint);
        assertSame(clock, v.clock);
        assertEquals(1, v.inits, "init runs exactly once");
    }

    @Test
    void unknownParameterFailsStartUpNamingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(params("protcted-paths", "/x")));
        assertEquals("protcted-paths", e.parameter());
    }

    @Test
    void missingValidatorParameterFailsNamingIt() {
        Map<String, String> raw = params();
        raw.remove("recording.endpoint");
        assertEquals("recording.endpoint", assertThrows(ConfigException.class, () -> parse(raw)).parameter());
    }

    @Test
    void unknownValidatorClassFailsNamingTheParameter() {
        Map<String, String> raw = params();
        raw.put(GateConfig.PARAM_VALIDATOR_CLASS, "com.example.Nope");
        assertEquals(GateConfig.PARAM_VALIDATOR_CLASS, assertThrows(ConfigException.class, () -> parse(raw)).parameter());
        raw.put(GateConfig.PARAM_VALIDATOR_CLASS, String.class.getName());
        assertEquals(GateConfig.PARAM_VALIDATOR_CLASS, assertThrows(ConfigException.class, () -> parse(raw)).parameter());
    }

    @Test
    void badValuesNameTheirParameter() {
        Map<String, String> bad = Map.of(
                GateConfig.PARAM_DEFAULT_ACCESS, "open",
                GateConfig.PARAM_LOGIN_PATH, "https://evil.example/login",
                GateConfig.PARAM_PUBLIC_ORIGIN, "app.example.com",
                GateConfig.PARAM_TRUSTED_PROXIES, "proxy.example",
                GateConfig.PARAM_ACCEPT_BEARER_HEADER, "yes",
                GateConfig.PARAM_REALM, "a \"b\"",
                GateConfig.PARAM_RETRY_AFTER, "0");
        bad.forEach((name, value) -> assertEquals(name,
                assertThrows(ConfigException.class, () -> parse(params(name, value)), name).parameter(), name));
    }

    @Test
    void samePatternPublicAndProtectedFails() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(params(GateConfig.PARAM_PROTECTED_PATHS, "/a/*", GateConfig.PARAM_PUBLIC_PATHS, "/a/*")));
        assertEquals(GateConfig.PARAM_PUBLIC_PATHS, e.parameter());
    }

    @Test
    void loginPathIsAlwaysPublic() {
        GateConfig c = parse(params(GateConfig.PARAM_LOGIN_PATH, "/signin", GateConfig.PARAM_PROTECTED_PATHS, "/*"));
        assertEquals(PathRules.Access.PUBLIC, SettingsChecks.pathRules(c).decide("/signin").access());
        assertEquals(PathRules.Access.PROTECTED, SettingsChecks.pathRules(c).decide("/signin/x").access());
    }

    @Test
    void endpointsThatCannotWorkOpenNoPath() {
        GateConfig c = parse(params(GateConfig.PARAM_PROTECTED_PATHS, "/auth/*"));
        assertEquals(PathRules.Access.PROTECTED, SettingsChecks.pathRules(c).decide("/auth/login").access(), "no login backend");
        assertEquals(PathRules.Access.PROTECTED, SettingsChecks.pathRules(c).decide("/auth/client-token").access(), "no client-token secret");
        assertEquals(PathRules.Access.PUBLIC, SettingsChecks.pathRules(c).decide("/auth/session").access());
        assertEquals(PathRules.Access.PUBLIC, SettingsChecks.pathRules(c).decide("/auth/logout").access());
    }

    @Test
    void builderAppliesTheSameChecks() {
        assertThrows(ConfigException.class, () -> GateConfig.builder().validator(new RecordingValidator())
                .protectedPaths("/a/**").publicPaths("/a/*").build());
        assertThrows(ConfigException.class, () -> GateConfig.builder().build());
        GateConfig c = GateConfig.builder().validator(new RecordingValidator())
                .publicPaths("/", "/static/*").roleRules(Map.of("/admin/*", List.of("admin", "ops"))).build();
        PathRules.Rule admin = SettingsChecks.pathRules(c).decide("/admin/users");
        assertEquals(PathRules.Access.PROTECTED, admin.access());
        assertEquals(java.util.Set.of("admin", "ops"), admin.anyOfRoles());
    }

    @Test
    void describeNamesTheRulesAndTheValidator() {
        GateConfig c = parse(params(GateConfig.PARAM_PUBLIC_PATHS, "/ /static/*", GateConfig.PARAM_ROLE_RULES, "/admin/*=admin"));
        String d = c.describe();
        assertTrue(d.contains("/static/*") && d.contains("/admin/*=admin") && d.contains("RecordingValidator"), d);
    }
}

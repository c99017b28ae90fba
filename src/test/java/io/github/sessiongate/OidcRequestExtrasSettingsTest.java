package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.engine.InitParamsMapping;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The authorization-request extras of {@link OidcSettings} ({@code oidc.prompt}, {@code oidc.acr-values},
 * {@code oidc.require-acr}, {@code oidc.max-age}, {@code oidc.login-hint-from-request}): defaults, each
 * check naming its parameter, and the init-params mapping to the same settings as the builder.
 */
class OidcRequestExtrasSettingsTest {
    private static final String ISSUER = "https://id.example.com/realms/main";

    private static OidcSettings.Builder valid() {
        return OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value");
    }

    private static void refused(String parameter, OidcSettings.Builder b) {
        ConfigException e = assertThrows(ConfigException.class, b::build);
        assertEquals(parameter, e.parameter(), e.getMessage());
    }

    private static Map<String, String> base() {
        return new HashMap<>(Map.of(OidcSettings.PARAM_ISSUER, ISSUER, OidcSettings.PARAM_CLIENT_ID, "web",
                OidcSettings.PARAM_CLIENT_SECRET, "s3cret-value"));
    }

    @Test
    void nothingExtraIsSentByDefault() {
        OidcSettings s = valid().build();
        assertEquals(Optional.empty(), s.prompt());
        assertEquals(List.of(), s.acrValues());
        assertFalse(s.requireAcr());
        assertEquals(Optional.empty(), s.maxAge());
        assertFalse(s.loginHintFromRequest(), "a browser's login_hint is ignored unless allowed");
        assertEquals(valid().build(), InitParamsMapping.oidcSettings(InitParams.resolve(base())).orElseThrow());
    }

    @Test
    void valuesAreNormalisedAndKept() {
        OidcSettings s = valid().prompt(" login  consent ").acrValues(" urn:mace:incommon:iap:silver  phr ").requireAcr(true)
                .maxAge(Duration.ofMinutes(5)).loginHintFromRequest(true).build();
        assertEquals(Optional.of("login consent"), s.prompt());
        assertEquals(List.of("urn:mace:incommon:iap:silver", "phr"), s.acrValues());
        assertTrue(s.requireAcr());
        assertEquals(Optional.of(Duration.ofSeconds(300)), s.maxAge());
        assertTrue(s.loginHintFromRequest());
        assertEquals(Optional.of(Duration.ZERO), valid().maxAge(Duration.ZERO).build().maxAge(), "max_age=0 forces a fresh login");
        assertTrue(s.toString().contains("max_age=300") && s.toString().contains("(required)"), s::toString);
    }

    @Test
    void everyCheckNamesItsParameter() {
        refused(OidcSettings.PARAM_PROMPT, valid().prompt("select-account"));
        refused(OidcSettings.PARAM_PROMPT, valid().prompt("none login"));
        refused(OidcSettings.PARAM_PROMPT, valid().prompt("login login"));
        refused(OidcSettings.PARAM_PROMPT, valid().prompt(" "));
        refused(OidcSettings.PARAM_ACR_VALUES, valid().acrValues(" "));
        refused(OidcSettings.PARAM_ACR_VALUES, valid().acrValues("gold \"silver\""));
        refused(OidcSettings.PARAM_ACR_VALUES, valid().acrValues("gold gold"));
        refused(OidcSettings.PARAM_ACR_VALUES, valid().acrValues("x".repeat(513)));
        refused(OidcSettings.PARAM_REQUIRE_ACR, valid().requireAcr(true));
        refused(OidcSettings.PARAM_MAX_AGE, valid().maxAge(Duration.ofSeconds(-1)));
        refused(OidcSettings.PARAM_MAX_AGE, valid().maxAge(Duration.ofMillis(1500)));
        refused(OidcSettings.PARAM_MAX_AGE, valid().maxAge(Duration.ofDays(367)));
    }

    @Test
    void initParamsMapToTheSameSettings() {
        Map<String, String> raw = base();
        raw.putAll(Map.of(OidcSettings.PARAM_PROMPT, "login", OidcSettings.PARAM_ACR_VALUES, "gold silver",
                OidcSettings.PARAM_REQUIRE_ACR, "true", OidcSettings.PARAM_MAX_AGE, "10m",
                OidcSettings.PARAM_LOGIN_HINT_FROM_REQUEST, "TRUE"));
        assertEquals(valid().prompt("login").acrValues("gold silver").requireAcr(true).maxAge(Duration.ofMinutes(10))
                .loginHintFromRequest(true).build(), InitParamsMapping.oidcSettings(InitParams.resolve(raw)).orElseThrow());

        for (Map.Entry<String, String> bad : Map.of(OidcSettings.PARAM_REQUIRE_ACR, "yes", OidcSettings.PARAM_MAX_AGE, "soon",
                OidcSettings.PARAM_LOGIN_HINT_FROM_REQUEST, "1", OidcSettings.PARAM_PROMPT, "always").entrySet()) {
            Map<String, String> r = base();
            r.put(bad.getKey(), bad.getValue());
            ConfigException e = assertThrows(ConfigException.class, () -> InitParamsMapping.oidcSettings(InitParams.resolve(r)));
            assertEquals(bad.getKey(), e.parameter(), e.getMessage());
        }
        ConfigException alone = assertThrows(ConfigException.class, () -> InitParamsMapping.oidcSettings(
                InitParams.resolve(Map.of(OidcSettings.PARAM_MAX_AGE, "5m"))));
        assertEquals(OidcSettings.PARAM_ISSUER, alone.parameter(), "an extra without oidc.issuer names the issuer");
    }
}

package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.engine.InitParamsMapping;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** {@link OidcSettings}: defaults, every check naming its parameter, the init-param mapping, and the clash with the password login. */
class OidcSettingsTest {
    private static final String ISSUER = "https://id.example.com/realms/main";

    private static OidcSettings.Builder valid() {
        return OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value");
    }

    private static void refused(String parameter, OidcSettings.Builder b) {
        ConfigException e = assertThrows(ConfigException.class, b::build);
        assertEquals(parameter, e.parameter(), e.getMessage());
        assertFalse(e.getMessage().contains("s3cret-value"), "the secret is never in a message");
    }

    @Test
    void defaults() {
        OidcSettings s = valid().build();
        assertEquals(ISSUER, s.issuer().toString());
        assertEquals("web", s.clientId());
        assertEquals(ClientCredentials.AuthMethod.CLIENT_SECRET_BASIC, s.secretCredentials().orElseThrow().authMethod());
        assertEquals("openid", s.scope());
        assertEquals("/auth/callback", s.callbackPath());
        assertEquals(Duration.ofSeconds(600), s.transactionMaxAge());
        assertFalse(s.toString().contains("s3cret-value"));
    }

    @Test
    void everyCheckNamesItsParameter() {
        refused("oidc.issuer", OidcSettings.builder().client("web", "s3cret-value"));
        refused("oidc.issuer", valid().issuer("http://id.example.com"));
        refused("oidc.issuer", valid().issuer("https://id.example.com/?x=1"));
        refused("oidc.issuer", valid().issuer("not a url"));
        refused("oidc.client-id", OidcSettings.builder().issuer(ISSUER));
        refused("oidc.client-id", valid().client("", "s3cret-value"));
        refused("oidc.client-secret", valid().client("web", ""));
        refused("oidc.scope", valid().scope("profile email"));
        refused("oidc.scope", valid().scope("openid \"x\""));
        refused("oidc.scope", valid().scope(" "));
        refused("oidc.callback-path", valid().callbackPath("auth/callback"));
        refused("oidc.callback-path", valid().callbackPath("/auth/../callback"));
        refused("oidc.callback-path", valid().callbackPath("https://evil.example/cb"));
        refused("oidc.transaction-max-age", valid().transactionMaxAge(Duration.ofHours(2)));
        refused("oidc.transaction-max-age", valid().transactionMaxAge(Duration.ofSeconds(5)));
        assertEquals(Duration.ofHours(1), valid().transactionMaxAge(Duration.ofHours(1)).build().transactionMaxAge());
        assertEquals("openid offline_access api://x/.default",
                valid().scope(" openid  offline_access api://x/.default ").build().scope());
        assertTrue(valid().issuer("http://127.0.0.1:8080/default").build().issuer().toString().startsWith("http://127.0.0.1"));
    }

    @Test
    void initParamsMapToTheSameSettings() {
        Map<String, String> raw = new HashMap<>(Map.of("oidc.issuer", ISSUER, "oidc.client-id", "web",
                "oidc.client-secret", "s3cret-value", "oidc.scope", "openid offline_access", "oidc.callback-path", "/cb",
                "oidc.transaction-max-age", "5m"));
        Optional<OidcSettings> mapped = InitParamsMapping.oidcSettings(InitParams.resolve(raw));
        assertEquals(Optional.of(valid().scope("openid offline_access").callbackPath("/cb")
                .transactionMaxAge(Duration.ofMinutes(5)).build()), mapped);
        assertEquals(Optional.empty(), InitParamsMapping.oidcSettings(InitParams.resolve(Map.of())));
        ConfigException noIssuer = assertThrows(ConfigException.class,
                () -> InitParamsMapping.oidcSettings(InitParams.resolve(Map.of("oidc.scope", "openid"))));
        assertEquals("oidc.issuer", noIssuer.parameter());
        ConfigException noSecret = assertThrows(ConfigException.class,
                () -> InitParamsMapping.oidcSettings(InitParams.resolve(Map.of("oidc.issuer", ISSUER, "oidc.client-id", "web"))));
        assertEquals("oidc.client-secret", noSecret.parameter());
        ConfigException tooLong = assertThrows(ConfigException.class, () -> InitParamsMapping.oidcSettings(InitParams.resolve(
                Map.of("oidc.issuer", ISSUER, "oidc.client-id", "web", "oidc.client-secret", "x", "oidc.transaction-max-age", "2h"))));
        assertEquals("oidc.transaction-max-age", tooLong.parameter());
    }

    @Test
    void refusedTogetherWithThePasswordLogin() {
        ConfigException e = assertThrows(ConfigException.class, () -> GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                .oidc(valid().build()).login(LoginSettings.builder().url("https://auth.example.com/login").build()).build());
        assertEquals("oidc.issuer", e.parameter());
        ConfigException r = assertThrows(ConfigException.class, () -> GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                .oidc(valid().build()).revoke(RevokeSettings.builder().url("https://auth.example.com/revoke").build()).build());
        assertEquals("oidc.issuer", r.parameter());
    }

    @Test
    void theFilterStartsWithoutTheProviderAndWithoutASealingKey() throws Exception {
        OidcSettings down = valid().issuer("http://127.0.0.1:1/nobody").build();
        SessionFilter unsealed = new SessionFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                .oidc(down).build());
        unsealed.init(null); // issue 9: without a key the login transactions are sealed with one of this process
        unsealed.destroy();
        SessionFilter sealed = new SessionFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                .oidc(down).cookieSeal(CookieSealSettings.builder().key("k1", java.util.Base64.getEncoder()
                        .encodeToString(new byte[32])).build()).build());
        sealed.init(null); // the provider is not asked at start-up
        sealed.destroy();
    }
}

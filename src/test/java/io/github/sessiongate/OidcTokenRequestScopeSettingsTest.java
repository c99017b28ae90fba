package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.engine.InitParamsMapping;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code oidc.token-request-scope}: off by default, the builder and the init-param agree, a bad value names it. */
class OidcTokenRequestScopeSettingsTest {
    private static final String ISSUER = "https://login.example.com/tenant/v2.0";

    private static Map<String, String> base() {
        return new HashMap<>(Map.of(OidcSettings.PARAM_ISSUER, ISSUER, OidcSettings.PARAM_CLIENT_ID, "web",
                OidcSettings.PARAM_CLIENT_SECRET, "s3cret-value"));
    }

    @Test
    void offByDefaultAndTheInitParamMapsToTheBuilder() {
        OidcSettings off = OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value").build();
        assertFalse(off.tokenRequestScope());
        Map<String, String> raw = base();
        raw.put(OidcSettings.PARAM_SCOPE, "openid api://orders/.default");
        raw.put(OidcSettings.PARAM_TOKEN_REQUEST_SCOPE, "true");
        OidcSettings on = OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value").scope("openid api://orders/.default")
                .tokenRequestScope(true).build();
        assertTrue(on.tokenRequestScope());
        assertEquals(on, InitParamsMapping.oidcSettings(InitParams.resolve(raw)).orElseThrow());
        assertNotEquals(on, OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value").scope("openid api://orders/.default")
                .build());
        assertTrue(on.toString().contains("scope on token requests"), on::toString);
    }

    @Test
    void aBadValueNamesTheParameter() {
        Map<String, String> raw = base();
        raw.put(OidcSettings.PARAM_TOKEN_REQUEST_SCOPE, "yes please");
        ConfigException e = assertThrows(ConfigException.class, () -> InitParamsMapping.oidcSettings(InitParams.resolve(raw)));
        assertEquals(OidcSettings.PARAM_TOKEN_REQUEST_SCOPE, e.parameter(), e.getMessage());
    }
}

package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.engine.InitParamsMapping;
import jakarta.servlet.ServletException;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * {@value OidcSettings#PARAM_BACKCHANNEL_LOGOUT_PATH}: on by default at {@value OidcSettings#DEFAULT_BACKCHANNEL_LOGOUT_PATH}
 * with OpenID sign-in, a plain path or {@code off}, the same from init-params and the builder, and a path
 * another endpoint or route already serves fails start-up naming the parameter.
 */
class BackChannelLogoutSettingsTest {
    private static final String ISSUER = "https://id.example.com/realms/main";

    private static OidcSettings.Builder valid() {
        return OidcSettings.builder().issuer(ISSUER).client("web", "s3cret-value");
    }

    private static void refused(OidcSettings.Builder b) {
        ConfigException e = assertThrows(ConfigException.class, b::build);
        assertEquals(OidcSettings.PARAM_BACKCHANNEL_LOGOUT_PATH, e.parameter(), e.getMessage());
    }

    @Test
    void onByDefaultAtTheDefaultPath() {
        assertEquals(Optional.of("/auth/backchannel-logout"), valid().build().backChannelLogoutPath());
        assertTrue(valid().build().toString().contains("backchannel-logout=/auth/backchannel-logout"));
    }

    @Test
    void aPlainPathOrOff() {
        assertEquals(Optional.of("/hooks/oidc-logout"), valid().backChannelLogoutPath("/hooks/oidc-logout").build()
                .backChannelLogoutPath());
        assertEquals(Optional.empty(), valid().backChannelLogoutPath("off").build().backChannelLogoutPath());
        for (String bad : new String[] {"", "hooks", "/a/../b", "/a?x=1", "/a/*", "/a;x", "/a/", "https://evil.example/x", "OFF"}) {
            refused(valid().backChannelLogoutPath(bad));
        }
        refused(valid().backChannelLogoutPath("/auth/callback"));
        refused(valid().callbackPath("/cb").backChannelLogoutPath("/cb"));
    }

    @Test
    void initParamsMapToTheSameSettings() {
        Map<String, String> raw = Map.of("oidc.issuer", ISSUER, "oidc.client-id", "web", "oidc.client-secret", "s3cret-value",
                "oidc.backchannel-logout-path", "off");
        assertEquals(Optional.of(valid().backChannelLogoutPath("off").build()), InitParamsMapping.oidcSettings(InitParams.resolve(raw)));
        ConfigException e = assertThrows(ConfigException.class, () -> InitParamsMapping.oidcSettings(InitParams.resolve(Map.of(
                "oidc.issuer", ISSUER, "oidc.client-id", "web", "oidc.client-secret", "x", "oidc.backchannel-logout-path", "nope"))));
        assertEquals(OidcSettings.PARAM_BACKCHANNEL_LOGOUT_PATH, e.parameter());
    }

    @Test
    void aPathAlreadyServedFailsStartUpNamingTheParameter() {
        for (String taken : new String[] {"/auth/session", "/auth/logout", "/auth/login"}) {
            SessionFilter filter = new SessionFilter(GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                    .oidc(valid().issuer("http://127.0.0.1:1/nobody").backChannelLogoutPath(taken).build()).build());
            ServletException e = assertThrows(ServletException.class, () -> filter.init(null), taken);
            assertTrue(e.getMessage().contains(OidcSettings.PARAM_BACKCHANNEL_LOGOUT_PATH) && e.getMessage().contains(taken),
                    e::getMessage);
        }
    }
}

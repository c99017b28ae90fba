package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The checks {@link GateConfig.Builder#build()} runs through the engine (public origin, trusted
 * proxies, path rules) refuse a bad value at {@code build()}, naming the parameter, as the
 * init-params do; the getters give back the plain values that were configured.
 */
class BuilderEngineChecksTest {
    private static GateConfig.Builder builder() {
        return GateConfig.builder().validator(new GateConfigTest.RecordingValidator());
    }

    private static String refusedParameter(GateConfig.Builder b) {
        return assertThrows(ConfigException.class, b::build).parameter();
    }

    @Test
    void aPublicOriginWithAPathOrNoSchemeIsRefusedAtBuild() {
        assertEquals(GateConfig.PARAM_PUBLIC_ORIGIN, refusedParameter(builder().publicOrigin("https://app.example.com/x")));
        assertEquals(GateConfig.PARAM_PUBLIC_ORIGIN, refusedParameter(builder().publicOrigin("app.example.com")));
        assertEquals(GateConfig.PARAM_PUBLIC_ORIGIN, refusedParameter(builder().publicOrigin("https://app example")));
    }

    @Test
    void aTrustedProxyThatIsNoAddressIsRefusedAtBuild() {
        assertEquals(GateConfig.PARAM_TRUSTED_PROXIES, refusedParameter(builder().trustedProxies("proxy.example.com")));
    }

    @Test
    void aBadPathPatternIsRefusedAtBuild() {
        assertEquals(GateConfig.PARAM_PUBLIC_PATHS, refusedParameter(builder().publicPaths("/a/**/b/**")));
    }

    @Test
    void theGettersGiveThePlainValuesBack() {
        GateConfig c = builder().publicOrigin(URI.create("https://app.example.com")).trustedProxies("10.0.0.0/8")
                .defaultAccess(GateConfig.Access.PUBLIC).build();
        assertEquals(URI.create("https://app.example.com"), c.publicOrigin().orElseThrow());
        assertEquals(List.of("10.0.0.0/8"), c.trustedProxies());
        assertEquals(GateConfig.Access.PUBLIC, c.defaultAccess());
    }
}

package io.github.sessiongate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.engine.InitParamsMapping;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The API proxy's routes from {@code proxy.*} init-params and from the builder, with the same checks. */
class ProxyRouteConfigTest {
    private static GateConfig parse(String... pairs) {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(GateConfig.PARAM_VALIDATOR_CLASS, GateConfigTest.RecordingValidator.class.getName());
        m.put("recording.endpoint", "http://127.0.0.1:1/");
        for (int i = 0; i < pairs.length; i += 2) {
            m.put(pairs[i], pairs[i + 1]);
        }
        return InitParamsMapping.fromInitParams(InitParams.resolve(m), Clock.systemUTC());
    }

    private static String refusedParameter(String... pairs) {
        return assertThrows(ConfigException.class, () -> parse(pairs)).parameter();
    }

    @Test
    void noRoutesByDefault() {
        assertEquals(List.of(), parse().proxyRoutes());
    }

    @Test
    void routesAndTheirSettingsFromInitParams() {
        GateConfig c = parse("proxy.routes", "backend /api/backend/* https://api.internal/v1,\n  open /api/open http://127.0.0.1:9/x/",
                "proxy.backend.timeout", "200ms", "proxy.backend.max-body", "52428800", "proxy.backend.max-concurrency", "4",
                "proxy.backend.strip-headers", "X-Debug, X-Tenant",
                "proxy.open.token", "none", "proxy.open.session", "optional", "proxy.open.allow-guests", "true");
        ProxyRoute backend = c.proxyRoutes().get(0);
        assertEquals("backend", backend.name());
        assertEquals("/api/backend", backend.prefix());
        assertEquals(URI.create("https://api.internal/v1/"), backend.baseUrl());
        assertEquals(ProxyRoute.Token.ACCESS, backend.token());
        assertTrue(backend.sessionRequired());
        assertFalse(backend.allowGuests());
        assertEquals(Duration.ofMillis(200), backend.timeout());
        assertEquals(52_428_800L, backend.maxBodyBytes());
        assertEquals(4, backend.maxConcurrency());
        assertEquals(Set.of("x-debug", "x-tenant"), backend.stripHeaders());
        ProxyRoute open = c.proxyRoutes().get(1);
        assertEquals(ProxyRoute.Token.NONE, open.token());
        assertFalse(open.sessionRequired());
        assertTrue(open.allowGuests());
        assertEquals(URI.create("http://127.0.0.1:9/x/"), open.baseUrl());
        assertEquals(ProxyRoute.DEFAULT_TIMEOUT, open.timeout());
        assertEquals(ProxyRoute.DEFAULT_MAX_BODY, open.maxBodyBytes());
        assertEquals(ProxyRoute.DEFAULT_MAX_CONCURRENCY, open.maxConcurrency());
    }

    @Test
    void prefixesMatchOnASegmentBoundary() {
        ProxyRoute r = ProxyRoute.builder("b", "/api/backend/*", "https://api.internal/").build();
        assertTrue(r.matches("/api/backend"));
        assertTrue(r.matches("/api/backend/"));
        assertTrue(r.matches("/api/backend/notes/1"));
        assertFalse(r.matches("/api/backendX"));
        assertFalse(r.matches("/api/backendX/notes"));
        assertFalse(r.matches("/api"));
        assertFalse(r.matches("/API/backend"));
    }

    @Test
    void badRoutesFailStartUpNamingTheParameter() {
        for (String routes : new String[] {
                "backend /api/backend/*", // no URL
                "backend /api/backend/* https://a/ extra",
                "Backend /api/backend/* https://a/", // upper case name
                "backend api/backend https://a/", // not absolute
                "backend /* https://a/", // the whole application
                "backend /api/../x https://a/",
                "backend /api//x https://a/",
                "backend /api/x;y https://a/",
                "backend /api/%2e https://a/",
                "backend /api/backend http://api.internal/", // plain http off loopback
                "backend /api/backend https://a/v1?x=1",
                "backend /api/backend https://a/v1#f",
                "backend /api/backend https://user@a/",
                "backend /api/backend ftp://a/",
                "a /api https://a/, b /api/backend https://b/", // overlapping prefixes
                "a /api/x https://a/, a /api/y https://b/", // one name twice
        }) {
            assertEquals(ProxyRoute.PARAM_ROUTES, refusedParameter("proxy.routes", routes), routes);
        }
    }

    @Test
    void badRouteSettingsNameTheRoutesParameter() {
        String route = "backend /api/backend/* https://api.internal/";
        assertEquals("proxy.backend.timeout", refusedParameter("proxy.routes", route, "proxy.backend.timeout", "50ms"));
        assertEquals("proxy.backend.timeout", refusedParameter("proxy.routes", route, "proxy.backend.timeout", "11m"));
        assertEquals("proxy.backend.max-body", refusedParameter("proxy.routes", route, "proxy.backend.max-body", "-1"));
        assertEquals("proxy.backend.max-body", refusedParameter("proxy.routes", route, "proxy.backend.max-body", "10m"));
        assertEquals("proxy.backend.max-concurrency", refusedParameter("proxy.routes", route, "proxy.backend.max-concurrency", "0"));
        assertEquals("proxy.backend.token", refusedParameter("proxy.routes", route, "proxy.backend.token", "id"));
        assertEquals("proxy.backend.session", refusedParameter("proxy.routes", route, "proxy.backend.session", "maybe"));
        assertEquals("proxy.backend.strip-headers", refusedParameter("proxy.routes", route, "proxy.backend.strip-headers", "X:Y"));
    }

    @Test
    void aSettingOfAnUndeclaredRouteIsUnknown() {
        assertEquals("proxy.backnd.timeout", refusedParameter("proxy.routes", "backend /api/backend/* https://api.internal/",
                "proxy.backnd.timeout", "1s"));
        assertEquals("proxy.backend.timeout", refusedParameter("proxy.backend.timeout", "1s"));
    }

    @Test
    void theBuilderChecksTheSame() {
        assertEquals(ProxyRoute.PARAM_ROUTES, assertThrows(ConfigException.class,
                () -> ProxyRoute.builder("b", "/api/../x", "https://a/")).parameter());
        assertEquals("proxy.b.timeout", assertThrows(ConfigException.class,
                () -> ProxyRoute.builder("b", "/api", "https://a/").timeout(Duration.ofMillis(10)).build()).parameter());
        GateConfig.Builder b = GateConfig.builder().validator(new GateConfigTest.RecordingValidator())
                .proxyRoute(ProxyRoute.builder("a", "/api", "https://a/").build())
                .proxyRoute(ProxyRoute.builder("b", "/api/b", "https://b/").build());
        assertEquals(ProxyRoute.PARAM_ROUTES, assertThrows(ConfigException.class, b::build).parameter());
    }
}

package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;

import io.github.sessiongate.ConfigException;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestOriginTest {

    private static HttpServletRequest request(String peer, String scheme, String host, int port) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getRemoteAddr()).thenReturn(peer);
        when(r.getScheme()).thenReturn(scheme);
        when(r.isSecure()).thenReturn("https".equals(scheme));
        when(r.getServerName()).thenReturn(host);
        when(r.getServerPort()).thenReturn(port);
        return r;
    }

    @Test
    void plainHttpFromAndToLoopbackIsLocalDevelopment() {
        RequestOrigin o = new RequestOrigin.Resolver(null, TrustedProxies.none()).resolve(request("127.0.0.1", "http", "localhost", 8080));
        assertTrue(o.isPlainHttpToLoopback());
        assertEquals("http://localhost:8080", o.origin());
    }

    @Test
    void anUnconfiguredReverseProxyOnThisHostNeverRelaxesSecure() {
        HttpServletRequest r = request("127.0.0.1", "http", "127.0.0.1", 8080);
        when(r.getHeader("X-Forwarded-Proto")).thenReturn("https");
        RequestOrigin o = new RequestOrigin.Resolver(null, TrustedProxies.none()).resolve(r);
        assertFalse(o.isPlainHttpToLoopback(), "nginx on this host with proxy_pass http://127.0.0.1:8080");
    }

    @Test
    void loopbackHostFromARemoteClientIsNotLocalDevelopment() {
        RequestOrigin o = new RequestOrigin.Resolver(null, TrustedProxies.none()).resolve(request("203.0.113.9", "http", "127.0.0.1", 80));
        assertFalse(o.isPlainHttpToLoopback());
    }

    @Test
    void forwardedHeadersFromAnUntrustedPeerAreIgnored() {
        HttpServletRequest r = request("203.0.113.9", "http", "localhost", 8080);
        when(r.getHeader("X-Forwarded-Proto")).thenReturn("https");
        when(r.getHeader("X-Forwarded-Host")).thenReturn("evil.example");
        when(r.getHeader("X-Forwarded-For")).thenReturn("127.0.0.1");
        RequestOrigin o = new RequestOrigin.Resolver(null, TrustedProxies.none()).resolve(r);
        assertEquals("http", o.scheme());
        assertEquals("localhost", o.host());
        assertEquals("203.0.113.9", o.client());
    }

    @Test
    void forwardedHeadersFromATrustedProxyAreBelieved() {
        HttpServletRequest r = request("10.1.2.3", "http", "internal", 8080);
        when(r.getHeader("X-Forwarded-Proto")).thenReturn("https");
        when(r.getHeader("X-Forwarded-Host")).thenReturn("app.example.com");
        when(r.getHeader("X-Forwarded-For")).thenReturn("198.51.100.7, 10.0.0.5");
        RequestOrigin o = new RequestOrigin.Resolver(null, TrustedProxies.parse("trusted-proxies", List.of("10.0.0.0/8")))
                .resolve(r);
        assertEquals("https://app.example.com", o.origin());
        assertEquals("198.51.100.7", o.client());
        assertFalse(o.isPlainHttpToLoopback());
    }

    @Test
    void configuredPublicOriginWins() {
        URI origin = RequestOrigin.parsePublicOrigin("public-origin", "https://app.example.com");
        RequestOrigin o = new RequestOrigin.Resolver(origin, TrustedProxies.none()).resolve(request("127.0.0.1", "http", "localhost", 8080));
        assertEquals("https://app.example.com", o.origin());
        assertFalse(o.isPlainHttpToLoopback());
    }

    @Test
    void publicOriginMustBeABareOrigin() {
        for (String bad : List.of("app.example.com", "ftp://x", "https://x/path", "https://x?q", "https://u@x")) {
            assertEquals("public-origin", assertThrows(ConfigException.class,
                    () -> RequestOrigin.parsePublicOrigin("public-origin", bad)).parameter(), bad);
        }
    }

    @Test
    void trustedProxiesMatchCidrRangesWithoutResolvingNames() {
        TrustedProxies p = TrustedProxies.parse("trusted-proxies", List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));
        assertTrue(p.trusts("10.200.3.4"));
        assertTrue(p.trusts("192.168.1.7"));
        assertFalse(p.trusts("192.168.1.8"));
        assertTrue(p.trusts("fd12::1"));
        assertFalse(p.trusts("fe80::1"));
        assertFalse(p.trusts("localhost"));
        assertThrows(ConfigException.class, () -> TrustedProxies.parse("trusted-proxies", List.of("proxy.example")));
        assertThrows(ConfigException.class, () -> TrustedProxies.parse("trusted-proxies", List.of("10.0.0.0/33")));
        assertThrows(ConfigException.class, () -> TrustedProxies.parse("trusted-proxies", List.of("300.1.1.1")));
    }

    @Test
    void loopbackRecognisesLiteralsAndLocalhostOnly() {
        assertTrue(RequestOrigin.isLoopback("127.0.0.1"));
        assertTrue(RequestOrigin.isLoopback("127.8.9.10"));
        assertTrue(RequestOrigin.isLoopback("[::1]"));
        assertTrue(RequestOrigin.isLoopback("localhost"));
        assertFalse(RequestOrigin.isLoopback("localhost.evil.example"));
        assertFalse(RequestOrigin.isLoopback("10.0.0.1"));
    }
}

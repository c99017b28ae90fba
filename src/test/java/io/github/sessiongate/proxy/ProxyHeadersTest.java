package io.github.sessiongate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.web.RequestOrigin;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which headers cross the proxy each way, and the forwarding headers it sets. */
class ProxyHeadersTest {
    private static final Set<String> NONE = Set.of();

    @ParameterizedTest
    @ValueSource(strings = {"Cookie", "cookie", "COOKIE2", "Authorization", "Connection", "Keep-Alive", "Proxy-Connection",
        "TE", "Trailer", "Transfer-Encoding", "Upgrade", "Proxy-Authorization", "Proxy-Anything", "Forwarded",
        "X-Forwarded-For", "X-Forwarded-Host", "x-forwarded-proto", "X-Forwarded-Prefix", "X-Real-IP", "X-Original-URL",
        "X-Rewrite-URL", "Host", "Content-Length", "Expect"})
    void neverForwardedToTheBackend(String name) {
        assertFalse(ProxyHeaders.forwardsRequestHeader(name, NONE, NONE), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Accept", "Content-Type", "Accept-Language", "If-None-Match", "X-Request-Id", "Origin",
        "User-Agent", "Accept-Encoding"})
    void endToEndHeadersAreForwarded(String name) {
        assertTrue(ProxyHeaders.forwardsRequestHeader(name, NONE, NONE), name);
    }

    @Test
    void headersTheConnectionHeaderNamesAreHopByHop() {
        Set<String> named = ProxyHeaders.connectionNamed(Collections.enumeration(List.of("keep-alive, X-Secret ", "X-Other")));
        assertEquals(Set.of("keep-alive", "x-secret", "x-other"), named);
        assertFalse(ProxyHeaders.forwardsRequestHeader("X-Secret", named, NONE));
        assertFalse(ProxyHeaders.forwardsRequestHeader("x-other", named, NONE));
        assertTrue(ProxyHeaders.forwardsRequestHeader("X-Kept", named, NONE));
        assertFalse(ProxyHeaders.passesResponseHeader("X-Secret", named), "the same rule on the way back");
        assertEquals(Set.of(), ProxyHeaders.connectionNamed(null));
    }

    @Test
    void theRouteDenyListIsStripped() {
        assertFalse(ProxyHeaders.forwardsRequestHeader("X-Debug", NONE, Set.of("x-debug")));
        assertTrue(ProxyHeaders.forwardsRequestHeader("X-Debugger", NONE, Set.of("x-debug")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"Set-Cookie", "set-cookie2", "WWW-Authenticate", "Access-Control-Allow-Origin",
        "access-control-allow-credentials", "Connection", "Transfer-Encoding", "Keep-Alive", "Upgrade", "Trailer",
        "Proxy-Authenticate", "Clear-Site-Data", "Cache-Control", "Expires", "Pragma", ":status"})
    void neverPassedBackToTheBrowser(String name) {
        assertFalse(ProxyHeaders.passesResponseHeader(name, NONE), name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Content-Type", "Content-Length", "ETag", "Location", "Content-Encoding", "X-Trace"})
    void endToEndAnswersPass(String name) {
        assertTrue(ProxyHeaders.passesResponseHeader(name, NONE), name);
    }

    @Test
    void forwardingHeadersComeFromTheResolvedOrigin() {
        Map<String, String> h = ProxyHeaders.forwarding(new RequestOrigin("https", "app.example.com", -1, "203.0.113.7"));
        assertEquals("203.0.113.7", h.get("X-Forwarded-For"));
        assertEquals("https", h.get("X-Forwarded-Proto"));
        assertEquals("app.example.com", h.get("X-Forwarded-Host"));
        assertEquals("for=203.0.113.7;proto=https;host=app.example.com", h.get("Forwarded"));
    }

    @Test
    void forwardedQuotesWhatIsNotAToken() {
        Map<String, String> h = ProxyHeaders.forwarding(new RequestOrigin("http", "localhost", 8080, "2001:db8::1"));
        assertEquals("localhost:8080", h.get("X-Forwarded-Host"));
        assertEquals("2001:db8::1", h.get("X-Forwarded-For"));
        assertEquals("for=\"[2001:db8::1]\";proto=http;host=\"localhost:8080\"", h.get("Forwarded"));
        assertEquals("\"a\\\"b\\\\c\"", ProxyHeaders.quoted("a\"b\\c"));
        assertEquals("\"\"", ProxyHeaders.quoted(""));
    }

    @Test
    void anUnknownClientIsForUnknown() {
        Map<String, String> h = ProxyHeaders.forwarding(new RequestOrigin("https", "app.example.com", -1, "-"));
        assertEquals("for=unknown;proto=https;host=app.example.com", h.get("Forwarded"));
        assertFalse(h.containsKey("X-Forwarded-For"));
    }
}

package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.web.CsrfGuard.Mode;
import io.github.sessiongate.web.CsrfGuard.Verdict;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;
import org.slf4j.Logger;

class CsrfGuardTest {
    private static final RequestOrigin APP = new RequestOrigin("https", "app.example.com", -1, "198.51.100.7");
    private static final String ADMIN = "https://admin.example.com";

    private final CsrfGuard guard = CsrfGuard.defaults();

    /** A request with the given method and headers (name, value, name, value, ...). */
    private static HttpServletRequest request(String method, String... headers) {
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getMethod()).thenReturn(method);
        when(r.getRequestURI()).thenReturn("/app/orders");
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < headers.length; i += 2) {
            values.put(headers[i], headers[i + 1]);
        }
        when(r.getHeader(anyString())).thenAnswer(inv -> values.entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(inv.getArgument(0))).map(Map.Entry::getValue).findFirst()
                .orElse(null));
        when(r.getHeaders(anyString())).thenAnswer(inv -> {
            String v = r.getHeader(inv.getArgument(0));
            return Collections.enumeration(v == null ? List.of() : List.of(v));
        });
        return r;
    }

    private static CsrfGuard guard(Map<String, String> params) {
        return CsrfGuard.fromParams(InitParams.resolve(params));
    }

    private static void assertAllowed(CsrfGuard g, HttpServletRequest r) {
        assertEquals(Verdict.ALLOW, g.check(r, APP));
    }

    // --- which requests are subject ---

    @Test
    void crossSitePostWithSessionCookieIsRefused() {
        HttpServletRequest r = request("POST", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example");
        assertTrue(guard.applies(r, true, false));
        Verdict v = guard.check(r, APP);
        assertEquals(Verdict.REFUSE_CROSS_SITE, v);
        assertTrue(guard.shouldBlock(v));
    }

    @Test
    void everyUnsafeMethodWithSessionCookieIsSubject() {
        for (String m : List.of("POST", "PUT", "PATCH", "DELETE", "PROPFIND", "get", "")) {
            assertTrue(guard.applies(request(m), true, false), m);
        }
    }

    @Test
    void safeMethodsWithSessionCookieAreNotSubject() {
        for (String m : List.of("GET", "HEAD", "OPTIONS", "TRACE")) {
            assertFalse(guard.applies(request(m), true, false), m);
        }
    }

    @Test
    void requestAuthenticatedByBearerHeaderIsNotSubject() {
        HttpServletRequest r = request("POST", "Authorization", "Bearer abc", "Sec-Fetch-Site", "cross-site");
        assertFalse(guard.applies(r, false, false));
    }

    @Test
    void endpointGetIsSubjectWithOrWithoutCookies() {
        assertTrue(guard.applies(request("GET"), false, true));
        assertTrue(guard.applies(request("GET"), true, true));
        assertTrue(guard.applies(request("POST"), false, true));
    }

    @Test
    void crossSiteLinkToAnEndpointIsRefused() {
        assertEquals(Verdict.REFUSE_CROSS_SITE, guard.check(request("GET", "Sec-Fetch-Site", "cross-site"), APP));
    }

    @Test
    void methodOverrideOnAGetDoesNotEscape() {
        for (String header : CsrfGuard.METHOD_OVERRIDE_HEADERS) {
            assertTrue(guard.applies(request("GET", header, "DELETE"), true, false), header);
            assertTrue(guard.applies(request("GET", header, "post"), true, false), header);
            assertTrue(guard.applies(request("HEAD", header, ""), true, false), header);
        }
        for (String query : List.of("_method=DELETE", "a=1&_method=put", "%5Fmethod=PATCH", "_%6Dethod=POST",
                "x=1;_method=DELETE", "_method")) {
            HttpServletRequest r = request("GET");
            when(r.getQueryString()).thenReturn(query);
            assertTrue(guard.applies(r, true, false), query);
        }
    }

    @Test
    void overrideToASafeMethodKeepsAGetSafe() {
        assertFalse(guard.applies(request("GET", "X-HTTP-Method-Override", "GET"), true, false));
        HttpServletRequest r = request("GET");
        when(r.getQueryString()).thenReturn("_method=head&q=my_method");
        assertFalse(guard.applies(r, true, false));
    }

    @Test
    void overrideToGetOnAPostStaysUnsafe() {
        assertTrue(guard.applies(request("POST", "X-HTTP-Method-Override", "GET"), true, false));
        HttpServletRequest r = request("POST");
        when(r.getQueryString()).thenReturn("_method=GET");
        assertTrue(guard.applies(r, true, false));
    }

    @Test
    void overrideIsReadFromQueryStringNeverFromTheBody() {
        HttpServletRequest r = request("GET");
        when(r.getQueryString()).thenReturn("_method=DELETE");
        guard.applies(r, true, false);
        verify(r, never()).getParameter(any());
        verify(r, never()).getParameterMap();
        verify(r, never()).getParameterValues(any());
    }

    // --- the decision ---

    @Test
    void sameOriginFetchIsAccepted() {
        assertAllowed(guard, request("POST", "Sec-Fetch-Site", "same-origin"));
        assertAllowed(guard, request("DELETE", "Sec-Fetch-Site", "Same-Origin ", "Origin", "https://evil.example"));
    }

    @Test
    void originEqualToTheApplicationIsAccepted() {
        assertAllowed(guard, request("POST", "Origin", "https://app.example.com"));
        assertAllowed(guard, request("POST", "Origin", "HTTPS://App.Example.COM"));
    }

    @Test
    void originWithExplicitDefaultPortIsAccepted() {
        assertAllowed(guard, request("POST", "Origin", "https://app.example.com:443"));
        RequestOrigin plain = new RequestOrigin("http", "localhost", 80, "127.0.0.1");
        assertEquals(Verdict.ALLOW, guard.check(request("POST", "Origin", "http://localhost:80"), plain));
        RequestOrigin dev = new RequestOrigin("http", "localhost", 8080, "127.0.0.1");
        assertEquals(Verdict.ALLOW, guard.check(request("POST", "Origin", "http://localhost:8080"), dev));
    }

    @Test
    void originDifferingInSchemePortOrHostIsRefused() {
        for (String o : List.of("http://app.example.com", "https://app.example.com:8443", "https://app.example.com.",
                "https://evil.example", "https://app.example.com.evil.example", "https://app.example.com/",
                "https://user@app.example.com", "app.example.com", "https://app.example.com:0", "", " ",
                "chrome-extension://app.example.com")) {
            assertEquals(Verdict.REFUSE_ORIGIN, guard.check(request("POST", "Origin", o), APP), o);
        }
    }

    @Test
    void refererFromTheApplicationIsAcceptedWhenOriginIsAbsent() {
        assertAllowed(guard, request("POST", "Referer", "https://app.example.com/orders?id=1#top"));
        assertAllowed(guard, request("POST", "Referer", "https://app.example.com:443"));
    }

    @Test
    void refererFromElsewhereIsRefused() {
        assertEquals(Verdict.REFUSE_REFERER,
                guard.check(request("POST", "Referer", "https://evil.example/https://app.example.com/"), APP));
        assertEquals(Verdict.REFUSE_REFERER,
                guard.check(request("POST", "Referer", "https://app.example.com@evil.example/"), APP));
    }

    @Test
    void malformedRefererIsRefused() {
        for (String referer : List.of("/orders", "app.example.com/orders", "https://", "https://[::1/x",
                "https://app.example.com:99999/", "https://app example.com/", "")) {
            assertEquals(Verdict.REFUSE_MALFORMED_REFERER, guard.check(request("POST", "Referer", referer), APP), referer);
        }
    }

    @Test
    void originWinsOverReferer() {
        assertEquals(Verdict.REFUSE_ORIGIN, guard.check(request("POST", "Origin", "https://evil.example",
                "Referer", "https://app.example.com/"), APP));
    }

    @Test
    void nullOriginIsRefused() {
        assertEquals(Verdict.REFUSE_NULL_ORIGIN, guard.check(request("POST", "Origin", "null"), APP));
        assertEquals(Verdict.REFUSE_NULL_ORIGIN, guard.check(request("POST", "Origin", "null",
                "Referer", "https://app.example.com/"), APP));
    }

    @Test
    void sameSiteIsRefusedUnlessItsOriginIsAllowed() {
        HttpServletRequest fromAdmin = request("POST", "Sec-Fetch-Site", "same-site", "Origin", ADMIN);
        HttpServletRequest fromBlog = request("POST", "Sec-Fetch-Site", "same-site", "Origin", "https://blog.example.com");
        assertEquals(Verdict.REFUSE_SAME_SITE, guard.check(fromAdmin, APP));
        CsrfGuard allowing = CsrfGuard.builder().allowedOrigins(List.of(ADMIN)).build();
        assertEquals(Verdict.ALLOW, allowing.check(fromAdmin, APP));
        assertEquals(Verdict.REFUSE_SAME_SITE, allowing.check(fromBlog, APP));
        assertEquals(Verdict.REFUSE_SAME_SITE, allowing.check(request("POST", "Sec-Fetch-Site", "same-site"), APP));
    }

    @Test
    void allowedOriginsWork() {
        CsrfGuard g = guard(Map.of(GateConfig.PARAM_ALLOWED_ORIGINS, "HTTPS://Admin.Example.com:443/, http://localhost:3000"));
        assertEquals(Set.of(ADMIN, "http://localhost:3000"), g.allowedOrigins());
        assertAllowed(g, request("POST", "Origin", ADMIN));
        assertAllowed(g, request("POST", "Origin", "http://localhost:3000"));
        assertAllowed(g, request("POST", "Referer", ADMIN + "/console"));
        assertAllowed(g, request("POST", "Origin", "https://app.example.com"));
        assertAllowed(g, request("POST", "Sec-Fetch-Site", "cross-site", "Origin", "http://localhost:3000"));
        assertEquals(Verdict.REFUSE_ORIGIN, g.check(request("POST", "Origin", "http://admin.example.com"), APP));
        assertEquals(Verdict.REFUSE_CROSS_SITE, g.check(request("POST", "Sec-Fetch-Site", "cross-site",
                "Origin", "https://evil.example"), APP));
    }

    @Test
    void userTypedUrlIsAllowedOnlyForGetAndHead() {
        assertAllowed(guard, request("GET", "Sec-Fetch-Site", "none"));
        assertAllowed(guard, request("HEAD", "Sec-Fetch-Site", "none"));
        for (String m : List.of("POST", "OPTIONS", "DELETE")) {
            assertEquals(Verdict.REFUSE_USER_INITIATED_UNSAFE, guard.check(request(m, "Sec-Fetch-Site", "none"), APP), m);
        }
        assertEquals(Verdict.REFUSE_USER_INITIATED_UNSAFE,
                guard.check(request("GET", "Sec-Fetch-Site", "none", "X-HTTP-Method-Override", "POST"), APP));
    }

    @Test
    void unrecognisedSecFetchSiteIsRefused() {
        for (String site : List.of("same-origin-ish", "", "cross-site, same-origin")) {
            assertEquals(Verdict.REFUSE_UNKNOWN_FETCH_SITE,
                    guard.check(request("POST", "Sec-Fetch-Site", site, "Origin", "https://app.example.com"), APP), site);
        }
    }

    @Test
    void noHeadersAllowedByDefault() {
        assertAllowed(guard, request("POST"));
    }

    @Test
    void noHeadersRefusedWithCsrfRequireOrigin() {
        CsrfGuard strict = guard(Map.of(GateConfig.PARAM_CSRF_REQUIRE_ORIGIN, "true"));
        assertTrue(strict.requireOrigin());
        assertEquals(Verdict.REFUSE_NO_ORIGIN, strict.check(request("POST"), APP));
        assertAllowed(strict, request("POST", "Origin", "https://app.example.com"));
    }

    @Test
    void reasonsAreFixedAndEveryRefusalIsBlockedWhenEnforcing() {
        for (Verdict v : Verdict.values()) {
            assertFalse(v.reason().isBlank());
            assertEquals(!v.allowed(), guard.shouldBlock(v), v.name());
        }
    }

    // --- modes ---

    @Test
    void reportOnlyNeverBlocksButReports() {
        Logger log = mock(Logger.class);
        when(log.isInfoEnabled()).thenReturn(true);
        CsrfGuard g = CsrfGuard.builder().mode(Mode.REPORT_ONLY).build(log);
        HttpServletRequest r = request("POST", "Sec-Fetch-Site", "cross-site", "Origin", "https://evil.example",
                "Cookie", "sg_access=secret-token");
        when(r.getRequestURI()).thenReturn("/app/orders\n\"forged\"");

        assertTrue(g.applies(r, true, false));
        assertFalse(g.enforcing());
        Verdict v = g.check(r, APP);
        assertEquals(Verdict.REFUSE_CROSS_SITE, v);
        assertFalse(g.shouldBlock(v));

        ArgumentCaptor<Object> args = ArgumentCaptor.forClass(Object.class);
        verify(log).info(eq("csrf report-only: would refuse method={} reason={} path=\"{}\""), args.capture(),
                args.capture(), args.capture());
        assertEquals(List.of("POST", Verdict.REFUSE_CROSS_SITE.reason(), "/app/orders\\x0a\\x22forged\\x22"),
                args.getAllValues());
    }

    @Test
    void reportOnlyStaysQuietOnAllowedRequests() {
        Logger log = mock(Logger.class);
        when(log.isInfoEnabled()).thenReturn(true);
        CsrfGuard g = CsrfGuard.builder().mode(Mode.REPORT_ONLY).build(log);
        g.check(request("POST", "Sec-Fetch-Site", "same-origin"), APP);
        verify(log, never()).info(anyString(), any(), any(), any());
    }

    @Test
    void enforcedRefusalIsLoggedAtDebugOnly() {
        Logger log = mock(Logger.class);
        when(log.isInfoEnabled()).thenReturn(true);
        when(log.isDebugEnabled()).thenReturn(true);
        CsrfGuard g = CsrfGuard.builder().build(log);
        g.check(request("PUT", "Origin", "null"), APP);
        verify(log, never()).info(anyString(), any(), any(), any());
        verify(log).debug(eq("csrf refused method={} reason={} path=\"{}\""), eq("PUT"),
                eq(Verdict.REFUSE_NULL_ORIGIN.reason()), eq("/app/orders"));
    }

    @Test
    void offNeverApplies() {
        CsrfGuard off = guard(Map.of(GateConfig.PARAM_CSRF, "OFF"));
        assertEquals(Mode.OFF, off.mode());
        assertFalse(off.applies(request("POST", "Sec-Fetch-Site", "cross-site"), true, false));
        assertFalse(off.applies(request("GET", "Sec-Fetch-Site", "cross-site"), false, true));
        assertFalse(off.enforcing());
        assertFalse(off.shouldBlock(Verdict.REFUSE_CROSS_SITE));
        assertTrue(off.describe().startsWith("csrf=off"));
    }

    // --- configuration ---

    @Test
    void defaultsEnforceWithoutExtraOrigins() {
        InitParams params = InitParams.resolve(Map.of());
        CsrfGuard g = CsrfGuard.fromParams(params);
        assertEquals(CsrfGuard.DEFAULT_CSRF, g.mode());
        assertEquals(Mode.ENFORCE, g.mode());
        assertTrue(g.enforcing());
        assertEquals(Set.copyOf(CsrfGuard.DEFAULT_ALLOWED_ORIGINS), g.allowedOrigins());
        assertEquals(CsrfGuard.DEFAULT_REQUIRE_ORIGIN, g.requireOrigin());
    }

    @Test
    void fromParamsReadsAllItsParameters() {
        InitParams params = InitParams.resolve(Map.of(GateConfig.PARAM_CSRF, "report-only",
                GateConfig.PARAM_ALLOWED_ORIGINS, ADMIN, GateConfig.PARAM_CSRF_REQUIRE_ORIGIN, "true"));
        CsrfGuard g = CsrfGuard.fromParams(params);
        assertEquals(Set.of(), params.unread());
        assertEquals(Mode.REPORT_ONLY, g.mode());
        assertEquals("csrf=report-only (Sec-Fetch-Site, Origin, Referer); allowed-origins=https://admin.example.com;"
                + " csrf-require-origin=true (requests without any origin header are refused)", g.describe());
    }

    @Test
    void badConfigNamesTheParameter() {
        assertEquals(GateConfig.PARAM_CSRF, assertThrows(ConfigException.class,
                () -> guard(Map.of(GateConfig.PARAM_CSRF, "maybe"))).parameter());
        assertEquals(GateConfig.PARAM_CSRF_REQUIRE_ORIGIN, assertThrows(ConfigException.class,
                () -> guard(Map.of(GateConfig.PARAM_CSRF_REQUIRE_ORIGIN, "yes"))).parameter());
        for (String bad : List.of("*", "https://*.example.com", "null", "admin.example.com", "ftp://admin.example.com",
                "https://admin.example.com/path", "https://admin.example.com?q", "https://admin.example.com#f",
                "https://u@admin.example.com", "https://admin.example.com:70000", "https://")) {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> guard(Map.of(GateConfig.PARAM_ALLOWED_ORIGINS, ADMIN + ", " + bad)), bad);
            assertEquals(GateConfig.PARAM_ALLOWED_ORIGINS, e.parameter(), bad);
            assertTrue(e.getMessage().contains(GateConfig.PARAM_ALLOWED_ORIGINS), e.getMessage());
        }
        assertEquals(GateConfig.PARAM_ALLOWED_ORIGINS, assertThrows(ConfigException.class,
                () -> CsrfGuard.builder().allowedOrigins(List.of("*")).build()).parameter());
    }
}

package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every container scenario, written once and run on each real container ({@link JettyGateTest},
 * {@link TomcatGateTest}), so no behaviour is tested on one container and forgotten on the other.
 *
 * <p>One container per test class serves four webapps, each configured only by its
 * {@code src/test/webapps/<name>/WEB-INF/web.xml}:
 * <ul>
 *   <li>{@code /app} and the root context: the {@code gate} webapp, the built-in JWT validator with
 *       an HS256 key, {@code /public/*} public, {@code /admin/*} for role {@code admin}, every other
 *       path protected;</li>
 *   <li>{@code /acme}: the {@code acme} webapp, a custom validator ({@link AcmeSessionValidator})
 *       asking a real HTTP backend ({@link AcmeBackend}) in this JVM;</li>
 *   <li>{@code /secure}: the JWT webapp with the cookie defaults ({@code cookie-secure=true},
 *       {@code cookie-host-prefix=true}), so its cookie is {@code __Host-sg_access};</li>
 *   <li>{@code /typo}: a web.xml with a misspelt init-param, which must never serve.</li>
 * </ul>
 * Requests go over real HTTP: {@link HttpClient} for ordinary ones, a raw socket ({@link RawHttp})
 * for request targets a client library would refuse or rewrite.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class GateScenarios {
    static final String APP = "/app";
    static final String ACME = "/acme";
    static final String TYPO = "/typo";
    static final String SECURE = "/secure";
    static final String SLIDING = "/sliding";
    /** The sliding webapp's {@code session-signing-secret}. */
    static final String SLIDING_SIGNING_SECRET = "it-only-session-signing-secret-0123456789";
    static final String HOST_ACCESS_COOKIE = "__Host-" + CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String LOGIN = GateConfig.DEFAULT_LOGIN_PATH;
    /** The default cookie names; the raw {@code Cookie} headers below spell them out as a browser sends them. */
    static final String ACCESS_COOKIE = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String ACME_URL_PROPERTY = "acme.url";

    private final Teardown teardown = new Teardown();
    private Container container;
    private AcmeBackend acme;
    private HttpClient http;
    /** {@code http://127.0.0.1:port}, no trailing slash. */
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void startContainer() throws Exception {
        acme = teardown.add(new AcmeBackend());
        teardown.add(new ScenarioProperties())
                .set(ACME_URL_PROPERTY, acme.url().toString())
                .set(Tokens.SECRET_PROPERTY, Tokens.SECRET);
        container = teardown.add(newContainer());
        // Not startServing: /typo must fail to start.
        base = container.start(List.of(
                Container.Webapp.of(APP, "gate"),
                Container.Webapp.of("", "gate"),
                Container.Webapp.of(ACME, "acme"),
                Container.Webapp.of(SECURE, "secure"),
                Container.Webapp.of(TYPO, "typo"),
                Container.Webapp.of(SLIDING, "sliding")));
        http = JavaHttp.newClient();
    }

    @AfterAll
    void stopContainer() throws Exception {
        teardown.close();
    }

    // ---------------------------------------------------------------- an authenticated user

    @Test
    void validSessionCookieMakesTheUserVisibleToTheApplication() throws Exception {
        String token = Tokens.valid("alice", "user");

        Response response = get(APP + "/dashboard/home", cookie(token));

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> echo = echo(response);
        @SuppressWarnings("unchecked")
        Map<String, Object> session = (Map<String, Object>) echo.get("session");
        @SuppressWarnings("unchecked")
        Map<String, Object> inRole = (Map<String, Object>) echo.get("inRole");
        assertNotNull(session, () -> "no Session request attribute: " + response.body());
        assertAll(
                () -> assertEquals("alice", echo.get("principal"), "getUserPrincipal().getName()"),
                () -> assertEquals("alice", echo.get("remoteUser"), "getRemoteUser()"),
                () -> assertEquals("SESSIONGATE", echo.get("authType"), "getAuthType()"),
                () -> assertEquals(Boolean.TRUE, inRole.get("user"), "isUserInRole(user)"),
                () -> assertEquals(Boolean.FALSE, inRole.get("admin"), "isUserInRole(admin)"),
                () -> assertEquals("io.github.sessiongate.Session", echo.get("attributeClass")),
                () -> assertEquals("alice", session.get("subject")),
                () -> assertEquals(List.of("user"), session.get("roles")),
                () -> assertEquals(Boolean.FALSE, session.get("guest")),
                () -> assertEquals(Tokens.sha256(token), session.get("tokenSha256"), "Session.token() is the cookie's token"));
    }

    @Test
    void roleGatedPathServesAUserWithTheRole() throws Exception {
        Response response = get(APP + "/admin/users", cookie(Tokens.valid("root", "admin", "user")));

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> echo = echo(response);
        assertEquals("root", echo.get("principal"));
        assertEquals(Map.of("admin", true, "user", true), echo.get("inRole"));
    }

    @Test
    void missingRoleIsForbiddenWithJson() throws Exception {
        Response response = get(APP + "/admin/users", cookie(Tokens.valid("alice", "user")));

        assertEquals(403, response.status(), () -> describe(response));
        assertEquals(Map.of("error", "forbidden"), Json.object(response.body()));
        assertNoEcho(response);
    }

    @Test
    void roleRuleCoversItsPrefixItself() throws Exception {
        String user = Tokens.valid("alice", "user");

        assertAll(
                () -> assertEquals(403, get(APP + "/admin", cookie(user)).status()),
                () -> assertEquals(403, get(APP + "/admin/", cookie(user)).status()),
                () -> assertUnauthenticated(get(APP + "/admin")));
    }

    @Test
    void quotedSessionCookieValueIsRead() throws Exception {
        Response response = get(APP + "/api/orders", "Cookie: sg_access=\"" + Tokens.valid("alice", "user") + "\"");

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("alice", echo(response).get("principal"));
    }

    @Test
    void publicPathSeesTheSessionWhenAValidCookieIsSent() throws Exception {
        Response withCookie = get(APP + "/public/info", cookie(Tokens.valid("alice", "user")));
        Response without = get(APP + "/public/info");

        assertEquals(200, withCookie.status(), () -> describe(withCookie));
        assertEquals("alice", echo(withCookie).get("principal"));
        assertEquals(200, without.status(), () -> describe(without));
        assertNull(echo(without).get("principal"));
        assertNull(echo(without).get("session"));
    }

    @Test
    void refusedCookieOnPublicPathServesThePageAnonymouslyAndClearsIt() throws Exception {
        Response response = get(APP + "/public/info", cookie(Tokens.forged("alice", "admin")));

        assertEquals(200, response.status(), () -> describe(response));
        assertNull(echo(response).get("principal"));
        assertAccessCookieCleared(response);
        assertPrivate(response);
    }

    @Test
    void loginPageIsPublicThoughEveryOtherPathIsProtected() throws Exception {
        Response response = get(APP + LOGIN, "Accept: text/html");

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals(LoginServlet.BODY, response.body());
    }

    // ---------------------------------------------------------------- no session

    @Test
    void browserNavigationToProtectedPathIsRedirectedToLoginWithFrom() throws Exception {
        Response response = get(APP + "/dashboard/reports?year=2024&q=a%20b",
                "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Accept: */*");

        assertEquals(302, response.status(), () -> describe(response));
        String location = response.header("Location").orElseThrow();
        assertTrue(location.startsWith(APP + LOGIN + "?from="), location);
        assertEquals(APP + "/dashboard/reports?year=2024&q=a%20b", from(location), "from= keeps context path, path and query");
    }

    @Test
    void htmlGetWithoutFetchMetadataCountsAsNavigationInTheRootContext() throws Exception {
        Response response = get("/dashboard/x%C3%A9", "Accept: text/html,application/xhtml+xml");

        assertEquals(302, response.status(), () -> describe(response));
        String location = response.header("Location").orElseThrow();
        assertTrue(location.startsWith(LOGIN + "?from="), location);
        assertEquals("/dashboard/x%C3%A9", from(location), "from= is the re-encoded normalised path");
    }

    @Test
    void loginRedirectReEncodesWhatWouldChangeTheMeaningOfFrom() throws Exception {
        Response response = get(APP + "/dashboard/a%3Fb%23c%20d%26e?x=1", "Sec-Fetch-Mode: navigate");

        assertEquals(302, response.status(), () -> describe(response));
        assertEquals(APP + "/dashboard/a%3Fb%23c%20d&e?x=1", from(response.header("Location").orElseThrow()));
    }

    @Test
    void apiCallToProtectedPathGets401JsonWithChallenge() throws Exception {
        Response response = get(APP + "/api/orders");

        assertUnauthenticated(response);
        String challenge = response.header("WWW-Authenticate").orElseThrow();
        assertTrue(challenge.contains("realm=\"it-realm\""), challenge);
    }

    @Test
    void nonNavigationRequestsForHtmlGet401NotARedirect() throws Exception {
        assertAll(
                () -> assertUnauthenticated(get(APP + "/dashboard/home", "Accept: text/html", "X-Requested-With: XMLHttpRequest")),
                () -> assertUnauthenticated(get(APP + "/dashboard/home", "Accept: text/html", "Sec-Fetch-Mode: cors")),
                () -> assertUnauthenticated(send("POST", APP + "/dashboard/home", "Accept: text/html")),
                () -> assertUnauthenticated(send("DELETE", APP + "/api/orders/7", "Accept: text/html")));
    }

    @Test
    void pathNamedByNoRuleFallsUnderDefaultProtectedAccess() throws Exception {
        assertUnauthenticated(get(APP + "/elsewhere"));
    }

    @Test
    void bearerHeaderIsIgnoredUnlessEnabled() throws Exception {
        assertUnauthenticated(get(APP + "/api/orders", "Authorization: Bearer " + Tokens.valid("alice", "user")));
    }

    // ---------------------------------------------------------------- bad tokens

    @Test
    void expiredTokenOnProtectedPathIs401ForApiAndRedirectForBrowser() throws Exception {
        String expired = Tokens.expired("alice", "user");

        assertUnauthenticated(get(APP + "/api/orders", cookie(expired)));
        Response navigation = get(APP + "/dashboard/home", cookie(expired), "Sec-Fetch-Mode: navigate");
        assertEquals(302, navigation.status(), () -> describe(navigation));
        assertEquals(APP + "/dashboard/home", from(navigation.header("Location").orElseThrow()));
    }

    @Test
    void slidingExpiryReissuesTheCookiesAtMostOncePerInterval() throws Exception {
        String token = Tokens.valid("alice", "user");
        long now = java.time.Instant.now().getEpochSecond();
        String started = LifetimeRecords.signed(SLIDING_SIGNING_SECRET, "alice", now - 2, now - 2); // as a login left it
        // The filter's clock stands still until moved, so "within the interval" holds however slow the run.
        MutableClock filterClock = ClockedSessionFilter.clock(SLIDING);
        filterClock.set(java.time.Instant.ofEpochSecond(now));
        try {
            slidingExpiryReissues(token, started, filterClock);
        } finally {
            filterClock.followSystemTime();
        }
    }

    private void slidingExpiryReissues(String token, String started, MutableClock filterClock) throws Exception {
        Response first = get(SLIDING + "/api/orders", "Cookie: " + ACCESS_COOKIE + "=" + token + "; sg_meta=" + started);

        assertEquals(200, first.status(), () -> describe(first));
        String meta = setCookieValue(first, "sg_meta");
        assertTrue(first.headers("set-cookie").stream().anyMatch(c -> c.startsWith(ACCESS_COOKIE + "=") && c.contains("Max-Age=900")),
                () -> "the access cookie is re-issued with the sliding Max-Age: " + first.headers("set-cookie"));

        Response soon = get(SLIDING + "/api/orders", "Cookie: " + ACCESS_COOKIE + "=" + token + "; sg_meta=" + meta);
        assertEquals(200, soon.status(), () -> describe(soon));
        assertTrue(soon.headers("set-cookie").isEmpty(), () -> "within the interval nothing is re-issued: " + soon.headers("set-cookie"));

        filterClock.advance(Duration.ofSeconds(2)); // past the one-second sliding interval
        Response later = get(SLIDING + "/api/orders", "Cookie: " + ACCESS_COOKIE + "=" + token + "; sg_meta=" + meta);
        assertEquals(200, later.status(), () -> describe(later));
        assertNotEquals(meta, setCookieValue(later, "sg_meta"), "activity is recorded in a new meta value");
        assertTrue(later.headers("set-cookie").stream().anyMatch(c -> c.startsWith(ACCESS_COOKIE + "=") && c.contains("Max-Age=900")));
    }

    @Test
    void tamperedLifetimeCookieEndsTheSession() throws Exception {
        String token = Tokens.valid("alice", "user");
        String meta = LifetimeRecords.live(SLIDING_SIGNING_SECRET, "alice");
        assertEquals(200, get(SLIDING + "/api/orders", "Cookie: " + ACCESS_COOKIE + "=" + token + "; sg_meta=" + meta).status(),
                "the untampered record is live");
        String tampered = (meta.charAt(0) == 'A' ? "B" : "A") + meta.substring(1);

        Response response = get(SLIDING + "/api/orders", "Cookie: " + ACCESS_COOKIE + "=" + token + "; sg_meta=" + tampered);

        assertUnauthenticated(response);
        assertTrue(response.headers("set-cookie").stream().anyMatch(c -> c.startsWith(ACCESS_COOKIE + "=;")),
                () -> "the session cookies are cleared: " + response.headers("set-cookie"));
    }

    private static String setCookieValue(Response response, String name) {
        return response.headers("set-cookie").stream().filter(c -> c.startsWith(name + "="))
                .map(c -> c.substring(name.length() + 1, c.indexOf(';') < 0 ? c.length() : c.indexOf(';')))
                .filter(v -> !v.isEmpty()).findFirst()
                .orElseThrow(() -> new AssertionError("no " + name + " cookie in " + response.headers("set-cookie")));
    }

    @Test
    void tokenExpiredWithinTheClockSkewServesWhenNoRefreshIsPossible() throws Exception {
        Response response = get(APP + "/api/orders", cookie(Tokens.lapsed("alice", "user")));

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("alice", echo(response).get("principal"));
    }

    @Test
    void tokenSignedWithAnotherKeyIsRefusedAndItsCookieCleared() throws Exception {
        Response response = get(APP + "/api/orders", cookie(Tokens.forged("alice", "admin")));

        assertUnauthenticated(response);
        assertAccessCookieCleared(response);
        assertEquals(1, response.headers("Set-Cookie").size(),
                () -> "one clearing for the one session cookie carried: " + response.headers("Set-Cookie"));
    }

    /**
     * A malformed token gets the 401 with its small fixed body and exactly one clearing
     * {@code Set-Cookie}, for the one session cookie it came in: none for the names it did not
     * carry, none for another application's cookie next to it.
     */
    @Test
    void malformedTokenClearsOnlyTheCookieItCameIn() throws Exception {
        Response response = get(APP + "/api/orders", "Cookie: theme=dark; " + ACCESS_COOKIE + "=eyJhbGciOiJIUzI1NiJ9.e$$$.c2ln");

        assertUnauthenticated(response);
        assertEquals("{\"error\":\"unauthenticated\"}", response.body(), "the 401 body is small and fixed");
        assertAccessCookieCleared(response);
        assertEquals(1, response.headers("Set-Cookie").size(), () -> "Set-Cookie: " + response.headers("Set-Cookie"));
    }

    @Test
    void tokenForAnotherAudienceIsRefused() throws Exception {
        assertUnauthenticated(get(APP + "/api/orders", cookie(Tokens.otherAudience("alice", "user"))));
    }

    // ---------------------------------------------------------------- cookie parsing

    @Test
    void duplicateSessionCookieIsTreatedAsNoSession() throws Exception {
        String token = Tokens.valid("alice", "user");
        String other = Tokens.valid("mallory", "admin");

        assertAll(
                () -> assertUnauthenticated(get(APP + "/api/orders", "Cookie: sg_access=" + token + "; sg_access=" + token)),
                () -> assertUnauthenticated(get(APP + "/api/orders", "Cookie: sg_access=" + other + "; sg_access=" + token)),
                () -> assertUnauthenticated(get(APP + "/api/orders", "Cookie: sg_access=" + token, "Cookie: sg_access=" + other)));
    }

    @ParameterizedTest(name = "[{index}] Cookie: {0}")
    @ValueSource(strings = {
        "other=\"a\tb\"; sg_access=%s",
        "sg_access=%s; other=\"a\tb\"",
        "theme=\"dark blue\"; sg_access=%s; x=\"unterminated",
        "a=1;;; =novalue; sg_access=%s; \tlang=en",
        "JSESSIONID=\"quoted\"; sg_access=%s; csrf=a\"b\\c"
    })
    void strayJunkCookieNextToValidSessionStillWorks(String cookieHeader) throws Exception {
        String token = Tokens.valid("alice", "user");

        Response response = raw("GET", APP + "/api/orders", "Cookie: " + cookieHeader.formatted(token));

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("alice", echo(response).get("principal"));
    }

    @Test
    void withSecureCookiesOnlyTheHostPrefixedCookieCounts() throws Exception {
        String token = Tokens.valid("alice", "user");

        Response[] sent = new Response[1];
        String log = LogCapture.during(() -> sent[0] = get(SECURE + "/home", cookie(token)));
        Response plain = sent[0];
        Response prefixed = get(SECURE + "/home", "Cookie: " + HOST_ACCESS_COOKIE + "=" + token);

        assertUnauthenticated(plain);
        // The ignored bare name is audited with the settings that would read it (the only such request to /secure).
        String event = log.lines().filter(l -> l.contains("event=ignored_cookie")).findFirst()
                .orElseThrow(() -> new AssertionError("no ignored_cookie event:\n" + log));
        assertTrue(event.contains("`" + ACCESS_COOKIE + "` is read only with " + CookieSettings.PARAM_SECURE + "=false or "
                + CookieSettings.PARAM_HOST_PREFIX + "=false; this filter expects `" + HOST_ACCESS_COOKIE + "`"), event);
        assertFalse(log.contains(token), "names only, never a value");
        assertEquals(200, prefixed.status(), () -> describe(prefixed));
        assertEquals("alice", echo(prefixed).get("principal"));
    }

    @Test
    void hostPrefixedCookieIsClearedWithSecureAndPathSlashAndNoDomain() throws Exception {
        Response response = get(SECURE + "/home", "Cookie: " + HOST_ACCESS_COOKIE + "=" + Tokens.forged("alice", "user"));

        assertUnauthenticated(response);
        List<String> setCookies = response.headers("Set-Cookie");
        String clearing = setCookies.stream().filter(c -> c.startsWith(HOST_ACCESS_COOKIE + "=;")).findFirst()
                .orElseThrow(() -> new AssertionError("no clearing Set-Cookie for " + HOST_ACCESS_COOKIE + ": " + setCookies));
        String lower = clearing.toLowerCase(Locale.ROOT);
        assertAll(
                () -> assertTrue(lower.contains("; secure"), clearing),
                () -> assertTrue(lower.contains("path=/;") || lower.endsWith("path=/"), clearing),
                () -> assertFalse(lower.contains("domain="), clearing),
                () -> assertTrue(lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970"), clearing));
    }

    // ---------------------------------------------------------------- caching

    @Test
    void responsesToSessionRequestsStayPrivateEvenWhenTheAppAsksForPublicCaching() throws Exception {
        Response response = get(APP + "/dashboard/page?cache=public", cookie(Tokens.valid("alice", "user")));

        assertEquals(200, response.status(), () -> describe(response));
        assertPrivate(response);
        assertTrue(response.headers("Expires").isEmpty(), () -> "Expires: " + response.headers("Expires"));
    }

    @Test
    void addedCachingHeadersCannotWeakenThePolicyAndVaryKeepsCookie() throws Exception {
        Response response = get(APP + "/dashboard/page?cache=add", cookie(Tokens.valid("alice", "user")));

        assertEquals(200, response.status(), () -> describe(response));
        assertPrivate(response);
        String vary = String.join(", ", response.headers("Vary"));
        assertTrue(vary.contains("Accept-Encoding"), () -> "the application's Vary is kept: " + vary);
    }

    @Test
    void publicPageServedToASessionIsPrivateToo() throws Exception {
        Response response = get(APP + "/public/page?cache=public", cookie(Tokens.valid("alice", "user")));

        assertEquals(200, response.status(), () -> describe(response));
        assertPrivate(response);
    }

    @Test
    void errorPageSeesTheSameUserAndIsNeverStored() throws Exception {
        Response response = get(APP + "/dashboard/missing?status=404", cookie(Tokens.valid("alice", "user")));

        assertEquals(404, response.status(), () -> describe(response));
        Map<String, Object> echo = echo(response);
        assertEquals("ERROR", echo.get("dispatcherType"));
        assertEquals("alice", echo.get("principal"), "the error page sees the user");
        assertTrue(String.join(",", response.headers("Cache-Control")).contains("no-store"), () -> describe(response));
    }

    @Test
    void errorPageForASessionRequestStaysPrivateWithVaryCookie() throws Exception {
        Response response = get(APP + "/dashboard/missing?status=404", cookie(Tokens.valid("alice", "user")));

        assertEquals(404, response.status(), () -> describe(response));
        assertPrivate(response);
    }

    @Test
    void asyncDispatchSeesTheSameUser() throws Exception {
        Response response = get(APP + "/dashboard/later?async=dispatch", cookie(Tokens.valid("alice", "user")));

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> echo = echo(response);
        assertEquals("ASYNC", echo.get("dispatcherType"));
        assertEquals("alice", echo.get("principal"), "the async continuation sees the user");
        assertEquals(Boolean.TRUE, ((Map<?, ?>) echo.get("inRole")).get("user"));
    }

    @Test
    void asyncDispatchResponseForASessionRequestStaysPrivate() throws Exception {
        Response response = get(APP + "/dashboard/later?async=dispatch&cache=public", cookie(Tokens.valid("alice", "user")));

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("alice", echo(response).get("principal"));
        assertPrivate(response);
        assertTrue(response.headers("Expires").isEmpty(), () -> "Expires: " + response.headers("Expires"));
    }

    @Test
    void refusalsOfSessionRequestsAreNotCacheable() throws Exception {
        Response response = get(APP + "/api/orders", cookie(Tokens.forged("alice", "user")));

        assertUnauthenticated(response);
        assertVaryCookie(response);
    }

    @Test
    void anonymousPublicResponsesKeepTheApplicationsCachingHeaders() throws Exception {
        Response response = get(APP + "/public/page?cache=public");

        assertEquals(200, response.status(), () -> describe(response));
        assertEquals("public, max-age=600", response.header("Cache-Control").orElse(null));
    }

    // ---------------------------------------------------------------- CORS

    @Test
    void corsPreflightOnProtectedPathReachesTheApplication() throws Exception {
        Response response = send("OPTIONS", APP + "/api/orders",
                "Origin: https://spa.example", "Access-Control-Request-Method: DELETE");

        assertEquals(204, response.status(), () -> describe(response));
        assertEquals("options", response.header("X-Echo").orElse(null), "the application answered");
    }

    @Test
    void optionsThatIsNotAPreflightIsStillProtected() throws Exception {
        assertUnauthenticated(send("OPTIONS", APP + "/api/orders", "Access-Control-Request-Method: DELETE"));
    }

    // ---------------------------------------------------------------- firewall

    /**
     * Path tricks, relative to a context path, sent raw and unauthenticated to {@code /app} and to
     * the root context, where a confused container or rule could serve {@code /admin} or
     * {@code /dashboard} as if it were {@code /public/*}. Every one must be a 400: the filter's JSON
     * when the container hands the request on, the container's own page when it refuses it first
     * (Jetty 12 refuses most of these itself; Tomcat 11 passes {@code ..;}, {@code //},
     * {@code %2e}, {@code %09}, {@code %0d%0a} and {@code %7f} to the filter).
     */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "/public/..;/admin",
        "/public/..;/dashboard",
        "/admin;x=1",
        "/public;x=1/../dashboard",
        "/dashboard;jsessionid=0123ABCD",
        "/%2e%2e/admin",
        "/public/%2e%2e/dashboard",
        "/public/%2E%2E/dashboard",
        "/public/.%2e/dashboard",
        "/public/%252e%252e/dashboard",
        "//admin",
        "/public//../dashboard",
        "/admin%2f",
        "/public%2f..%2fdashboard",
        "/public/..%5cdashboard",
        "/public%5C..%5Cdashboard",
        "/public/..\\dashboard",
        "/dashboard%00",
        "/public/x%00/../../dashboard",
        "/dashboard%0d%0a",
        "/dashboard%0D%0AX-Injected:%20yes",
        "/dashboard%09",
        "/dashboard%7f",
        "/public/./../dashboard",
        "/public/../dashboard"
    })
    void pathTrickIsRejectedWith400AndNeverReachesTheApplication(String trick) throws Exception {
        for (String context : List.of(APP, "")) {
            Response response = raw("GET", context + trick);

            assertNoEcho(response);
            assertEquals(400, response.status(), () -> "GET " + context + trick + " -> " + describe(response));
            if (response.header("Content-Type").orElse("").startsWith("application/json")) {
                assertEquals(Map.of("error", "bad_request"), Json.object(response.body()));
            }
            assertTrue(response.headers("X-Injected").isEmpty(), "header injection");
        }
    }

    /** Tricks both containers hand to the filter: its own 400 with a fixed JSON body. */
    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "/admin;x=1",
        "/dashboard;jsessionid=0123ABCD",
        "/public;x=1/../dashboard",
        "/public/../dashboard",
        "/public/./../dashboard"
    })
    void firewallAnswers400JsonToPathTricksTheContainerPassesOn(String trick) throws Exception {
        Response response = raw("GET", APP + trick);

        assertEquals(400, response.status(), () -> describe(response));
        assertEquals(Map.of("error", "bad_request"), Json.object(response.body()), () -> describe(response));
        assertTrue(response.headers("Set-Cookie").isEmpty());
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(strings = {
        "//evil.example/..;/dashboard",
        "//evil.example/dashboard",
        "//evil.example/%2e%2e/dashboard",
        "/\\evil.example/dashboard",
        "/%2F%2Fevil.example/dashboard",
        "/%5C%5Cevil.example/dashboard",
        "/dashboard?x=//evil.example"
    })
    void loginRedirectNeverPointsOffSite(String target) throws Exception {
        for (String context : List.of("", APP)) {
            Response response = raw("GET", context + target, "Accept: text/html", "Sec-Fetch-Mode: navigate");

            assertNoEcho(response);
            Optional<String> location = response.header("Location");
            if (location.isPresent()) {
                String l = location.get();
                assertTrue(l.startsWith("/") && !l.startsWith("//") && !l.startsWith("/\\"),
                        () -> "GET " + context + target + " -> Location " + l);
                String from = from(l);
                assertTrue(from.startsWith("/") && !from.startsWith("//") && !from.startsWith("/\\")
                        && !from.contains("://"), () -> "GET " + context + target + " -> from=" + from);
                assertTrue(from.startsWith(context + "/"), () -> "from= leaves the context: " + from);
            }
        }
    }

    // ---------------------------------------------------------------- a custom validator

    @Test
    void customValidatorNamedInWebXmlIsConfiguredFromItsOwnParamAndAsked() throws Exception {
        String token = "acme-" + UUID.randomUUID();
        acme.register(token, "carol", "admin", "user");

        Response response = get(ACME + "/admin/panel", cookie(token));

        assertEquals(200, response.status(), () -> describe(response));
        Map<String, Object> echo = echo(response);
        assertEquals("carol", echo.get("principal"));
        assertEquals(Map.of("admin", true, "user", true), echo.get("inRole"));
        assertEquals(1, acme.lookups(token), "the backend at ${sys:acme.url} was asked once");
    }

    @Test
    void customValidatorRefusalGives401AndClearsTheCookie() throws Exception {
        String token = "acme-unknown-" + UUID.randomUUID();

        Response response = get(ACME + "/orders", cookie(token));

        assertUnauthenticated(response);
        assertTrue(response.header("WWW-Authenticate").orElseThrow().contains("realm=\"acme\""));
        assertAccessCookieCleared(response);
        assertEquals(1, acme.lookups(token));
    }

    @Test
    void customBackendOutageGives503WithRetryAfterAndLeavesCookiesAlone() throws Exception {
        String token = AcmeBackend.DOWN + UUID.randomUUID();

        Response api = get(ACME + "/orders", cookie(token));
        Response navigation = get(ACME + "/orders", cookie(token), "Sec-Fetch-Mode: navigate");

        for (Response response : List.of(api, navigation)) {
            assertEquals(503, response.status(), () -> describe(response));
            assertEquals("7", response.header("Retry-After").orElse(null), "retry-after-seconds from web.xml");
            assertEquals(List.of(), response.headers("Set-Cookie"), "an outage must not log anyone out");
            assertNoEcho(response);
        }
        assertTrue(acme.lookups(token) >= 1, "the backend was asked");
    }

    @Test
    void customValidatorThatThrowsGives503AndLeavesCookiesAlone() throws Exception {
        String token = AcmeBackend.GARBAGE + UUID.randomUUID();

        Response response = get(ACME + "/orders", cookie(token));

        assertEquals(503, response.status(), () -> describe(response));
        assertTrue(response.header("Retry-After").isPresent());
        assertEquals(List.of(), response.headers("Set-Cookie"));
        assertEquals(1, acme.lookups(token));
    }

    @Test
    void backendOutageOnPublicPathStillServesThePageWithoutUser() throws Exception {
        String token = AcmeBackend.DOWN + UUID.randomUUID();

        Response response = get(ACME + "/public/news", cookie(token));

        assertEquals(200, response.status(), () -> describe(response));
        assertNull(echo(response).get("principal"));
        assertEquals(List.of(), response.headers("Set-Cookie"));
    }

    // ---------------------------------------------------------------- start-up

    /**
     * {@code /typo}'s web.xml misspells {@code protected-paths} under {@code default-access=public}:
     * ignored, the typo would open {@code /dashboard}. Its filter must refuse to start, so the
     * webapp never serves (Jetty answers 503; Tomcat stops the context and hands its URLs to the
     * root webapp, which guards them with its own rules).
     */
    @Test
    void misspeltInitParamKeepsTheWebappFromServing() throws Exception {
        Response response = get(TYPO + "/dashboard/home");

        assertNoEcho(response);
        assertTrue(response.status() >= 400, () -> describe(response));
        String failure = container.startupFailure(TYPO).orElseThrow(() -> new AssertionError("/typo started"));
        assertTrue(failure.contains("protected-pathz"), () -> "start-up failure does not name the parameter:\n" + failure);
    }

    // ---------------------------------------------------------------- logging

    @Test
    void noTokenIsEverLoggedWhileTheAuditTrailRecordsFingerprints() throws Exception {
        String valid = Tokens.valid("alice", "user");
        String expired = Tokens.expired("alice", "user");
        String forged = Tokens.forged("mallory", "admin");
        String duplicate = Tokens.valid("bob", "user");
        String acmeUnknown = "acme-unknown-" + UUID.randomUUID();
        String acmeDown = AcmeBackend.DOWN + UUID.randomUUID();
        List<String> tokens = List.of(valid, expired, forged, duplicate, acmeUnknown, acmeDown);

        String log = LogCapture.during(() -> {
            get(APP + "/dashboard/home", cookie(valid));
            get(APP + "/api/orders", cookie(expired));
            get(APP + "/dashboard/home", cookie(expired), "Sec-Fetch-Mode: navigate");
            get(APP + "/api/orders", cookie(forged));
            get(APP + "/admin/users", cookie(valid));
            get(APP + "/api/orders", "Cookie: sg_access=" + duplicate + "; sg_access=" + duplicate);
            raw("GET", APP + "/public;x=1/../admin", cookie(valid));
            get(ACME + "/orders", cookie(acmeUnknown));
            get(ACME + "/orders", cookie(acmeDown));
            // Junk next to the session cookie: Tomcat logs the invalid cookie; it must not quote ours.
            raw("GET", APP + "/api/orders", "Cookie: other=\"a\tb\"; sg_access=" + valid + "; x=\"unterminated");
        });

        List<String> leaks = new ArrayList<>();
        for (String token : tokens) {
            for (String part : secretParts(token)) {
                if (log.contains(part)) {
                    leaks.add(part.length() > 16 ? part.substring(0, 16) + "..." : part);
                }
            }
        }
        assertTrue(leaks.isEmpty(), () -> "token material in the logs: " + leaks + "\n" + log);
        assertFalse(log.contains(Tokens.SECRET), "the HMAC key is in the logs");

        assertTrue(log.lines().anyMatch(l -> l.contains("DEBUG io.github.sessiongate")),
                () -> "SessionGate's DEBUG lines were not captured, so they were not checked:\n" + log);
        List<String> audit = log.lines().filter(l -> l.contains(AuditLog.LOGGER_NAME)).toList();
        assertFalse(audit.isEmpty(), () -> "no audit events recorded:\n" + log);
        Pattern fingerprinted = Pattern.compile("token=([0-9a-f]{8})\\b");
        assertTrue(audit.stream().anyMatch(l -> fingerprinted.matcher(l).find()), () -> "no fingerprint in:\n" + audit);
        assertAll(
                () -> assertAuditLine(audit, "event=invalid_token", Tokens.fingerprint(forged)),
                () -> assertAuditLine(audit, "event=denied", Tokens.fingerprint(forged)),
                () -> assertAuditLine(audit, "event=duplicate_cookie", null),
                () -> assertAuditLine(audit, "event=bad_path", null),
                () -> assertAuditLine(audit, "event=invalid_token", Tokens.fingerprint(acmeUnknown)),
                () -> assertAuditLine(audit, "event=unavailable", Tokens.fingerprint(acmeDown)));
    }

    // ---------------------------------------------------------------- helpers

    /** The parts of a token that must never be logged: the whole, and for a JWT its payload and signature. */
    private static List<String> secretParts(String token) {
        List<String> parts = new ArrayList<>(List.of(token));
        String[] segments = token.split("\\.");
        if (segments.length == 3) {
            parts.add(segments[1]);
            parts.add(segments[2]);
        }
        return parts;
    }

    private static void assertAuditLine(List<String> audit, String event, String fingerprint) {
        assertTrue(audit.stream().anyMatch(l -> l.contains(event) && (fingerprint == null || l.contains("token=" + fingerprint))),
                () -> "no audit line with " + event + (fingerprint == null ? "" : " and token=" + fingerprint) + " in:\n"
                        + String.join("\n", audit));
    }

    static String cookie(String token) {
        return "Cookie: " + ACCESS_COOKIE + "=" + token;
    }

    /** GET through java.net.http; {@code headers} are {@code "Name: value"} lines. */
    Response get(String target, String... headers) throws IOException, InterruptedException {
        return send("GET", target, headers);
    }

    /** A request through java.net.http, redirects not followed. */
    Response send(String method, String target, String... headers) throws IOException, InterruptedException {
        HttpRequest request = JavaHttp.request(base, target, Duration.ofSeconds(10), headers)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return JavaHttp.toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** A request written byte for byte on a socket. */
    Response raw(String method, String target, String... headers) throws IOException {
        return RawHttp.send(base, method, target, headers);
    }

    /** The echo servlet's account of the request; fails if the servlet did not write the body. */
    static Map<String, Object> echo(Response response) {
        Map<String, Object> echo = Json.object(response.body());
        assertEquals(EchoServlet.MARKER, echo.get("servlet"), () -> "not the echo servlet: " + response.body());
        return echo;
    }

    static void assertNoEcho(Response response) {
        assertFalse(response.body().contains(EchoServlet.MARKER), () -> "reached the application: " + describe(response));
    }

    static void assertUnauthenticated(Response response) {
        assertAll(
                () -> assertEquals(401, response.status(), () -> describe(response)),
                () -> assertEquals(Map.of("error", "unauthenticated"), Json.object(response.body())),
                () -> assertTrue(response.header("WWW-Authenticate").isPresent(), "WWW-Authenticate"),
                () -> assertTrue(String.join(",", response.headers("Cache-Control")).contains("no-store"),
                        () -> "Cache-Control: " + response.headers("Cache-Control")));
    }

    /** {@code Cache-Control: private, no-store} (nothing weaker) and {@code Vary: Cookie}. */
    static void assertPrivate(Response response) {
        String cacheControl = String.join(", ", response.headers("Cache-Control")).toLowerCase(Locale.ROOT);
        assertAll(
                () -> assertTrue(cacheControl.contains("private") && cacheControl.contains("no-store"),
                        () -> "Cache-Control: " + cacheControl),
                () -> assertFalse(cacheControl.contains("public") || cacheControl.contains("max-age=600"),
                        () -> "Cache-Control: " + cacheControl),
                () -> assertVaryCookie(response));
    }

    static void assertVaryCookie(Response response) {
        String vary = String.join(", ", response.headers("Vary"));
        assertTrue(Pattern.compile("(^|[ ,])cookie($|[ ,])", Pattern.CASE_INSENSITIVE).matcher(vary).find(), () -> "Vary: " + vary);
    }

    /**
     * A clearing {@code Set-Cookie} for the access cookie: same name, empty value, Path=/, already
     * expired (Jetty writes {@code Max-Age=0}; Tomcat 11 renders {@code setMaxAge(0)} as an
     * {@code Expires} in 1970 only), no Secure on plain HTTP to 127.0.0.1.
     */
    static void assertAccessCookieCleared(Response response) {
        List<String> setCookies = response.headers("Set-Cookie");
        String clearing = setCookies.stream().filter(c -> c.startsWith(ACCESS_COOKIE + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("no Set-Cookie for " + ACCESS_COOKIE + ": " + setCookies));
        String lower = clearing.toLowerCase(Locale.ROOT);
        assertAll(
                () -> assertTrue(lower.startsWith(ACCESS_COOKIE + "=;"), clearing),
                () -> assertTrue(lower.contains("max-age=0") || lower.contains("expires=thu, 01 jan 1970"), clearing),
                () -> assertTrue(lower.contains("path=/"), clearing),
                () -> assertTrue(lower.contains("httponly"), clearing),
                () -> assertFalse(lower.contains("secure"), "plain HTTP to 127.0.0.1: " + clearing));
    }

    /** The decoded {@code from} parameter of a login redirect. */
    static String from(String location) {
        Matcher m = Pattern.compile("[?&]from=([^&]*)").matcher(location);
        assertTrue(m.find(), () -> "no from= in " + location);
        return URLDecoder.decode(m.group(1), StandardCharsets.UTF_8);
    }

    static String describe(Response response) {
        return ResponseText.describe(response);
    }
}

package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.ConfigException;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.LoginSettings;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenRefresher;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.engine.RequestStepsTest.StepsValidator;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The seam the OpenID Connect login will use, proved with a flow declared here: its entry point
 * saves a login transaction and redirects to a provider; its callback, a cross-site top-level
 * {@code GET} defended by {@code state} (not by the endpoint CSRF rule), starts the session; its
 * logout step answers with the provider's logout; it revokes through its own revoker and shows
 * its provider on {@code /auth/session}. Without a container.
 */
class CustomLoginFlowTest {
    private static final String SAME_ORIGIN = "http://localhost:8080";
    private static final String PROVIDER = "https://id.example";
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults(),
            List.of(CookieKind.ACCESS, CookieKind.REFRESH, CookieKind.LOGIN_TRANSACTION), null);
    private static final String ACCESS = CODEC.accessCookieName(true);
    private static final String REFRESH = CODEC.refreshCookieName(true);
    private static final String TRANSACTION = CODEC.cookieName(CookieKind.LOGIN_TRANSACTION, 0, true);
    /** Login transactions must be sealed, so the filter seals every token cookie here. */
    private static final CookieSealSettings SEALING = CookieSealSettings.builder()
            .key("k1", java.util.Base64.getEncoder().encodeToString(new byte[32])).build();
    private static final CookieSeal SEAL = CookieSeal.create(SEALING, List.of()).orElseThrow();

    private final MutableClock clock = new MutableClock();
    private final ProviderFlow flow = new ProviderFlow();
    private SessionFilter filter;
    private ServletRequest chained;

    @BeforeEach
    void start() throws Exception {
        filter = new SessionFilter(GateConfig.builder()
                .validator(new StepsValidator(clock))
                .protectedPaths("/app/**")
                .publicPaths("/auth/login")
                .loginFlow(flow)
                .cookieSeal(SEALING)
                .clock(clock)
                .build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        filter.destroy();
    }

    @Test
    void theEntryPointIsTheFlowsNotTheLoginPath() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.get("/app/page").navigation());
        assertEquals(302, response.status());
        assertEquals(PROVIDER + "/authorize?state=s1", response.header("Location").orElseThrow());
        assertEquals("s1", response.cookie(TRANSACTION).map(CustomLoginFlowTest::opened).orElseThrow(), "the login transaction is saved");
        assertNull(chained);
    }

    @Test
    void aCrossSiteCallbackWithItsStateStartsTheSession() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.get("/auth/callback").query("state=s1")
                .header("Origin", "https://id.example").header("Sec-Fetch-Site", "cross-site").navigation()
                .cookie(TRANSACTION, sealed("s1")));
        assertEquals(303, response.status(), response.body());
        assertEquals("/app/page", response.header("Location").orElseThrow());
        assertEquals("valid-carol", response.cookie(ACCESS).map(CustomLoginFlowTest::opened).orElseThrow());
        assertEquals("refresh-carol", response.cookie(REFRESH).map(CustomLoginFlowTest::opened).orElseThrow());
        assertEquals(0, response.cookie(TRANSACTION).orElseThrow().getMaxAge(), "the transaction is spent");
        assertTrue(response.header("Cache-Control").orElse("").contains("no-store"));
        assertNull(chained, "the flow answered; the application never ran");
    }

    @Test
    void aCallbackWithoutItsStateStartsNothing() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.get("/auth/callback").query("state=forged")
                .header("Sec-Fetch-Site", "cross-site").navigation().cookie(TRANSACTION, sealed("s1")));
        assertEquals(403, response.status());
        assertTrue(response.cookie(ACCESS).isEmpty(), "no session: " + response.cookies());
    }

    @Test
    void aRouteUnderTheEndpointRuleIsCsrfChecked() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.post("/auth/strict").header("Origin", "https://evil.example"));
        assertEquals(403, response.status());
        assertEquals(0, flow.strictCalls, "the flow never saw the forged request");

        InMemoryResponse allowed = run(InMemoryRequest.post("/auth/strict").header("Origin", SAME_ORIGIN));
        assertEquals(204, allowed.status());
        assertEquals(1, flow.strictCalls);
    }

    @Test
    void logoutEndsTheSessionRevokesAndAnswersWithTheProvidersLogout() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN)
                .header("Accept", "text/html").cookie(ACCESS, sealed("valid-carol")).cookie(REFRESH, sealed("refresh-carol")));
        assertEquals(303, response.status());
        assertEquals(PROVIDER + "/logout", response.header("Location").orElseThrow());
        assertEquals(0, response.cookie(ACCESS).orElseThrow().getMaxAge());
        assertEquals(0, response.cookie(REFRESH).orElseThrow().getMaxAge());
        assertEquals(List.of("refresh-carol"), flow.revoked, "the flow's revoker ends the refresh token at its issuer");
    }

    @Test
    void aJsonLogoutGetsTheFlowsLogoutLocationInTheBody() throws Exception {
        // Issue 9: a script cannot follow a 303 across origins; it gets the location as JSON (200) instead.
        InMemoryResponse response = run(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN)
                .header("X-Requested-With", "fetch").cookie(ACCESS, sealed("valid-carol")));
        assertEquals(200, response.status());
        assertEquals("{\"location\":\"" + PROVIDER + "/logout\"}", response.body().replace("\\/", "/"));
        assertEquals(0, response.cookie(ACCESS).orElseThrow().getMaxAge());
    }

    @Test
    void theSessionEndpointShowsTheFlow() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.get("/auth/session").header("Origin", SAME_ORIGIN)
                .cookie(ACCESS, sealed("valid-carol")));
        assertEquals(200, response.status());
        assertTrue(response.body().contains("\"login\":{\"provider\":\"" + PROVIDER + "\"}"), response.body());

        InMemoryResponse anonymous = run(InMemoryRequest.get("/auth/session").header("Origin", SAME_ORIGIN));
        assertFalse(anonymous.body().contains("\"login\""), anonymous.body());
    }

    @Test
    void thePasswordLoginEndpointIsNotServed() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.post("/auth/login").header("Origin", SAME_ORIGIN)
                .body("application/json", "{\"username\":\"a\",\"password\":\"b\"}"));
        assertEquals(200, response.status(), "the path goes to the application");
        assertTrue(chained != null);
    }

    @Test
    void theFlowsRefresherRotatesItsSessions() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.get("/app/data").cookie(ACCESS, sealed("expired-1"))
                .cookie(REFRESH, sealed("refresh-carol")));
        assertEquals(200, response.status());
        assertEquals("carol", Session.from(chained).map(Session::subject).orElseThrow());
        assertEquals("valid-carol-2", response.cookie(ACCESS).map(CustomLoginFlowTest::opened).orElseThrow());
        assertEquals(List.of("refresh-carol"), flow.refreshed, "the flow's token endpoint, not the validator's");
    }

    @Test
    void aFlowExcludesThePasswordLoginSettings() {
        ConfigException e = assertThrows(ConfigException.class, () -> GateConfig.builder()
                .validator(new StepsValidator(clock)).loginFlow(flow)
                .login(LoginSettings.builder().url("https://backend.example/login").build()).build());
        assertEquals("loginFlow", e.parameter());
    }

    @Test
    void aRouteOnAnEndpointsPathIsRefused() {
        LoginFlow clash = new ProviderFlow() {
            @Override
            public List<Route> routes() {
                return List.of(new Route("/auth/session", Csrf.OWN_DEFENCE));
            }
        };
        SessionFilter f = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).loginFlow(clash)
                .cookieSeal(SEALING).build());
        ServletException e = assertThrows(ServletException.class, () -> f.init(null));
        assertTrue(e.getMessage().contains("session-endpoint"), e.getMessage());
    }

    /** One thing a flow tries with its context. */
    interface Attempt {
        void run() throws IOException;
    }

    private static String sealed(String value) {
        return SEAL.seal(value);
    }

    private static String opened(Cookie cookie) {
        return SEAL.open(cookie.getValue()).orElseThrow(() -> new AssertionError("not sealed: " + cookie.getName()));
    }

    @Test
    void aPlantedUnsealedTransactionIsNotSeen() throws Exception {
        InMemoryResponse response = run(InMemoryRequest.get("/auth/callback").query("state=s1")
                .header("Sec-Fetch-Site", "cross-site").navigation().cookie(TRANSACTION, "s1"));
        assertEquals(403, response.status(), "a plaintext transaction cookie is nobody's");
        assertTrue(response.cookie(ACCESS).isEmpty(), "no session: " + response.cookies());
    }

    @Test
    void aFlowKeepingTransactionsStartsWithoutAKeySealingThemWithAPerProcessOne() throws Exception {
        // Issue 9: no cookie-encryption-keys no longer refuses start-up; the transactions get a random key of this process.
        SessionFilter f = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).loginFlow(flow).build());
        f.init(null);
        f.destroy();
    }

    @Test
    void aFlowSetsNoCookieOrHeaderOfTheFiltersAndRedirectsOnlyToCheckedPlaces() throws Exception {
        List<String> refused = new CopyOnWriteArrayList<>();
        LoginFlow rogue = new ProviderFlow() {
            @Override
            public void handle(Route route, Context context) throws IOException {
                for (Attempt attempt : List.<Attempt>of(
                        () -> context.header("Set-Cookie", "planted=1"),
                        () -> context.header("Location", "https://evil.example/"),
                        () -> context.header("Retry-After", "1\r\nX-Injected: 1"),
                        () -> context.redirect(303, "//evil.example/"),
                        () -> context.redirect(303, "https://evil.example/\r\nX-Injected: 1"),
                        () -> context.redirect(303, "javascript:alert(1)"),
                        () -> context.redirect(303, "http://evil.example/"),
                        () -> context.redirect(303, "https://id.example/" + "a".repeat(9000)))) {
                    try {
                        attempt.run();
                    } catch (IllegalArgumentException e) {
                        refused.add(e.getMessage());
                    }
                }
                context.header("Retry-After", "5");
                context.redirect(303, "https://id.example/authorize?state=x");
            }
        };
        SessionFilter f = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).loginFlow(rogue)
                .cookieSeal(SEALING).clock(clock).build());
        f.init(null);
        try {
            InMemoryResponse response = new InMemoryResponse();
            f.doFilter(InMemoryRequest.get("/auth/callback").header("Sec-Fetch-Site", "cross-site").navigation().build(),
                    response.servlet(), (req, res) -> chained = req);
            assertEquals(8, refused.size(), refused.toString());
            assertEquals(303, response.status());
            assertEquals("https://id.example/authorize?state=x", response.header("Location").orElseThrow());
            assertEquals("5", response.header("Retry-After").orElseThrow());
            assertTrue(response.header("X-Injected").isEmpty());
            assertTrue(response.cookies().stream().noneMatch(c -> c.getName().equals("planted")), response.cookies().toString());
        } finally {
            f.destroy();
        }
    }

    @Test
    void anUncheckedLogoutLocationFallsBackToTheLogoutRedirectPath() throws Exception {
        LoginFlow open = new ProviderFlow() {
            @Override
            public Optional<String> logoutLocation(Context context, Optional<ProviderFacts> ended) {
                return Optional.of("https://user@evil.example/\r\nX-Injected: 1"); // as if taken from the request
            }
        };
        SessionFilter f = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).loginFlow(open)
                .cookieSeal(SEALING).clock(clock).build());
        f.init(null);
        try {
            InMemoryResponse response = new InMemoryResponse();
            f.doFilter(InMemoryRequest.post("/auth/logout")
                    .header("Origin", SAME_ORIGIN).header("Accept", "text/html").build(), response.servlet(), (req, res) -> { });
            assertEquals(303, response.status());
            assertEquals("/", response.header("Location").orElseThrow());
        } finally {
            f.destroy();
        }
    }

    private InMemoryResponse run(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        chained = null;
        FilterChain chain = (req, res) -> chained = req;
        filter.doFilter(request.build(), response.servlet(), chain);
        return response;
    }

    /** A provider-like flow: state in a login-transaction cookie, a callback that checks it. */
    static class ProviderFlow implements LoginFlow {
        final List<String> revoked = new CopyOnWriteArrayList<>();
        final List<String> refreshed = new CopyOnWriteArrayList<>();
        volatile int strictCalls;

        @Override
        public List<Route> routes() {
            return List.of(new Route("/auth/callback", Csrf.OWN_DEFENCE), new Route("/auth/strict", Csrf.ENDPOINT_RULE));
        }

        @Override
        public boolean usesLoginTransactions() {
            return true;
        }

        @Override
        public void enter(Context context) throws IOException {
            context.saveLoginTransaction("s1");
            context.redirect(302, PROVIDER + "/authorize?state=s1");
        }

        @Override
        public void handle(Route route, Context context) throws IOException {
            if (route.path().equals("/auth/strict")) {
                strictCalls++;
                context.noContent();
                return;
            }
            String state = Optional.ofNullable(context.request().getQueryString()).orElse("").replaceFirst("^state=", "");
            Optional<Transaction> pending = context.loginTransactions().stream().filter(t -> t.value().equals(state)).findFirst();
            if (pending.isEmpty()) {
                context.json(403, Map.of("error", "state"));
                return;
            }
            context.clearLoginTransaction(pending.get().slot());
            SessionStart start = context.startSession(new TokenPair("valid-carol", "refresh-carol", null),
                    Optional.of(new ProviderFacts(PROVIDER, "carol", Optional.of("sid-1"), Optional.empty())));
            if (start.outcome() != SessionStart.Outcome.STARTED) {
                context.unavailable();
                return;
            }
            context.redirect(303, context.safeTarget("/app/page").orElseThrow());
        }

        @Override
        public Optional<String> logoutLocation(Context context, Optional<ProviderFacts> ended) {
            return Optional.of(PROVIDER + "/logout");
        }

        @Override
        public Optional<Revoker> revoker() {
            return Optional.of(revoked::add);
        }

        @Override
        public Optional<TokenRefresher> refresher() {
            return Optional.of(refreshToken -> {
                refreshed.add(refreshToken);
                return refreshToken.equals("refresh-carol")
                        ? RefreshResult.refreshed(new TokenPair("valid-carol-2", "refresh-carol-2", null))
                        : RefreshResult.refused();
            });
        }

        @Override
        public Map<String, Object> sessionDetails(Session session) {
            return Map.of("provider", PROVIDER);
        }
    }
}

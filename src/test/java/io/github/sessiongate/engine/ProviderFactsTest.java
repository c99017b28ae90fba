package io.github.sessiongate.engine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSealSettings;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.LoginFlow;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.cookie.ProviderFactsValue;
import io.github.sessiongate.engine.RequestStepsTest.StepsValidator;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The provider facts (issue 9) through the engine, without a container: kept sealed in their own
 * cookie at login, with the ID token when it fits and without it otherwise; handed to the flow's
 * logout step (without the ID token for a JSON logout); cleared with the session; left alone by a
 * refresh; ignored, never a 500, when tampered or sealed elsewhere. Also the per-process key of
 * the login transactions when no {@code cookie-encryption-keys} is set, and the transactions'
 * SameSite floor.
 */
class ProviderFactsTest {
    private static final String SAME_ORIGIN = "http://localhost:8080";
    private static final String PROVIDER = "https://id.example";
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults(),
            List.of(CookieKind.ACCESS, CookieKind.REFRESH, CookieKind.LOGIN_TRANSACTION, CookieKind.PROVIDER_FACTS), null);
    private static final String ACCESS = CODEC.accessCookieName(true);
    private static final String REFRESH = CODEC.refreshCookieName(true);
    private static final String FACTS = CODEC.cookieName(CookieKind.PROVIDER_FACTS, 0, true);
    private static final String TRANSACTION = CODEC.cookieName(CookieKind.LOGIN_TRANSACTION, 0, true);
    private static final CookieSealSettings SEALING = CookieSealSettings.builder()
            .key("k1", Base64.getEncoder().encodeToString(new byte[32])).build();
    private static final CookieSeal SEAL = CookieSeal.create(SEALING, List.of()).orElseThrow();

    private final MutableClock clock = new MutableClock();
    private final FactsFlow flow = new FactsFlow();
    private SessionFilter filter;

    @AfterEach
    void stop() {
        if (filter != null) {
            filter.destroy();
        }
    }

    private void start(CookieSealSettings sealing, CookieSettings cookies) throws Exception {
        GateConfig.Builder b = GateConfig.builder().validator(new StepsValidator(clock)).protectedPaths("/app/**")
                .loginFlow(flow).clock(clock);
        if (sealing != null) {
            b.cookieSeal(sealing);
        }
        if (cookies != null) {
            b.cookies(cookies);
        }
        filter = new SessionFilter(b.build());
        filter.init(null);
    }

    @Test
    void aLoginKeepsTheFactsWithTheIdTokenSealedAndTheLogoutHandsThemToTheFlow() throws Exception {
        start(SEALING, null);
        String idToken = jwt(1300);
        flow.idToken = idToken;
        InMemoryResponse login = callback();
        assertEquals(303, login.status(), login.body());
        Cookie facts = login.cookie(FACTS).orElseThrow();
        assertFalse(facts.getValue().contains(idToken.substring(0, 40)), "sealed, not readable");
        LoginFlow.ProviderFacts kept = ProviderFactsValue.open(facts.getValue(), SEAL).orElseThrow();
        assertEquals(new LoginFlow.ProviderFacts(PROVIDER, "carol", Optional.of("sid-1"), Optional.of(idToken)), kept);
        assertTrue(facts.isHttpOnly() && facts.getSecure());

        InMemoryResponse logout = run(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN)
                .header("Accept", "text/html").cookie(ACCESS, login.cookie(ACCESS).get().getValue())
                .cookie(REFRESH, login.cookie(REFRESH).get().getValue()).cookie(FACTS, facts.getValue()));
        assertEquals(303, logout.status());
        assertEquals(List.of(Optional.of(kept)), flow.ended, "the form logout gets the ID token for id_token_hint");
        assertEquals(0, logout.cookie(FACTS).orElseThrow().getMaxAge(), "cleared with the session");
        assertEquals(0, logout.cookie(ACCESS).orElseThrow().getMaxAge());
    }

    @Test
    void neitherTheIdTokenNorTheFactsCookieIsEverLogged() throws Exception {
        start(null, null); // the per-process key, announced at start-up
        String idToken = jwt(1300);
        flow.idToken = idToken;
        String[] facts = new String[1];
        String log = io.github.sessiongate.testing.LogCapture.during(() -> {
            InMemoryResponse login = callback(SEALED_ELSEWHERE);
            facts[0] = login.cookie(FACTS).map(Cookie::getValue).orElse("none");
            run(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN).header("Accept", "text/html")
                    .cookie(ACCESS, "valid-carol").cookie(FACTS, facts[0]));
        });
        assertFalse(log.contains(idToken.substring(40, 80)), log);
        assertFalse(log.contains(facts[0].substring(facts[0].length() - 30)), log);
    }

    @Test
    void aJsonLogoutGetsTheFactsWithoutTheIdTokenAndTheLocationInTheBody() throws Exception {
        start(SEALING, null);
        flow.idToken = jwt(1300);
        InMemoryResponse login = callback();
        InMemoryResponse logout = run(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN)
                .header("X-Requested-With", "fetch").cookie(ACCESS, login.cookie(ACCESS).get().getValue())
                .cookie(FACTS, login.cookie(FACTS).get().getValue()));
        assertEquals(200, logout.status());
        assertEquals(List.of(Optional.of(new LoginFlow.ProviderFacts(PROVIDER, "carol", Optional.of("sid-1"), Optional.empty()))),
                flow.ended, "a script-readable URL never carries the ID token");
        assertTrue(logout.body().contains("logout_hint=carol"), logout.body());
        assertFalse(logout.body().contains("eyJ"), logout.body());
        assertEquals(0, logout.cookie(FACTS).orElseThrow().getMaxAge());
    }

    @Test
    void anIdTokenThatLeavesNoRoomForTwoSignInsIsNotKeptButIssSubAndSidAre() throws Exception {
        start(SEALING, null);
        flow.idToken = jwt(3000); // sealed, with the tokens, it would crowd out other tabs' sign-ins
        flow.access = "valid-carol-" + "a".repeat(1400);
        InMemoryResponse login = callback();
        assertEquals(303, login.status(), login.body());
        LoginFlow.ProviderFacts kept = ProviderFactsValue.open(login.cookie(FACTS).orElseThrow().getValue(), SEAL).orElseThrow();
        assertEquals(new LoginFlow.ProviderFacts(PROVIDER, "carol", Optional.of("sid-1"), Optional.empty()), kept);
    }

    @Test
    void tamperedOrForeignFactsAreIgnoredAndStillCleared() throws Exception {
        start(SEALING, null);
        CookieSeal foreign = CookieSeal.perProcess();
        String other = ProviderFactsValue.seal(new LoginFlow.ProviderFacts(PROVIDER, "mallory", Optional.empty(),
                Optional.empty()), foreign);
        String genuine = ProviderFactsValue.seal(new LoginFlow.ProviderFacts(PROVIDER, "carol", Optional.empty(),
                Optional.empty()), SEAL);
        String tampered = genuine.substring(0, genuine.length() - 3) + (genuine.endsWith("AAA") ? "BBB" : "AAA");
        for (String value : List.of(other, tampered, "garbage", "a.b.c.d.e")) {
            flow.ended.clear();
            InMemoryResponse logout = run(InMemoryRequest.post("/auth/logout").header("Origin", SAME_ORIGIN)
                    .header("Accept", "text/html").cookie(FACTS, value));
            assertEquals(303, logout.status(), value);
            assertEquals(List.of(Optional.empty()), flow.ended, "never another's or a forged subject");
            assertEquals(0, logout.cookie(FACTS).orElseThrow().getMaxAge());
        }
    }

    @Test
    void aRefreshInPlaceLeavesTheFactsAlone() throws Exception {
        start(SEALING, null);
        flow.idToken = jwt(1300);
        InMemoryResponse login = callback();
        InMemoryResponse page = run(InMemoryRequest.get("/app/page").navigation()
                .cookie(ACCESS, SEAL.seal("expired-carol")).cookie(REFRESH, SEAL.seal("refresh-carol"))
                .cookie(FACTS, login.cookie(FACTS).get().getValue()));
        assertEquals(200, page.status(), page.body());
        assertEquals("valid-carol-2", SEAL.open(page.cookie(ACCESS).orElseThrow().getValue()).orElseThrow(), "rotated");
        assertTrue(page.cookie(FACTS).isEmpty(), "the facts cookie is neither rewritten nor cleared: " + page.cookies());
    }

    @Test
    void withoutAConfiguredKeyTheTransactionsUseAKeyOfThisProcessOnly() throws Exception {
        start(null, null);
        InMemoryResponse entered = run(InMemoryRequest.get("/app/page").navigation());
        assertEquals(302, entered.status());
        String transaction = entered.cookie(TRANSACTION).orElseThrow().getValue();
        assertTrue(transaction.split("\\.").length == 5, "sealed");
        InMemoryResponse completed = run(InMemoryRequest.get("/auth/callback").query("state=s1")
                .header("Sec-Fetch-Site", "cross-site").navigation().cookie(TRANSACTION, transaction));
        assertEquals(303, completed.status(), "this node opens its own transaction: " + completed.body());
        assertEquals("valid-carol", completed.cookie(ACCESS).orElseThrow().getValue(), "the tokens stay unsealed, as configured");
        assertTrue(completed.cookie(FACTS).isPresent(), "facts sealed with the per-process key");

        SessionFilter otherNode = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock))
                .protectedPaths("/app/**").loginFlow(new FactsFlow()).clock(clock).build());
        otherNode.init(null);
        try {
            InMemoryResponse elsewhere = new InMemoryResponse();
            otherNode.doFilter(InMemoryRequest.get("/auth/callback").query("state=s1").header("Sec-Fetch-Site", "cross-site")
                    .navigation().cookie(TRANSACTION, transaction).build(), elsewhere.servlet(), (q, r) -> { });
            assertEquals(403, elsewhere.status(), "another node cannot open it");
            assertTrue(elsewhere.cookie(ACCESS).isEmpty());
        } finally {
            otherNode.destroy();
        }
    }

    @Test
    void theTransactionIsLaxEvenUnderStrictSessionCookiesAndFollowsAutoSecureOnLoopback() throws Exception {
        start(SEALING, CookieSettings.builder().sameSite(CookieSettings.SameSite.STRICT)
                .secure(CookieSettings.SecureMode.AUTO).build());
        InMemoryResponse entered = run(InMemoryRequest.get("/app/page").navigation());
        assertEquals(302, entered.status());
        Cookie tx = entered.cookies().stream().filter(c -> c.getName().startsWith(CookieKind.LOGIN_TRANSACTION_NAME))
                .findFirst().orElseThrow(() -> new AssertionError(entered.cookies().toString()));
        assertEquals("sg_login-0", tx.getName(), "plain http to loopback under auto: no __Host-");
        assertFalse(tx.getSecure());
        assertEquals("Lax", tx.getAttribute("SameSite"));
        assertEquals((int) CookieKind.LOGIN_TRANSACTION_MAX_AGE.getSeconds(), tx.getMaxAge(),
                "a custom flow's transactions keep the default Max-Age");
    }

    private InMemoryResponse callback() throws Exception {
        return callback(SEAL.seal("s1"));
    }

    /** Marks a callback whose transaction the filter sealed itself (its per-process key): entered first. */
    private static final String SEALED_ELSEWHERE = null;

    private InMemoryResponse callback(String transaction) throws Exception {
        String tx = transaction;
        if (tx == null) {
            tx = run(InMemoryRequest.get("/app/page").navigation()).cookie(TRANSACTION).orElseThrow().getValue();
        }
        return run(InMemoryRequest.get("/auth/callback").query("state=s1").header("Sec-Fetch-Site", "cross-site")
                .navigation().cookie(TRANSACTION, tx));
    }

    private InMemoryResponse run(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        FilterChain chain = (req, res) -> { };
        filter.doFilter(request.build(), response.servlet(), chain);
        return response;
    }

    /** A JWT-shaped value of about {@code length} characters, each part canonical base64url. */
    static String jwt(int length) {
        SecureRandom random = new SecureRandom();
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        byte[] payload = new byte[(length - 36 - 342 - 2) * 3 / 4];
        byte[] signature = new byte[256];
        random.nextBytes(payload);
        random.nextBytes(signature);
        return b64.encodeToString("{\"alg\":\"RS256\",\"typ\":\"JWT\"}".getBytes(java.nio.charset.StandardCharsets.UTF_8))
                + "." + b64.encodeToString(payload) + "." + b64.encodeToString(signature);
    }

    /** A provider-like flow whose callback starts a session with facts and whose logout records them. */
    static final class FactsFlow implements LoginFlow {
        final List<Optional<ProviderFacts>> ended = new CopyOnWriteArrayList<>();
        volatile String idToken;
        volatile String access = "valid-carol";
        volatile String refresh = "refresh-carol";
        volatile String transaction = "s1";
        /** The transaction value the callback completes. */
        volatile String completes = "s1";

        @Override
        public List<Route> routes() {
            return List.of(new Route("/auth/callback", Csrf.OWN_DEFENCE));
        }

        @Override
        public boolean usesLoginTransactions() {
            return true;
        }

        @Override
        public void enter(Context context) throws IOException {
            if (context.saveLoginTransaction(transaction) < 0) {
                context.json(400, Map.of("error", "login_too_large"));
                return;
            }
            context.redirect(302, PROVIDER + "/authorize?state=s1");
        }

        @Override
        public void handle(Route route, Context context) throws IOException {
            Optional<Transaction> pending = context.loginTransactions().stream().filter(t -> t.value().equals(completes)).findFirst();
            if (pending.isEmpty()) {
                context.json(403, Map.of("error", "state"));
                return;
            }
            context.clearLoginTransaction(pending.get().slot());
            SessionStart start = context.startSession(new TokenPair(access, refresh, null),
                    Optional.of(new ProviderFacts(PROVIDER, "carol", Optional.of("sid-1"), Optional.ofNullable(idToken))));
            if (start.outcome() != SessionStart.Outcome.STARTED) {
                context.json(502, Map.of("error", start.outcome().toString()));
                return;
            }
            context.redirect(303, "/app/page");
        }

        @Override
        public Optional<String> logoutLocation(Context context, Optional<ProviderFacts> facts) {
            ended.add(facts);
            return Optional.of(PROVIDER + "/logout" + facts.map(f -> f.idToken().map(t -> "?id_token_hint=" + t)
                    .orElse("?logout_hint=" + f.subject())).orElse(""));
        }

        @Override
        public Optional<io.github.sessiongate.TokenRefresher> refresher() {
            return Optional.of(refreshToken -> refreshToken.equals("refresh-carol")
                    ? io.github.sessiongate.RefreshResult.refreshed(new TokenPair("valid-carol-2", "refresh-carol-2", null))
                    : io.github.sessiongate.RefreshResult.refused());
        }
    }
}

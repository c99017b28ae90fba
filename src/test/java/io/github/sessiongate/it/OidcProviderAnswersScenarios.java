package io.github.sessiongate.it;

import static io.github.sessiongate.it.OidcBrowser.cookies;
import static io.github.sessiongate.it.OidcBrowser.query;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.it.CodeBindingProvider.TokenAnswer;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID sign-in against the in-JVM {@link CodeBindingProvider} through a real container
 * ({@link JettyOidcProviderAnswersTest}, {@link TomcatOidcProviderAnswersTest}): the
 * authorization request's exact parameter set with the configured extras ({@code prompt},
 * {@code acr_values}, {@code max_age}, {@code login_hint}); the ID token's {@code acr} and
 * {@code auth_time} checks; and how each answer of the provider ends: a code issued to another
 * client ({@code invalid_grant}), {@code invalid_client} and a {@code DPoP} token type are refused
 * sign-ins ({@code 400}, no session cookie, the transaction cleared, audited without the code); a
 * token endpoint answering 5xx or unreachable is {@code 503} with every cookie kept; a callback
 * without {@code iss} where discovery advertises it is refused; a provider error ends on a JSON
 * error, never a redirect back to the provider, its description never echoed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OidcProviderAnswersScenarios {
    static final String EXTRAS = "/x";
    static final String ISS = "/iss";
    static final String UNREACHABLE = "/unreach";
    static final String CLIENT_ID = "sessiongate-web";
    static final String OTHER_CLIENT = "another-app";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String TRANSACTION = "sg_login";
    /** What a browser sends on a top-level navigation. */
    static final String[] BROWSER = {"Accept: text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8",
        "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document", "Sec-Fetch-Site: cross-site"};
    /** The parameters every authorization request carries, each once. */
    static final Set<String> BASE = Set.of("response_type", "client_id", "redirect_uri", "scope", "state", "nonce",
            "code_challenge", "code_challenge_method");

    private final Teardown teardown = new Teardown();
    private CodeBindingProvider provider;
    private URI base;
    private HttpClient http;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        String secret = "it-secret-" + UUID.randomUUID();
        provider = teardown.add(new CodeBindingProvider(Map.of(CLIENT_ID, secret, OTHER_CLIENT, "other-secret-" + UUID.randomUUID())));
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        teardown.add(new ScenarioProperties("sessiongate.it.oidc-bind."))
                .prefixed("cookie-keys", "k1:" + Base64.getEncoder().encodeToString(key))
                .prefixed("jwks-url", provider.jwksUrl())
                .prefixed("issuer-plain", provider.issuer(CodeBindingProvider.PLAIN))
                .prefixed("issuer-iss", provider.issuer(CodeBindingProvider.ISS_REQUIRED))
                .prefixed("issuer-unreachable", provider.issuer(CodeBindingProvider.TOKEN_UNREACHABLE))
                .prefixed("audience", CodeBindingProvider.API)
                .prefixed("client-id", CLIENT_ID)
                .prefixed("client-secret", secret);
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(EXTRAS, "oidc-bind-extras"),
                Container.Webapp.of(ISS, "oidc-bind-iss"), Container.Webapp.of(UNREACHABLE, "oidc-bind-unreachable")));
        http = JavaHttp.newClient();
    }

    @AfterEach
    void resetProvider() {
        provider.reset();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ------------------------------------------------------------------ helpers

    /** A started sign-in: the provider URL, its parameters (each once), and the transaction cookie set. */
    record Started(URI authorize, Map<String, String> query, String cookie) {
        String transactionName() {
            return cookie.substring(0, cookie.indexOf('='));
        }
    }

    private Started startAt(String target, String... extraHeaders) throws Exception {
        List<String> headers = new ArrayList<>(List.of(BROWSER));
        headers.addAll(List.of(extraHeaders));
        Response r = RawHttp.send(base, "GET", target, headers.toArray(String[]::new));
        assertEquals(302, r.status(), () -> "to the provider: " + r);
        URI location = URI.create(r.header("Location").orElseThrow());
        String tx = r.headers("set-cookie").stream().filter(h -> h.startsWith(TRANSACTION)).map(h -> h.split(";", 2)[0])
                .findFirst().orElseThrow(() -> new AssertionError("no transaction cookie: " + r));
        return new Started(location, query(location.getRawQuery()), tx);
    }

    /** The provider's redirect back for {@code authorize}: the callback target (path and query). */
    private String authorize(URI authorize) throws Exception {
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(authorize).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, answer.statusCode(), answer::body);
        URI back = URI.create(answer.headers().firstValue("Location").orElseThrow());
        assertEquals(base.getPort(), back.getPort(), "back to this application");
        return back.getRawPath() + "?" + back.getRawQuery();
    }

    private Response callback(String target, String cookies) throws Exception {
        List<String> headers = new ArrayList<>(List.of(BROWSER));
        if (!cookies.isEmpty()) {
            headers.add("Cookie: " + cookies);
        }
        return RawHttp.send(base, "GET", target, headers.toArray(String[]::new));
    }

    /** The code a callback target carries. */
    private static String code(String callbackTarget) {
        return query(callbackTarget.substring(callbackTarget.indexOf('?') + 1)).get("code");
    }

    private static void assertNoSession(Response r) {
        assertTrue(SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), () -> "no session cookie: " + r);
        assertTrue(SetCookies.value(r, REFRESH).filter(v -> !v.isEmpty()).isEmpty(), () -> "no refresh cookie: " + r);
    }

    /** A refused sign-in: the status and error, no session cookie, its transaction cleared, no redirect. */
    private static void assertRefused(Response r, String error, Started s) {
        assertAll(
                () -> assertEquals(400, r.status(), r::toString),
                () -> assertEquals(error, Json.object(r.body()).get("error"), r::toString),
                () -> assertNoSession(r),
                () -> assertEquals(java.util.Optional.of(""), SetCookies.value(r, s.transactionName()),
                        () -> "the transaction is cleared: " + r),
                () -> assertFalse(r.header("Location").isPresent(), () -> "no redirect: " + r));
    }

    private static void assertAuditedWithoutCode(String log, String reason, String code) {
        assertTrue(log.lines().anyMatch(l -> l.contains(AuditLog.LOGGER_NAME) && l.contains("event=login_failed")
                && l.contains(reason)), () -> "no audit line for " + reason + " in:\n" + log);
        assertFalse(log.contains(code), () -> "the code is in the log:\n" + log);
    }

    /** What a refused sign-in left: the log while its callback was handled, and the code it carried. */
    private record Refusal(String log, String code) {
    }

    /** A sign-in at a page whose callback is refused with {@code error} (see {@link #assertRefused}). */
    private Refusal refusedSignIn(String error) throws Exception {
        Started s = startAt(EXTRAS + "/app/a");
        String back = authorize(s.authorize());
        Response[] r = new Response[1];
        String log = LogCapture.during(() -> r[0] = callback(back, s.cookie()));
        assertRefused(r[0], error, s);
        return new Refusal(log, code(back));
    }

    private String signIn() throws Exception {
        provider.idTokenClaims(Map.of("acr", "gold", "auth_time", Instant.now().getEpochSecond()));
        Started s = startAt(EXTRAS + "/app/home");
        Response done = callback(authorize(s.authorize()), s.cookie());
        assertEquals(303, done.status(), done::toString);
        return cookies(done);
    }

    // ------------------------------------------------------------------ the authorization request

    @Test
    void theLoginRouteSendsEachParameterOnceWithTheConfiguredExtrasAndTheHint() throws Exception {
        Started s = startAt(EXTRAS + "/auth/login?from=" + URLEncoder.encode(EXTRAS + "/app/a", StandardCharsets.UTF_8)
                + "&login_hint=" + URLEncoder.encode("bob@example.com", StandardCharsets.UTF_8));
        Set<String> expected = new java.util.HashSet<>(BASE);
        expected.addAll(Set.of("prompt", "acr_values", "max_age", "login_hint"));
        Map<String, String> q = s.query();
        assertAll(
                () -> assertEquals(expected, q.keySet(), "exactly these, each once; no response_mode"),
                () -> assertEquals("login", q.get("prompt")),
                () -> assertEquals("gold silver", q.get("acr_values")),
                () -> assertEquals("300", q.get("max_age")),
                () -> assertEquals("bob@example.com", q.get("login_hint")),
                () -> assertEquals(CLIENT_ID, q.get("client_id")),
                () -> assertEquals(base + EXTRAS + "/auth/callback", q.get("redirect_uri")));
        // What the provider received, byte for byte, has the same parameters once each.
        authorize(s.authorize());
        assertEquals(expected, query(provider.authorizeQueries().get(provider.authorizeQueries().size() - 1)).keySet());
    }

    @Test
    void aProtectedPageSendsTheExtrasButNeverItsOwnQueryAsAHint() throws Exception {
        Started s = startAt(EXTRAS + "/app/a?login_hint=mallory");
        Set<String> expected = new java.util.HashSet<>(BASE);
        expected.addAll(Set.of("prompt", "acr_values", "max_age"));
        assertEquals(expected, s.query().keySet());
    }

    @Test
    void withoutExtrasExactlyTheBaseParametersAreSent() throws Exception {
        Started s = startAt(ISS + "/auth/login?login_hint=bob");
        assertEquals(BASE, s.query().keySet(), "no extras, and the hint ignored where it is not allowed");
    }

    @Test
    void aMalformedLoginHintIsA400AndStartsNothing() throws Exception {
        for (String hint : List.of("bob%0d%0aSet-Cookie:%20x=y", "x".repeat(257), "a%E2%80%AEb", "")) {
            Response r = RawHttp.send(base, "GET", EXTRAS + "/auth/login?login_hint=" + hint, BROWSER);
            assertEquals(400, r.status(), () -> hint + ": " + r);
            assertEquals("login_hint_invalid", Json.object(r.body()).get("error"));
            assertTrue(r.headers("set-cookie").isEmpty(), () -> "no transaction: " + r);
        }
        Response twice = RawHttp.send(base, "GET", EXTRAS + "/auth/login?login_hint=a&login_hint=b", BROWSER);
        assertEquals(400, twice.status(), twice::toString);
    }

    // ------------------------------------------------------------------ acr and auth_time

    @Test
    void aSignInWithARequiredAcrAndAFreshAuthTimeCompletes() throws Exception {
        provider.idTokenClaims(Map.of("acr", "silver", "auth_time", Instant.now().getEpochSecond() - 60));
        Started s = startAt(EXTRAS + "/auth/login?from=" + URLEncoder.encode(EXTRAS + "/app/a", StandardCharsets.UTF_8)
                + "&login_hint=bob");
        Response done = callback(authorize(s.authorize()), s.cookie());
        assertEquals(303, done.status(), done::toString);
        assertEquals(EXTRAS + "/app/a", done.header("Location").orElseThrow());
        Response page = RawHttp.send(base, "GET", EXTRAS + "/app/a", "Accept: application/json", "Cookie: " + cookies(done));
        assertEquals("bob", Json.object(page.body()).get("sub"), "the hinted user signed in");
    }

    @Test
    void anAcrOutsideTheConfiguredValuesIsRefusedNamingTheCheck() throws Exception {
        provider.idTokenClaims(Map.of("acr", "bronze", "auth_time", Instant.now().getEpochSecond()));
        Started s = startAt(EXTRAS + "/app/a");
        String back = authorize(s.authorize());
        Response[] r = new Response[1];
        String log = LogCapture.during(() -> r[0] = callback(back, s.cookie()));
        assertRefused(r[0], "id_token_invalid", s);
        assertTrue(log.contains("acr: expected one of [gold, silver], was bronze"), log);
        assertAuditedWithoutCode(log, "id_token_invalid", code(back));
    }

    @Test
    void anAuthTimeOlderThanMaxAgeOrMissingIsRefusedNamingTheCheck() throws Exception {
        provider.idTokenClaims(Map.of("acr", "gold", "auth_time", Instant.now().getEpochSecond() - 3600));
        Started s = startAt(EXTRAS + "/app/a");
        String back = authorize(s.authorize());
        Response[] r = new Response[1];
        String log = LogCapture.during(() -> r[0] = callback(back, s.cookie()));
        assertRefused(r[0], "id_token_invalid", s);
        assertTrue(log.contains("auth_time: expected within max_age=300 s (+30 s skew)"), log);

        provider.idTokenClaims(Map.of("acr", "gold"));
        Started t = startAt(EXTRAS + "/app/a");
        String log2 = LogCapture.during(() -> r[0] = callback(authorize(t.authorize()), t.cookie()));
        assertRefused(r[0], "id_token_invalid", t);
        assertTrue(log2.contains("auth_time: expected a time within max_age=300 s, was absent"), log2);
    }

    // ------------------------------------------------------------------ the token endpoint's answers

    @Test
    void aCodeIssuedToAnotherClientIsARefusedSignIn() throws Exception {
        Started s = startAt(EXTRAS + "/app/a");
        // The attacker's code, issued to another client of the same provider, injected with the victim's state.
        URI theirs = URI.create(provider.issuer(CodeBindingProvider.PLAIN) + "/authorize?response_type=code&client_id="
                + OTHER_CLIENT + "&redirect_uri=" + URLEncoder.encode(base + EXTRAS + "/auth/callback", StandardCharsets.UTF_8)
                + "&state=" + s.query().get("state") + "&nonce=" + s.query().get("nonce") + "&code_challenge="
                + s.query().get("code_challenge") + "&code_challenge_method=S256&scope=openid");
        String injected = authorize(theirs);
        String code = code(injected);
        int exchanges = provider.tokenRequests().size();
        Response[] r = new Response[1];

        String log = LogCapture.during(() -> r[0] = callback(injected, s.cookie()));

        assertRefused(r[0], "code_refused", s);
        assertEquals(exchanges + 1, provider.tokenRequests().size(), "the code was tried once, at the token endpoint");
        assertTrue(log.contains("invalid_grant"), () -> "the provider's error is named: " + log);
        assertAuditedWithoutCode(log, "code_refused", code);
        // The victim's browser, which no longer holds the transaction, cannot retry it.
        Response again = callback(injected, "");
        assertEquals(400, again.status(), again::toString);
        assertEquals("login_transaction_missing", Json.object(again.body()).get("error"));
    }

    @Test
    void invalidClientIsARefusedSignIn() throws Exception {
        provider.tokenAnswer(TokenAnswer.INVALID_CLIENT);
        Refusal f = refusedSignIn("code_refused");
        assertTrue(f.log().contains("invalid_client"), f.log());
        assertAuditedWithoutCode(f.log(), "code_refused", f.code());
    }

    @Test
    void aDpopTokenTypeIsARefusedSignIn() throws Exception {
        provider.idTokenClaims(Map.of("acr", "gold", "auth_time", Instant.now().getEpochSecond()));
        provider.tokenAnswer(TokenAnswer.DPOP);
        Refusal f = refusedSignIn("token_type_unsupported");
        assertTrue(f.log().contains("token_type expected Bearer, was DPoP"), f.log());
        assertAuditedWithoutCode(f.log(), "token_type_unsupported", f.code());
    }

    @Test
    void aLowerCaseBearerSignsInButAnAbsentTokenTypeIsRefused() throws Exception {
        provider.idTokenClaims(Map.of("acr", "gold", "auth_time", Instant.now().getEpochSecond()));
        provider.tokenAnswer(TokenAnswer.LOWER_CASE_BEARER);
        Started s = startAt(EXTRAS + "/app/a");
        Response done = callback(authorize(s.authorize()), s.cookie());
        assertEquals(303, done.status(), () -> "bearer in any case: " + done);

        provider.tokenAnswer(TokenAnswer.NO_TOKEN_TYPE);
        Refusal f = refusedSignIn("token_type_unsupported");
        assertTrue(f.log().contains("token_type expected Bearer, was absent"), f.log());
    }

    @Test
    void aTokenEndpointAnswering5xxIs503AndKeepsEveryCookie() throws Exception {
        String session = signIn();
        provider.tokenAnswer(TokenAnswer.SERVER_ERROR);
        Started s = startAt(EXTRAS + "/auth/login", "Cookie: " + session);
        String back = authorize(s.authorize());

        Response r = callback(back, session + "; " + s.cookie());

        assertEquals(503, r.status(), r::toString);
        assertTrue(r.header("Retry-After").isPresent(), r::toString);
        assertTrue(r.headers("set-cookie").isEmpty(), () -> "no cookie cleared or set: " + r);
        Response page = RawHttp.send(base, "GET", EXTRAS + "/app/a", "Accept: application/json", "Cookie: " + session);
        assertEquals(200, page.status(), () -> "still signed in: " + page);
    }

    @Test
    void anUnreachableTokenEndpointIs503AndKeepsTheTransaction() throws Exception {
        Started s = startAt(UNREACHABLE + "/app/a");
        Response r = callback(authorize(s.authorize()), s.cookie());
        assertEquals(503, r.status(), r::toString);
        assertTrue(r.header("Retry-After").isPresent(), r::toString);
        assertTrue(r.headers("set-cookie").isEmpty(), () -> "nothing cleared: " + r);
    }

    // ------------------------------------------------------------------ the callback's iss (RFC 9207)

    @Test
    void aCallbackWithoutIssIsRefusedWhereDiscoveryAdvertisesIt() throws Exception {
        Started s = startAt(ISS + "/app/a");
        String back = authorize(s.authorize());
        assertTrue(back.contains("&iss="), back);
        Response r = callback(back.replaceAll("&iss=[^&]*", ""), s.cookie());
        assertRefused(r, "issuer_mismatch", s);

        Started t = startAt(ISS + "/app/a");
        Response done = callback(authorize(t.authorize()), t.cookie());
        assertEquals(303, done.status(), () -> "with iss it signs in: " + done);
    }

    // ------------------------------------------------------------------ the provider's error

    @Test
    void aProviderErrorEndsOnTheLoginPageOrAJsonErrorNeverBackAtTheProviderNorWithTheDescription() throws Exception {
        String description = "<img src=x onerror=alert(1)> Sign in again at https://evil.example";
        for (String error : List.of("access_denied", "login_required", "%3Cb%3Ex%3C/b%3E")) {
            String expected = error.startsWith("%") ? "invalid" : error;
            // A browser's top-level navigation lands on the application's login page with the code only.
            Started s = startAt(EXTRAS + "/app/a");
            Response page = callback(EXTRAS + "/auth/callback?error=" + error + "&error_description="
                    + URLEncoder.encode(description, StandardCharsets.UTF_8) + "&state=" + s.query().get("state"), s.cookie());
            assertAll(
                    () -> assertEquals(303, page.status(), page::toString),
                    () -> assertEquals(java.util.Optional.of(EXTRAS + "/login?error=provider_error&provider_error=" + expected),
                            page.header("Location"), page::toString),
                    () -> assertNoSession(page),
                    () -> assertEquals(java.util.Optional.of(""), SetCookies.value(page, s.transactionName()),
                            () -> "the transaction is cleared: " + page),
                    () -> assertFalse(page.header("Refresh").isPresent(), "no automatic restart"));
            // Anything else (a script, a client that sends no Sec-Fetch-Mode) gets the JSON error.
            Started t = startAt(EXTRAS + "/app/a");
            Response r = RawHttp.send(base, "GET", EXTRAS + "/auth/callback?error=" + error + "&error_description="
                    + URLEncoder.encode(description, StandardCharsets.UTF_8) + "&state=" + t.query().get("state"),
                    "Accept: text/html", "Cookie: " + t.cookie());
            assertRefused(r, "provider_error", t);
            assertAll(
                    () -> assertEquals(expected, Json.object(r.body()).get("provider_error"), r::toString),
                    () -> assertTrue(r.header("Content-Type").orElse("").startsWith("application/json"), r::toString),
                    () -> assertFalse(r.header("Refresh").isPresent(), "no automatic restart"),
                    () -> assertFalse(r.body().contains("<") || r.body().contains("evil.example"), r::body));
        }
        // Without a transaction (a stale tab): never a new trip to the provider.
        Response stale = callback(EXTRAS + "/auth/callback?error=access_denied&state=gone", "");
        assertEquals(400, stale.status(), stale::toString);
        assertFalse(stale.header("Location").isPresent(), stale::toString);
    }
}

package io.github.sessiongate.it;

import static io.github.sessiongate.it.MockOidcProvider.CLIENT_ID;
import static io.github.sessiongate.it.OidcBrowser.NAVIGATION;
import static io.github.sessiongate.it.OidcBrowser.cookies;
import static io.github.sessiongate.it.OidcBrowser.query;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID Connect sign-in (issue 9) through a real container ({@link JettyOidcLoginTest},
 * {@link TomcatOidcLoginTest}) against NAV's mock-oauth2-server in this JVM, in its
 * non-interactive mode (its authorize endpoint issues a code at once for the user of an enqueued
 * callback). The webapp {@code oidc-login} knows only {@code oidc.issuer}, the client and a
 * cookie-sealing key: every provider endpoint comes from discovery.
 *
 * <p>The full sign-in runs as a browser would: a protected page, the 302 to the provider, the
 * provider's redirect, the callback, the 303 back, and the page seeing the principal. Each refusal
 * asserts its exact status and error and that no session cookie was set.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OidcLoginScenarios {
    static final String CONTEXT = "/oidc";
    static final String DOWN = "/down";
    static final String ISSUER_ID = "default";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;

    private final Teardown teardown = new Teardown();
    private MockOidcProvider provider;
    private String issuer;
    private URI base;
    private HttpClient http;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        provider = teardown.add(MockOidcProvider.start(ISSUER_ID, "sessiongate.it.oidc-login.")).withCookieKey().withJwksUrl()
                .withClientSecret();
        issuer = provider.issuer();
        base = provider.serve(newContainer(), Container.Webapp.of(CONTEXT, "oidc-login"), Container.Webapp.of(DOWN, "oidc-login-down"));
        http = provider.http();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    /** A sign-in started at the filter: the provider URL it redirected to and the cookies it set. */
    record Started(URI authorize, Map<String, String> query, String cookies) {
    }

    private Started startSignIn(String page) throws Exception {
        Response r = RawHttp.send(base, "GET", page, NAVIGATION);
        assertEquals(302, r.status(), () -> "a page without a session goes to the provider: " + r);
        URI location = URI.create(r.header("Location").orElseThrow());
        assertTrue(location.toString().startsWith(issuer + "/authorize?"), () -> "to the discovered endpoint: " + location);
        Map<String, String> q = query(location.getRawQuery());
        assertNoSession(r);
        return new Started(location, q, cookies(r));
    }

    /** The provider's answer to the authorization request (see {@link MockOidcProvider#authorize}). */
    private URI authorize(URI authorize, String subject) throws Exception {
        return provider.authorize(authorize, subject);
    }

    private Response callback(URI redirect, String cookies) throws Exception {
        assertEquals(base.getPort(), redirect.getPort(), "the provider redirects to this application's callback");
        String target = redirect.getRawPath() + "?" + redirect.getRawQuery();
        return cookies.isEmpty() ? RawHttp.send(base, "GET", target, NAVIGATION)
                : RawHttp.send(base, "GET", target, "Accept: text/html", "Sec-Fetch-Mode: navigate", "Cookie: " + cookies);
    }

    @Test
    void fullSignInFromAProtectedPageBackToIt() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/orders?x=1");
        Map<String, String> q = s.query();
        assertAll(
                () -> assertEquals("code", q.get("response_type")),
                () -> assertEquals(CLIENT_ID, q.get("client_id")),
                () -> assertEquals(base + CONTEXT + "/auth/callback", q.get("redirect_uri")),
                () -> assertEquals("openid", q.get("scope")),
                () -> assertEquals("S256", q.get("code_challenge_method")),
                () -> assertTrue(q.get("state").length() >= 22, "state carries at least 128 bits"),
                () -> assertTrue(q.get("nonce").length() >= 22, "nonce carries at least 128 bits"),
                () -> assertEquals(43, q.get("code_challenge").length()),
                () -> assertFalse(q.containsKey("response_mode")),
                () -> assertFalse(s.cookies().isEmpty(), "a login-transaction cookie"));

        Response done = callback(authorize(s.authorize(), "alice"), s.cookies());
        assertEquals(303, done.status(), () -> "signed in: " + done);
        assertEquals(CONTEXT + "/app/orders?x=1", done.header("Location").orElseThrow(), "back to the page it started from");
        assertTrue(SetCookies.value(done, ACCESS).filter(v -> !v.isEmpty()).isPresent(), () -> "a session cookie: " + done);

        Response page = RawHttp.send(base, "GET", CONTEXT + "/app/orders?x=1", "Accept: application/json", "Cookie: " + cookies(done));
        assertEquals(200, page.status(), () -> "the page with the session: " + page);
        assertEquals("alice", Json.object(page.body()).get("sub"), "the page sees the principal");
    }

    @Test
    void tamperedStateIsRefused() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/a");
        URI redirect = authorize(s.authorize(), null);
        String state = s.query().get("state");
        String tampered = (state.charAt(0) == 'A' ? "B" : "A") + state.substring(1);
        Response r = callback(URI.create(redirect.toString().replace("state=" + state, "state=" + tampered)), s.cookies());
        assertRefused(r, 400, "state_mismatch");
    }

    @Test
    void callbackWithoutItsTransactionIsRefused() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/b");
        Response r = callback(authorize(s.authorize(), null), "");
        assertRefused(r, 400, "login_transaction_missing");
    }

    @Test
    void providerErrorIsRefusedAndNeverEchoed() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/c");
        String target = CONTEXT + "/auth/callback?error=access_denied&error_description="
                + URLEncoder.encode("<script>alert(1)</script>", StandardCharsets.UTF_8) + "&state=" + s.query().get("state");
        Response r = RawHttp.send(base, "GET", target, "Accept: text/html", "Cookie: " + s.cookies());
        assertRefused(r, 400, "provider_error");
        assertEquals("access_denied", Json.object(r.body()).get("provider_error"));
        assertFalse(r.body().contains("<script"), r.body());
        assertFalse(r.header("Location").isPresent(), "no automatic redirect back to the provider");
    }

    @Test
    void idTokenWithAnotherNonceIsRefused() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/d");
        // The same state, but the provider is asked for another nonce: its ID token carries that one.
        String other = s.authorize().toString().replace("nonce=" + s.query().get("nonce"), "nonce=someone-elses-nonce-0123456789");
        Response r = callback(authorize(URI.create(other), "mallory"), s.cookies());
        assertRefused(r, 400, "id_token_invalid");
    }

    @Test
    void aReplayedCallbackIsARefusedSignInNotAnOutage() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/f");
        URI redirect = authorize(s.authorize(), "alice");
        assertEquals(303, callback(redirect, s.cookies()).status(), "the first use signs in");
        // An attacker replaying the callback with the transaction cookie as it was: the code is spent.
        Response replay = callback(redirect, s.cookies());
        assertRefused(replay, 400, "code_refused");
    }

    @Test
    void wrongIssParameterIsRefused() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/e");
        URI redirect = authorize(s.authorize(), null);
        String withIss = redirect.toString().replaceAll("&iss=[^&]*", "") + "&iss="
                + URLEncoder.encode("http://127.0.0.1:1/evil", StandardCharsets.UTF_8);
        Response r = callback(URI.create(withIss), s.cookies());
        assertRefused(r, 400, "issuer_mismatch");
    }

    /** A complete sign-in of {@code subject}: the session's cookies as a Cookie header. */
    private String signIn(String subject) throws Exception {
        Started s = startSignIn(CONTEXT + "/app/home");
        Response done = callback(authorize(s.authorize(), subject), s.cookies());
        assertEquals(303, done.status(), done::toString);
        return cookies(done);
    }

    @Test
    void refreshGoesThroughTheDiscoveredTokenEndpoint() throws Exception {
        String session = signIn("alice");
        String refreshOnly = java.util.Arrays.stream(session.split("; ")).filter(c -> c.startsWith(REFRESH + "="))
                .collect(Collectors.joining("; "));
        assertFalse(refreshOnly.isEmpty(), () -> "a refresh cookie: " + session);

        Response r = RawHttp.send(base, "GET", CONTEXT + "/app/orders", "Accept: application/json", "Cookie: " + refreshOnly);

        assertEquals(200, r.status(), r::toString);
        assertTrue(SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()).isPresent(), () -> "a new access cookie: " + r);
        assertEquals("alice", Json.object(r.body()).get("sub"));
    }

    @Test
    void formLogoutEndsAtTheProvidersEndSessionEndpoint() throws Exception {
        String session = signIn("alice");

        Response r = RawHttp.send(base, "POST", CONTEXT + "/auth/logout", new byte[0], "Cookie: " + session,
                "Origin: " + base.getScheme() + "://" + base.getAuthority(), "Accept: text/html",
                "Content-Type: application/x-www-form-urlencoded");

        assertEquals(303, r.status(), r::toString);
        URI location = URI.create(r.header("Location").orElseThrow());
        assertTrue(location.toString().startsWith(issuer + "/endsession?"), location::toString);
        Map<String, String> q = query(location.getRawQuery());
        assertEquals(CLIENT_ID, q.get("client_id"));
        assertEquals(base + CONTEXT + "/", q.get("post_logout_redirect_uri"));
        assertTrue(q.containsKey("id_token_hint"), "the ID token is kept with the session (issue 9, provider facts)");
        assertEquals(Optional.of(""), SetCookies.value(r, ACCESS), "the session cookie is cleared");

        Response after = RawHttp.send(base, "GET", CONTEXT + "/app/orders", "Accept: application/json", "Cookie: " + session);
        assertEquals(401, after.status(), () -> "the old cookies after logout: " + after);
    }

    @Test
    void aProviderThatIsDownGives503NotAFailedStart() throws Exception {
        Response page = RawHttp.send(base, "GET", DOWN + "/app/orders", NAVIGATION);
        assertEquals(503, page.status(), page::toString);
        assertTrue(page.header("Retry-After").isPresent());
        assertTrue(page.headers("set-cookie").isEmpty(), () -> "nothing set: " + page);
        Response callback = RawHttp.send(base, "GET", DOWN + "/auth/callback?code=c&state=s", NAVIGATION);
        assertEquals(400, callback.status(), () -> "no transaction: refused before the provider is needed: " + callback);
    }

    @Test
    void aLongFromOrManyTabsNeverOverflowTheCookiesOrGive500() throws Exception {
        // A link with a long query: its from is dropped (home after sign-in), the sign-in still starts.
        Response longOne = RawHttp.send(base, "GET", CONTEXT + "/app/a?q=" + "x".repeat(2020), NAVIGATION);
        assertEquals(302, longOne.status(), () -> "a long from is dropped, not a 500: " + longOne);
        // Three tabs with long pages, each carrying the previous tabs' transactions: never a 500.
        String jar = "";
        for (int tab = 0; tab < 3; tab++) {
            String page = CONTEXT + "/app/t" + tab + "?q=" + "y".repeat(480);
            Response r = jar.isEmpty() ? RawHttp.send(base, "GET", page, NAVIGATION)
                    : RawHttp.send(base, "GET", page, "Accept: text/html", "Sec-Fetch-Mode: navigate", "Cookie: " + jar);
            assertEquals(302, r.status(), () -> "tab sign-in: " + r);
            String set = cookies(r);
            jar = jar.isEmpty() ? set : set.isEmpty() ? jar : jar + "; " + set;
        }
    }

    @Test
    void anAccessTokenTheFiltersValidatorRefusesIsARefusedSignInNotAnOutage() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/a");
        provider.enqueue("mallory", "another-api");
        HttpResponse<String> answer = http.send(HttpRequest.newBuilder(s.authorize()).build(), HttpResponse.BodyHandlers.ofString());
        Response r = callback(URI.create(answer.headers().firstValue("Location").orElseThrow()), s.cookies());
        assertRefused(r, 400, "access_token_invalid");
    }

    private static void assertRefused(Response r, int status, String error) {
        assertEquals(status, r.status(), r::toString);
        assertEquals(error, Json.object(r.body()).get("error"), r::toString);
        assertNoSession(r);
    }

    private static void assertNoSession(Response r) {
        assertTrue(SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), () -> "no session cookie: " + r);
    }
}

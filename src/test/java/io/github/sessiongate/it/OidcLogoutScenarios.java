package io.github.sessiongate.it;

import static io.github.sessiongate.it.MockOidcProvider.CLIENT_ID;
import static io.github.sessiongate.it.OidcBrowser.NAVIGATION;
import static io.github.sessiongate.it.OidcBrowser.cookies;
import static io.github.sessiongate.it.OidcBrowser.query;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.it.RawHttp.Response;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID Connect logout, the provider facts and {@code /auth/session} (issue 9) through a real
 * container ({@link JettyOidcLogoutTest}, {@link TomcatOidcLogoutTest}) against NAV's
 * mock-oauth2-server in this JVM. The webapp {@code oidc-logout} sets no {@code cookie-encryption-keys}
 * (its login transactions and provider facts are sealed with a key of its own filter), uses
 * {@code cookie-secure=auto} on plain-http loopback and {@code oidc.transaction-max-age=300s}; it is
 * deployed twice, as two "nodes" with two per-process keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OidcLogoutScenarios {
    static final String CONTEXT = "/idp";
    static final String OTHER_NODE = "/idp2";
    static final String ISSUER_ID = "logout";
    /** cookie-secure=auto over plain http to loopback: no __Host- prefix. */
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String FACTS = CookieKind.PROVIDER_FACTS_NAME;
    static final String TRANSACTION = CookieKind.LOGIN_TRANSACTION_NAME + "-0";

    private final Teardown teardown = new Teardown();
    private MockOidcProvider provider;
    private String issuer;
    private URI base;
    private HttpClient http;

    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        provider = teardown.add(MockOidcProvider.start(ISSUER_ID, "sessiongate.it.oidc-logout.")).withJwksUrl().withClientSecret();
        issuer = provider.issuer();
        base = provider.serve(newContainer(), Container.Webapp.of(CONTEXT, "oidc-logout"), Container.Webapp.of(OTHER_NODE, "oidc-logout"));
        http = provider.http();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    @Test
    void theLoginTransactionTakesTheConfiguredMaxAgeLaxAndNoSecureOnLoopbackUnderAuto() throws Exception {
        Response r = RawHttp.send(base, "GET", CONTEXT + "/app/home", NAVIGATION);
        assertEquals(302, r.status(), r::toString);
        String header = r.headers("set-cookie").stream().filter(h -> h.startsWith(TRANSACTION + "=")).findFirst()
                .orElseThrow(() -> new AssertionError("a transaction cookie without __Host-: " + r));
        String attributes = header.toLowerCase(java.util.Locale.ROOT);
        assertTrue(attributes.contains("max-age=300"), header);
        assertTrue(attributes.contains("httponly") && attributes.contains("samesite=lax"), header);
        assertFalse(attributes.contains("secure"), header);
        assertEquals(5, SetCookies.value(r, TRANSACTION).orElseThrow().split("\\.").length, "sealed without a configured key");
    }

    @Test
    void theSessionEndpointShowsTheFlowAndTheEndSessionEndpointButNoToken() throws Exception {
        String session = signIn("alice", CONTEXT);
        Response r = RawHttp.send(base, "GET", CONTEXT + "/auth/session", "Accept: application/json", "Cookie: " + session);
        assertEquals(200, r.status(), r::toString);
        Map<String, Object> body = Json.object(r.body());
        assertEquals(true, body.get("authenticated"));
        @SuppressWarnings("unchecked")
        Map<String, Object> login = (Map<String, Object>) body.get("login");
        assertEquals("oidc", login.get("flow"));
        assertEquals(issuer + "/endsession", login.get("end_session_endpoint"));
        assertFalse(r.body().contains("eyJ"), () -> "no JWT in the body: " + r.body());
        assertFalse(r.body().contains("id_token_hint") || r.body().contains("logout_hint"), r::body);
    }

    @Test
    void formLogoutEndsTheSessionThenGoesToEndSessionWithTheIdTokenHint() throws Exception {
        String session = signIn("alice", CONTEXT);
        assertTrue(cookie(session, FACTS).isPresent(), () -> "the provider facts are kept: " + session);

        Response r = logout(session, "Accept: text/html", "Content-Type: application/x-www-form-urlencoded");

        assertEquals(303, r.status(), r::toString);
        URI location = URI.create(r.header("Location").orElseThrow());
        assertTrue(location.toString().startsWith(issuer + "/endsession?"), location::toString);
        Map<String, String> q = query(location.getRawQuery());
        assertEquals(CLIENT_ID, q.get("client_id"));
        Map<String, Object> hint = Json.object(new String(Base64.getUrlDecoder().decode(q.get("id_token_hint").split("\\.")[1]),
                StandardCharsets.UTF_8));
        assertEquals(issuer, hint.get("iss"), "the ID token the provider issued for this session");
        assertEquals("alice", hint.get("sub"));
        assertFalse(q.containsKey("logout_hint"));
        assertEquals(base + CONTEXT + "/", q.get("post_logout_redirect_uri"));
        assertTrue(q.get("state").length() >= 22, "128 bits of state");
        for (String name : List.of(ACCESS, REFRESH, FACTS)) {
            assertEquals(Optional.of(""), SetCookies.value(r, name), () -> name + " is cleared: " + r);
        }

        // The provider ends its session and sends the browser back to the registered page.
        HttpResponse<String> ended = http.send(HttpRequest.newBuilder(location).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(302, ended.statusCode(), ended::body);
        assertTrue(ended.headers().firstValue("Location").orElseThrow().startsWith(base + CONTEXT + "/"),
                () -> "back to post_logout_redirect_uri: " + ended.headers().map());

        Response after = RawHttp.send(base, "GET", CONTEXT + "/app/orders", "Accept: application/json", "Cookie: " + session);
        assertEquals(401, after.status(), () -> "the old cookies after logout: " + after);
    }

    @Test
    void jsonLogoutAnswers200WithTheEndSessionUrlCarryingLogoutHintNotTheIdToken() throws Exception {
        String session = signIn("bob", CONTEXT);

        Response r = logout(session, "Accept: application/json", "Content-Type: application/json", "X-Requested-With: fetch");

        assertEquals(200, r.status(), r::toString);
        assertFalse(r.body().contains("eyJ"), () -> "no token readable by script: " + r.body());
        String url = (String) Json.object(r.body()).get("location");
        assertTrue(url.startsWith(issuer + "/endsession?"), url);
        Map<String, String> q = query(URI.create(url).getRawQuery());
        assertEquals(CLIENT_ID, q.get("client_id"));
        assertEquals("bob", q.get("logout_hint"));
        assertFalse(q.containsKey("id_token_hint"));
        assertEquals(base + CONTEXT + "/", q.get("post_logout_redirect_uri"));
        assertTrue(q.containsKey("state"));
        assertEquals(Optional.of(""), SetCookies.value(r, FACTS));

        Response after = RawHttp.send(base, "GET", CONTEXT + "/app/orders", "Accept: application/json", "Cookie: " + session);
        assertEquals(401, after.status(), () -> "the old cookies after logout: " + after);
    }

    @Test
    void theFactsSurviveARefreshInPlace() throws Exception {
        String session = signIn("carol", CONTEXT);
        String withoutAccess = Arrays.stream(session.split("; ")).filter(c -> !c.startsWith(ACCESS + "="))
                .collect(Collectors.joining("; "));

        Response refreshed = RawHttp.send(base, "GET", CONTEXT + "/app/orders", "Accept: application/json",
                "Cookie: " + withoutAccess);

        assertEquals(200, refreshed.status(), refreshed::toString);
        assertTrue(SetCookies.value(refreshed, ACCESS).filter(v -> !v.isEmpty()).isPresent(), () -> "rotated: " + refreshed);
        assertTrue(SetCookies.value(refreshed, FACTS).isEmpty(), () -> "the facts cookie is left alone: " + refreshed);

        String rotated = withoutAccess.replaceAll("(^|; )" + REFRESH + "=[^;]*", "")
                + "; " + ACCESS + "=" + SetCookies.value(refreshed, ACCESS).get()
                + SetCookies.value(refreshed, REFRESH).map(v -> "; " + REFRESH + "=" + v).orElse("");
        Response r = logout(rotated.replaceFirst("^; ", ""), "Accept: text/html");
        assertEquals(303, r.status(), r::toString);
        Map<String, String> q = query(URI.create(r.header("Location").orElseThrow()).getRawQuery());
        assertTrue(q.containsKey("id_token_hint"), () -> "the facts still serve the logout after rotation: " + q);
    }

    @Test
    void tamperedFactsAreIgnoredAndTheLogoutFallsBackToTheClientId() throws Exception {
        String session = signIn("dave", CONTEXT);
        String facts = cookie(session, FACTS).orElseThrow();
        String flipped = facts.substring(0, facts.length() - 2) + (facts.endsWith("AA") ? "BB" : "AA");
        for (String value : List.of(flipped, "garbage", "")) {
            Response r = logout(session.replace(FACTS + "=" + facts, FACTS + "=" + value), "Accept: text/html");
            assertEquals(303, r.status(), r::toString);
            Map<String, String> q = query(URI.create(r.header("Location").orElseThrow()).getRawQuery());
            assertEquals(CLIENT_ID, q.get("client_id"));
            assertFalse(q.containsKey("id_token_hint") || q.containsKey("logout_hint"), q::toString);
        }
    }

    @Test
    void aSignInCompletesOnlyOnTheNodeThatStartedItWithoutAConfiguredKey() throws Exception {
        Response started = RawHttp.send(base, "GET", CONTEXT + "/app/home", NAVIGATION);
        assertEquals(302, started.status(), started::toString);
        URI redirect = authorize(URI.create(started.header("Location").orElseThrow()), null);
        String transaction = TRANSACTION + "=" + SetCookies.value(started, TRANSACTION).orElseThrow();

        Response elsewhere = RawHttp.send(base, "GET", OTHER_NODE + "/auth/callback?" + redirect.getRawQuery(),
                "Accept: text/html", "Cookie: " + transaction);
        assertEquals(400, elsewhere.status(), elsewhere::toString);
        assertEquals("login_transaction_missing", Json.object(elsewhere.body()).get("error"));
        assertTrue(SetCookies.value(elsewhere, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), "no session elsewhere");
    }

    @Test
    void aKeycloakSizedCookieHeaderWithTwoPendingSignInsPassesTheContainersHeaderLimit() throws Exception {
        // The sizes ProviderFactsBudgetTest measures with real sealing: access 1.4 kB, refresh 0.9 kB and
        // the facts with a 1.3 kB ID token, sealed, and two pending login transactions with a from.
        // (The same request with a 2 kB longer access cookie gets 400 from Tomcat and 431 from Jetty.)
        String cookies = String.join("; ", ACCESS + "=" + junk(1969), REFRESH + "=" + junk(1302), FACTS + "=" + junk(1470),
                CookieKind.LOGIN_TRANSACTION_NAME + "-1=" + junk(444), CookieKind.LOGIN_TRANSACTION_NAME + "-2=" + junk(430));
        assertTrue(cookies.length() <= CookieSettings.DEFAULT_MAX_TOTAL_BYTES, () -> cookies.length() + " bytes");
        Response r = RawHttp.send(base, "GET", CONTEXT + "/app/orders?page=2&sort=date", "Accept: application/json",
                "User-Agent: Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                        + "Chrome/131.0.0.0 Safari/537.36",
                "Accept-Language: en-GB,en-US;q=0.9,en;q=0.8,de;q=0.7", "Accept-Encoding: gzip, deflate, br, zstd",
                "Referer: " + base + CONTEXT + "/app/orders?page=1&sort=date",
                "Sec-Ch-Ua: \"Google Chrome\";v=\"131\", \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"",
                "Sec-Fetch-Dest: empty", "Sec-Fetch-Mode: cors", "Sec-Fetch-Site: same-origin", "Cookie: " + cookies);
        assertEquals(401, r.status(), () -> "the filter, not the container's header limit, answers: " + r);
    }

    private static String junk(int length) {
        byte[] bytes = new byte[length];
        new java.security.SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes).substring(0, length);
    }

    // ------------------------------------------------------------------ helpers

    /** A complete sign-in of {@code subject} at the webapp under {@code context}: the browser's cookies as a Cookie header. */
    private String signIn(String subject, String context) throws Exception {
        Response r = RawHttp.send(base, "GET", context + "/app/home", NAVIGATION);
        assertEquals(302, r.status(), r::toString);
        URI redirect = authorize(URI.create(r.header("Location").orElseThrow()), subject);
        Response done = RawHttp.send(base, "GET", redirect.getRawPath() + "?" + redirect.getRawQuery(), "Accept: text/html",
                "Sec-Fetch-Mode: navigate", "Cookie: " + cookies(r));
        assertEquals(303, done.status(), done::toString);
        return cookies(done);
    }

    private URI authorize(URI authorize, String subject) throws Exception {
        return provider.authorize(authorize, subject);
    }

    private Response logout(String cookies, String... headers) throws Exception {
        String[] all = new String[headers.length + 2];
        all[0] = "Cookie: " + cookies;
        all[1] = "Origin: " + base.getScheme() + "://" + base.getAuthority();
        System.arraycopy(headers, 0, all, 2, headers.length);
        return RawHttp.send(base, "POST", CONTEXT + "/auth/logout", new byte[0], all);
    }

    private static Optional<String> cookie(String header, String name) {
        return Arrays.stream(header.split("; ")).filter(c -> c.startsWith(name + "=")).map(c -> c.substring(name.length() + 1))
                .findFirst();
    }
}

package io.github.sessiongate.it;

import static io.github.sessiongate.it.OidcBrowser.NAVIGATION;
import static io.github.sessiongate.it.OidcBrowser.query;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.InitParams;
import io.github.sessiongate.cookie.CookieSeal;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.MutableClock;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * OpenID Connect sign-in (issue 9) against a real Keycloak 26 server, the provider most Java
 * teams run, through a real Tomcat 11 (whose request-header limit, 8 kB, the cookies must fit).
 * Run by the Maven profile {@code keycloak} only (the name ends in {@code IT}, so the default test
 * run leaves it out): Keycloak takes tens of seconds to start.
 *
 * <p>The realm ({@code src/test/resources/keycloak/sessiongate-realm.json}) has a confidential
 * client with PKCE S256 required, the webapp's callback and post-logout redirect URIs, an audience
 * mapper for the API audience, refresh-token rotation ({@code revokeRefreshToken}, no reuse), a
 * second client, and a user with the realm role {@code reader}. The test plays the browser:
 * Keycloak's own login form, its cookies, its redirects. Nothing sleeps: the filter's clock
 * ({@link ClockedSessionFilter}) is moved past the access token's expiry to refresh in place.
 * Keycloak dates the refreshed tokens by its own clock, so before that step the test raises the
 * realm's access token lifespan through Keycloak's admin API (as the bootstrap administrator):
 * the old token counts as expired on the moved clock, the new one as valid.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class KeycloakOidcIT {
    static final String CONTEXT = "/kc";
    static final String REALM = "sessiongate";
    static final String CLIENT_ID = "sessiongate-web";
    static final String OTHER_CLIENT_ID = "other-client";
    /** Alice's fixed Keycloak user id (the realm file sets it): the {@code sub} of her tokens. */
    static final String ALICE_ID = "5e55a9a7-0000-4000-8000-00000000a11c";
    /** The realm's access token lifespan (seconds), as in the realm file. */
    static final int ACCESS_TOKEN_LIFESPAN = 300;
    /** Tomcat's default request-header limit ({@code maxHttpHeaderSize}), which the Cookie header must stay under. */
    static final int TOMCAT_HEADER_LIMIT = 8192;
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final Duration APP_TIMEOUT = Duration.ofSeconds(30);

    private final Teardown teardown = new Teardown();
    private final String clientSecret = random();
    private final String alicePassword = random();
    private String cookieKeys;
    private KeycloakServer keycloak;
    private String issuer;
    private URI base;
    private HttpClient http;

    @BeforeAll
    void start() throws Exception {
        http = JavaHttp.newClient();
        keycloak = KeycloakServer.fromSystemProperties(random());
        issuer = keycloak.base() + "/realms/" + REALM;
        cookieKeys = "k1:" + Base64.getEncoder().encodeToString(randomBytes(32));
        teardown.add(new ScenarioProperties("sessiongate.it.keycloak."))
                .prefixed("cookie-keys", cookieKeys)
                .prefixed("jwks-url", issuer + "/protocol/openid-connect/certs")
                .prefixed("issuer", issuer)
                .prefixed("client-secret", clientSecret);
        // The webapp first: the realm registers its callback, whose port is known once it runs. The
        // filter does not need the provider to start; it discovers it on the first sign-in.
        base = teardown.add(new TomcatContainer()).startServing(List.of(Container.Webapp.of(CONTEXT, "keycloak")));
        teardown.add(keycloak);
        keycloak.start("/keycloak/sessiongate-realm.json", Map.of(
                "SG_APP", base + CONTEXT,
                "SG_WEB_SECRET", clientSecret,
                "SG_OTHER_SECRET", random(),
                "SG_ALICE_PASSWORD", alicePassword), REALM);
        System.out.println("Keycloak started in " + keycloak.startTime().toMillis() + " ms");
    }

    @AfterAll
    void stop() throws Exception {
        ClockedSessionFilter.clock(CONTEXT).followSystemTime();
        teardown.close();
    }

    @Test
    void signInRoleCheckRefreshInPlaceWithRotationAndLogout() throws Exception {
        // Sign-in: a protected page, Keycloak's login form, the callback, back to the page.
        KeycloakBrowser browser = new KeycloakBrowser();
        Jar session = signIn(CONTEXT + "/app/orders?x=1", browser, new Jar());
        Response page = api(CONTEXT + "/app/orders?x=1", session);
        assertEquals(200, page.status(), () -> "the page with the session: " + page);
        assertEquals(ALICE_ID, Json.object(page.body()).get("sub"), "the page sees Keycloak's subject");
        List<?> roles = (List<?>) Json.object(page.body()).get("roles");
        assertTrue(roles.contains("reader") && !roles.contains("admin"), () -> "roles from realm_access.roles: " + page.body());

        // Role check: a path needing the user's realm role, and one needing a role she lacks.
        assertEquals(200, api(CONTEXT + "/app/reader/list", session).status(), "the reader role suffices");
        Response admin = api(CONTEXT + "/app/admin/users", session);
        assertEquals(403, admin.status(), admin::toString);

        // Refresh in place: new tokens from now on live an hour, and the filter's clock moves past the
        // old access token's expiry, so the next request refreshes with the rotating refresh token.
        String oldAccess = session.get(ACCESS);
        String oldRefreshToken = openRefreshToken(session);
        setRealmAccessTokenLifespan(Duration.ofHours(1));
        MutableClock clock = ClockedSessionFilter.clock(CONTEXT);
        try {
            clock.advance(Duration.ofSeconds(ACCESS_TOKEN_LIFESPAN + 30));
            Response refreshed = api(CONTEXT + "/app/reader/list", session);
            assertEquals(200, refreshed.status(), () -> "the same request succeeds after a refresh: " + refreshed);
            assertEquals(ALICE_ID, Json.object(refreshed.body()).get("sub"));
            String newAccess = SetCookies.value(refreshed, ACCESS).orElse("");
            assertFalse(newAccess.isEmpty(), () -> "a new access cookie: " + refreshed);
            assertNotEquals(oldAccess, newAccess);
            Jar renewed = session.copy().apply(refreshed);
            String newRefreshToken = openRefreshToken(renewed);
            assertNotEquals(oldRefreshToken, newRefreshToken, "Keycloak rotated the refresh token");

            // Rotation: Keycloak itself now refuses the old refresh token (revokeRefreshToken, no reuse).
            HttpResponse<String> replay = tokenEndpointRefresh(oldRefreshToken);
            assertEquals(400, replay.statusCode(), replay::body);
            assertEquals("invalid_grant", Json.object(replay.body()).get("error"), replay::body);

            Response again = api(CONTEXT + "/app/reader/list", renewed);
            assertEquals(200, again.status(), () -> "the renewed cookies: " + again);
            assertTrue(SetCookies.value(again, ACCESS).isEmpty(), () -> "no second refresh: " + again);

            // Logout: the local session ends, then the browser goes to Keycloak's end_session endpoint.
            Response logout = send("POST", CONTEXT + "/auth/logout", "Cookie: " + renewed.header(),
                    "Origin: " + base.getScheme() + "://" + base.getAuthority(), "Accept: text/html",
                    "Content-Type: application/x-www-form-urlencoded");
            assertEquals(303, logout.status(), logout::toString);
            URI endSession = URI.create(logout.header("Location").orElseThrow());
            assertTrue(endSession.toString().startsWith(issuer + "/protocol/openid-connect/logout?"), endSession::toString);
            Map<String, String> q = query(endSession.getRawQuery());
            assertEquals(base + CONTEXT + "/", q.get("post_logout_redirect_uri"));
            assertTrue(q.containsKey("id_token_hint") || CLIENT_ID.equals(q.get("client_id")), q::toString);
            assertEquals("", SetCookies.value(logout, ACCESS).orElse(null), () -> "the session cookie is cleared: " + logout);

            Response after = api(CONTEXT + "/app/orders", renewed);
            assertEquals(401, after.status(), () -> "the old cookies after logout: " + after);

            // Keycloak accepts the request (its post_logout_redirect_uri is registered) and ends its own
            // session: it sends the browser back to the application, and the next sign-in asks again.
            URI back = browser.logOut(endSession);
            assertTrue(back.toString().startsWith(base + CONTEXT + "/"), back::toString);
            if (q.containsKey("state")) {
                assertEquals(q.get("state"), query(back.getRawQuery()).get("state"), "Keycloak returns the logout state");
            }
            HttpResponse<String> next = browser.get(startSignIn(CONTEXT + "/app/orders", new Jar()).authorize());
            assertEquals(200, next.statusCode(), "no single sign-on left at Keycloak");
            assertTrue(next.body().contains("kc-form-login"), "Keycloak asks for the password again");
        } finally {
            clock.followSystemTime();
        }
    }

    @Test
    void theCookieHeaderWithKeycloaksTokensAndTwoPendingSignInsFitsTomcatsLimit() throws Exception {
        // Three tabs start signing in; the third completes, the other two stay pending.
        Jar jar = new Jar();
        for (int tab = 0; tab < 2; tab++) {
            jar.apply(startSignIn(CONTEXT + "/app/tab" + tab, jar).response());
        }
        java.util.Set<String> pending = java.util.Set.copyOf(jar.cookies.keySet());
        assertFalse(pending.isEmpty(), "two sign-ins pending");
        Jar signedIn = signIn(CONTEXT + "/app/tab2", new KeycloakBrowser(), jar);

        String header = "Cookie: " + signedIn.header();
        Jar sessionOnly = new Jar();
        signedIn.cookies.forEach((name, value) -> {
            if (name.startsWith(ACCESS) || name.startsWith(REFRESH)) {
                sessionOnly.cookies.put(name, value);
            }
        });
        System.out.println("Cookie header after a Keycloak sign-in: " + header.length() + " bytes ("
                + ("Cookie: " + sessionOnly.header()).length() + " for the access and refresh cookies; cookies "
                + signedIn.cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue().length())
                        .collect(Collectors.joining(", ")) + "; Keycloak's access token " + open(signedIn, ACCESS).length()
                + " and refresh token " + open(signedIn, REFRESH).length() + " bytes before sealing)");
        assertTrue(pending.stream().anyMatch(signedIn.cookies::containsKey),
                () -> "the other tabs' sign-ins are still pending, and counted: " + signedIn.cookies.keySet());
        assertTrue(header.length() < TOMCAT_HEADER_LIMIT, () -> header.length() + " bytes of Cookie header");
        Response page = api(CONTEXT + "/app/tab2", signedIn);
        assertEquals(200, page.status(), () -> "Tomcat and the filter take the whole header: " + page);
        assertEquals(ALICE_ID, Json.object(page.body()).get("sub"));
    }

    @Test
    void aCodeIssuedToAnotherClientIsARefusedSignIn() throws Exception {
        Started s = startSignIn(CONTEXT + "/app/other", new Jar());
        // The same state, nonce and challenge, but Keycloak issues the code to the realm's other client.
        URI forOther = URI.create(s.authorize().toString().replace("client_id=" + CLIENT_ID, "client_id=" + OTHER_CLIENT_ID));
        URI redirect = new KeycloakBrowser().signIn(forOther, "alice", alicePassword);
        Response r = callback(redirect, s.jar());
        assertEquals(400, r.status(), r::toString);
        assertEquals("code_refused", Json.object(r.body()).get("error"), r::toString);
        assertTrue(SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), () -> "no session cookie: " + r);
    }

    // ------------------------------------------------------------------ the browser at the application

    /** A sign-in started at the filter: Keycloak's authorize URL and the browser's cookies since. */
    record Started(URI authorize, Jar jar, Response response) {
    }

    private Started startSignIn(String page, Jar jar) throws Exception {
        Response r = jar.cookies.isEmpty() ? send("GET", page, NAVIGATION)
                : send("GET", page, "Accept: text/html", "Sec-Fetch-Mode: navigate", "Cookie: " + jar.header());
        assertEquals(302, r.status(), () -> "a page without a session goes to Keycloak: " + r);
        URI location = URI.create(r.header("Location").orElseThrow());
        assertTrue(location.toString().startsWith(issuer + "/protocol/openid-connect/auth?"), location::toString);
        Map<String, String> q = query(location.getRawQuery());
        assertAll(
                () -> assertEquals(CLIENT_ID, q.get("client_id")),
                () -> assertEquals(base + CONTEXT + "/auth/callback", q.get("redirect_uri")),
                () -> assertEquals("S256", q.get("code_challenge_method")));
        return new Started(location, jar.copy().apply(r), r);
    }

    /** A whole sign-in of alice from {@code page}: the browser's cookies afterwards. */
    private Jar signIn(String page, KeycloakBrowser browser, Jar jar) throws Exception {
        Started s = startSignIn(page, jar);
        URI redirect = browser.signIn(s.authorize(), "alice", alicePassword);
        Response done = callback(redirect, s.jar());
        assertEquals(303, done.status(), () -> "signed in: " + done);
        assertEquals(page, done.header("Location").orElseThrow(), "back to the page it started from");
        assertTrue(SetCookies.value(done, ACCESS).filter(v -> !v.isEmpty()).isPresent(), () -> "a session cookie: " + done);
        return s.jar().copy().apply(done);
    }

    private Response callback(URI redirect, Jar jar) throws Exception {
        assertEquals(base.getPort(), redirect.getPort(), () -> "Keycloak redirects to the application's callback: " + redirect);
        assertTrue(redirect.getRawQuery().contains("iss="), "Keycloak sends iss (RFC 9207)");
        return send("GET", redirect.getRawPath() + "?" + redirect.getRawQuery(), "Accept: text/html",
                "Sec-Fetch-Mode: navigate", "Cookie: " + jar.header());
    }

    private Response api(String target, Jar jar) throws Exception {
        return send("GET", target, "Accept: application/json", "Cookie: " + jar.header());
    }

    /**
     * A request to the application, without a body. Through {@code java.net.http} with a generous
     * timeout rather than {@link RawHttp}'s 5 s: a callback waits for the code exchange at a Keycloak
     * that may have just started on busy cores.
     */
    private Response send(String method, String target, String... headers) throws Exception {
        HttpRequest request = JavaHttp.request(base, target, APP_TIMEOUT, headers)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return JavaHttp.toResponse(http.send(request, HttpResponse.BodyHandlers.ofString()));
    }

    /** The browser's cookies for the application, by name, as Set-Cookie headers left them. */
    static final class Jar {
        final Map<String, String> cookies = new LinkedHashMap<>();

        Jar copy() {
            Jar copy = new Jar();
            copy.cookies.putAll(cookies);
            return copy;
        }

        /** Applies a response's Set-Cookie headers: a value replaces, an empty one clears. */
        Jar apply(Response r) {
            for (String h : r.headers("set-cookie")) {
                String pair = h.split(";", 2)[0];
                int eq = pair.indexOf('=');
                String name = pair.substring(0, eq);
                String value = pair.substring(eq + 1);
                if (value.isEmpty() || h.toLowerCase(java.util.Locale.ROOT).contains("max-age=0")) {
                    cookies.remove(name);
                } else {
                    cookies.put(name, value);
                }
            }
            return this;
        }

        String get(String name) {
            return cookies.get(name);
        }

        String header() {
            return cookies.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining("; "));
        }
    }

    // ------------------------------------------------------------------ Keycloak directly

    /**
     * The refresh token in the jar's refresh cookie, opened with the test's cookie key (the
     * browser could not): whole, or reassembled from its chunks {@code name.0}, {@code name.1}, ...
     */
    private String openRefreshToken(Jar jar) {
        return open(jar, REFRESH);
    }

    /** The token in the jar's cookie {@code cookieName}, opened as {@link #openRefreshToken} does. */
    private String open(Jar jar, String cookieName) {
        String sealed = jar.get(cookieName);
        if (sealed == null) {
            TreeMap<Integer, String> chunks = new TreeMap<>();
            jar.cookies.forEach((name, value) -> {
                if (name.startsWith(cookieName + ".")) {
                    chunks.put(Integer.parseInt(name.substring(cookieName.length() + 1)), value);
                }
            });
            sealed = String.join("", chunks.values());
        }
        CookieSeal seal = CookieSeal.create(CookieSeal.settingsFrom(InitParams.resolve(Map.of("cookie-encryption-keys", cookieKeys))),
                List.of()).orElseThrow();
        String cookie = sealed;
        return seal.open(sealed).orElseThrow(() -> new AssertionError("no sealed " + cookieName + " token in " + jar.cookies.keySet()
                + " (" + cookie.length() + " characters)"));
    }

    /** The refresh grant at Keycloak's token endpoint, with the application's client credentials. */
    private HttpResponse<String> tokenEndpointRefresh(String refreshToken) throws Exception {
        String basic = Base64.getEncoder().encodeToString((CLIENT_ID + ":" + clientSecret).getBytes(StandardCharsets.UTF_8));
        return http.send(HttpRequest.newBuilder(URI.create(issuer + "/protocol/openid-connect/token"))
                .header("Authorization", "Basic " + basic)
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(KeycloakBrowser.form(Map.of(
                        "grant_type", "refresh_token", "refresh_token", refreshToken))))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    /** Sets the realm's access token lifespan through Keycloak's admin API, as the bootstrap administrator. */
    private void setRealmAccessTokenLifespan(Duration lifespan) throws Exception {
        HttpResponse<String> token = http.send(HttpRequest.newBuilder(URI.create(keycloak.base() + "/realms/master/protocol/openid-connect/token"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(KeycloakBrowser.form(Map.of("grant_type", "password",
                        "client_id", "admin-cli", "username", KeycloakServer.ADMIN, "password", keycloak.adminPassword()))))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, token.statusCode(), token::body);
        String adminToken = (String) Json.object(token.body()).get("access_token");
        HttpResponse<String> put = http.send(HttpRequest.newBuilder(URI.create(keycloak.base() + "/admin/realms/" + REALM))
                .header("Authorization", "Bearer " + adminToken)
                .header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("{\"accessTokenLifespan\":" + lifespan.toSeconds() + "}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(204, put.statusCode(), put::body);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    private static String random() {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(randomBytes(18));
    }
}

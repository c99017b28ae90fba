package io.github.sessiongate.it;

import static io.github.sessiongate.it.MockOidcProvider.CLIENT_ID;
import static io.github.sessiongate.it.OidcBrowser.NAVIGATION;
import static io.github.sessiongate.it.OidcBrowser.cookies;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.cookie.CookieKind;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.LogCapture;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * What an outsider can send to the OpenID Connect routes of issue 9, through a real container
 * ({@link JettyOidcAttackTest}, {@link TomcatOidcAttackTest}) against NAV's mock-oauth2-server: odd,
 * repeated, huge and badly encoded parameters at {@code /auth/login} and {@code /auth/callback},
 * tampered, foreign and surplus login-transaction and provider-facts cookies, and a provider-facts
 * cookie of another user. Each gets a clear 4xx (or the sign-in it asked for), never a 500, never a
 * session cookie it should not get, never another user's logout hint, and nothing secret in the log.
 * The webapp {@code oidc-attack} is deployed twice, as two nodes with two per-process keys.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class OidcAttackScenarios {
    static final String CONTEXT = "/atk";
    static final String OTHER_NODE = "/atk2";
    /** login-path is the login route itself. */
    static final String LOGIN_ROUTE_AS_PAGE = "/atk3";
    static final String ISSUER_ID = "attack";
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
        provider = teardown.add(MockOidcProvider.start(ISSUER_ID, "sessiongate.it.oidc-attack.")).withJwksUrl().withClientSecret();
        issuer = provider.issuer();
        base = provider.serve(newContainer(), Container.Webapp.of(CONTEXT, "oidc-attack"), Container.Webapp.of(OTHER_NODE, "oidc-attack"),
                Container.Webapp.of(LOGIN_ROUTE_AS_PAGE, "oidc-attack-loginroute"));
        http = provider.http();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ------------------------------------------------------------------ the login route

    @Test
    void theLoginRouteNeverCarriesAForeignFromIntoTheFinalRedirect() throws Exception {
        for (String from : List.of("//evil.example/x", "https://evil.example/", "/\\evil.example", "/%2F%2Fevil.example",
                "/.//evil.example", "javascript:alert(1)")) {
            Response r = get(CONTEXT + "/auth/login?from=" + URLEncoder.encode(from, StandardCharsets.UTF_8), NAVIGATION);
            assertEquals(302, r.status(), r::toString);
            Response done = complete(r, "mallory");
            assertEquals(303, done.status(), done::toString);
            assertEquals(CONTEXT + "/", done.header("Location").orElseThrow(), () -> "home for " + from);
        }
        Response twice = get(CONTEXT + "/auth/login?from=/app/a&from=//evil.example", NAVIGATION);
        assertEquals(302, twice.status(), twice::toString);
        assertEquals(CONTEXT + "/", complete(twice, "mallory").header("Location").orElseThrow(), "from given twice: home");
    }

    @Test
    void theLoginHintIsRefusedWhenRepeatedHugeOrControlAndEncodedOtherwise() throws Exception {
        for (String query : List.of("login_hint=a&login_hint=b", "login_hint=" + "a".repeat(300), "login_hint=a%0d%0aX:y",
                "login_hint=", "login_hint=%E2%80%AEevil", "login_hint=%ff%fe")) {
            Response r = get(CONTEXT + "/auth/login?" + query, NAVIGATION);
            assertEquals(400, r.status(), () -> query + ": " + r);
            assertNoCookieSet(r);
        }
        Response r = get(CONTEXT + "/auth/login?login_hint=" + URLEncoder.encode("a@b.example&state=x&prompt=none#",
                StandardCharsets.UTF_8), NAVIGATION);
        assertEquals(302, r.status(), r::toString);
        Map<String, String> q = query(URI.create(r.header("Location").orElseThrow()).getRawQuery());
        assertEquals("a@b.example&state=x&prompt=none#", q.get("login_hint"));
        assertFalse(q.containsKey("prompt"), q::toString);
    }

    @Test
    void aHugeQueryOnAProtectedPageOrTheLoginRouteStaysWithinTheResponseBudget() throws Exception {
        String big = "x=" + "a".repeat(6000);
        for (String target : List.of(CONTEXT + "/app/home?" + big, CONTEXT + "/auth/login?from=/app/home%3F" + "a".repeat(6000),
                CONTEXT + "/auth/login?" + big + "&from=/app/home")) {
            Response r = get(target, NAVIGATION);
            assertEquals(302, r.status(), r::toString);
            int head = r.headers().entrySet().stream().mapToInt(e -> e.getValue().stream()
                    .mapToInt(v -> e.getKey().length() + v.length() + 4).sum()).sum();
            assertTrue(head < 8192, () -> "head of " + head + " bytes");
        }
    }

    @Test
    void junkSessionCookiesAndThreePendingSignInsNeverOverflowTheRedirectToTheProvider() throws Exception {
        String jar = "";
        for (int i = 0; i < 3; i++) {
            Response r = get(CONTEXT + "/auth/login?from=" + CONTEXT + "/app/" + "t".repeat(400), jar.isEmpty() ? NAVIGATION
                    : new String[] {NAVIGATION[0], NAVIGATION[1], "Cookie: " + jar});
            assertEquals(302, r.status(), r::toString);
            jar = (jar.isEmpty() ? "" : jar + "; ") + cookies(r);
        }
        StringBuilder junk = new StringBuilder(jar);
        for (String stem : List.of(ACCESS, REFRESH, FACTS, "__Host-" + ACCESS, "__Host-" + REFRESH, "__Host-" + FACTS, "sg_meta")) {
            for (int i = 0; i < 6; i++) {
                junk.append("; ").append(stem).append('.').append(i).append("=junk");
            }
        }
        junk.append("; ").append(ACCESS).append("=").append("eyJ".repeat(300));
        for (String target : List.of(CONTEXT + "/app/home?" + "q=" + "w".repeat(1500), CONTEXT + "/auth/login?from=" + CONTEXT
                + "/app/" + "u".repeat(500) + "&login_hint=" + "h".repeat(250))) {
            Response r = get(target, NAVIGATION[0], NAVIGATION[1], "Cookie: " + junk);
            assertTrue(r.status() == 302 || r.status() == 400, () -> target + ": " + r);
            int head = r.headers().entrySet().stream().mapToInt(e -> e.getValue().stream()
                    .mapToInt(v -> e.getKey().length() + v.length() + 4).sum()).sum();
            assertTrue(head < 8192 - 200, () -> "head of " + head + " bytes: " + r);
        }
    }

    @Test
    void oddHeadersOnALoginOrAProtectedPageAreNeverAServerError() throws Exception {
        for (String[] headers : List.of(new String[] {"Accept: */*"}, new String[] {"Accept: application/json"},
                new String[] {"Sec-Fetch-Mode: navigate"}, new String[] {"Sec-Fetch-Mode: cors", "Sec-Fetch-Site: cross-site"},
                new String[] {"Accept: " + "text/html,".repeat(400)}, new String[] {"Sec-Fetch-Dest: iframe", "Sec-Fetch-Mode: navigate"})) {
            for (String target : List.of(CONTEXT + "/auth/login", CONTEXT + "/app/home")) {
                Response r = get(target, headers);
                assertTrue(r.status() == 302 || r.status() == 401 || r.status() == 400, () -> target + " " + List.of(headers) + ": " + r);
            }
        }
        for (String target : List.of("/auth/login?from=%zz", "/auth/login?from=%", "/auth/login?login_hint=%zz&from=/x",
                "/auth/login?from=%C0%AF", "/auth/login?=&&&=x&from", "/auth/callback?state=%zz&code=%", "/auth/callback?%ff=1",
                "/app/home?%zz", "/app/home?a=%C0%80")) {
            Response r = get(CONTEXT + target, NAVIGATION);
            assertTrue(r.status() == 302 || r.status() == 400, () -> target + ": " + r);
        }
        Response post = RawHttp.send(base, "POST", CONTEXT + "/auth/callback", new byte[0], "Accept: text/html");
        assertTrue(post.status() == 405 || post.status() == 403, post::toString);
    }

    @Test
    void aHugeOrOddHostNeverOverflowsTheLoginRedirect() throws Exception {
        for (String host : List.of("h" + "a".repeat(3000) + ".example", "evil.example:1", "[::1]:" + base.getPort(), "x_y.example")) {
            for (String target : List.of(CONTEXT + "/auth/login", CONTEXT + "/app/home")) {
                Response r = withHost(host, target, NAVIGATION);
                assertTrue(r.status() == 302 || r.status() == 400, () -> host.substring(0, Math.min(40, host.length())) + " " + target
                        + ": " + r);
                int head = r.headers().entrySet().stream().mapToInt(e -> e.getValue().stream()
                        .mapToInt(v -> e.getKey().length() + v.length() + 4).sum()).sum();
                assertTrue(head < 8192, () -> "head of " + head + " bytes");
            }
        }
    }

    /** A request with this Host header instead of the container's own. */
    private Response withHost(String host, String target, String... headers) throws Exception {
        try (java.net.Socket socket = new java.net.Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout(5_000);
            StringBuilder request = new StringBuilder("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
            for (String h : headers) {
                request.append(h).append("\r\n");
            }
            request.append("Connection: close\r\n\r\n");
            socket.getOutputStream().write(request.toString().getBytes(StandardCharsets.ISO_8859_1));
            String text = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            String[] lines = text.substring(0, text.indexOf("\r\n\r\n")).split("\r\n");
            Map<String, List<String>> head = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                head.computeIfAbsent(lines[i].substring(0, colon).strip().toLowerCase(java.util.Locale.ROOT),
                        k -> new java.util.ArrayList<>()).add(lines[i].substring(colon + 1).strip());
            }
            return new Response(Integer.parseInt(lines[0].split(" ")[1]), head, text.substring(text.indexOf("\r\n\r\n") + 4));
        }
    }

    @Test
    void pathTricksAroundTheFlowsRoutesNeverReachAProtectedPage() throws Exception {
        for (String target : List.of("/auth/callback/../app/home", "/auth/callback/..;/app/home", "/auth/login/%2e%2e/app/home",
                "/auth/login;x=y/../../app/home", "/auth/%63allback?state=x", "/auth/callback/", "/auth/login/",
                "/auth/callback%2f..%2fapp%2fhome", "/auth/login%00", "/auth/login%0d%0aX:y", "/auth//callback",
                "/AUTH/CALLBACK", "/auth/callback.json", "/app/home/../../auth/login")) {
            Response r = get(CONTEXT + target, "Accept: application/json");
            assertTrue(r.status() >= 300 && r.status() < 500 && r.status() != 304, () -> target + ": " + r);
            assertFalse(r.body().contains("\"subject\""), () -> target + " reached a protected page: " + r);
        }
    }

    // ------------------------------------------------------------------ the callback

    @Test
    void oddCallbacksGetA400WithoutASessionCookie() throws Exception {
        Response started = get(CONTEXT + "/auth/login", NAVIGATION);
        String state = param(started, "state");
        String cookies = cookies(started);
        String iss = URLEncoder.encode(issuer, StandardCharsets.UTF_8);
        String hugeState = "s".repeat(6000);
        for (String query : List.of("", "code=x", "state=" + state + "&state=" + state + "&code=x&iss=" + iss,
                "state=" + hugeState + "&code=x&iss=" + iss, "state=%ff%fe&code=x", "state=" + state + "%00&code=x&iss=" + iss,
                "state=" + state + "&code=x&iss=" + iss + "&iss=" + iss, "state=" + state + "&code=x&iss=" + iss + "x",
                "state=" + state + "&code=x&iss=" + iss.toUpperCase(java.util.Locale.ROOT),
                "state=" + state + "&iss=" + iss, "state=" + state + "&iss=" + iss + "&code=a&code=b",
                "state=" + state + "&code=x&iss=" + iss + "&error=access_denied&error=x",
                "state=" + state + "&iss=" + iss + "&error=" + "e".repeat(5000), "state=" + state + "&iss=" + iss
                        + "&error=%0d%0aSet-Cookie:%20x=y", "state=" + state + "&iss=" + iss + "&error=a&error_description="
                        + "%ff".repeat(2000), "state=" + state + "&iss=%ff&code=x", "state=" + state.toLowerCase() + "&code=x&iss=" + iss)) {
            for (String[] headers : List.of(new String[] {"Accept: application/json"}, NAVIGATION)) {
                String[] all = Arrays.copyOf(headers, headers.length + 1);
                all[headers.length] = "Cookie: " + cookies;
                Response r = get(CONTEXT + "/auth/callback" + (query.isEmpty() ? "" : "?" + query), all);
                assertTrue(r.status() == 400 || r.status() == 303, () -> query + ": " + r);
                assertTrue(SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), () -> query + ": " + r);
                if (r.status() == 303) {
                    String location = r.header("Location").orElseThrow();
                    assertTrue(location.matches("/atk/login\\?error=provider_error&provider_error=[A-Za-z0-9_.-]{1,64}"), location);
                }
            }
        }
    }

    @Test
    void aProviderErrorNeverLandsOnALoginPathThatRestartsTheSignIn() throws Exception {
        for (String error : List.of("login_required", "access_denied")) {
            Response started = get(LOGIN_ROUTE_AS_PAGE + "/app/home", NAVIGATION);
            assertEquals(302, started.status(), started::toString);
            Response r = get(LOGIN_ROUTE_AS_PAGE + "/auth/callback?error=" + error + "&state=" + param(started, "state") + "&iss="
                    + URLEncoder.encode(issuer, StandardCharsets.UTF_8), NAVIGATION[0], NAVIGATION[1], "Cookie: " + cookies(started));
            assertEquals(400, r.status(), () -> "not back to the provider through login-path: " + r);
            assertEquals("provider_error", Json.object(r.body()).get("error"));
            assertEquals(error, Json.object(r.body()).get("provider_error"));
            assertEquals(Optional.of(""), SetCookies.value(r, TRANSACTION), "its transaction cleared");
        }
    }

    @Test
    void tamperedTruncatedForeignAndSurplusTransactionCookiesGetA400() throws Exception {
        Response started = get(CONTEXT + "/auth/login", NAVIGATION);
        String state = param(started, "state");
        String value = SetCookies.value(started, TRANSACTION).orElseThrow();
        Response foreign = get(OTHER_NODE + "/auth/login", NAVIGATION);
        String other = SetCookies.value(foreign, TRANSACTION).orElseThrow();
        String q = "?state=" + state + "&code=x&iss=" + URLEncoder.encode(issuer, StandardCharsets.UTF_8);
        String many = java.util.stream.IntStream.range(0, 40).mapToObj(i -> CookieKind.LOGIN_TRANSACTION_NAME + "-" + i + "=" + value)
                .collect(Collectors.joining("; "));
        for (String cookie : List.of(TRANSACTION + "=" + value.substring(0, value.length() / 2),
                TRANSACTION + "=" + value.substring(0, value.length() - 1) + (value.endsWith("A") ? "B" : "A"),
                TRANSACTION + "=" + other, TRANSACTION + "=" + "A".repeat(4000), TRANSACTION + "=..... ",
                TRANSACTION + "=" + value + "; " + TRANSACTION + "=" + other, many)) {
            Response r = get(CONTEXT + "/auth/callback" + q, "Accept: application/json", "Cookie: " + cookie);
            assertTrue(r.status() == 400 || r.status() == 431, () -> cookie.substring(0, Math.min(80, cookie.length())) + ": " + r);
            assertTrue(SetCookies.value(r, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), r::toString);
        }
    }

    @Test
    void aReplayedCallbackIsRefusedAndAnotherTabsTransactionSurvives() throws Exception {
        Response tab1 = get(CONTEXT + "/auth/login?from=" + CONTEXT + "/app/one", NAVIGATION);
        Response tab2 = get(CONTEXT + "/auth/login?from=" + CONTEXT + "/app/two", "Cookie: " + cookies(tab1), NAVIGATION[0], NAVIGATION[1]);
        String both = cookies(tab1) + "; " + cookies(tab2);
        URI back = authorize(URI.create(tab1.header("Location").orElseThrow()), "erin");
        Response done = get(back.getRawPath() + "?" + back.getRawQuery(), "Accept: text/html", "Cookie: " + both);
        assertEquals(303, done.status(), done::toString);
        assertEquals(CONTEXT + "/app/one", done.header("Location").orElseThrow());
        Response replay = get(back.getRawPath() + "?" + back.getRawQuery(), "Accept: application/json", "Cookie: " + both);
        assertEquals(400, replay.status(), replay::toString);
        assertTrue(SetCookies.value(replay, ACCESS).filter(v -> !v.isEmpty()).isEmpty(), replay::toString);

        // The other tab's sign-in was left alone by both, and completes.
        String tab2Cookie = cookies(tab2);
        String tab2Name = tab2Cookie.substring(0, tab2Cookie.indexOf('='));
        assertTrue(SetCookies.value(done, tab2Name).isEmpty() && SetCookies.value(replay, tab2Name).isEmpty(),
                () -> "the other tab's " + tab2Name + " untouched: " + done + " / " + replay);
        URI back2 = authorize(URI.create(tab2.header("Location").orElseThrow()), "erin");
        Response done2 = get(back2.getRawPath() + "?" + back2.getRawQuery(), "Accept: text/html", "Cookie: " + cookies(done) + "; "
                + tab2Cookie);
        assertEquals(303, done2.status(), done2::toString);
        assertEquals(CONTEXT + "/app/two", done2.header("Location").orElseThrow());
    }

    @Test
    void bigTokensNextToStaleCookiesAndALongFromNeverOverflowTheCallbacksResponse() throws Exception {
        StringBuilder stale = new StringBuilder();
        for (String stem : List.of(ACCESS, REFRESH, FACTS, "__Host-" + ACCESS, "__Host-" + FACTS)) {
            for (int i = 0; i < 8; i++) {
                stale.append("; ").append(stem).append('.').append(i).append("=x");
            }
        }
        stale.append("; ").append(CookieKind.LOGIN_TRANSACTION_NAME).append("-1=x; ").append(CookieKind.LOGIN_TRANSACTION_NAME)
                .append("-2=x; __Host-").append(TRANSACTION).append("=x");
        for (int pad : List.of(100, 1500, 2200, 2600, 3000, 5000)) {
            Response started = get(CONTEXT + "/auth/login?from=" + CONTEXT + "/app/" + "p".repeat(480), NAVIGATION);
            assertEquals(302, started.status(), started::toString);
            provider.enqueue("ivan", MockOidcProvider.AUDIENCE, Map.of("pad", "q".repeat(pad)));
            HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(started.header("Location").orElseThrow()))
                    .build(), HttpResponse.BodyHandlers.ofString());
            URI back = URI.create(answer.headers().firstValue("Location").orElseThrow());
            Response done = get(back.getRawPath() + "?" + back.getRawQuery(), "Accept: text/html", "Sec-Fetch-Mode: navigate",
                    "Cookie: " + cookies(started) + stale);
            assertTrue(done.status() == 303 || done.status() == 502, () -> pad + ": " + done);
            int head = done.headers().entrySet().stream().mapToInt(e -> e.getValue().stream()
                    .mapToInt(v -> e.getKey().length() + v.length() + 4).sum()).sum();
            assertTrue(head < 8192 - 200, () -> pad + ": head of " + head + " bytes");
        }
    }

    // ------------------------------------------------------------------ logout and the provider facts

    @Test
    void anotherUsersFactsCookieNeverGivesTheLogoutTheirHint() throws Exception {
        String alice = signIn("alice");
        String mallory = signIn("mallory");
        String planted = replace(alice, FACTS, cookie(mallory, FACTS).orElseThrow());
        for (String[] headers : List.of(new String[] {"Accept: text/html"}, new String[] {"Accept: application/json",
                "Content-Type: application/json", "X-Requested-With: fetch"})) {
            Response r = logout(planted, headers);
            String location = r.status() == 303 ? r.header("Location").orElseThrow() : (String) Json.object(r.body()).get("location");
            Map<String, String> q = query(URI.create(location).getRawQuery());
            assertFalse(q.containsKey("id_token_hint") || q.containsKey("logout_hint"), () -> "another user's hint: " + q);
            assertEquals(CLIENT_ID, q.get("client_id"));
        }
        Response session = get(CONTEXT + "/auth/session", "Accept: application/json", "Cookie: " + planted);
        assertEquals(200, session.status(), session::toString);
        assertFalse(session.body().contains("eyJ"), session::body);
    }

    @Test
    void withoutALiveSessionTheFactsGiveNoHint() throws Exception {
        String henry = signIn("henry");
        String withoutAccess = Arrays.stream(henry.split("; ")).filter(c -> !c.startsWith(ACCESS + "="))
                .collect(Collectors.joining("; "));
        Response r = logout(withoutAccess, "Accept: text/html");
        assertEquals(303, r.status(), r::toString);
        Map<String, String> q = query(URI.create(r.header("Location").orElseThrow()).getRawQuery());
        assertFalse(q.containsKey("id_token_hint") || q.containsKey("logout_hint"), q::toString);
        assertEquals(Optional.of(""), SetCookies.value(r, FACTS), "cleared all the same");
    }

    @Test
    void oddFactsCookiesNeverFailTheLogout() throws Exception {
        String alice = signIn("frank");
        String otherNode = signInAt(OTHER_NODE, "frank");
        for (String facts : List.of(cookie(otherNode, FACTS).orElseThrow(), "A".repeat(3000), "x.y.z.w.v", "%ff",
                cookie(alice, FACTS).orElseThrow().substring(0, 40))) {
            Response r = logout(replace(alice, FACTS, facts), "Accept: text/html");
            assertEquals(303, r.status(), r::toString);
            Map<String, String> q = query(URI.create(r.header("Location").orElseThrow()).getRawQuery());
            assertFalse(q.containsKey("id_token_hint") || q.containsKey("logout_hint"), q::toString);
        }
        String genuine = cookie(alice, FACTS).orElseThrow();
        String half = genuine.substring(0, genuine.length() / 2);
        for (String chunks : List.of(FACTS + ".0=" + half + "; " + FACTS + ".1=" + genuine.substring(half.length()),
                FACTS + ".0=" + half + "; " + FACTS + ".2=" + genuine.substring(half.length()),
                FACTS + ".0=a; " + FACTS + ".999=b; " + FACTS + ".1000=c; " + FACTS + ".-1=d",
                FACTS + ".0=" + half + "; " + FACTS + ".0=" + half + "; " + FACTS + "=" + genuine,
                FACTS + ".01=x; " + FACTS + ".1 =y; " + FACTS + "..1=z; " + "__Host-" + FACTS + "=" + genuine,
                TRANSACTION + ".0=x; " + CookieKind.LOGIN_TRANSACTION_NAME + "-9=y; " + CookieKind.LOGIN_TRANSACTION_NAME + "=z")) {
            String jar = Arrays.stream(alice.split("; ")).filter(c -> !c.startsWith(FACTS + "=")).collect(Collectors.joining("; "))
                    + "; " + chunks;
            Response r = logout(jar, "Accept: text/html");
            assertEquals(303, r.status(), () -> chunks + ": " + r);
            Response page = get(CONTEXT + "/app/home", "Accept: application/json", "Cookie: " + jar);
            assertTrue(page.status() == 200 || page.status() == 401, () -> chunks + ": " + page);
            Response session = get(CONTEXT + "/auth/session", "Accept: application/json", "Cookie: " + jar);
            assertEquals(200, session.status(), () -> chunks + ": " + session);
        }
    }

    @Test
    void noCodeStateOrTokenInTheLog() throws Exception {
        String[] seen = new String[6];
        String log = LogCapture.during(() -> {
            Response started = get(CONTEXT + "/auth/login", NAVIGATION);
            seen[0] = param(started, "state");
            URI back = authorize(URI.create(started.header("Location").orElseThrow()), "gina");
            seen[1] = query(back.getRawQuery()).get("code");
            Response done = get(back.getRawPath() + "?" + back.getRawQuery(), "Accept: text/html", "Cookie: " + cookies(started));
            seen[2] = SetCookies.value(done, ACCESS).orElseThrow();
            seen[3] = SetCookies.value(done, FACTS).orElseThrow();
            get(back.getRawPath() + "?" + back.getRawQuery(), "Accept: application/json", "Cookie: " + cookies(started));
            // An attacker's own code and text at a callback with a valid state of theirs.
            Response again = get(CONTEXT + "/auth/login", NAVIGATION);
            seen[4] = "attacker-code-" + UUID.randomUUID();
            get(CONTEXT + "/auth/callback?state=" + param(again, "state") + "&code=" + seen[4] + "&iss="
                    + URLEncoder.encode(issuer, StandardCharsets.UTF_8) + "&error_description=%0d%0aFORGED", "Accept: application/json",
                    "Cookie: " + cookies(again));
            Response out = logout(cookies(done), "Accept: text/html");
            seen[5] = query(URI.create(out.header("Location").orElseThrow()).getRawQuery()).get("id_token_hint");
        });
        assertTrue(seen[5] != null, "the form logout carried the ID token: it must not be in the log");
        assertFalse(log.contains("FORGED"), "no provider text from the callback's query in the log");
        for (String secret : seen) {
            assertFalse(log.contains(secret), () -> "logged: " + secret);
        }
        assertFalse(log.contains(provider.clientSecret()));
    }

    // ------------------------------------------------------------------ helpers

    private Response get(String target, String... headers) throws Exception {
        return RawHttp.send(base, "GET", target, headers);
    }

    private String signIn(String subject) throws Exception {
        return signInAt(CONTEXT, subject);
    }

    private String signInAt(String context, String subject) throws Exception {
        Response r = get(context + "/app/home", NAVIGATION);
        assertEquals(302, r.status(), r::toString);
        Response done = complete(r, subject);
        assertEquals(303, done.status(), done::toString);
        return cookies(done);
    }

    /** Completes the sign-in this response started, as {@code subject}. */
    private Response complete(Response started, String subject) throws Exception {
        URI redirect = authorize(URI.create(started.header("Location").orElseThrow()), subject);
        return get(redirect.getRawPath() + "?" + redirect.getRawQuery(), "Accept: text/html", "Sec-Fetch-Mode: navigate",
                "Cookie: " + cookies(started));
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

    private static String param(Response r, String name) {
        return query(URI.create(r.header("Location").orElseThrow()).getRawQuery()).get(name);
    }

    private static void assertNoCookieSet(Response r) {
        assertTrue(r.headers("set-cookie").stream().noneMatch(h -> !h.split(";", 2)[0].endsWith("=")), r::toString);
    }

    private static Optional<String> cookie(String header, String name) {
        return Arrays.stream(header.split("; ")).filter(c -> c.startsWith(name + "=")).map(c -> c.substring(name.length() + 1))
                .findFirst();
    }

    private static String replace(String header, String name, String value) {
        return Arrays.stream(header.split("; ")).map(c -> c.startsWith(name + "=") ? name + "=" + value : c)
                .collect(Collectors.joining("; "));
    }

    private static Map<String, String> query(String raw) {
        Map<String, String> q = new LinkedHashMap<>();
        for (String pair : raw.split("&")) {
            String[] kv = pair.split("=", 2);
            q.put(URLDecoder.decode(kv[0], StandardCharsets.UTF_8), kv.length > 1 ? URLDecoder.decode(kv[1], StandardCharsets.UTF_8) : "");
        }
        return q;
    }
}

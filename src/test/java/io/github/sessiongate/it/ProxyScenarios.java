package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.it.RotationScenarios.Pair;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.PathResolution;
import io.github.sessiongate.testing.RecordingBackend;
import io.github.sessiongate.testing.RecordingBackend.Answer;
import io.github.sessiongate.testing.RecordingBackend.Hold;
import io.github.sessiongate.testing.RecordingBackend.Recorded;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.CRC32;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The API proxy (issue 12) end to end on each real container ({@link JettyProxyTest},
 * {@link TomcatProxyTest}): a browser's call under a route prefix reaches a real HTTP backend in
 * this JVM ({@link RecordingBackend}, which records exactly what arrives) with the session's token
 * and nothing of the browser's credentials, and the backend's answer comes back streamed, private,
 * and without the backend's cookies or challenges.
 *
 * <p>The {@code proxy} webapp ({@code src/test/webapps/proxy}) validates RS256 access tokens from
 * {@link FakeAuthBackend} (JWKS, refresh in place), starts guest sessions, and declares six routes
 * to the recording backend's {@code /v1/}: {@code /api/backend/*} (64 MiB body cap,
 * {@code X-Internal-Secret} on the deny-list), {@code /api/slow/*} (200 ms timeout, one forward
 * at a time), {@code /api/tiny/*} (1024-byte cap), {@code /api/single/*} (one forward at a time),
 * {@code /api/guests/*} (guest sessions count, though
 * {@code /api/*} is a protected path: the route's settings decide), and {@code /api/down/*} to a closed
 * port. Everything else lands on {@link TokenEchoServlet}, so a request the proxy did not take
 * shows its marker.
 *
 * <p>Heap growth is measured after a full collection while a 50 MiB transfer stands paused at
 * 40 MiB, so a proxy that kept what passed through, or buffered ahead, would show it.
 *
 * <p>Nobody sleeps: a slow or busy backend is a {@link Hold} released by the test, an upload's
 * progress is what the backend has recorded, and an expired token is minted by the auth backend
 * while its clock stands in the past.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ProxyScenarios {
    static final String CTX = "/proxy";
    static final String BACKEND = CTX + "/api/backend";
    static final String SLOW = CTX + "/api/slow";
    static final String TINY = CTX + "/api/tiny";
    static final String SINGLE = CTX + "/api/single";
    static final String DOWN = CTX + "/api/down";
    static final String GUESTS = CTX + "/api/guests";
    /** The backend base path every route forwards under. */
    static final String V1 = "/v1/";
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String GUEST = CookieSettings.DEFAULT_GUEST_COOKIE_NAME;
    /** The {@code proxy.tiny.max-body} of the webapp. */
    static final int TINY_CAP = 1024;
    static final long MIB = 1024 * 1024;
    /** The size of the upload and of the download. */
    static final long TRANSFER = 50 * MIB;
    /** Where the upload and the download stop until the test has looked: late enough that buffering it all would show. */
    static final long PAUSE_AT = 40 * MIB;
    /** Heap growth allowed while 50 MiB stream through. */
    static final long HEAP_BUDGET = 32 * MIB;
    static final String EVIL = "evil.example";

    private final MutableClock authClock = MutableClock.followingSystemTime();
    private final Teardown teardown = new Teardown();
    private FakeAuthBackend auth;
    private RecordingBackend api;
    private HttpClient http;
    /** {@code http://127.0.0.1:port}, no trailing slash. */
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        auth = teardown.add(FakeAuthBackend.builder().clock(authClock).build().start());
        api = teardown.add(new RecordingBackend().start());
        teardown.add(new ScenarioProperties("sessiongate.it.proxy."))
                .backend(auth)
                .prefixed("backend-url", api.baseUrl() + V1)
                .prefixed("down-url", "http://127.0.0.1:" + closedPort() + V1)
                .prefixed("guest-secret", "it-proxy-guest-secret-" + UUID.randomUUID());
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(CTX, "proxy")));
        http = JavaHttp.newClient();
        // The filter fetches its JWKS once; fetch it now, so no scenario pays for it under a timeout.
        Response warm = get(CTX + "/api/warm-up", cookie(valid()));
        assertEquals(200, warm.status(), () -> "the proxy webapp is not serving: " + describe(warm));
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    // ---------------------------------------------------------------- what reaches the backend

    @Test
    void accessTokenMethodPathQueryAndBodyArriveAtTheBackend() throws Exception {
        String token = valid();

        Response response = RawHttp.send(base, "PUT", BACKEND + "/notes/a%20b?b=2&a=%2F+x&a=1",
                "{\"text\":\"hello\"}".getBytes(StandardCharsets.UTF_8),
                cookie(token), "Content-Type: application/json", "Origin: " + base, "Sec-Fetch-Site: same-origin");

        assertEquals(200, response.status(), () -> describe(response));
        Recorded seen = api.only(V1 + "notes/a%20b");
        assertAll(
                () -> assertEquals("{\"ok\":true}", response.body(), "the backend's body is passed through"),
                () -> assertEquals("PUT", seen.method()),
                () -> assertEquals("b=2&a=%2F+x&a=1", seen.rawQuery(), "the raw query, as the browser sent it"),
                () -> assertEquals(List.of("Bearer " + token), seen.headers("Authorization"), "the session's access token"),
                () -> assertEquals(List.of(api.authority()), seen.headers("Host"), "the backend's own Host"),
                () -> assertEquals("{\"text\":\"hello\"}", seen.body()),
                () -> assertEquals(List.of("application/json"), seen.headers("Content-Type")),
                () -> assertPrivate(response));
    }

    @Test
    void browserCookiesCredentialsAndForwardingHeadersNeverArriveAndTheForwardingHeadersAreTheFiltersOwn() throws Exception {
        String token = valid();

        Response response = RawHttp.send(base, "GET", BACKEND + "/headers",
                "Cookie: " + ACCESS + "=" + token + "; theme=dark; tracker=" + EVIL,
                "Authorization: Bearer browser-" + EVIL,
                "Proxy-Authorization: Basic " + EVIL,
                "X-Forwarded-For: 6.6.6.6", "X-Forwarded-Host: " + EVIL, "X-Forwarded-Proto: https",
                "X-Forwarded-Port: 6666", "X-Forwarded-Prefix: /" + EVIL,
                "Forwarded: for=6.6.6.6;host=" + EVIL + ";proto=https",
                "X-Real-IP: 6.6.6.6", "X-Original-URL: /" + EVIL, "X-Rewrite-URL: /" + EVIL,
                "Connection: X-Hop, x-other-hop", "X-Hop: " + EVIL, "X-Other-Hop: " + EVIL, "Keep-Alive: timeout=6666",
                "TE: trailers", "Trailer: X-Checksum", "Proxy-Connection: keep-alive",
                "X-Internal-Secret: " + EVIL,
                "X-Kept: kept", "Accept: application/json");

        assertEquals(200, response.status(), () -> describe(response));
        Recorded seen = api.only(V1 + "headers");
        String authority = base.getHost() + ":" + base.getPort();
        assertAll(
                () -> assertEquals(List.of(), seen.headers("Cookie"), "no browser cookie, not even the session's"),
                () -> assertEquals(List.of("Bearer " + token), seen.headers("Authorization"),
                        "the session's token, never the browser's Authorization"),
                () -> assertEquals(List.of("127.0.0.1"), seen.headers("X-Forwarded-For"), "the real client address"),
                () -> assertEquals(List.of("http"), seen.headers("X-Forwarded-Proto")),
                () -> assertEquals(List.of(authority), seen.headers("X-Forwarded-Host")),
                () -> assertEquals(1, seen.headers("Forwarded").size(), () -> "Forwarded: " + seen.headers("Forwarded")),
                () -> assertTrue(seen.header("Forwarded").orElse("").toLowerCase(Locale.ROOT).contains("proto=http"),
                        () -> "Forwarded: " + seen.headers("Forwarded")),
                () -> assertTrue(seen.header("Forwarded").orElse("").contains("127.0.0.1"),
                        () -> "Forwarded: " + seen.headers("Forwarded")),
                () -> assertFalse(seen.headers("X-Forwarded-Port").contains("6666"), "the browser's X-Forwarded-* are dropped"),
                () -> assertEquals(List.of(), seen.headers("X-Forwarded-Prefix"), "the browser's X-Forwarded-* are dropped"),
                () -> assertEquals(List.of(), seen.headers("X-Real-IP")),
                () -> assertEquals(List.of(), seen.headers("X-Original-URL")),
                () -> assertEquals(List.of(), seen.headers("X-Rewrite-URL")),
                () -> assertEquals(List.of(), seen.headers("Proxy-Authorization"), "Proxy-* is stripped"),
                () -> assertEquals(List.of(), seen.headers("X-Hop"), "a header the Connection header names is hop-by-hop"),
                () -> assertEquals(List.of(), seen.headers("X-Other-Hop"), "every header the Connection header names"),
                () -> assertEquals(List.of(), seen.headers("TE"), "hop-by-hop"),
                () -> assertEquals(List.of(), seen.headers("Trailer"), "hop-by-hop"),
                () -> assertEquals(List.of(), seen.headers("Proxy-Connection"), "Proxy-* is stripped"),
                () -> assertEquals(List.of(), seen.headers("Keep-Alive"), "hop-by-hop"),
                () -> assertEquals(List.of(), seen.headers("X-Internal-Secret"), "on the route's strip-headers list"),
                () -> assertEquals(List.of("kept"), seen.headers("X-Kept"), "an ordinary header is forwarded"),
                () -> assertEquals(List.of("application/json"), seen.headers("Accept")),
                () -> assertTrue(seen.headers().values().stream().flatMap(List::stream)
                                .noneMatch(v -> v.contains(EVIL) || v.contains("6.6.6.6")),
                        () -> "a browser-chosen value reached the backend: " + seen.headers().keySet()));
    }

    /**
     * Header values the container accepts but an outbound client may refuse (bytes beyond ASCII,
     * UTF-8 for a character past U+00FF) get a clear answer, never a 500.
     */
    @ParameterizedTest
    @ValueSource(strings = {"caf\u00e9", "5 \u00e2\u0082\u00ac", "\u00ff\u00fe"})
    void headerValuesBeyondAsciiNeverCauseA500(String latin1Bytes) throws Exception {
        int mark = api.count();

        Response response = RawHttp.send(base, "GET", BACKEND + "/non-ascii", cookie(valid()), "X-Note: " + latin1Bytes);

        assertTrue(response.status() == 200 || response.status() == 400, () -> describe(response));
        if (response.status() == 400) {
            assertEquals(List.of(), api.requestsSince(mark), "refused, and not forwarded");
        }
    }

    @Test
    void rotatedTokenArrivesAfterAnInPlaceRefreshAndTheNewCookiesReachTheBrowser() throws Exception {
        Pair old = expiredPair("alice");
        int refreshes = auth.calls(FakeAuthBackend.REFRESH);
        api.answer(V1 + "rotated", Answer.status(200).withBackendCookie().body("{\"rotated\":true}"));
        Response[] response = new Response[1];

        String log = LogCapture.during(() -> response[0] = get(BACKEND + "/rotated", RotationScenarios.cookies(old)));

        Response r = response[0];
        assertEquals(200, r.status(), () -> describe(r));
        Pair rotated = RotationScenarios.assertRotated(r, old);
        Recorded seen = api.only(V1 + "rotated");
        assertAll(
                () -> assertEquals(refreshes + 1, auth.calls(FakeAuthBackend.REFRESH), "one refresh call"),
                () -> assertEquals(List.of("Bearer " + rotated.access()), seen.headers("Authorization"),
                        "the backend got the token rotated on this very request, not the expired one"),
                () -> assertEquals(List.of(), seen.headers("Cookie")),
                () -> assertEquals("{\"rotated\":true}", r.body()),
                () -> assertTrue(r.headers("Set-Cookie").stream().noneMatch(h -> h.startsWith("backend=")),
                        () -> "the backend's cookie reached the browser: " + describe(r)),
                () -> assertPrivate(r),
                () -> assertNoToken(log, old.access(), old.refresh(), rotated.access(), rotated.refresh()));
    }

    // ---------------------------------------------------------------- what comes back

    @Test
    void backendCookiesChallengesCorsAndHopByHopHeadersNeverReachTheBrowser() throws Exception {
        api.answer(V1 + "answer", Answer.status(200).withBackendCookie()
                .header("Set-Cookie", "backend_session=abc; Path=/; HttpOnly")
                .header("WWW-Authenticate", "Bearer realm=\"api\"")
                .header("Access-Control-Allow-Origin", "*")
                .header("Access-Control-Allow-Credentials", "true")
                .header("Cache-Control", "public, max-age=3600")
                .header("X-Api-Version", "7")
                .header("Connection", "X-Resp-Hop")
                .header("X-Resp-Hop", "1")
                .header("Keep-Alive", "timeout=5")
                .header("Content-Type", "application/json")
                .body("{\"n\":1}"));

        Response response = get(BACKEND + "/answer", cookie(valid()));

        assertEquals(200, response.status(), () -> describe(response));
        assertAll(
                () -> assertEquals("{\"n\":1}", response.body()),
                () -> assertEquals(List.of(), response.headers("Set-Cookie"), "no cookie of the backend's, none of ours"),
                () -> assertEquals(List.of(), response.headers("WWW-Authenticate")),
                () -> assertTrue(response.headers().keySet().stream().noneMatch(h -> h.startsWith("access-control-")),
                        () -> "CORS headers passed through: " + response.headers().keySet()),
                () -> assertEquals(List.of("7"), response.headers("X-Api-Version"), "other headers pass"),
                () -> assertEquals(List.of(), response.headers("X-Resp-Hop"), "named by the backend's Connection header"),
                () -> assertEquals(List.of(), response.headers("Keep-Alive"), "hop-by-hop"),
                () -> assertTrue(response.header("Content-Type").orElse("").startsWith("application/json")),
                () -> assertPrivate(response));
    }

    @Test
    void backendRefusalKeepsItsStatusLosesItsChallengeAndClearsNoCookie() throws Exception {
        api.answer(V1 + "refused", Answer.status(401).withBackendCookie()
                .header("WWW-Authenticate", "Bearer error=\"invalid_token\"")
                .header("Content-Type", "application/json")
                .body("{\"error\":\"invalid_token\"}"));
        FakeAuthBackend.Tokens pair = auth.issue("alice");

        Response response = get(BACKEND + "/refused",
                "Cookie: " + ACCESS + "=" + pair.accessToken() + "; " + REFRESH + "=" + pair.refreshToken());

        assertAll(
                () -> assertEquals(401, response.status(), () -> describe(response)),
                () -> assertEquals("{\"error\":\"invalid_token\"}", response.body()),
                () -> assertEquals(List.of(), response.headers("WWW-Authenticate")),
                () -> assertEquals(List.of(), response.headers("Set-Cookie"),
                        "neither the backend's cookie nor a clearing of the session the filter believes valid"),
                () -> assertEquals(List.of(), response.headers("Location")));
    }

    @Test
    void locationUnderTheBaseUrlIsRewrittenToTheProxyPrefixAndAnyOtherAbsoluteOneIsDropped() throws Exception {
        api.answer(V1 + "moved", Answer.status(302).header("Location", api.baseUrl() + V1 + "target/x?y=1"));
        api.answer(V1 + "away", Answer.status(302).header("Location", "https://" + EVIL + V1 + "target"));
        api.answer(V1 + "sibling", Answer.status(302).header("Location", api.baseUrl() + "/v2/other"));
        String token = valid();

        Response moved = get(BACKEND + "/moved", cookie(token));
        Response away = get(BACKEND + "/away", cookie(token));
        Response sibling = get(BACKEND + "/sibling", cookie(token));

        assertAll(
                () -> assertEquals(302, moved.status(), () -> describe(moved)),
                () -> assertEquals(BACKEND + "/target/x?y=1", moved.header("Location").map(this::local).orElse("(none)"),
                        "a Location under the base URL points at the proxy prefix"),
                () -> assertEquals(302, away.status(), () -> describe(away)),
                () -> assertEquals(List.of(), away.headers("Location"), "another site's Location is dropped"),
                () -> assertEquals(302, sibling.status(), () -> describe(sibling)),
                () -> assertEquals(List.of(), sibling.headers("Location"), "the backend's paths outside the base are not ours"));
    }

    @Test
    void contentLocationFollowsTheSameRule() throws Exception {
        api.answer(V1 + "created", Answer.status(201).header("Content-Location", api.baseUrl() + V1 + "notes/8"));
        api.answer(V1 + "elsewhere", Answer.status(200).header("Content-Location", "https://" + EVIL + "/notes/8"));
        String token = valid();

        Response created = get(BACKEND + "/created", cookie(token));
        Response elsewhere = get(BACKEND + "/elsewhere", cookie(token));

        assertAll(
                () -> assertEquals(201, created.status(), () -> describe(created)),
                () -> assertEquals(BACKEND + "/notes/8", created.header("Content-Location").map(this::local).orElse("(none)")),
                () -> assertEquals(200, elsewhere.status(), () -> describe(elsewhere)),
                () -> assertEquals(List.of(), elsewhere.headers("Content-Location")));
    }

    /**
     * A browser reads {@code %2e} as a dot in a path (WHATWG URL: {@code %2e%2e} is a double-dot
     * segment), so a backend Location under its base that walks out with encoded dots must not
     * become a Location that walks the browser out of the proxy prefix.
     */
    @ParameterizedTest
    @ValueSource(strings = {"%2e%2e/%2e%2e/admin", "%2E%2E/%2E%2E/%2E%2E/admin", ".%2e/.%2e/admin", "x/%2e%2e/%2e%2e/%2e%2e/admin"})
    void locationWithEncodedDotSegmentsNeverLeadsTheBrowserOutOfTheProxyPrefix(String escape) throws Exception {
        api.answer(V1 + "dotted", Answer.status(302).header("Location", api.baseUrl() + V1 + escape));

        Response response = get(BACKEND + "/dotted", cookie(valid()));

        assertEquals(302, response.status(), () -> describe(response));
        response.header("Location").ifPresent(location -> {
            String followed = PathResolution.asBrowserFollows(local(location));
            assertTrue(followed.startsWith(BACKEND + "/"), () -> "the backend's Location " + V1 + escape + " became "
                    + location + ", which a browser follows to " + followed);
        });
    }

    // ---------------------------------------------------------------- routing and paths

    @ParameterizedTest
    @ValueSource(strings = {
            "/api/backend/../secret",
            "/api/backend/x/../../secret",
            "/api/backend/%2e%2e/secret",
            "/api/backend/.%2E/%2e./secret",
            "/api/backend/x/%2e%2e/%2e%2e/secret",
            "/api/backend/..;/secret",
            "/api/backend/x/..;/..;/secret",
            "/api/backend/;x=1/../../secret",
            "/api/backend/x;/../../secret",
            "/api/backend/%2F..%2F..%2Fsecret",
            "/api/backend/..%2F..%2Fsecret",
            "/api/backend/..%2f..%2fsecret",
            "/api/backend//../../secret",
            "/api/backend//" + EVIL + "/secret",
            "/api/backend/..\\..\\secret",
            "/api/backend/%5c..%5c..%5csecret",
            "/api/backend/%252e%252e/%252e%252e/secret",
            "/api/backend/%c0%ae%c0%ae/secret",
            "/api/backend/x%00/../../secret"})
    void pathTricksNeverLeaveTheBackendBasePath(String trick) throws Exception {
        int mark = api.count();

        Response response = RawHttp.send(base, "GET", CTX + trick, cookie(valid()));

        List<Recorded> seen = api.requestsSince(mark);
        assertTrue(response.status() < 500, () -> trick + " -> " + describe(response));
        for (Recorded request : seen) {
            assertUnderBase(trick, request);
        }
        if (seen.isEmpty()) {
            assertTrue(response.status() >= 400 || response.body().contains(TokenEchoServlet.MARKER),
                    () -> trick + " was neither refused, nor forwarded under the base, nor left to the application: "
                            + describe(response));
        }
    }

    /**
     * Characters the container decoded out of the path are encoded again for the backend, so an
     * encoded {@code ?} or {@code #} never starts a query or fragment there, and the browser's
     * own query arrives as it was.
     */
    @ParameterizedTest
    @ValueSource(strings = {"a%3Fadmin=1", "b%23c", "caf%C3%A9", "a%20b%2Bc", "x%3Bjsessionid=1"})
    void encodedDelimitersStayInsideTheirSegment(String segment) throws Exception {
        int mark = api.count();

        Response response = RawHttp.send(base, "GET", BACKEND + "/enc/" + segment + "?real=1", cookie(valid()));

        List<Recorded> seen = api.requestsSince(mark);
        if (response.status() == 400) {
            assertEquals(List.of(), seen, "refused, and not forwarded");
            return;
        }
        assertEquals(200, response.status(), () -> describe(response));
        assertEquals(1, seen.size(), () -> "forwarded once: " + seen);
        Recorded request = seen.get(0);
        assertAll(
                () -> assertEquals("real=1", request.rawQuery(), () -> "the query the backend got, from " + request.target()),
                () -> assertEquals(V1 + "enc/" + PathResolution.percentDecode(segment), PathResolution.percentDecode(request.rawPath()),
                        () -> "the path the backend got: " + request.target()));
    }

    @Test
    void prefixMatchesOnASegmentBoundaryOnly() throws Exception {
        int mark = api.count();

        Response response = get(CTX + "/api/backendX/notes", cookie(valid()));

        assertEquals(200, response.status(), () -> describe(response));
        assertAll(
                () -> assertTrue(response.body().contains(TokenEchoServlet.MARKER), () -> "not the application: " + describe(response)),
                () -> assertEquals(List.of(), api.requestsSince(mark), "/api/backendX is not under /api/backend"));
    }

    // ---------------------------------------------------------------- sessions and CSRF

    @Test
    void navigationWithoutASessionGets401NeverALoginRedirect() throws Exception {
        String[] navigation = {"Accept: text/html,application/xhtml+xml", "Sec-Fetch-Mode: navigate",
            "Sec-Fetch-Dest: document", "Sec-Fetch-Site: none"};
        int mark = api.count();

        Response proxied = get(BACKEND + "/page", navigation);
        Response page = get(CTX + "/account/page", navigation);

        assertAll(
                () -> assertEquals(401, proxied.status(), () -> describe(proxied)),
                () -> assertEquals(List.of(), proxied.headers("Location")),
                () -> assertEquals(List.of(), api.requestsSince(mark), "nothing forwarded without a session"),
                () -> assertEquals(302, page.status(), () -> "the same navigation to a protected page redirects: "
                        + describe(page)));
    }

    @Test
    void guestSessionCountsOnlyWhereTheRouteAllowsGuestsAndThenItsTokenIsSent() throws Exception {
        Response page = get(CTX + "/", "Accept: text/html", "Sec-Fetch-Mode: navigate", "Sec-Fetch-Dest: document",
                "Sec-Fetch-Site: none");
        String guest = SetCookies.value(page, GUEST)
                .orElseThrow(() -> new AssertionError("no guest session started: " + describe(page)));
        int mark = api.count();

        Response refused = get(BACKEND + "/guest", "Cookie: " + GUEST + "=" + guest);
        List<Recorded> forwardedWhenRefused = api.requestsSince(mark);
        Response allowed = get(GUESTS + "/guest", "Cookie: " + GUEST + "=" + guest);

        assertAll(
                () -> assertEquals(401, refused.status(), () -> "a guest is no session on a route without allow-guests: "
                        + describe(refused)),
                () -> assertEquals(List.of(), forwardedWhenRefused),
                () -> assertEquals(200, allowed.status(), () -> describe(allowed)),
                () -> assertEquals(List.of("Bearer " + guest), api.only(V1 + "guest").headers("Authorization"),
                        "the guest token is what an allow-guests route sends"));
    }

    @Test
    void crossSitePostIsRefusedAndNeverForwarded() throws Exception {
        String token = valid();
        byte[] body = "{\"transfer\":1000}".getBytes(StandardCharsets.UTF_8);

        Response crossSite = RawHttp.send(base, "POST", BACKEND + "/csrf", body, cookie(token),
                "Content-Type: application/json", "Origin: https://" + EVIL, "Sec-Fetch-Site: cross-site");
        int forwarded = api.requestsTo(V1 + "csrf").size();
        Response sameOrigin = RawHttp.send(base, "POST", BACKEND + "/csrf", body, cookie(token),
                "Content-Type: application/json", "Origin: " + base, "Sec-Fetch-Site: same-origin");

        assertAll(
                () -> assertEquals(403, crossSite.status(), () -> describe(crossSite)),
                () -> assertEquals(0, forwarded, "the cross-site POST never reached the backend"),
                () -> assertEquals(List.of(), crossSite.headers("Set-Cookie")),
                () -> assertEquals(200, sameOrigin.status(), () -> "the same POST from the application's own page: "
                        + describe(sameOrigin)),
                () -> assertEquals("{\"transfer\":1000}", api.only(V1 + "csrf").body()));
    }

    // ---------------------------------------------------------------- failures

    @Test
    void slowBackendTimesOutWith504AndClearsNothing() throws Exception {
        try (Hold hold = new Hold()) {
            api.answer(V1 + "slow", Answer.status(200).body("too late").heldBy(hold));
            FakeAuthBackend.Tokens pair = auth.issue("alice");

            Response response = get(SLOW + "/slow",
                    "Cookie: " + ACCESS + "=" + pair.accessToken() + "; " + REFRESH + "=" + pair.refreshToken());

            // The backend still holds the first request; the route's one slot must not stay with it.
            Response next = get(SLOW + "/prompt", cookie(pair.accessToken()));

            assertAll(
                    () -> assertEquals(504, response.status(), () -> describe(response)),
                    () -> assertEquals(1, hold.arrivals(), "the request did reach the backend, which kept it"),
                    () -> assertEquals(List.of(), response.headers("Set-Cookie"), "a timeout signs nobody out"),
                    () -> assertJsonError(response),
                    () -> assertEquals(200, next.status(), () -> "a forward that timed out gave its slot back: "
                            + describe(next)));
        }
    }

    @Test
    void aBrowserThatGoesAwayGivesItsBulkheadSlotBack() throws Exception {
        String token = valid();
        try (Hold hold = new Hold()) {
            api.answer(V1 + "abandoned", Answer.status(200).body("nobody listens").heldBy(hold));
            try (Socket browser = new Socket(base.getHost(), base.getPort())) {
                browser.getOutputStream().write(RawHttp.head(base, "GET", SINGLE + "/abandoned", cookie(token)));
                browser.getOutputStream().flush();
                hold.awaitArrivals(1);
            } // the browser closes the tab while the backend still works
        }
        Response[] after = new Response[1];
        Await.until("the abandoned forward giving its slot back", () -> (after[0] = unchecked(() ->
                get(SINGLE + "/after-abandon", cookie(token)))).status() != 503, () -> describe(after[0]));

        assertEquals(200, after[0].status(), () -> describe(after[0]));
    }

    @Test
    void backendThatIsDownGives502Or503AndClearsNothing() throws Exception {
        FakeAuthBackend.Tokens pair = auth.issue("alice");
        Response[] response = new Response[1];

        String log = LogCapture.during(() -> response[0] = get(DOWN + "/anything",
                "Cookie: " + ACCESS + "=" + pair.accessToken() + "; " + REFRESH + "=" + pair.refreshToken()));

        Response r = response[0];
        assertAll(
                () -> assertTrue(r.status() == 502 || r.status() == 503, () -> describe(r)),
                () -> assertEquals(List.of(), r.headers("Set-Cookie"), "a backend outage signs nobody out"),
                () -> assertJsonError(r),
                () -> assertFalse(r.body().contains(pair.accessToken()), "no token in the error body"),
                () -> assertNoToken(log, pair.accessToken(), pair.refreshToken()));
    }

    @Test
    void bodyOverTheRouteCapGets413AndABodyAtTheCapPasses() throws Exception {
        String token = valid();
        byte[] over = new byte[2 * TINY_CAP];
        byte[] chunkedOver = ("800\r\n" + "x".repeat(2 * TINY_CAP) + "\r\n0\r\n\r\n").getBytes(StandardCharsets.US_ASCII);

        Response declared = RawHttp.send(base, "POST", TINY + "/declared", over, cookie(token), sameOrigin(),
                "Content-Type: application/octet-stream");
        Response chunked = RawHttp.sendRaw(base, "POST", TINY + "/chunked", chunkedOver, cookie(token), sameOrigin(),
                "Content-Type: application/octet-stream", "Transfer-Encoding: chunked");
        Response atCap = RawHttp.send(base, "POST", TINY + "/at-cap", new byte[TINY_CAP], cookie(token), sameOrigin(),
                "Content-Type: application/octet-stream");

        assertAll(
                () -> assertEquals(413, declared.status(), () -> "Content-Length over the cap: " + describe(declared)),
                () -> assertEquals(List.of(), api.requestsTo(V1 + "declared"), "a declared oversize body is never forwarded"),
                () -> assertEquals(413, chunked.status(), () -> "a chunked body over the cap: " + describe(chunked)),
                () -> assertTrue(api.requestsTo(V1 + "chunked").stream().noneMatch(r -> r.complete() && r.bodyBytes() > TINY_CAP),
                        () -> "the backend got more than the cap: " + api.requestsTo(V1 + "chunked")),
                () -> assertEquals(List.of(), declared.headers("Set-Cookie")),
                () -> assertEquals(200, atCap.status(), () -> "a body of exactly the cap: " + describe(atCap)),
                () -> assertEquals(TINY_CAP, api.only(V1 + "at-cap").bodyBytes()));
    }

    @Test
    void fullBulkheadAnswers503AtOnceWithoutTouchingOtherRoutesAndFreesAfterwards() throws Exception {
        String token = valid();
        CompletableFuture<HttpResponse<String>> first;
        Response second;
        Response otherRoute;
        try (Hold hold = new Hold()) {
            api.answer(V1 + "held", Answer.status(200).body("held").heldBy(hold));
            first = http.sendAsync(JavaHttp.request(base, SINGLE + "/held", Duration.ofSeconds(30), cookie(token)).GET().build(),
                    HttpResponse.BodyHandlers.ofString());
            hold.awaitArrivals(1);

            second = get(SINGLE + "/busy", cookie(token));
            otherRoute = get(BACKEND + "/free", cookie(token));
        }
        HttpResponse<String> held = first.get(30, TimeUnit.SECONDS);
        // The slot may be given back just after the held response completes; a refused try is not forwarded.
        Response[] after = new Response[1];
        Await.until("the bulkhead giving its slot back", () -> (after[0] = unchecked(() -> get(SINGLE + "/busy", cookie(token))))
                .status() != 503, () -> describe(after[0]));

        assertAll(
                () -> assertEquals(503, second.status(), () -> "one in flight on a route of max-concurrency 1: " + describe(second)),
                () -> assertJsonError(second),
                () -> assertEquals(List.of(), second.headers("Set-Cookie"), "a full bulkhead signs nobody out"),
                () -> assertEquals(200, otherRoute.status(), () -> "another route has its own bulkhead: " + describe(otherRoute)),
                () -> assertEquals(200, held.statusCode(), "the held request completes once released"),
                () -> assertEquals("held", held.body()),
                () -> assertEquals(200, after[0].status(), () -> "the bulkhead frees its slot: " + describe(after[0])),
                () -> assertEquals(1, api.requestsTo(V1 + "busy").size(), "only the request after the release was forwarded"));
    }

    // ---------------------------------------------------------------- streaming

    @Test
    void fiftyMegabyteUploadStreamsToTheBackendBeforeItEndsWithinTheHeapBudget() throws Exception {
        String path = V1 + "upload";
        long before = usedHeapAfterGc();
        long during;
        long receivedBeforeTheEnd;
        Response response;
        try (Socket socket = new Socket(base.getHost(), base.getPort())) {
            socket.setSoTimeout((int) Await.DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            within("the head and first " + PAUSE_AT / MIB + " MiB accepted", () -> {
                out.write(RawHttp.head(base, "POST", BACKEND + "/upload", cookie(valid()), sameOrigin(),
                        "Content-Type: application/octet-stream", "Content-Length: " + TRANSFER));
                writeBlocks(out, PAUSE_AT);
                return null;
            });
            Await.until("the backend receiving the upload before its end was sent", () -> api.received(path) > 0,
                    () -> "the proxy holds the body back; the backend has " + api.received(path) + " bytes");
            during = usedHeapAfterGc();
            receivedBeforeTheEnd = api.received(path);
            within("the last " + (TRANSFER - PAUSE_AT) / MIB + " MiB accepted", () -> {
                writeBlocks(out, TRANSFER - PAUSE_AT);
                return null;
            });
            response = RawHttp.receive(socket);
        }

        Recorded seen = api.only(path);
        long growth = during - before;
        System.out.printf("[%s] 50 MiB upload: heap growth %.1f MiB mid-transfer; the backend had %d bytes before the"
                + " last %d MiB were sent%n", getClass().getSimpleName(), growth / (double) MIB, receivedBeforeTheEnd,
                (TRANSFER - PAUSE_AT) / MIB);
        assertAll(
                () -> assertEquals(200, response.status(), () -> describe(response)),
                () -> assertTrue(receivedBeforeTheEnd > 0 && receivedBeforeTheEnd <= PAUSE_AT, "streamed, not buffered"),
                () -> assertEquals(TRANSFER, seen.bodyBytes(), "every byte arrived"),
                () -> assertEquals(RecordingBackend.crc32(TRANSFER), seen.bodyCrc32(), "in order, unchanged"),
                () -> assertTrue(growth < HEAP_BUDGET, () -> "heap grew " + growth / MIB + " MiB mid-upload"));
    }

    @Test
    void fiftyMegabyteDownloadStreamsToTheBrowserAsItArrivesWithinTheHeapBudget() throws Exception {
        Hold pause = new Hold();
        api.answer(V1 + "download", Answer.status(200).header("Content-Type", "application/octet-stream")
                .streamed(TRANSFER).pausedAfter(PAUSE_AT, pause));
        long before = usedHeapAfterGc();
        long during;
        CRC32 crc = new CRC32();
        long total;
        HttpResponse<InputStream> response;
        try (pause) {
            HttpRequest request = JavaHttp.request(base, BACKEND + "/download", Duration.ofSeconds(30), cookie(valid())).GET().build();
            response = within("the download's status and headers while the backend holds back its last "
                    + (TRANSFER - PAUSE_AT) / MIB + " MiB", () -> http.send(request, HttpResponse.BodyHandlers.ofInputStream()));
            assertEquals(200, response.statusCode(), "the download's status");
            try (InputStream in = response.body()) {
                long head = within("the first " + PAUSE_AT / MIB + " MiB reaching the browser while the backend holds"
                        + " back the rest (the proxy must flush what it has)", () -> read(in, PAUSE_AT, crc));
                assertEquals(PAUSE_AT, head, "the download ended before the backend's pause");
                assertEquals(1, pause.arrivals(), "the backend is paused");
                during = usedHeapAfterGc();
                pause.release();
                total = head + within("the rest of the download", () -> read(in, Long.MAX_VALUE, crc));
            }
        }

        long growth = during - before;
        System.out.printf("[%s] 50 MiB download: heap growth %.1f MiB mid-transfer%n", getClass().getSimpleName(),
                growth / (double) MIB);
        assertAll(
                () -> assertEquals(TRANSFER, total, "every byte arrived"),
                () -> assertEquals(RecordingBackend.crc32(TRANSFER), crc.getValue(), "in order, unchanged"),
                () -> assertTrue(response.headers().firstValue("Cache-Control").orElse("").contains("no-store"),
                        () -> "Cache-Control " + response.headers().allValues("Cache-Control")),
                () -> assertTrue(growth < HEAP_BUDGET, () -> "heap grew " + growth / MIB + " MiB mid-download"));
    }

    // ---------------------------------------------------------------- helpers

    /** A current access token for {@code alice}. */
    private String valid() {
        return auth.accessToken("alice");
    }

    /** A pair the auth backend issued two hours ago: the access token expired long since, the refresh token is live. */
    private Pair expiredPair(String user) {
        FakeAuthBackend.Tokens tokens = authClock.travelledBack(Duration.ofHours(2), () -> auth.issue(user));
        return new Pair(tokens.accessToken(), tokens.refreshToken());
    }

    private static String cookie(String token) {
        return "Cookie: " + ACCESS + "=" + token;
    }

    private String sameOrigin() {
        return "Origin: " + base;
    }

    /** GET through java.net.http; {@code headers} are {@code "Name: value"} lines. */
    private Response get(String target, String... headers) throws IOException, InterruptedException {
        return JavaHttp.toResponse(http.send(JavaHttp.request(base, target, Duration.ofSeconds(20), headers).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    /** {@code location} without this server's origin, when it names it. */
    private String local(String location) {
        return location.startsWith(base.toString()) ? location.substring(base.toString().length()) : location;
    }

    /**
     * The request target the backend got is under {@code /v1/}, even for a backend that decodes the
     * path once (percent-escapes, backslashes as slashes) and then resolves dot segments.
     */
    private static void assertUnderBase(String trick, Recorded request) {
        String resolved = PathResolution.asBackendDecodingOnce(request.rawPath());
        assertAll(
                () -> assertTrue(request.target().startsWith(V1), () -> trick + " reached " + request),
                () -> assertTrue(resolved.startsWith(V1), () -> trick + " reached " + request + ", which resolves to "
                        + resolved));
    }

    /** {@code Cache-Control: private, no-store}, whatever the backend said. */
    private static void assertPrivate(Response response) {
        String cacheControl = String.join(", ", response.headers("Cache-Control")).toLowerCase(Locale.ROOT);
        assertAll(
                () -> assertTrue(cacheControl.contains("private") && cacheControl.contains("no-store"),
                        () -> "Cache-Control: " + cacheControl),
                () -> assertFalse(cacheControl.contains("public") || cacheControl.contains("max-age=3600"),
                        () -> "Cache-Control: " + cacheControl));
    }

    /** The filter's JSON error body: an object with an {@code error} field and no stack trace. */
    private static void assertJsonError(Response response) {
        assertAll(
                () -> assertTrue(response.header("Content-Type").orElse("").startsWith("application/json"),
                        () -> "Content-Type " + response.header("Content-Type") + ": " + describe(response)),
                () -> assertTrue(Json.object(response.body()).get("error") instanceof String, () -> describe(response)),
                () -> assertFalse(response.body().contains("Exception") || response.body().contains("\tat "),
                        () -> describe(response)));
    }

    private static void assertNoToken(String log, String... tokens) {
        for (String token : tokens) {
            assertFalse(log.contains(token), () -> "a token (" + Tokens.fingerprint(token) + ") was logged");
        }
    }

    /** Writes {@code bytes} of the backend's repeated block (a multiple of its size). */
    private static void writeBlocks(OutputStream out, long bytes) throws IOException {
        byte[] block = RecordingBackend.block();
        for (long left = bytes; left > 0; left -= block.length) {
            out.write(block, 0, (int) Math.min(block.length, left));
        }
        out.flush();
    }

    /** Reads up to {@code limit} bytes (or to the end), adding them to {@code crc}; returns how many. */
    private static long read(InputStream in, long limit, CRC32 crc) throws IOException {
        byte[] buffer = new byte[RecordingBackend.BLOCK_SIZE];
        long total = 0;
        while (total < limit) {
            int n = in.read(buffer, 0, (int) Math.min(buffer.length, limit - total));
            if (n < 0) {
                break;
            }
            crc.update(buffer, 0, n);
            total += n;
        }
        return total;
    }

    interface Step<T> {
        T run() throws Exception;
    }

    private static <T> T unchecked(Step<T> step) {
        try {
            return step.run();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Runs a blocking step on a thread of its own (one left blocked by a failure cannot hold up the
     * next test) and fails, naming it, if it is not done by the deadline.
     */
    private static <T> T within(String what, Step<T> step) throws Exception {
        CompletableFuture<T> done = CompletableFuture.supplyAsync(() -> unchecked(step), task -> {
            Thread thread = new Thread(task, "proxy-scenario-step");
            thread.setDaemon(true);
            thread.start();
        });
        try {
            return done.get(Await.DEADLINE.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            done.cancel(true);
            throw new AssertionError("not " + what + " within " + Await.DEADLINE);
        } catch (ExecutionException e) {
            throw new AssertionError(what + " failed", e.getCause());
        }
    }

    /** Heap in use after a full collection. */
    private static long usedHeapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** A port on 127.0.0.1 nobody listens on (taken and released at once). */
    private static int closedPort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    private static String describe(Response response) {
        return ResponseText.describe(response);
    }
}

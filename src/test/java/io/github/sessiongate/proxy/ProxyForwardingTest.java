package io.github.sessiongate.proxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.AuditEvent;
import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.GuestSettings;
import io.github.sessiongate.ProxyRoute;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.audit.JmxRegistration;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.engine.RequestStepsTest.StepsValidator;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.Cookie;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import javax.management.ObjectName;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API proxy through a real {@link SessionFilter} (in-memory requests and responses) against a
 * real backend in this JVM that records what it receives: the token arrives, the browser's cookies
 * and Authorization never do, the backend's Set-Cookie never comes back, and each failure has its
 * status (502, 503, 504, 413, 401) without clearing a cookie.
 */
class ProxyForwardingTest {
    private static final String SAME_ORIGIN = "http://localhost:8080";
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults());
    private static final String ACCESS = CODEC.accessCookieName(true);
    private static final String REFRESH = CODEC.refreshCookieName(true);

    /** What the backend received. */
    record Received(String method, String path, String query, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            List<String> v = headers.get(name.toLowerCase(Locale.ROOT));
            return v == null ? null : String.join(",", v);
        }
    }

    private final MutableClock clock = new MutableClock();
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<AuditEvent> events = new CopyOnWriteArrayList<>();
    private final CountDownLatch release = new CountDownLatch(1);
    private final CountDownLatch arrived = new CountDownLatch(1);
    private HttpServer backend;
    private ExecutorService backendThreads;
    private SessionFilter filter;
    private boolean chained;

    @BeforeEach
    void start() throws Exception {
        backend = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        backendThreads = Executors.newCachedThreadPool();
        backend.setExecutor(backendThreads);
        backend.createContext("/", this::serve);
        backend.start();
        int port = backend.getAddress().getPort();
        String base = "http://127.0.0.1:" + port + "/v1/";
        filter = new SessionFilter(GateConfig.builder()
                .validator(new StepsValidator(clock))
                .clock(clock)
                .auditListeners(List.of(events::add))
                .roleRules("/api/backend/admin/**=admin")
                .proxyRoute(ProxyRoute.builder("backend", "/api/backend/*", base).build())
                .proxyRoute(ProxyRoute.builder("quick", "/api/quick", base).timeout(Duration.ofMillis(200)).build())
                .proxyRoute(ProxyRoute.builder("single", "/api/single", base).maxConcurrency(1).build())
                .proxyRoute(ProxyRoute.builder("small", "/api/small", base).maxBodyBytes(16).build())
                .proxyRoute(ProxyRoute.builder("open", "/api/open", base).sessionRequired(false)
                        .token(ProxyRoute.Token.NONE).build())
                .proxyRoute(ProxyRoute.builder("down", "/api/down", "http://127.0.0.1:" + closedPort() + "/").build())
                .build());
        filter.init(null);
    }

    @AfterEach
    void stop() {
        release.countDown();
        filter.destroy();
        backend.stop(0);
        backendThreads.shutdownNow();
    }

    private void serve(HttpExchange exchange) throws IOException {
        byte[] body;
        try (InputStream in = exchange.getRequestBody()) {
            body = in.readAllBytes();
        } catch (IOException e) {
            body = null; // an aborted upload
        }
        Map<String, List<String>> headers = exchange.getRequestHeaders().entrySet().stream()
                .collect(Collectors.toMap(e -> e.getKey().toLowerCase(Locale.ROOT), Map.Entry::getValue));
        received.add(new Received(exchange.getRequestMethod(), exchange.getRequestURI().getRawPath(),
                exchange.getRequestURI().getRawQuery(), headers, body));
        String path = exchange.getRequestURI().getRawPath();
        if (path.endsWith("/hold")) {
            arrived.countDown();
            await(release);
        }
        if (path.endsWith("/events")) {
            exchange.getResponseHeaders().add("Content-Type", "text/event-stream");
            exchange.sendResponseHeaders(200, 0); // chunked
            try (var os = exchange.getResponseBody()) {
                os.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
                os.flush();
                await(release);
                os.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
            }
            return;
        }
        var out = exchange.getResponseHeaders();
        out.add("Set-Cookie", "backend=1; Path=/");
        out.add("X-Backend", "yes");
        out.add("Access-Control-Allow-Origin", "*");
        out.add("Cache-Control", "public, max-age=600");
        out.add("Location", "http://127.0.0.1:" + backend.getAddress().getPort() + "/v1/notes/8");
        out.add("Connection", "X-Hop");
        out.add("X-Hop", "hop");
        int status = path.endsWith("/refuse") ? 401 : 200;
        if (status == 401) {
            out.add("WWW-Authenticate", "Bearer error=\"invalid_token\"");
        }
        byte[] answer = "hello".getBytes(StandardCharsets.UTF_8);
        exchange.sendResponseHeaders(status, answer.length);
        try (var os = exchange.getResponseBody()) {
            os.write(answer);
        }
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static int closedPort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private InMemoryResponse send(InMemoryRequest request) throws Exception {
        InMemoryResponse response = new InMemoryResponse();
        chained = false;
        FilterChain chain = (req, res) -> chained = true;
        filter.doFilter(request.build(), response.servlet(), chain);
        assertFalse(chained, "a proxy route never reaches the application");
        return response;
    }

    private Received next() throws InterruptedException {
        Received r = received.poll(10, TimeUnit.SECONDS);
        assertTrue(r != null, "the backend received the request");
        return r;
    }

    private static ObjectName routeName(String route) throws Exception {
        return new ObjectName(JmxRegistration.DOMAIN + ":type=" + JmxRegistration.PROXY_TYPE
                + ",context=/,filter=sessiongate,route=" + route);
    }

    private long routeAttribute(String route, String attribute) throws Exception {
        return ((Number) ManagementFactory.getPlatformMBeanServer().getAttribute(routeName(route), attribute)).longValue();
    }

    @Test
    void theTokenArrivesAndTheBrowsersCredentialsNeverDo() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/backend/notes/7").query("x=1&y=%20z")
                .cookie(ACCESS, "valid-alice").cookie("other_app", "secret-cookie")
                .header("Authorization", "Bearer forged").header("X-Forwarded-For", "6.6.6.6")
                .header("Forwarded", "for=6.6.6.6").header("X-Real-IP", "6.6.6.6").header("Connection", "X-Secret")
                .header("X-Secret", "s").header("Proxy-Authorization", "Basic eA==").header("X-Request-Id", "r-1"));
        Received r = next();
        assertEquals("GET", r.method());
        assertEquals("/v1/notes/7", r.path());
        assertEquals("x=1&y=%20z", r.query());
        assertEquals("Bearer valid-alice", r.header("Authorization"));
        assertNull(r.header("Cookie"), "the browser's cookies never reach the backend");
        assertNull(r.header("X-Secret"), "a header the Connection header names is hop-by-hop");
        assertNull(r.header("Proxy-Authorization"));
        assertNull(r.header("X-Real-IP"));
        assertEquals("127.0.0.1", r.header("X-Forwarded-For"));
        assertEquals("http", r.header("X-Forwarded-Proto"));
        assertEquals("localhost:8080", r.header("X-Forwarded-Host"));
        assertEquals("for=127.0.0.1;proto=http;host=\"localhost:8080\"", r.header("Forwarded"));
        assertEquals("r-1", r.header("X-Request-Id"));

        assertEquals(200, response.status());
        assertEquals("hello", response.body());
        assertTrue(response.cookies().isEmpty(), "no cookie set: " + response.cookies());
        assertTrue(response.header("Set-Cookie").isEmpty(), "the backend's Set-Cookie never reaches the browser");
        assertEquals("yes", response.header("X-Backend").orElseThrow());
        assertTrue(response.header("Access-Control-Allow-Origin").isEmpty());
        assertTrue(response.header("X-Hop").isEmpty(), "a response header its Connection names is dropped");
        assertEquals("private, no-store", response.header("Cache-Control").orElseThrow());
        assertEquals("/api/backend/notes/8", response.header("Location").orElseThrow());
        assertEquals(1, routeAttribute("backend", "Forwarded"));
        assertTrue(java.util.Arrays.stream(ManagementFactory.getPlatformMBeanServer().getMBeanInfo(routeName("backend"))
                .getAttributes()).allMatch(a -> !a.getDescription().isBlank() && !a.getDescription().startsWith("Attribute exposed")),
                "every route attribute is described");
        assertEquals(1, routeAttribute("backend", "Status2xx"));
        assertTrue(events.stream().noneMatch(e -> e.toString().contains("valid-alice")), "no token in an audit event");
    }

    @Test
    void anExpiredTokenIsRotatedInPlaceAndTheNewOneForwarded() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/backend/notes").cookie(ACCESS, "expired-1")
                .cookie(REFRESH, "refresh-ok"));
        assertEquals("Bearer valid-alice-2", next().header("Authorization"));
        assertEquals(200, response.status());
        assertEquals("valid-alice-2", response.cookie(ACCESS).map(Cookie::getValue).orElseThrow(),
                "the rotated cookies are set on the proxied answer");
        assertEquals("refresh-ok-2", response.cookie(REFRESH).map(Cookie::getValue).orElseThrow());
        assertTrue(response.header("Set-Cookie").orElseThrow().startsWith(ACCESS), "only the filter's own cookies");
    }

    @Test
    void noSessionIs401EvenForANavigationNeverARedirect() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/backend/notes").navigation());
        assertEquals(401, response.status());
        assertTrue(response.header("Location").isEmpty());
        assertTrue(response.header("WWW-Authenticate").isPresent());
        assertEquals("{\"error\":\"unauthenticated\"}", response.body());
        assertTrue(received.isEmpty(), "nothing forwarded");
        assertEquals(1, routeAttribute("backend", "Refused401"));
        assertTrue(events.stream().anyMatch(e -> e.event() == AuditEvent.Event.PROXY_REFUSED));
    }

    @Test
    void anOptionalRouteForwardsWithoutATokenAndTokenNoneSendsNone() throws Exception {
        assertEquals(200, send(InMemoryRequest.get("/api/open/x")).status());
        assertNull(next().header("Authorization"));
        assertEquals(200, send(InMemoryRequest.get("/api/open/x").cookie(ACCESS, "valid-alice")).status());
        assertNull(next().header("Authorization"), "token=none sends no token, even with a session");
    }

    @Test
    void aCrossSiteUnsafeRequestIsRefused() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.post("/api/backend/notes").header("Origin", "https://evil.example")
                .cookie(ACCESS, "valid-alice").body("application/json", "{}"));
        assertEquals(403, response.status());
        assertTrue(received.isEmpty());
    }

    @Test
    void aSameOriginPostStreamsItsBody() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.post("/api/backend/notes").header("Origin", SAME_ORIGIN)
                .cookie(ACCESS, "valid-alice").body("application/json", "{\"text\":\"hi\"}"));
        assertEquals(200, response.status());
        Received r = next();
        assertEquals("POST", r.method());
        assertEquals("{\"text\":\"hi\"}", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("application/json", r.header("Content-Type"));
    }

    @Test
    void aChunkedBodyIsForwardedChunked() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.method("PUT", "/api/backend/notes/1").header("Origin", SAME_ORIGIN)
                .cookie(ACCESS, "valid-alice").body("text/plain", "chunk of text").chunked());
        assertEquals(200, response.status());
        Received r = next();
        assertEquals("PUT", r.method());
        assertEquals("chunk of text", new String(r.body(), StandardCharsets.UTF_8));
        assertEquals("chunked", r.header("Transfer-Encoding"));
    }

    @Test
    void aDeclaredBodyOverTheCapIs413BeforeAnyConnection() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.post("/api/small/up").header("Origin", SAME_ORIGIN)
                .cookie(ACCESS, "valid-alice").body("text/plain", "x".repeat(17)));
        assertEquals(413, response.status());
        assertTrue(received.isEmpty(), "no connection was made");
        assertEquals(1, routeAttribute("small", "Refused413"));
    }

    @Test
    void aChunkedBodyCrossingTheCapIs413() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.post("/api/small/up").header("Origin", SAME_ORIGIN)
                .cookie(ACCESS, "valid-alice").body("text/plain", "x".repeat(100_000)).chunked());
        assertEquals(413, response.status());
        assertTrue(response.cookies().isEmpty());
        Received r = received.poll();
        assertTrue(r == null || r.body() == null || r.body().length <= 16, "the backend never got more than the cap");
    }

    @Test
    void aBackendThatIsDownIs502AndClearsNothing() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/down/x").cookie(ACCESS, "expired-1")
                .cookie(REFRESH, "refresh-ok"));
        assertEquals(502, response.status());
        assertEquals("{\"error\":\"bad_gateway\"}", response.body());
        assertTrue(response.cookies().stream().allMatch(c -> c.getMaxAge() != 0), "a failure never clears a cookie");
        assertEquals("valid-alice-2", response.cookie(ACCESS).map(Cookie::getValue).orElseThrow(),
                "the rotation before the forward stays written");
        assertEquals(1, routeAttribute("down", "Failed502"));
        assertTrue(events.stream().anyMatch(e -> e.event() == AuditEvent.Event.PROXY_FAILED && e.path().equals("/api/down/x")));
    }

    @Test
    void aSlowBackendTimesOutWith504() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/quick/hold").cookie(ACCESS, "valid-alice"));
        assertEquals(504, response.status());
        assertEquals("{\"error\":\"gateway_timeout\"}", response.body());
        assertTrue(response.cookies().isEmpty());
        assertEquals(1, routeAttribute("quick", "Failed504"));
    }

    @Test
    void aFullBulkheadIs503AtOnce() throws Exception {
        InMemoryRequest held = InMemoryRequest.get("/api/single/hold").cookie(ACCESS, "valid-alice").async();
        InMemoryResponse first = send(held);
        assertTrue(arrived.await(10, TimeUnit.SECONDS), "the first forward reached the backend");
        assertEquals(1, routeAttribute("single", "InFlight"));

        InMemoryResponse second = send(InMemoryRequest.get("/api/single/x").cookie(ACCESS, "valid-alice"));
        assertEquals(503, second.status());
        assertTrue(second.header("Retry-After").isPresent());
        assertEquals(1, routeAttribute("single", "Failed503"));

        release.countDown();
        assertTrue(held.asyncCompleted().await(10, TimeUnit.SECONDS), "the async forward completes");
        assertEquals(200, first.status());
        assertEquals("hello", first.body());
        assertEquals(0, routeAttribute("single", "InFlight"));
        assertEquals(200, send(InMemoryRequest.get("/api/single/x").cookie(ACCESS, "valid-alice")).status());
    }

    @Test
    void aBackend401KeepsItsStatusWithoutItsChallengeAndIsAudited() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/backend/refuse").cookie(ACCESS, "valid-alice"));
        assertEquals(401, response.status());
        assertTrue(response.header("WWW-Authenticate").isEmpty());
        assertTrue(response.cookies().isEmpty(), "a backend's 401 signs nobody out");
        assertEquals(1, events.stream().filter(e -> e.reason().equals("backend-refused-valid-token")).count());
        assertEquals(1, routeAttribute("backend", "BackendRefusedToken"));
    }

    @Test
    void dotSegmentsNeverReachTheBackend() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/backend/../admin").cookie(ACCESS, "valid-alice"));
        assertEquals(400, response.status());
        InMemoryResponse trace = send(InMemoryRequest.method("TRACE", "/api/backend/x").cookie(ACCESS, "valid-alice"));
        assertEquals(405, trace.status(), "TRACE is never forwarded");
        assertTrue(received.isEmpty());
    }

    @Test
    void anEventStreamIsFlushedAsItArrives() throws Exception {
        InMemoryRequest events = InMemoryRequest.get("/api/backend/events").cookie(ACCESS, "valid-alice").async();
        InMemoryResponse response = send(events);
        Await.until("the first event relayed while the backend still holds the stream",
                () -> response.body().contains("data: one"), response::body);
        assertFalse(response.body().contains("two"));
        release.countDown();
        assertTrue(events.asyncCompleted().await(10, TimeUnit.SECONDS));
        assertEquals("data: one\n\ndata: two\n\n", response.body());
        assertEquals("text/event-stream", response.header("Content-Type").orElseThrow());
    }

    @Test
    void noVerdictOnTheSessionIs503AndClearsNothing() throws Exception {
        InMemoryResponse response = send(InMemoryRequest.get("/api/backend/notes").cookie(ACCESS, "unavailable-1"));
        assertEquals(503, response.status());
        assertTrue(response.cookies().isEmpty());
        assertTrue(received.isEmpty());
    }

    @Test
    void aRoleRuleOverTheRouteStillApplies() throws Exception {
        assertEquals(403, send(InMemoryRequest.get("/api/backend/admin/x").cookie(ACCESS, "valid-alice")).status());
        assertEquals(401, send(InMemoryRequest.get("/api/backend/admin/x").navigation()).status());
        assertTrue(received.isEmpty());
        assertEquals(200, send(InMemoryRequest.get("/api/backend/admin/x").cookie(ACCESS, "valid-admin")).status());
        assertEquals("Bearer valid-admin", next().header("Authorization"));
    }

    @Test
    void destroyStopsTheRouteThreads() throws Exception {
        InMemoryRequest async = InMemoryRequest.get("/api/single/x").cookie(ACCESS, "valid-alice").async();
        InMemoryResponse response = send(async);
        assertTrue(async.asyncCompleted().await(10, TimeUnit.SECONDS));
        assertEquals(200, response.status());
        assertTrue(proxyThreadsAlive(), "the forward ran on a route thread");
        filter.destroy();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("sessiongate-proxy-single-")) {
                t.join(5_000); // a stopped pool's last worker may still be returning from its loop
            }
        }
        assertFalse(proxyThreadsAlive(), "destroy() leaves no route thread behind");
        filter = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).build()); // for stop()
    }

    private static boolean proxyThreadsAlive() {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("sessiongate-proxy-single-"));
    }

    @Test
    void aGuestSessionCountsOnlyWhereTheRouteAllowsGuests() throws Exception {
        String base = "http://127.0.0.1:" + backend.getAddress().getPort() + "/v1/";
        filter.destroy();
        filter = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock)).clock(clock)
                .publicPaths("/home")
                .guests(GuestSettings.builder().enabled(true).secret("guest-secret-0123456789abcdef-0123").build())
                .proxyRoute(ProxyRoute.builder("members", "/api/members", base).build())
                .proxyRoute(ProxyRoute.builder("visitors", "/api/visitors", base).allowGuests(true).build())
                .build());
        filter.init(null);
        InMemoryResponse page = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get("/home").navigation().build(), page.servlet(), (q, r) -> { });
        String guestCookie = CODEC.guestCookieName(true);
        String guest = page.cookie(guestCookie).map(Cookie::getValue).orElseThrow();

        assertEquals(401, send(InMemoryRequest.get("/api/members/x").cookie(guestCookie, guest)).status());
        assertTrue(received.isEmpty(), "a guest session is no session on a route without allow-guests");
        assertEquals(200, send(InMemoryRequest.get("/api/visitors/x").cookie(guestCookie, guest)).status());
        assertEquals("Bearer " + guest, next().header("Authorization"), "the guest token is sent");
        InMemoryResponse apiCall = send(InMemoryRequest.get("/api/visitors/x").navigation());
        assertEquals(401, apiCall.status(), "a proxy route never starts a guest session");
        assertTrue(apiCall.cookies().isEmpty());
    }

    @Test
    void aPrefixOverTheFiltersOwnPathsFailsStartUp() {
        for (String prefix : List.of("/auth", "/auth/session", "/login")) {
            SessionFilter bad = new SessionFilter(GateConfig.builder().validator(new StepsValidator(clock))
                    .proxyRoute(ProxyRoute.builder("x", prefix, "http://127.0.0.1:1/").build()).build());
            ServletException e = assertThrows(ServletException.class, () -> bad.init(null), prefix);
            assertTrue(e.getMessage().contains(ProxyRoute.PARAM_ROUTES), e.getMessage());
        }
    }
}

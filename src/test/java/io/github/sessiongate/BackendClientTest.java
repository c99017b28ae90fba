package io.github.sessiongate;

import static io.github.sessiongate.BackendClient.CONTEXT_ATTRIBUTE;
import static io.github.sessiongate.BackendClient.PARAM_BACKEND_ORIGINS;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.internal.HttpTransport;
import io.github.sessiongate.testing.Await;
import io.github.sessiongate.testing.LogCapture;
import jakarta.servlet.ServletContext;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Calls to real HTTP servers on 127.0.0.1: what reaches them, and what never does. */
class BackendClientTest {
    private static final String TOKEN = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJlLW9uZQ";
    private static final String ROTATED = "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhbGljZSIsIm4iOjJ9.c2lnbmF0dXJlLXR3bw";
    private static final String BROWSER_COOKIES = "sg_access=" + TOKEN + "; sg_refresh=refresh-secret";

    /** What one server saw of one request. */
    record Hit(String method, String path, String authorization, String cookie) {
    }

    /** A real HTTP server that records every request it receives. */
    static final class Backend implements AutoCloseable {
        final List<Hit> hits = new CopyOnWriteArrayList<>();
        final CountDownLatch release = new CountDownLatch(1);
        final ExecutorService threads = Executors.newCachedThreadPool();
        final HttpServer server;
        volatile String redirectTo;

        Backend() throws IOException {
            server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/", exchange -> {
                String path = exchange.getRequestURI().getPath();
                hits.add(new Hit(exchange.getRequestMethod(), path,
                        exchange.getRequestHeaders().getFirst("Authorization"),
                        exchange.getRequestHeaders().getFirst("Cookie")));
                exchange.getRequestBody().readAllBytes();
                if (path.equals("/slow")) {
                    try {
                        release.await(5, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                if (path.equals("/redirect")) {
                    exchange.getResponseHeaders().add("Location", redirectTo);
                    exchange.sendResponseHeaders(302, -1);
                    exchange.close();
                    return;
                }
                byte[] body = ("ok " + path).getBytes(StandardCharsets.UTF_8);
                exchange.sendResponseHeaders(200, body.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(body);
                }
            });
            server.start();
        }

        int port() {
            return server.getAddress().getPort();
        }

        String origin() {
            return "http://127.0.0.1:" + port();
        }

        HttpRequest.Builder call(String path) {
            return HttpRequest.newBuilder(URI.create(origin() + path));
        }

        @Override
        public void close() {
            release.countDown();
            server.stop(0);
            threads.shutdownNow();
        }
    }

    private Backend backend;
    private Backend elsewhere;
    private final List<BackendClient> clients = new ArrayList<>();

    @BeforeEach
    void startServers() throws IOException {
        backend = new Backend();
        elsewhere = new Backend();
    }

    @AfterEach
    void stopServers() {
        clients.forEach(BackendClient::close);
        backend.close();
        elsewhere.close();
    }

    private BackendClient client(Function<BackendClient.Builder, BackendClient.Builder> configure) {
        BackendClient c = configure.apply(BackendClient.builder()).build();
        clients.add(c);
        return c;
    }

    private BackendClient client() {
        return client(b -> b.allowOrigin(backend.origin()));
    }

    private static Session session(String token) {
        return Session.builder("alice", token).roles(Set.of("user")).build();
    }

    /** A request whose attributes behave like a container's, carrying the browser's cookies. */
    private static HttpServletRequest request(Session session) {
        Map<String, Object> attributes = new ConcurrentHashMap<>();
        HttpServletRequest r = mock(HttpServletRequest.class);
        when(r.getAttribute(anyString())).thenAnswer(i -> attributes.get(i.<String>getArgument(0)));
        doAnswer(i -> attributes.put(i.getArgument(0), i.getArgument(1))).when(r).setAttribute(anyString(), any());
        when(r.getHeader("Cookie")).thenReturn(BROWSER_COOKIES);
        if (session != null) {
            attributes.put(Session.REQUEST_ATTRIBUTE, session);
        }
        return r;
    }

    private void assertNoHits() {
        assertEquals(List.of(), backend.hits, "backend was reached");
        assertEquals(List.of(), elsewhere.hits, "other server was reached");
    }

    private static InitParams params(String... nameValues) {
        Map<String, String> raw = new java.util.HashMap<>();
        for (int i = 0; i < nameValues.length; i += 2) {
            raw.put(nameValues[i], nameValues[i + 1]);
        }
        return InitParams.resolve(raw, k -> null, k -> null);
    }

    // ---- sending ----

    @Test
    void tokenArrivesAsBearerAtAllowedOriginAndNothingOfTheBrowserRequestIsCopied() throws Exception {
        HttpServletRequest request = request(session(TOKEN));
        HttpResponse<String> response = client().send(request, backend.call("/items")
                .header("Accept", "application/json"));

        assertEquals(200, response.statusCode());
        assertEquals("ok /items", response.body());
        assertEquals(List.of(new Hit("GET", "/items", "Bearer " + TOKEN, null)), backend.hits);
        verify(request, never()).getHeader(anyString());
        verify(request, never()).getHeaders(anyString());
        verify(request, never()).getHeaderNames();
        verify(request, never()).getCookies();
    }

    @Test
    void bodyHandlerVariantAndMethodAndBodyAreKept() throws Exception {
        HttpResponse<byte[]> response = client().send(request(session(TOKEN)),
                backend.call("/orders").POST(HttpRequest.BodyPublishers.ofString("{}")),
                HttpResponse.BodyHandlers.ofByteArray());

        assertEquals("ok /orders", new String(response.body(), StandardCharsets.UTF_8));
        assertEquals(List.of(new Hit("POST", "/orders", "Bearer " + TOKEN, null)), backend.hits);
    }

    @Test
    void rotatedTokenIsSentOnceTheFilterReplacedTheSessionAttribute() throws Exception {
        BackendClient client = client();
        HttpServletRequest request = request(session(TOKEN));
        client.send(request, backend.call("/before"));
        request.setAttribute(Session.REQUEST_ATTRIBUTE, session(ROTATED)); // what the filter does on refresh
        client.send(request, backend.call("/after"));

        assertEquals(List.of(new Hit("GET", "/before", "Bearer " + TOKEN, null),
                new Hit("GET", "/after", "Bearer " + ROTATED, null)), backend.hits);
    }

    @Test
    void theCallersBuilderIsLeftAsItWas() throws Exception {
        HttpRequest.Builder call = backend.call("/items");
        client().send(request(session(TOKEN)), call);

        HttpRequest after = call.build();
        assertEquals(Optional.empty(), after.headers().firstValue("Authorization"));
        assertEquals(Optional.empty(), after.timeout());
    }

    @Test
    void targetsOtherThanAConfiguredOriginAreRefusedWithoutAConnection() {
        BackendClient client = client();
        HttpServletRequest request = request(session(TOKEN));
        int port = backend.port();
        List<String> refused = List.of(
                "http://localhost:" + port + "/x",                 // same machine, other host name
                "http://127.0.0.1:" + elsewhere.port() + "/x",     // other port
                "https://127.0.0.1:" + port + "/x",                // other scheme
                "http://127.0.0.1/x",                              // default port
                "http://user:pa55word@127.0.0.1:" + port + "/x",   // user-info
                "http://api.example.com/x");                       // not configured at all
        for (String target : refused) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> client.send(request, HttpRequest.newBuilder(URI.create(target))), target);
            assertFalse(e.getMessage().contains("pa55word"), e.getMessage());
            assertFalse(e.getMessage().contains(TOKEN), e.getMessage());
        }
        assertNoHits();
    }

    @Test
    void plainHttpToANonLoopbackHostIsRefusedWhenItsHttpsOriginIsConfigured() {
        BackendClient client = client(b -> b.allowOrigin("https://api.example.com"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client.send(
                request(session(TOKEN)), HttpRequest.newBuilder(URI.create("http://api.example.com/x"))));
        assertTrue(e.getMessage().contains("http://api.example.com"), e.getMessage());
    }

    @Test
    void nonHttpSchemeIsRefusedByTheClientItself() {
        // The JDK's own builder refuses ftp, so hand over a request it did not build.
        URI ftp = URI.create("ftp://127.0.0.1:" + backend.port() + "/x");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> client().send(request(session(TOKEN)), new FixedCall(ftp)));
        assertTrue(e.getMessage().startsWith("BackendClient refused the call: only http and https"), e.getMessage());
        assertNoHits();
    }

    @ParameterizedTest
    @ValueSource(strings = {"Cookie", "cookie", "COOKIE"})
    void callCarryingACookieHeaderIsRefused(String name) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> client().send(
                request(session(TOKEN)), backend.call("/x").header(name, BROWSER_COOKIES)));
        assertTrue(e.getMessage().contains("Cookie"), e.getMessage());
        assertFalse(e.getMessage().contains("refresh-secret"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> client().sendAnonymous(backend.call("/x").header(name, BROWSER_COOKIES)));
        assertNoHits();
    }

    @Test
    void callCarryingItsOwnAuthorizationIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> client().send(
                request(session(TOKEN)), backend.call("/x").header("Authorization", "Basic YTpi")));
        assertThrows(IllegalArgumentException.class,
                () -> client().sendAnonymous(backend.call("/x").header("authorization", "Bearer other")));
        assertNoHits();
    }

    @Test
    void requestWithoutASignedInSessionIsRefused() {
        BackendClient client = client();
        Session guest = Session.builder("guest", TOKEN).guest(true).build();
        for (HttpServletRequest request : List.of(request(null), request(guest))) {
            IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> client.send(request, backend.call("/x")));
            assertEquals("no signed-in session", e.getMessage());
        }
        assertNoHits();
    }

    @Test
    void tokenThatIsNotABearerTokenIsRefusedWithoutEchoingIt() {
        String broken = "abc\r\nX-Injected: yes";
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> client().send(request(session(broken)), backend.call("/x")));
        assertFalse(e.getMessage().contains("Injected"), e.getMessage());
        assertNoHits();
    }

    @Test
    void sendAnonymousSendsNoAuthorizationAndOnlyToConfiguredOrigins() throws Exception {
        BackendClient client = client();
        HttpResponse<String> response = client.sendAnonymous(backend.call("/public"));

        assertEquals(200, response.statusCode());
        assertEquals(List.of(new Hit("GET", "/public", null, null)), backend.hits);
        assertThrows(IllegalArgumentException.class,
                () -> client.sendAnonymous(elsewhere.call("/public")));
        assertEquals(List.of(), elsewhere.hits);
    }

    @Test
    void redirectIsReturnedNotFollowedEvenToAnotherAllowedOrigin() throws Exception {
        backend.redirectTo = elsewhere.origin() + "/stolen";
        BackendClient client = client(b -> b.allowOrigin(backend.origin()).allowOrigin(elsewhere.origin()));

        HttpResponse<String> response = client.send(request(session(TOKEN)), backend.call("/redirect"));

        assertEquals(302, response.statusCode());
        assertEquals(Optional.of(elsewhere.origin() + "/stolen"), response.headers().firstValue("Location"));
        assertEquals(1, backend.hits.size());
        assertEquals(List.of(), elsewhere.hits);
    }

    @Test
    void callWithoutItsOwnTimeoutGetsTheReadTimeout() {
        BackendClient client = client(b -> b.allowOrigin(backend.origin()).readTimeout(Duration.ofMillis(200)));
        long start = System.nanoTime();
        assertThrows(HttpTimeoutException.class, () -> client.send(request(session(TOKEN)), backend.call("/slow")));
        assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(3), "timed out late");
    }

    // ---- lifecycle ----

    @Test
    void closeStopsEveryThreadOfOursAndRefusesFurtherCalls() throws Exception {
        List<String> before = ourThreads();
        BackendClient client = client();
        client.send(request(session(TOKEN)), backend.call("/warm"));
        client.sendAnonymous(backend.call("/warm"));
        assertFalse(newThreads(before).isEmpty(), "the calls ran on no thread of ours, so this test proves nothing");

        client.close();
        client.close(); // idempotent

        // close() returns once the executor has terminated; a worker thread may still be exiting.
        Await.until("every thread of ours stopped", () -> newThreads(before).isEmpty(), () -> newThreads(before));
        assertThrows(IllegalStateException.class, () -> client.send(request(session(TOKEN)), backend.call("/late")));
        assertEquals(2, backend.hits.size());
    }

    @Test
    void noThreadKeepsTheWebappClassLoaderAsContextLoader() throws Exception {
        Thread current = Thread.currentThread();
        ClassLoader previous = current.getContextClassLoader();
        try (URLClassLoader webapp = new URLClassLoader(new URL[0], previous)) {
            current.setContextClassLoader(webapp);
            BackendClient client = client();
            client.send(request(session(TOKEN)), backend.call("/x"));

            List<String> pinning = Thread.getAllStackTraces().keySet().stream()
                    .filter(t -> t != current && t.getContextClassLoader() == webapp).map(Thread::getName).toList();
            assertEquals(List.of(), pinning);
        } finally {
            current.setContextClassLoader(previous);
        }
    }

    @Test
    void fromServletContextReturnsTheFiltersClientOrSaysWhatToConfigure() {
        ServletContext context = mock(ServletContext.class);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> BackendClient.from(context));
        assertTrue(e.getMessage().contains(CONTEXT_ATTRIBUTE), e.getMessage());
        assertTrue(e.getMessage().contains(PARAM_BACKEND_ORIGINS), e.getMessage());

        BackendClient client = client();
        when(context.getAttribute(CONTEXT_ATTRIBUTE)).thenReturn(client);
        assertSame(client, BackendClient.from(context));
        assertEquals("io.github.sessiongate.BackendClient", CONTEXT_ATTRIBUTE);
    }

    @Test
    void noTokenOrCookieIsEverLogged() throws Throwable {
        String log = capturingStandardError(() -> {
            BackendClient client = client();
            client.send(request(session(TOKEN)), backend.call("/items"));
            client.sendAnonymous(backend.call("/public"));
            assertThrows(IllegalArgumentException.class,
                    () -> client.send(request(session(TOKEN)), elsewhere.call("/x")));
            assertThrows(IllegalArgumentException.class,
                    () -> client.send(request(session(TOKEN)), backend.call("/x").header("Cookie", BROWSER_COOKIES)));
            assertThrows(IllegalStateException.class,
                    () -> client.send(request(session("bad token\n" + TOKEN)), backend.call("/x")));
            client.close();
        });
        assertTrue(log.contains("backend bearer GET " + backend.origin() + "/items -> 200"), log);
        assertTrue(log.contains("refused backend call"), log);
        assertFalse(log.contains(TOKEN), log);
        assertFalse(log.contains("c2lnbmF0dXJl"), log);
        assertFalse(log.contains("refresh-secret"), log);
    }

    // ---- configuration ----

    /** What the filter makes of {@code backend-origins} (SessionFilter's hook): a client per filter start. */
    private static Optional<BackendClient> fromParams(InitParams p, Duration connect, Duration read) {
        List<String> origins = p.list(PARAM_BACKEND_ORIGINS);
        if (origins.isEmpty()) {
            return Optional.empty();
        }
        BackendClient.Builder b = BackendClient.builder().connectTimeout(connect).readTimeout(read);
        origins.forEach(b::allowOrigin);
        return Optional.of(b.build());
    }

    @Test
    void noOriginsMeansNoClient() {
        InitParams p = params();
        assertEquals(Optional.empty(), fromParams(p, BackendClient.DEFAULT_CONNECT_TIMEOUT, BackendClient.DEFAULT_READ_TIMEOUT));
        assertThrows(ConfigException.class, () -> BackendClient.builder().build());
    }

    @Test
    void originsAreReadNormalizedAndMarkedRead() {
        InitParams p = params(PARAM_BACKEND_ORIGINS,
                "https://API.example.com:443/, https://billing.example.com:8443 http://localhost:8081 http://[::1]:9000");
        BackendClient client = fromParams(p, Duration.ofMillis(500), Duration.ofSeconds(5)).orElseThrow();
        clients.add(client);

        assertEquals(Set.of(), p.unread());
        assertEquals(List.of("https://api.example.com", "https://billing.example.com:8443", "http://localhost:8081",
                "http://[::1]:9000"), List.copyOf(client.origins()));
        assertEquals(Duration.ofMillis(500), client.connectTimeout());
        assertEquals(Duration.ofSeconds(5), client.readTimeout());
        assertFalse(client.toString().contains("null"), client.toString());
    }

    @Test
    void timeoutsDefaultToTwoSeconds() {
        BackendClient client = client(b -> b.allowOrigin("https://api.example.com"));
        assertEquals(Duration.ofSeconds(2), client.connectTimeout());
        assertEquals(Duration.ofSeconds(2), client.readTimeout());
        assertEquals(BackendClient.DEFAULT_CONNECT_TIMEOUT, client.connectTimeout());
        assertEquals(BackendClient.DEFAULT_READ_TIMEOUT, client.readTimeout());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "http://api.example.com",          // plain http off loopback
        "http://10.0.0.5:8080",
        "ftp://api.example.com",
        "https://api.example.com/v1",      // a path
        "https://api.example.com?x=1",
        "https://api.example.com#top",
        "api.example.com",                 // no scheme
        "*",
        "https://",
        "https://user:s3cret@api.example.com"})
    void unusableOriginFailsNamingTheParameter(String origin) {
        ConfigException fromParams = assertThrows(ConfigException.class,
                () -> fromParams(params(PARAM_BACKEND_ORIGINS, "https://ok.example.com " + origin),
                        BackendClient.DEFAULT_CONNECT_TIMEOUT, BackendClient.DEFAULT_READ_TIMEOUT));
        ConfigException fromCode = assertThrows(ConfigException.class,
                () -> BackendClient.builder().allowOrigin(origin));
        for (ConfigException e : List.of(fromParams, fromCode)) {
            assertEquals(PARAM_BACKEND_ORIGINS, e.parameter());
            assertTrue(e.getMessage().contains("'backend-origins'"), e.getMessage());
            assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        }
    }

    @Test
    void unusableTimeoutFailsNamingIt() {
        ConfigException connect = assertThrows(ConfigException.class,
                () -> BackendClient.builder().connectTimeout(Duration.ZERO));
        assertEquals("backend-connect-timeout", connect.parameter());
        ConfigException read = assertThrows(ConfigException.class,
                () -> BackendClient.builder().readTimeout(Duration.ofHours(1)));
        assertEquals("backend-read-timeout", read.parameter());
        assertThrows(ConfigException.class, () -> fromParams(
                params(PARAM_BACKEND_ORIGINS, "https://api.example.com"), Duration.ofSeconds(-1), Duration.ofSeconds(1)));
    }

    @Test
    void nullArgumentsAreRejected() {
        BackendClient client = client();
        assertThrows(NullPointerException.class, () -> client.send(null, backend.call("/x")));
        assertThrows(NullPointerException.class, () -> client.send(request(session(TOKEN)), null));
        assertThrows(NullPointerException.class, () -> client.sendAnonymous(null));
        assertThrows(NullPointerException.class, () -> BackendClient.builder().allowOrigin(null));
        assertNoHits();
    }

    // ---- helpers ----

    /** Live threads of SessionGate HTTP transports, daemon or not; those of closed clients must be gone. */
    private static List<String> ourThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith(HttpTransport.THREAD_PREFIX) && t.isAlive())
                .map(t -> t.getName() + (t.isDaemon() ? "" : " (non-daemon)")).toList();
    }

    /** Threads of ours alive now that were not in {@code before}. */
    private static List<String> newThreads(List<String> before) {
        return ourThreads().stream().filter(t -> !before.contains(t)).toList();
    }

    /** Runs the block with System.err (where slf4j-simple writes) captured, BackendClient's DEBUG lines included. */
    private static String capturingStandardError(Executable block) throws Throwable {
        try (LogCapture capture = new LogCapture(BackendClient.class)) {
            block.execute();
            return capture.text();
        }
    }

    /** A call whose request the JDK did not build, as application code could hand over. */
    private static final class FixedCall implements HttpRequest.Builder {
        private final URI uri;

        FixedCall(URI uri) {
            this.uri = uri;
        }

        @Override
        public HttpRequest build() {
            return new HttpRequest() {
                @Override
                public Optional<BodyPublisher> bodyPublisher() {
                    return Optional.empty();
                }

                @Override
                public String method() {
                    return "GET";
                }

                @Override
                public Optional<Duration> timeout() {
                    return Optional.empty();
                }

                @Override
                public boolean expectContinue() {
                    return false;
                }

                @Override
                public URI uri() {
                    return uri;
                }

                @Override
                public Optional<HttpClient.Version> version() {
                    return Optional.empty();
                }

                @Override
                public HttpHeaders headers() {
                    return HttpHeaders.of(Map.of(), (n, v) -> true);
                }
            };
        }

        @Override
        public HttpRequest.Builder uri(URI uri) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder expectContinue(boolean enable) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder version(HttpClient.Version version) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder header(String name, String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder headers(String... headers) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder timeout(Duration duration) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder setHeader(String name, String value) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder GET() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder POST(HttpRequest.BodyPublisher bodyPublisher) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder PUT(HttpRequest.BodyPublisher bodyPublisher) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder DELETE() {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder method(String method, HttpRequest.BodyPublisher bodyPublisher) {
            throw new UnsupportedOperationException();
        }

        @Override
        public HttpRequest.Builder copy() {
            return this;
        }
    }
}

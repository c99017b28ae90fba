package io.github.sessiongate.guest;

import io.github.sessiongate.testing.FromParams;
import io.github.sessiongate.GuestSettings;
import static io.github.sessiongate.guest.GuestTokensTest.params;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Guest tokens fetched from {@code guest-url}: a real HTTP server on 127.0.0.1 answering each way. */
class GuestTokenClientTest {
    private static final String TOKEN = "backend.guest-token.sig_1";

    private static HttpServer server;
    private static ExecutorService executor;
    private static String base;
    /** The request method and Accept header each path last saw. */
    private static final Map<String, String> SEEN = new ConcurrentHashMap<>();
    private static volatile CountDownLatch arrived = new CountDownLatch(0);
    private static volatile CountDownLatch release = new CountDownLatch(0);

    private final MutableClock clock = new MutableClock(GuestJwt.NOW);

    @BeforeAll
    static void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        executor = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "guest-endpoint-test");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        answer("/ok", 200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":600,\"token_type\":\"Bearer\"}");
        answer("/long", 200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":86400}");
        answer("/no-expiry", 200, "{\"access_token\":\"" + TOKEN + "\"}");
        answer("/error", 500, "{\"access_token\":\"" + TOKEN + "\"}");
        answer("/junk", 200, "<html>hello</html>");
        answer("/array", 200, "[\"" + TOKEN + "\"]");
        answer("/no-token", 200, "{\"expires_in\":600}");
        answer("/number-token", 200, "{\"access_token\":12345}");
        answer("/spaced-token", 200, "{\"access_token\":\"a b\"}");
        answer("/empty-token", 200, "{\"access_token\":\"\"}");
        answer("/string-expiry", 200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":\"600\"}");
        answer("/zero-expiry", 200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":0}");
        answer("/fraction-expiry", 200, "{\"access_token\":\"" + TOKEN + "\",\"expires_in\":1.5}");
        answer("/deep", 200, "{\"access_token\":\"" + TOKEN + "\",\"x\":" + "[".repeat(40) + "]".repeat(40) + "}");
        answer("/huge", 200, "{\"access_token\":\"" + TOKEN + "\",\"pad\":\"" + "x".repeat(70_000) + "\"}");
        server.createContext("/redirect", ex -> {
            record(ex);
            ex.getResponseHeaders().add("Location", base + "/ok");
            ex.sendResponseHeaders(302, -1);
            ex.close();
        });
        server.createContext("/slow", ex -> {
            record(ex);
            arrived.countDown();
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            send(ex, 200, "{\"access_token\":\"" + TOKEN + "\"}");
        });
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    @AfterAll
    static void stop() {
        release.countDown();
        server.stop(0);
        executor.shutdownNow();
    }

    private static void answer(String path, int status, String body) {
        server.createContext(path, ex -> {
            record(ex);
            send(ex, status, body);
        });
    }

    private static void record(HttpExchange ex) throws IOException {
        ex.getRequestBody().readAllBytes();
        SEEN.put(ex.getRequestURI().getPath(), ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Accept"));
    }

    private static void send(HttpExchange ex, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        } catch (IOException e) {
            // the client gave up (timeout, size limit)
        }
    }

    private GuestTokens fetching(String path, String... more) {
        List<String> all = new ArrayList<>(List.of(GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_URL, base + path));
        all.addAll(List.of(more));
        return FromParams.guests(params(all.toArray(new String[0])), clock, List.of()).orElseThrow();
    }

    @Test
    void fetchesWithAPostAndUsesExpiresInAsMaxAge() {
        GuestTokens g = fetching("/ok");
        assertFalse(g.mintsLocally());
        GuestTokens.Issued issued = g.issue().orElseThrow();
        assertEquals(TOKEN, issued.token());
        assertEquals(Duration.ofSeconds(600), issued.maxAge());
        assertEquals("POST application/json", SEEN.get("/ok"));
    }

    @Test
    void expiresInIsCappedByTheTtlAndDefaultsToIt() {
        assertEquals(Duration.ofHours(2), fetching("/long", GuestSettings.PARAM_TTL, "2h").issue().orElseThrow().maxAge());
        assertEquals(Duration.ofHours(1), fetching("/no-expiry").issue().orElseThrow().maxAge());
    }

    @ParameterizedTest
    @ValueSource(strings = {"/error", "/junk", "/array", "/no-token", "/number-token", "/spaced-token", "/empty-token",
            "/string-expiry", "/zero-expiry", "/fraction-expiry", "/deep", "/huge", "/redirect", "/missing"})
    void anyOtherAnswerGivesNoGuestTokenAndNeverThrows(String path) {
        assertEquals(Optional.empty(), fetching(path).issue());
    }

    @Test
    void redirectsAreNotFollowed() {
        SEEN.remove("/ok");
        assertEquals(Optional.empty(), fetching("/redirect").issue());
        assertEquals(null, SEEN.get("/ok"));
    }

    @Test
    void slowBackendTimesOut() {
        release = new CountDownLatch(1);
        try {
            long start = System.nanoTime();
            assertEquals(Optional.empty(), fetching("/slow", GuestSettings.PARAM_URL_TIMEOUT, "200ms").issue());
            assertTrue(System.nanoTime() - start < TimeUnit.SECONDS.toNanos(5));
        } finally {
            release.countDown();
        }
    }

    @Test
    void unreachableBackendGivesNoGuestToken() throws IOException {
        int closedPort;
        try (java.net.ServerSocket s = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        GuestTokens g = FromParams.guests(params(GuestSettings.PARAM_ENABLED, "true", GuestSettings.PARAM_URL,
                "http://127.0.0.1:" + closedPort + "/guest"), clock, List.of()).orElseThrow();
        assertEquals(Optional.empty(), g.issue());
    }

    @Test
    void atMostEightFetchesRunAtOnceAndTheRestGoWithout() throws Exception {
        GuestTokens g = fetching("/slow", GuestSettings.PARAM_URL_TIMEOUT, "10s");
        arrived = new CountDownLatch(GuestTokenClient.MAX_CONCURRENT);
        release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(GuestTokenClient.MAX_CONCURRENT);
        try {
            List<Future<Optional<GuestTokens.Issued>>> inFlight = new ArrayList<>();
            for (int i = 0; i < GuestTokenClient.MAX_CONCURRENT; i++) {
                inFlight.add(callers.submit(g::issue));
            }
            assertTrue(arrived.await(10, TimeUnit.SECONDS), "all eight reached the backend");
            assertEquals(Optional.empty(), g.issue(), "the ninth does not wait");
            release.countDown();
            for (Future<Optional<GuestTokens.Issued>> f : inFlight) {
                assertEquals(TOKEN, f.get(10, TimeUnit.SECONDS).orElseThrow().token());
            }
            assertTrue(g.issue().isPresent(), "permits are returned");
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void mintAndVerifyAreForLocalTokensOnly() {
        GuestTokens g = fetching("/ok");
        assertThrows(IllegalStateException.class, g::mint);
        assertThrows(IllegalStateException.class, () -> g.verify("a.b.c"));
    }

    @Test
    void failuresWarnAtMostOnceAMinuteAndNeverLogTheTokenOrQuery() throws Exception {
        String log;
        try (LogCapture capture = new LogCapture(GuestTokenClient.class, GuestTokens.class)) {
            GuestTokens failing = FromParams.guests(params(GuestSettings.PARAM_ENABLED, "true",
                    GuestSettings.PARAM_URL, base + "/error?key=hush"), clock, List.of()).orElseThrow();
            failing.issue();
            failing.issue();
            clock.advance(Duration.ofSeconds(59));
            failing.issue();
            clock.advance(Duration.ofSeconds(1));
            failing.issue();
            fetching("/spaced-token").issue();
            fetching("/ok").issue();
            log = capture.text();
        }
        assertEquals(3, log.split("WARN", -1).length - 1, log); // two for /error a minute apart, one for /spaced-token
        assertTrue(log.contains("answered HTTP 500"), log);
        assertFalse(log.contains(TOKEN) || log.contains("hush"), log);
    }
}

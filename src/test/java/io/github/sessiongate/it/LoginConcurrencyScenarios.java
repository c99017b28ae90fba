package io.github.sessiongate.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.it.RawHttp.Response;
import io.github.sessiongate.testing.FakeAuthBackend;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Login attempts in flight through a real container ({@link JettyLoginConcurrencyTest},
 * {@link TomcatLoginConcurrencyTest}): the webapp {@code login-concurrency} at {@value #CONC} logs in
 * through a {@link HoldingLogin} proxy in front of {@link FakeAuthBackend}, which holds every login
 * call until the test releases it. Attempts in flight never give a 429 to anyone who has not
 * failed, and a burst of parallel guesses records no more failures than the limit. The limiter is
 * at its defaults (5 per username and address, 25 per address); {@code backend-wait-timeout} is 2s.
 * The test never sleeps; only the 503 case waits out the server's bounded wait.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class LoginConcurrencyScenarios {
    static final String CONC = "/conc";
    static final String PROP_PREFIX = "sessiongate.it.concurrency.";
    private static final int USERS = 30;

    private final ForwardedClients clientAddresses = new ForwardedClients("198.51", 100);
    private final Teardown teardown = new Teardown();
    private final ExecutorService clients = Executors.newCachedThreadPool();
    /** Requests sent by {@link #async}, awaited after each test so that none spills into the next. */
    private final List<Future<Response>> outstanding = new ArrayList<>();
    private FakeAuthBackend backend;
    private HoldingLogin holding;
    private URI base;

    /** A fresh, unstarted container. */
    abstract Container newContainer();

    @BeforeAll
    void start() throws Exception {
        FakeAuthBackend.Builder users = FakeAuthBackend.builder();
        for (int i = 0; i < USERS; i++) {
            users.user("user-" + i, "password-" + i, "user");
        }
        backend = teardown.add(users.build().start());
        holding = teardown.add(new HoldingLogin(URI.create(backend.url(FakeAuthBackend.LOGIN))));
        teardown.add(new ScenarioProperties(PROP_PREFIX))
                .prefixed("jwks-url", backend.jwksUrl())
                .prefixed("issuer", backend.issuer())
                .prefixed("audience", backend.audience())
                .prefixed("login-url", holding.url());
        base = teardown.add(newContainer()).startServing(List.of(Container.Webapp.of(CONC, "login-concurrency")));
        teardown.add(clients::shutdownNow);
        Response warm = login("alice", "alice-password", freshClient());
        assertEquals(200, warm.status(), () -> "not serving: " + warm);
    }

    @AfterEach
    void letEverythingGo() throws Exception {
        holding.pass();
        for (Future<Response> f : outstanding) {
            try {
                f.get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                // the test that sent it has reported what mattered
            }
        }
        outstanding.clear();
    }

    @AfterAll
    void stop() throws Exception {
        teardown.close();
    }

    @Test
    void twentyFiveLoginsInFlightGiveAnotherUserFromTheAddressNo429ButABoundedWaitThen503() throws Exception {
        String client = freshClient();
        List<Future<Response>> held = holdTheAddressCeiling(client);

        Response newcomer = login("user-25", "password-25", client);
        assertEquals(503, newcomer.status(), () -> "attempts in flight are not failures: never a 429, a transient 503: " + newcomer);
        assertTrue(newcomer.header("Retry-After").isPresent(), () -> "503 says when to retry: " + newcomer);
        assertEquals(Map.of("error", "unavailable"), Json.object(newcomer.body()));
        assertEquals(25, holding.arrivals(), "the 26th never reached the backend");

        holding.pass();
        for (Future<Response> f : held) {
            Response r = f.get(30, TimeUnit.SECONDS);
            assertEquals(200, r.status(), () -> "a held login completes: " + r);
        }
        Response again = login("user-25", "password-25", client);
        assertEquals(200, again.status(), () -> "the 503 recorded no failure and locked nobody out: " + again);
    }

    /**
     * The end of the wait, over HTTP: no 429, a 200 once room is free. That the newcomer waits
     * rather than going ahead is shown without a container by LoginLimiterInFlightTest.
     */
    @Test
    void anotherUsersLoginFromABusyAddressSucceedsOnceTheAttemptsInFlightEnd() throws Exception {
        String client = freshClient();
        List<Future<Response>> held = holdTheAddressCeiling(client);
        Future<Response> newcomer = async("alice", "alice-password", client);
        holding.pass();
        Response r = newcomer.get(30, TimeUnit.SECONDS);
        assertEquals(200, r.status(), () -> "the 26th user got in once room was free: " + r);
        for (Future<Response> f : held) {
            assertEquals(200, f.get(30, TimeUnit.SECONDS).status());
        }
    }

    @Test
    void aBurstOfParallelWrongGuessesRecordsNoMoreFailuresThanTheLimit() throws Exception {
        String client = freshClient();
        int before = backend.calls(FakeAuthBackend.LOGIN);
        holding.hold();
        List<Future<Response>> burst = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            burst.add(async("user-0", "guess-" + i, client));
        }
        assertTrue(holding.awaitArrivals(5), "the pair's limit of guesses reaches the backend");
        holding.pass();
        List<Integer> statuses = new ArrayList<>();
        for (Future<Response> f : burst) {
            statuses.add(f.get(30, TimeUnit.SECONDS).status());
        }
        assertEquals(5, statuses.stream().filter(s -> s == 401).count(), () -> "exactly 5 guesses were answered: " + statuses);
        assertTrue(statuses.stream().allMatch(s -> s == 401 || s == 429 || s == 503), () -> "the rest refused: " + statuses);
        assertEquals(5, holding.arrivals(), "20 at once, 5 backend calls");
        assertEquals(before + 5, backend.calls(FakeAuthBackend.LOGIN));

        Response right = login("user-0", "password-0", client);
        assertEquals(429, right.status(), () -> "the five recorded failures limit the pair: " + right);
        Response other = login("user-1", "password-1", client);
        assertEquals(200, other.status(), () -> "five failures stay within the address ceiling: " + other);
    }

    // ================================================================ helpers

    /** A client address of its own, through the trusted proxy 127.0.0.1. */
    String freshClient() {
        return clientAddresses.next();
    }

    Response login(String user, String password, String client) throws IOException {
        return RawHttp.send(base, "POST", CONC + "/auth/login",
                LoginLimiterScenarios.json(user, password).getBytes(StandardCharsets.UTF_8), client,
                "Content-Type: application/json", "Origin: " + base);
    }

    /** Holds the backend and sends 25 logins of distinct users from {@code client}, all at the backend on return. */
    private List<Future<Response>> holdTheAddressCeiling(String client) throws InterruptedException {
        holding.hold();
        List<Future<Response>> held = new ArrayList<>();
        for (int i = 0; i < 25; i++) {
            held.add(async("user-" + i, "password-" + i, client));
        }
        assertTrue(holding.awaitArrivals(25), "25 logins from one address are at the backend (the address ceiling)");
        return held;
    }

    private Future<Response> async(String user, String password, String client) {
        Future<Response> f = clients.submit(() -> login(user, password, client));
        outstanding.add(f);
        return f;
    }

    /**
     * A login backend that holds each call, while {@linkplain #hold held}, until {@link #pass}, then
     * forwards it to the real one and relays the answer; counts the calls that arrived since
     * {@link #hold}.
     */
    static final class HoldingLogin implements AutoCloseable {
        private final URI target;
        private final HttpServer server;
        private final ExecutorService threads = Executors.newCachedThreadPool();
        private final HttpClient http = HttpClient.newHttpClient();
        private final AtomicInteger arrivals = new AtomicInteger();
        private volatile Semaphore arrived = new Semaphore(0);
        private volatile CountDownLatch release = new CountDownLatch(0);

        HoldingLogin(URI target) throws IOException {
            this.target = target;
            this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
            server.setExecutor(threads);
            server.createContext("/login", this::handle);
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort() + "/login";
        }

        /** From now on every call waits for {@link #pass}; the arrival count starts again. */
        void hold() {
            arrivals.set(0);
            arrived = new Semaphore(0);
            release = new CountDownLatch(1);
        }

        /** Lets held calls and every later one go. */
        void pass() {
            release.countDown();
        }

        boolean awaitArrivals(int n) throws InterruptedException {
            return arrived.tryAcquire(n, 30, TimeUnit.SECONDS);
        }

        int arrivals() {
            return arrivals.get();
        }

        private void handle(HttpExchange exchange) throws IOException {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                CountDownLatch mine = release;
                arrivals.incrementAndGet();
                arrived.release();
                if (!mine.await(30, TimeUnit.SECONDS)) {
                    exchange.sendResponseHeaders(504, -1);
                    return;
                }
                HttpRequest.Builder forward = HttpRequest.newBuilder(target).timeout(Duration.ofSeconds(10))
                        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
                String type = exchange.getRequestHeaders().getFirst("Content-Type");
                if (type != null) {
                    forward.header("Content-Type", type);
                }
                HttpResponse<byte[]> answer = http.send(forward.build(), HttpResponse.BodyHandlers.ofByteArray());
                answer.headers().firstValue("Content-Type").ifPresent(t -> exchange.getResponseHeaders().set("Content-Type", t));
                exchange.sendResponseHeaders(answer.statusCode(), answer.body().length == 0 ? -1 : answer.body().length);
                exchange.getResponseBody().write(answer.body());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public void close() {
            pass();
            server.stop(0);
            threads.shutdownNow();
        }
    }
}

package io.github.sessiongate.testing;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.remote.HttpTokenRefresher;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A refresh storm against a real {@link SessionFilter}: {@code n} requests released together, each
 * carrying the same expired RS256 access token and its live refresh token (as a browser's tabs do
 * when the access token lapses), through the filter over {@link InMemoryRequest}s, with the
 * built-in {@link JwtTokenValidator} checking tokens against the JWKS of a {@link FakeAuthBackend}
 * (a real HTTP server in this JVM) and refreshing at its {@code /refresh} over HTTP. The validator
 * is wrapped to count its calls per token, so a storm tells how often the expired token was
 * verified. Used by {@code RefreshStormTest} (counts) and {@code bench.RefreshStormBenchmark}
 * (latencies). Not thread-safe: one storm at a time.
 */
public final class RefreshStorm implements AutoCloseable {
    /** A protected path. */
    public static final String PATH = "/api/orders";
    /** How far back the backend's clock stands while it mints an expired pair: past the access TTL and the skew. */
    public static final Duration LONG_AGO = Duration.ofHours(2);
    private static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    private static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;

    private final MutableClock clock;
    private final FakeAuthBackend backend;
    private final CountingValidator validator;
    private final SessionFilter filter;
    private final int requests;
    private final ExecutorService pool;

    /** One storm's outcome. */
    public record Outcome(int requests, int ok, int withSession, int withNewAccessCookie, int backendRefreshCalls,
            int verificationsOfExpiredToken, int verificationsOfNewToken, long[] sinceGateNanos, long[] inFilterNanos,
            List<Duration> backendTimes) {

        /** The {@code p}-th percentile (0 to 100) of the latencies since the gate opened, in ms. */
        public double sinceGateMillis(double p) {
            return percentile(sinceGateNanos, p) / 1e6;
        }

        /** The {@code p}-th percentile of the time each request spent in the filter, in ms. */
        public double inFilterMillis(double p) {
            return percentile(inFilterNanos, p) / 1e6;
        }

        /** One line for a report. */
        public String summary() {
            String backendMs = backendTimes.stream().map(d -> String.format(Locale.ROOT, "%.1f", d.toNanos() / 1e6))
                    .toList().toString();
            return String.format(Locale.ROOT, "%d requests: %d answered 200 (%d with the session, %d with the new access "
                    + "cookie); since the gate opened p50 %.1f ms, p99 %.1f ms, max %.1f ms; in the filter p50 %.1f ms, "
                    + "p99 %.1f ms; backend refresh calls %d, their time at the backend %s ms; verifications of the expired "
                    + "token %d, of the new one %d", requests, ok, withSession, withNewAccessCookie, sinceGateMillis(50),
                    sinceGateMillis(99), sinceGateMillis(100), inFilterMillis(50), inFilterMillis(99), backendRefreshCalls,
                    backendMs, verificationsOfExpiredToken, verificationsOfNewToken);
        }

        private static double percentile(long[] values, double p) {
            long[] sorted = values.clone();
            Arrays.sort(sorted);
            int index = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
            return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
        }
    }

    /**
     * Starts the backend (its {@code /refresh} answers delayed by {@code refreshDelay}) and the
     * filter, and {@code requests} threads that stay parked between storms.
     *
     * @param clock the filter's and the backend's clock: a frozen one makes the counts exact
     *     however slowly the machine runs (the expired verdict is shared for {@code cache-ttl})
     */
    public RefreshStorm(MutableClock clock, int requests, Duration refreshDelay) {
        this.clock = clock;
        this.requests = requests;
        this.backend = FakeAuthBackend.builder().clock(clock).build().start();
        backend.delay(FakeAuthBackend.REFRESH, refreshDelay);
        JwtTokenValidator jwt = JwtTokenValidator.withJwkSetUri(URI.create(backend.jwksUrl())).issuer(backend.issuer())
                .audience(backend.audience()).clock(clock)
                .refresher(HttpTokenRefresher.plain(URI.create(backend.url(FakeAuthBackend.REFRESH))).clock(clock).build())
                .build();
        this.validator = new CountingValidator(jwt);
        this.filter = new SessionFilter(GateConfig.builder().validator(validator).protectedPaths("/api/*")
                .cookies(CookieSettings.builder().secure(CookieSettings.SecureMode.NEVER).build())
                .clock(clock).build());
        try {
            filter.init(null);
        } catch (ServletException e) {
            throw new IllegalStateException(e);
        }
        this.pool = Executors.newFixedThreadPool(requests);
    }

    /** The backend. */
    public FakeAuthBackend backend() {
        return backend;
    }

    /** A signed-in request with a valid token (e.g. to fetch the JWKS and warm up before storms). */
    public int warmRequest() throws IOException, ServletException {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(InMemoryRequest.get(PATH).cookie(ACCESS, backend.issue("alice").accessToken()).build(),
                response.servlet(), (req, res) -> { });
        return response.status();
    }

    /** One storm with a freshly minted expired pair; returns when every request has been answered. */
    public Outcome run() throws Exception {
        FakeAuthBackend.Tokens pair = clock.travelledBack(LONG_AGO, () -> backend.issue("alice"));
        backend.resetCalls();
        validator.calls.clear();
        AtomicInteger withSession = new AtomicInteger();
        FilterChain chain = (req, res) -> {
            if (Session.from(req).filter(s -> "alice".equals(s.subject())).isPresent()) {
                withSession.incrementAndGet();
            }
        };
        CountDownLatch ready = new CountDownLatch(requests);
        CountDownLatch gate = new CountDownLatch(1);
        long[] opened = new long[1];
        long[] sinceGate = new long[requests];
        long[] inFilter = new long[requests];
        List<Future<InMemoryResponse>> answers = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            int n = i;
            answers.add(pool.submit(() -> {
                InMemoryResponse response = new InMemoryResponse();
                var request = InMemoryRequest.get(PATH).cookie(ACCESS, pair.accessToken()).cookie(REFRESH, pair.refreshToken())
                        .build();
                ready.countDown();
                gate.await();
                long start = System.nanoTime();
                filter.doFilter(request, response.servlet(), chain);
                long end = System.nanoTime();
                inFilter[n] = end - start;
                sinceGate[n] = end - opened[0];
                return response;
            }));
        }
        if (!ready.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the storm's threads did not start");
        }
        opened[0] = System.nanoTime();
        gate.countDown();
        int ok = 0;
        int newCookie = 0;
        String rotated = null;
        for (Future<InMemoryResponse> f : answers) {
            InMemoryResponse r = f.get(60, TimeUnit.SECONDS);
            if (r.status() == 200) {
                ok++;
            }
            var cookie = r.cookie(ACCESS).filter(c -> !c.getValue().equals(pair.accessToken()) && !c.getValue().isEmpty());
            if (cookie.isPresent()) {
                newCookie++;
                rotated = cookie.get().getValue();
            }
        }
        return new Outcome(requests, ok, withSession.get(), newCookie, backend.calls(FakeAuthBackend.REFRESH),
                validator.calls(pair.accessToken()), rotated == null ? 0 : validator.calls(rotated), sinceGate, inFilter,
                backend.handlingTimes(FakeAuthBackend.REFRESH));
    }

    @Override
    public void close() {
        pool.shutdownNow();
        filter.destroy();
        backend.close();
    }

    /** The JWT validator, its calls counted per token. */
    private static final class CountingValidator extends TokenValidator {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        private final JwtTokenValidator jwt;

        CountingValidator(JwtTokenValidator jwt) {
            this.jwt = jwt;
        }

        @Override
        protected ValidationResult doValidate(String token) {
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            return jwt.validate(token);
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) {
            return jwt.refresh(refreshToken);
        }

        @Override
        public boolean callsBackendToValidate() {
            return jwt.callsBackendToValidate();
        }

        @Override
        public Duration clockSkew() {
            return jwt.clockSkew();
        }

        @Override
        public String describe() {
            return "counting " + jwt.describe();
        }

        @Override
        public void close() {
            jwt.close();
        }

        int calls(String token) {
            AtomicInteger n = calls.get(token);
            return n == null ? 0 : n.get();
        }
    }
}

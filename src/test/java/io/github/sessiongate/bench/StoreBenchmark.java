package io.github.sessiongate.bench;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.redis.RedisStateStore;
import io.github.sessiongate.remote.HttpTokenRefresher;
import io.github.sessiongate.testing.FakeAuthBackend;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.testing.RedisServer;
import jakarta.servlet.FilterChain;
import jakarta.servlet.FilterConfig;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.lang.reflect.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import redis.clients.jedis.Jedis;

/**
 * One request through the real filter ({@link SessionFilter#doFilter}, started from web.xml-style
 * init-params as a container starts it) with the state in this JVM's memory ({@code store=memory},
 * the default) or in a real {@code redis-server} ({@code store=redis}: {@link RedisStateStore},
 * started for each trial on a free loopback port and stopped after it). Not a test: nothing here
 * is timed against a limit; README "Performance" reports the figures.
 *
 * <p>The configuration is a realistic one: the built-in {@link JwtTokenValidator} checking RS256
 * access tokens against the JWKS of a real HTTP identity backend in this JVM
 * ({@link FakeAuthBackend}, fetched once), in-place refresh through that backend's refresh URL over
 * real sockets, plain-HTTP cookies ({@code sg_access}, {@code sg_refresh}), every other setting
 * at its default except the bounds of the in-memory security stores (raised so long runs never
 * fill them) and, on Redis, {@code redis.command-timeout=1s} (as in the tests: a GC pause on a
 * loaded machine must not turn a measured request into the degraded path).
 *
 * <ul>
 *   <li>{@link #warm}: a GET of a protected path with a valid access cookie: the warm path of
 *       every signed-in request (cookie parsing, the validation cache, the revocation checks,
 *       the session handed to the chain).</li>
 *   <li>{@link #refresh}: a GET with an expired access cookie and a live refresh cookie, minted
 *       fresh for each invocation outside the measured time. Measured: the whole request, which
 *       finds the access token expired, checks the tombstones and grace memo, takes the refresh
 *       lease (Redis: {@code SET NX PX}), calls the backend's {@code /refresh} over HTTP (the
 *       backend signs a new RS256 token in this JVM: the same cost for both stores), records the
 *       rotation (pair, links, tombstone), releases the lease, validates the new token and sets
 *       both cookies. The backend's share is identical for both stores, so the Redis/memory ratio
 *       understates the store's own cost; the absolute difference is the store's.</li>
 *   <li>{@link #backendAlone}: the refresh call alone, without the filter: the control that
 *       says how much of {@code refresh} is the backend's.</li>
 *   <li>{@link #graceReplay}: the old pair sent again right after another request rotated it
 *       (unmeasured, in the invocation's set-up), as a second tab or another node does: the
 *       grace memo answers with the new pair and the backend is not called (checked).</li>
 * </ul>
 * Every invocation is checked outside the measured time (status, new cookies, the session handed
 * to the application, no backend call on the replay), so a misconfigured run fails instead of
 * measuring a refusal. On Redis each trial also prints the Redis commands per measured request
 * ({@code INFO commandstats} deltas).
 *
 * <pre>
 * mvn -Pjmh test-compile exec:exec -Djmh.args=StoreBenchmark      (one fork; warm-up and iterations as annotated)
 * </pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
// sun.net.httpserver.nodelay: the test backend is the JDK's HttpServer, which without TCP_NODELAY
// stalls each answer about 40 ms (Nagle against delayed ACK): an artefact of the stand-in backend
// that would hide the filter in the refresh figures. Identity providers answer without it.
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn", "-Dsun.net.httpserver.nodelay=true"})
public class StoreBenchmark {
    static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    static final String REFRESH = CookieSettings.DEFAULT_REFRESH_COOKIE_NAME;
    static final String PATH = "/api/orders";
    /** How far back the backend's clock stands while it mints an expired pair: past the access TTL and the skew. */
    static final Duration LONG_AGO = Duration.ofHours(2);

    /** Where the filter keeps its shared state. */
    @Param({"memory", "redis"})
    public String store;

    private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private final MutableClock backendClock = MutableClock.followingSystemTime();
    private FakeAuthBackend backend;
    private RedisServer redis;
    private Jedis stats;
    private SessionFilter filter;
    private String warmToken;
    /** The benchmark method of this trial, and how many requests it measured (warm-up included). */
    private String benchmark;
    private long requests;
    /** Counts what the application saw: requests passed on, and those with a session. */
    private final CountingChain chain = new CountingChain();
    /** Redis commands of measured requests (empty for the memory store). */
    private final Commands commands = new Commands();

    @Setup(Level.Trial)
    public void start(BenchmarkParams run) throws Exception {
        benchmark = run.getBenchmark().substring(run.getBenchmark().lastIndexOf('.') + 1);
        open();
    }

    /** The backend, Redis when asked for, and the filter; one warm request checks the set-up. */
    void open() throws Exception {
        // Access tokens live an hour so the warm token outlasts any run; expired pairs are minted LONG_AGO.
        backend = FakeAuthBackend.builder().clock(backendClock).accessTtl(Duration.ofHours(1)).build().start();
        Map<String, String> params = new LinkedHashMap<>();
        params.put(GateConfig.PARAM_PROTECTED_PATHS, "/api/*");
        params.put(CookieSettings.PARAM_SECURE, "false"); // plain HTTP: sg_access and sg_refresh
        params.put(JwtTokenValidator.PARAM_JWKS_URL, backend.jwksUrl());
        params.put(JwtTokenValidator.PARAM_ISSUER, backend.issuer());
        params.put(JwtTokenValidator.PARAM_AUDIENCE, backend.audience());
        params.put(HttpTokenRefresher.PARAM_REFRESH_URL, backend.url(FakeAuthBackend.REFRESH));
        // The in-memory security stores refuse when full; thousands of refreshes a second for a
        // grace window of 30 s must not fill them (Redis has no such bound).
        params.put(GateConfig.PARAM_GRACE_MAX_ENTRIES, "5000000");
        params.put(GateConfig.PARAM_SECURITY_MAX_ENTRIES, "5000000");
        switch (store) {
            case "memory" -> { }
            case "redis" -> {
                redis = RedisServer.startOrSkip();
                RedisServer started = redis;
                // A fork that dies without its tear-down must not leave redis-server running.
                Runtime.getRuntime().addShutdownHook(new Thread(started::close, "stop-benchmark-redis"));
                stats = redis.client();
                params.put(GateConfig.PARAM_STATE_STORE, "redis");
                params.put(GateConfig.PARAM_STATE_STORE_KEY, randomKey());
                params.put("redis.url", redis.url());
                params.put("redis.command-timeout", "1s");
            }
            default -> throw new IllegalArgumentException("store must be memory or redis, not " + store);
        }
        filter = new SessionFilter();
        filter.init(filterConfig(params));
        warmToken = backend.issue("alice").accessToken();
        InMemoryResponse first = send(warmRequest());
        check(first.status() == 200 && chain.sessions == 1, "a warm request did not reach the application with a session");
        chain.reset();
        commands.rebase(stats);
    }

    @TearDown(Level.Iteration)
    public void checkIteration() {
        check(chain.sessions == chain.requests, "only " + chain.sessions + " of " + chain.requests
                + " requests reached the application with a session");
    }

    @TearDown(Level.Trial)
    public void stop() {
        if (stats != null) {
            if (!benchmark.equals("graceReplay")) {
                commands.add(stats); // warm and refresh: only measured requests touched Redis since start()
            }
            commands.print(benchmark, requests);
            stats.close();
        }
        if (filter != null) {
            filter.destroy();
        }
        if (redis != null) {
            redis.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    // ------------------------------------------------------------------ the benchmarks

    /** A signed-in request with a valid access cookie. */
    @Benchmark
    public InMemoryResponse warm() throws Exception {
        requests++;
        return send(warmRequest());
    }

    /** An expired access cookie with a live refresh cookie: one backend refresh, new cookies. */
    @Benchmark
    @Warmup(iterations = 5, time = 3) // a few hundred requests a second: the JIT needs longer
    public InMemoryResponse refresh(ExpiredPair pair) throws Exception {
        return pair.response = send(pair.request);
    }

    /**
     * The control for {@link #refresh}: the backend's refresh call alone, made with the JDK client
     * as the filter makes it (HTTP/1.1, a form POST), no filter. It does not depend on the store, so
     * its two rows show the run's noise; {@code refresh} minus this is the filter's own work.
     */
    @Benchmark
    @Warmup(iterations = 5, time = 3)
    public HttpResponse<String> backendAlone(ExpiredPair pair) throws Exception {
        return pair.backendAnswer = client.send(HttpRequest.newBuilder(URI.create(backend.url(FakeAuthBackend.REFRESH)))
                .header("Content-Type", "application/x-www-form-urlencoded").header("Cache-Control", "no-store")
                .POST(HttpRequest.BodyPublishers.ofString("refresh_token=" + pair.tokens.refreshToken())).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The old pair again after its rotation, inside the grace window: the memo answers, no backend call. */
    @Benchmark
    @Warmup(iterations = 5, time = 3) // a few hundred requests a second: the JIT needs longer
    public InMemoryResponse graceReplay(RotatedPair pair) throws Exception {
        return pair.response = send(pair.request);
    }

    // ------------------------------------------------------------------ per-invocation states

    /** A fresh expired pair per invocation, minted by the backend without HTTP (not measured). */
    @State(Scope.Thread)
    public static class ExpiredPair {
        InMemoryRequest request;
        InMemoryResponse response;
        HttpResponse<String> backendAnswer;
        FakeAuthBackend.Tokens tokens;

        /** Minting never touches Redis: the trial's command delta is the measured requests'. */
        @Setup(Level.Invocation)
        public void mint(StoreBenchmark bench) {
            bench.chain.reset();
            tokens = bench.expiredPair();
            request = pairRequest(tokens);
            response = null;
            backendAnswer = null;
        }

        @TearDown(Level.Invocation)
        public void verify(StoreBenchmark bench) {
            bench.requests++;
            if ("backendAlone".equals(bench.benchmark)) {
                check(backendAnswer != null && backendAnswer.statusCode() == 200 && backendAnswer.body().contains("refresh_token"),
                        "the backend refused the refresh");
            } else {
                bench.checkRotated(response, tokens);
            }
        }
    }

    /** A pair already rotated by an unmeasured request, sent again. */
    @State(Scope.Thread)
    public static class RotatedPair {
        InMemoryRequest request;
        InMemoryResponse response;
        FakeAuthBackend.Tokens tokens;
        String rotatedAccess;
        int backendCalls;

        @Setup(Level.Invocation)
        public void rotate(StoreBenchmark bench) throws Exception {
            bench.chain.reset();
            tokens = bench.expiredPair();
            InMemoryResponse first = bench.send(pairRequest(tokens));
            bench.checkRotated(first, tokens);
            rotatedAccess = first.cookie(ACCESS).orElseThrow().getValue();
            bench.chain.reset();
            request = pairRequest(tokens);
            response = null;
            backendCalls = bench.backend.calls(FakeAuthBackend.REFRESH);
            bench.commands.rebase(bench.stats); // only the replay's commands count
        }

        @TearDown(Level.Invocation)
        public void verify(StoreBenchmark bench) {
            bench.commands.add(bench.stats);
            bench.requests++;
            bench.checkRotated(response, tokens);
            check(bench.backend.calls(FakeAuthBackend.REFRESH) == backendCalls, "the replay called the backend");
            check(rotatedAccess.equals(response.cookie(ACCESS).orElseThrow().getValue()),
                    "the replay did not get the rotated pair from the grace memo");
        }
    }

    // ------------------------------------------------------------------ helpers

    private InMemoryRequest warmRequest() {
        return InMemoryRequest.get(PATH).cookie(ACCESS, warmToken);
    }

    private static InMemoryRequest pairRequest(FakeAuthBackend.Tokens tokens) {
        return InMemoryRequest.get(PATH).cookie(ACCESS, tokens.accessToken()).cookie(REFRESH, tokens.refreshToken());
    }

    /** A genuinely expired, correctly signed access token and its live refresh token, minted LONG_AGO. */
    private FakeAuthBackend.Tokens expiredPair() {
        return backendClock.travelledBack(LONG_AGO, () -> backend.issue("alice"));
    }

    private InMemoryResponse send(InMemoryRequest request) throws IOException, ServletException {
        InMemoryResponse response = new InMemoryResponse();
        filter.doFilter(request.build(), response.servlet(), chain);
        return response;
    }

    /** The request went through with a session and came back with a new access and refresh cookie. */
    private void checkRotated(InMemoryResponse response, FakeAuthBackend.Tokens old) {
        check(response != null && response.status() == 200, "the refresh answered " + (response == null ? "nothing" : response.status()));
        check(chain.sessions == 1 && chain.requests == 1, "the refreshed request did not reach the application with a session");
        check(response.cookie(ACCESS).filter(c -> !c.getValue().equals(old.accessToken())).isPresent(), "no new access cookie");
        check(response.cookie(REFRESH).filter(c -> !c.getValue().equals(old.refreshToken())).isPresent(), "no new refresh cookie");
        chain.reset();
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("StoreBenchmark: " + what);
        }
    }

    private static String randomKey() {
        byte[] key = new byte[32];
        new SecureRandom().nextBytes(key);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(key);
    }

    /** The container's view of web.xml: a filter name and its init-params; no servlet context. */
    private static FilterConfig filterConfig(Map<String, String> params) {
        return (FilterConfig) Proxy.newProxyInstance(StoreBenchmark.class.getClassLoader(), new Class<?>[] {FilterConfig.class},
                (proxy, m, args) -> switch (m.getName()) {
                    case "getFilterName" -> "sessiongate";
                    case "getInitParameter" -> params.get((String) args[0]);
                    case "getInitParameterNames" -> Collections.enumeration(params.keySet());
                    case "getServletContext" -> null;
                    case "toString" -> "FilterConfig[sessiongate]";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new UnsupportedOperationException("FilterConfig." + m.getName());
                });
    }

    /** The application behind the filter: counts requests and those that carry a session. */
    private static final class CountingChain implements FilterChain {
        long requests;
        long sessions;

        @Override
        public void doFilter(jakarta.servlet.ServletRequest request, jakarta.servlet.ServletResponse response) {
            requests++;
            if (Session.from(request).filter(s -> "alice".equals(s.subject())).isPresent()) {
                sessions++;
            }
        }

        void reset() {
            requests = 0;
            sessions = 0;
        }
    }

    /**
     * Redis commands of the measured requests, from {@code INFO commandstats} deltas (the
     * {@code INFO} calls themselves left out), summed over a trial and printed per request.
     */
    private static final class Commands {
        private Map<String, Long> baseline = Map.of();
        private final Map<String, Long> sum = new TreeMap<>();

        /** From now on. */
        void rebase(Jedis stats) {
            if (stats != null) {
                baseline = read(stats);
            }
        }

        /** Adds the commands since the last {@link #rebase} or {@code add}. */
        void add(Jedis stats) {
            if (stats == null) {
                return;
            }
            Map<String, Long> now = read(stats);
            now.forEach((command, calls) -> {
                long delta = calls - baseline.getOrDefault(command, 0L);
                if (delta != 0) {
                    sum.merge(command, delta, Long::sum);
                }
            });
            baseline = now;
        }

        void print(String benchmark, long requests) {
            StringBuilder line = new StringBuilder("\nRedis commands per " + benchmark + " request (" + requests + " requests):");
            sum.forEach((command, calls) -> line.append(String.format(Locale.ROOT, " %s=%.2f", command, calls / (double) Math.max(1, requests))));
            System.out.println(line);
        }

        private static Map<String, Long> read(Jedis stats) {
            Map<String, Long> calls = new TreeMap<>();
            for (String line : stats.info("commandstats").split("\r?\n")) {
                if (!line.startsWith("cmdstat_") || line.startsWith("cmdstat_info:")) {
                    continue;
                }
                int colon = line.indexOf(':');
                int start = line.indexOf("calls=", colon) + "calls=".length();
                int end = line.indexOf(',', start);
                calls.put(line.substring("cmdstat_".length(), colon), Long.parseLong(line.substring(start, end < 0 ? line.length() : end)));
            }
            return calls;
        }
    }
}

package io.github.sessiongate.bench;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.testing.InMemoryRequest;
import io.github.sessiongate.testing.InMemoryResponse;
import io.github.sessiongate.testing.MutableClock;
import jakarta.servlet.FilterChain;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.management.ObjectName;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The memory bound: one million distinct junk access tokens, then one million distinct valid HS256
 * access tokens (ten claims, about 400 characters; the cache does not depend on the algorithm),
 * each in one request through a real {@link SessionFilter} with every bound at its default
 * ({@code cache-max-entries} 10,000; {@code cache-ttl} 2 s on a frozen clock, so no entry lapses
 * and the cache ends full: the worst case), leave the retained heap within the stated bound.
 *
 * <p>Retained heap is the heap in use after full collections ({@link MemoryMXBean}, after
 * {@code System.gc()} until it stops shrinking), less the same figure after the filter started
 * and served one request. Measured at three points: after the junk (nothing may be kept for a
 * refused token: at most {@link #JUNK_BOUND_BYTES}); after the first {@link #PROBE} valid tokens,
 * fewer than the cache holds, so every one is cached: that delta over {@link #PROBE} is the cost
 * of one cached session, at most {@link #ENTRY_BOUND_BYTES}; and after all of them: at most
 * {@code cache-max-entries} times {@link #ENTRY_BOUND_BYTES} plus {@link #JUNK_BOUND_BYTES} (what
 * the other bounded structures may hold: the expired-verdict memo, the single flights, the
 * negative cache, all empty or nearly so here). A figure over its bound throws, failing the run.
 * The run prints the figures and the heap histogram's largest classes.
 *
 * <p>One invocation (single shot, about a minute on a quiet 2-core machine; the fork's heap is
 * capped at 512 MB, so an unbounded structure would also fail it with an {@link OutOfMemoryError}):
 * <pre>
 * mvn -B -o -Pjmh test-compile exec:exec -Djmh.args=MemoryBoundBenchmark
 * </pre>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx512m", "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class MemoryBoundBenchmark {
    /** Distinct junk tokens, then distinct valid tokens, pushed through the filter (fewer with {@code -Dmemory.tokens} for a quick look). */
    static final int TOKENS = Integer.getInteger("memory.tokens", 1_000_000);
    /** Valid tokens measured while the cache still holds each: the per-entry figure. */
    static final int PROBE = 5_000;
    /** The stated bound on one cached session (ten claims, a token of about 400 characters). */
    static final long ENTRY_BOUND_BYTES = 4_096;
    /** The stated bound on what a flood of refused tokens may leave, and on the other bounded structures. */
    static final long JUNK_BOUND_BYTES = 4L << 20;

    private static final String SECRET = "a-memory-benchmark-secret-of-at-least-32-bytes";
    private static final String ISSUER = "https://idp.example";
    private static final String AUDIENCE = "bench";
    private static final String ACCESS = CookieSettings.DEFAULT_ACCESS_COOKIE_NAME;
    private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
    private static final String HEADER = B64.encodeToString("{\"alg\":\"HS256\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));

    /** What one run measured. */
    record Figures(long junkBytes, long perEntryBytes, long totalBytes, long totalBound, long sessions) {
        String summary() {
            return String.format(Locale.ROOT, "Memory bound (%,d junk then %,d valid HS256 tokens, defaults: cache-max-entries "
                    + "%,d):%n  retained after the junk: %,d bytes (bound %,d)%n  per cached session: %,d bytes (bound %,d)%n"
                    + "  retained after all: %,d bytes (bound %,d = %,d entries x %,d + %,d)%n  requests with a session: %,d",
                    TOKENS, TOKENS, GateConfig.DEFAULT_CACHE_MAX_ENTRIES, junkBytes, JUNK_BOUND_BYTES, perEntryBytes,
                    ENTRY_BOUND_BYTES, totalBytes, totalBound, GateConfig.DEFAULT_CACHE_MAX_ENTRIES, ENTRY_BOUND_BYTES,
                    JUNK_BOUND_BYTES, sessions);
        }
    }

    @Benchmark
    public Figures pushTwoMillionTokens() throws Exception {
        Figures f = run();
        System.out.println();
        System.out.println(f.summary());
        return f;
    }

    /** Runs it outside JMH: {@code java -Xmx512m -cp <test class path> io.github.sessiongate.bench.MemoryBoundBenchmark}. */
    public static void main(String[] args) throws Exception {
        System.out.println(run().summary());
    }

    static Figures run() throws Exception {
        MutableClock clock = new MutableClock(); // frozen: no cached session lapses, the cache ends full
        long now = clock.instant().getEpochSecond();
        SessionFilter filter = new SessionFilter(GateConfig.builder()
                .validator(JwtTokenValidator.withSecret(SECRET).issuer(ISSUER).audience(AUDIENCE).clock(clock).build())
                .protectedPaths("/api/*").cookies(CookieSettings.builder().secure(CookieSettings.SecureMode.NEVER).build())
                .clock(clock).build());
        filter.init(null);
        AtomicLong sessions = new AtomicLong();
        FilterChain chain = (req, res) -> {
            if (Session.from(req).isPresent()) {
                sessions.incrementAndGet();
            }
        };
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            push(pool, 0, 1, i -> valid(i, now), filter, chain, true);
            long base = retained();

            push(pool, 0, TOKENS, MemoryBoundBenchmark::junk, filter, chain, false);
            long junk = retained() - base;
            check(junk <= JUNK_BOUND_BYTES, String.format(Locale.ROOT, "%,d junk tokens left %,d bytes, over the bound of %,d",
                    TOKENS, junk, JUNK_BOUND_BYTES));

            long before = retained();
            push(pool, 1, 1 + PROBE, i -> valid(i, now), filter, chain, true);
            long perEntry = (retained() - before) / PROBE;
            check(perEntry <= ENTRY_BOUND_BYTES, String.format(Locale.ROOT, "a cached session takes %,d bytes, over the bound of %,d",
                    perEntry, ENTRY_BOUND_BYTES));

            push(pool, 1 + PROBE, 1 + TOKENS, i -> valid(i, now), filter, chain, true);
            histogram();
            long total = retained() - base;
            long bound = GateConfig.DEFAULT_CACHE_MAX_ENTRIES * ENTRY_BOUND_BYTES + JUNK_BOUND_BYTES;
            check(total <= bound, String.format(Locale.ROOT, "%,d tokens left %,d bytes, over the bound of %,d", 2 * TOKENS,
                    total, bound));
            check(sessions.get() == 1 + TOKENS, "only " + sessions.get() + " valid requests had a session");
            return new Figures(junk, perEntry, total, bound, sessions.get());
        } finally {
            pool.shutdownNow();
            filter.destroy();
        }
    }

    /** Sends tokens {@code from} to {@code to} (exclusive), on two threads; each answered 200 with a session or 401. */
    private static void push(ExecutorService pool, int from, int to, java.util.function.IntFunction<String> token,
            SessionFilter filter, FilterChain chain, boolean valid) throws Exception {
        List<Future<?>> halves = new ArrayList<>();
        int mid = from + (to - from) / 2;
        for (int[] range : new int[][] {{from, mid}, {mid, to}}) {
            halves.add(pool.submit(() -> {
                for (int i = range[0]; i < range[1]; i++) {
                    InMemoryResponse response = new InMemoryResponse();
                    filter.doFilter(InMemoryRequest.get("/api/orders").cookie(ACCESS, token.apply(i)).build(),
                            response.servlet(), chain);
                    int expected = valid ? 200 : 401;
                    check(response.status() == expected, (valid ? "valid" : "junk") + " token " + i + " answered "
                            + response.status());
                }
                return null;
            }));
        }
        for (Future<?> f : halves) {
            f.get();
        }
    }

    /** A distinct valid HS256 token of ten claims. */
    static String valid(int i, long now) {
        String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"user-" + i + "\",\"iat\":" + now
                + ",\"exp\":" + (now + 3600) + ",\"jti\":\"jti-" + i + "-0123456789abcdef\",\"roles\":[\"user\",\"reader\"],"
                + "\"scope\":\"openid profile email\",\"sid\":\"sid-" + i + "\",\"name\":\"User Number " + i + "\"}";
        String signed = HEADER + "." + B64.encodeToString(payload.getBytes(StandardCharsets.UTF_8));
        return signed + "." + B64.encodeToString(hmac(signed));
    }

    /** A distinct junk token, five kinds in turn: bad base64, wrong segment count, unparsable header, bad signature, unknown kid. */
    static String junk(int i) {
        String tail = Integer.toString(i, 36);
        return switch (i % 5) {
            case 0 -> "eyJ*bad*" + tail + ".eyJ*" + tail + ".sig*" + tail;
            case 1 -> "eyJhbGciOiJIUzI1NiJ9." + tail;
            case 2 -> B64.encodeToString(("{not json " + tail).getBytes(StandardCharsets.UTF_8)) + ".e30.c2ln";
            case 3 -> {
                String t = valid(i, 0);
                yield t.substring(0, t.lastIndexOf('.') + 1) + B64.encodeToString(("forged-" + tail).getBytes(StandardCharsets.UTF_8));
            }
            default -> {
                String header = B64.encodeToString(("{\"alg\":\"HS256\",\"kid\":\"k-" + tail + "\"}").getBytes(StandardCharsets.UTF_8));
                yield header + ".e30." + B64.encodeToString(("x" + tail).getBytes(StandardCharsets.UTF_8));
            }
        };
    }

    private static final ThreadLocal<Mac> MAC = ThreadLocal.withInitial(() -> {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return mac;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    });

    private static byte[] hmac(String signingInput) {
        return MAC.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    }

    /** Heap in use after full collections, until a collection frees no more than 64 kB (at most ten). */
    static long retained() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 10; i++) {
            System.gc();
            long now = memory.getHeapMemoryUsage().getUsed();
            if (used - now < 64 * 1024) {
                return Math.min(used, now);
            }
            used = now;
        }
        return used;
    }

    /** Prints the largest classes of the heap histogram (the JVM's GC.class_histogram, live objects). */
    private static void histogram() {
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            System.out.println("\nLive heap, largest classes:");
            text.lines().limit(18).forEach(System.out::println);
        } catch (Exception e) {
            System.out.println("no heap histogram: " + e);
        }
    }

    private static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("MemoryBoundBenchmark: " + what);
        }
    }
}

package io.github.sessiongate.bench;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.jwt.JwtTokenValidator;
import jakarta.servlet.ServletException;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jwa.AlgorithmConstraints.ConstraintType;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.infra.ThreadParams;

/**
 * The whole filter, one request at a time: a real {@link SessionFilter} started from web.xml-style
 * init-params ({@code protected-paths=/api/*}, the built-in {@link JwtTokenValidator} with
 * {@code jwt.secret} for HS256 or a PEM {@code jwt.public-key} for RS256 (RSA-2048), ES256 (P-256) and
 * EdDSA (Ed25519), {@code jwt.algorithms} the one algorithm, issuer and audience; every other
 * setting at its default: the in-memory state store, {@code cache-ttl} 2 s and
 * {@code cache-max-entries} 10,000, Secure {@code __Host-} cookies) over an allocation-light
 * {@link BenchRequest} ({@code GET https://localhost:8443/api/orders} carrying the access cookie)
 * and {@link BenchResponse}, both reused and reset per invocation. Not a test: nothing is timed
 * against a limit; README "Performance" says how to read the figures.
 *
 * <ul>
 *   <li>{@link #noFilter}: the chain alone with the same request and the same resets: the baseline
 *       to subtract from every filter figure ("minus noFilter" is the filter's own work).</li>
 *   <li>{@link #warm}: the same valid token every time: a validation-cache hit.</li>
 *   <li>{@link #cold}: a different valid token every time, cycling through {@code coldTokens}
 *       (default 60,000, six times what the cache holds) minted once per trial; each thread walks
 *       its own slice, so a token comes back only after all the others. The cache hits and
 *       validations seen are reported beside the time ({@code :cacheHits}, {@code :validations},
 *       per iteration; expect about 0 hits).</li>
 *   <li>{@link #bareJose4j}: the floor: one prebuilt jose4j {@link JwtConsumer} (same algorithm,
 *       key, issuer, audience, {@code exp}, {@code sub}, skew and {@code iat} checks, no cache, no
 *       filter) processing the same cold token stream. Compare with {@code cold} minus
 *       {@code noFilter}.</li>
 *   <li>{@link #garbage}: a malformed token ({@link Garbage#kind}) refused with the 401; returns the
 *       number of {@code Set-Cookie} headers, which the set-up checks: at most one per session cookie
 *       the request carried (one here), else the trial fails ({@code -Dbench.lenientSetCookie=true}
 *       only prints the count, to measure an older build).</li>
 *   <li>{@code warmThreads2/8}, {@code coldThreads2/8}: {@code warm} and {@code cold} under 2 and 8
 *       threads on one filter (per-thread requests and responses): the validation cache under
 *       contention. The time is per operation per thread.</li>
 * </ul>
 *
 * <p>Every benchmark's state is checked: at set-up (a warm request is 200 and reaches the chain
 * with the session, a cold one too, the first and last cold tokens pass the bare consumer, a
 * garbage one is 401 and never reaches the chain) and after every iteration (each measured request
 * reached the chain, or for garbage none did), so a change that makes a benchmark measure
 * something else fails the run. EdDSA needs {@code jwt.algorithms=EdDSA} support in the validator;
 * on a build without it the trial fails at set-up saying so. When the validator knows
 * {@code jwt.public-key-id} ({@code JwtTokenValidator.PARAM_PUBLIC_KEY_ID}), the PEM key gets the
 * tokens' key id {@code bench-key}; likewise the HS256 secret with {@code jwt.secret-key-id}
 * ({@code PARAM_SECRET_KEY_ID}); so {@code unknownKid} is refused before any signature work.
 *
 * <pre>
 * mvn -B -Pjmh test-compile exec:exec -Djmh.args="-prof gc FilterBenchmark"
 * mvn -B -Pjmh test-compile exec:exec -Djmh.args="-prof gc -p alg=RS256 FilterBenchmark.(noFilter|warm|cold|bareJose4j)$"
 * </pre>
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"})
public class FilterBenchmark {
    static final String PATH = "/api/orders";
    static final String EDDSA = AlgorithmIdentifiers.EDDSA;
    /** System property: print, instead of failing, when a refused token gets too many {@code Set-Cookie} headers. */
    static final String LENIENT_SET_COOKIE = "bench.lenientSetCookie";

    // ------------------------------------------------------------------ benchmarks

    /** The chain alone, same request, same resets: subtract it from the filter figures. */
    @Benchmark
    public int noFilter(Gate gate, Exchange x) throws IOException, ServletException {
        x.ops++;
        x.request.reset(gate.warmCookie);
        x.response.reset();
        x.chain.doFilter(x.request, x.response);
        return x.response.getStatus();
    }

    /** The same valid token every time: answered from the validation cache. */
    @Benchmark
    public int warm(Gate gate, Exchange x, CacheCounters counters) throws IOException, ServletException {
        return x.send(gate, gate.warmCookie);
    }

    /** A different valid token every time, more of them than the cache holds. */
    @Benchmark
    public int cold(Gate gate, ColdTokens cold, ColdCursor cursor, Exchange x, CacheCounters counters)
            throws IOException, ServletException {
        return x.send(gate, cold.cookies[cursor.next()]);
    }

    /** The floor: a prebuilt jose4j consumer on the same cold token stream, no filter, no cache. */
    @Benchmark
    public JwtClaims bareJose4j(Gate gate, ColdTokens cold, ColdCursor cursor) throws InvalidJwtException {
        return gate.bare.processToClaims(cold.tokens[cursor.next()]);
    }

    /** A malformed token refused with 401: returns the number of {@code Set-Cookie} headers. */
    @Benchmark
    public int garbage(Gate gate, Garbage garbage, Exchange x) throws IOException, ServletException {
        x.send(gate, garbage.cookie);
        return x.response.setCookieCount();
    }

    @Benchmark
    @Threads(2)
    public int warmThreads2(Gate gate, Exchange x, CacheCounters counters) throws IOException, ServletException {
        return x.send(gate, gate.warmCookie);
    }

    @Benchmark
    @Threads(8)
    public int warmThreads8(Gate gate, Exchange x, CacheCounters counters) throws IOException, ServletException {
        return x.send(gate, gate.warmCookie);
    }

    @Benchmark
    @Threads(2)
    public int coldThreads2(Gate gate, ColdTokens cold, ColdCursor cursor, Exchange x, CacheCounters counters)
            throws IOException, ServletException {
        return x.send(gate, cold.cookies[cursor.next()]);
    }

    @Benchmark
    @Threads(8)
    public int coldThreads8(Gate gate, ColdTokens cold, ColdCursor cursor, Exchange x, CacheCounters counters)
            throws IOException, ServletException {
        return x.send(gate, cold.cookies[cursor.next()]);
    }

    // ------------------------------------------------------------------ states

    /** The filter, its keys and the warm token, one per trial. */
    @State(Scope.Benchmark)
    public static class Gate {
        static {
            // As the @Fork annotation says, also when -jvmArgsAppend on the command line replaces its arguments:
            // the filter's INFO audit lines (one per refused token) are not what is measured. Only in a JMH
            // JVM: a test JVM that uses these states keeps its own logging.
            if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null
                    && System.getProperty("sun.java.command", "").startsWith("org.openjdk.jmh.")) {
                System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
            }
        }

        @Param({"HS256", "RS256", "ES256", "EdDSA"})
        public String alg;

        SessionFilter filter;
        /**
         * The filter's counters, taken at set-up: JMH may tear this state down before the states that
         * read them at the end of a trial, and a destroyed filter no longer hands them out.
         */
        SessionFilter.Metrics metrics;
        BenchTokens keys;
        /** The access cookie's name as the filter reads it on this HTTPS request: {@code __Host-sg_access}. */
        String accessCookie;
        String warmCookie;
        /** The floor's consumer: what a bare jose4j filter would build once. */
        JwtConsumer bare;
        /** Whether the key was given the tokens' key id ({@code jwt.public-key-id} or {@code jwt.secret-key-id}). */
        boolean keyId;

        @Setup(Level.Trial)
        public void start() throws Exception {
            keys = new BenchTokens(alg);
            Map<String, String> params = new LinkedHashMap<>();
            params.put(GateConfig.PARAM_PROTECTED_PATHS, "/api/*");
            params.put(JwtTokenValidator.PARAM_ISSUER, BenchTokens.ISSUER);
            params.put(JwtTokenValidator.PARAM_AUDIENCE, BenchTokens.AUDIENCE);
            params.put(JwtTokenValidator.PARAM_ALGORITHMS, alg);
            String keyIdParam;
            if (keys.publicKeyPem == null) {
                params.put(JwtTokenValidator.PARAM_SECRET, BenchTokens.SECRET);
                keyIdParam = keyIdParam("PARAM_SECRET_KEY_ID");
            } else {
                params.put(JwtTokenValidator.PARAM_PUBLIC_KEY, keys.publicKeyPem);
                keyIdParam = keyIdParam("PARAM_PUBLIC_KEY_ID");
            }
            if (keyIdParam != null) {
                params.put(keyIdParam, BenchTokens.KEY_ID);
                keyId = true;
            }
            filter = new SessionFilter();
            try {
                filter.init(new BenchFilterConfig(params));
            } catch (Exception e) {
                if (EDDSA.equals(alg)) {
                    throw new IllegalStateException("FilterBenchmark alg=EdDSA: this build's JwtTokenValidator does not start with "
                            + "jwt.algorithms=EdDSA and an Ed25519 PEM key (a build from before EdDSA support; measure it without "
                            + "-p alg=EdDSA): " + e.getMessage(), e);
                }
                throw e;
            }
            metrics = filter.metrics();
            CookieSettings cookies = filter.config().cookies();
            accessCookie = cookies.cookieName(cookies.accessCookieName(), true);
            String warmToken = keys.token(0);
            warmCookie = accessCookie + "=" + warmToken;
            bare = new JwtConsumerBuilder()
                    .setJwsAlgorithmConstraints(ConstraintType.PERMIT, alg)
                    .setVerificationKey(keys.verificationKey)
                    .setRequireExpirationTime()
                    .setRequireSubject()
                    .setExpectedIssuer(BenchTokens.ISSUER)
                    .setExpectedAudience(BenchTokens.AUDIENCE)
                    .setAllowedClockSkewInSeconds(30)
                    .setIssuedAtRestrictions(0, Integer.MAX_VALUE)
                    .build();
            bare.processToClaims(warmToken);

            Exchange probe = new Exchange();
            check(probe.send(this, warmCookie) == 200, alg + ": a warm request answered " + probe.response.getStatus());
            probe.checkPassed(this, 1);
            check(probe.send(this, warmCookie) == 200, alg + ": a second warm request answered " + probe.response.getStatus());
            probe.checkPassed(this, 2);
            checkModelled();
            System.out.printf(Locale.ROOT, "%nFilterBenchmark alg=%s: token of %d characters, cookie %s, %s %s;"
                    + " a warm response carries %d Set-Cookie header(s)%n", alg, warmToken.length(), accessCookie,
                    keys.publicKeyPem == null ? "jwt.secret-key-id" : "jwt.public-key-id",
                    keyId ? "set" : "not supported by this build", probe.response.setCookieCount());
        }

        @TearDown(Level.Trial)
        public void stop() {
            if (filter != null) {
                filter.destroy();
            }
        }

        /**
         * The key id parameter named by {@code JwtTokenValidator}'s constant {@code field}
         * ({@code PARAM_PUBLIC_KEY_ID}, {@code PARAM_SECRET_KEY_ID}) when this build has it, else
         * {@code null}: read by reflection, so the benchmark also measures a build from before.
         */
        private static String keyIdParam(String field) {
            try {
                return (String) JwtTokenValidator.class.getField(field).get(null);
            } catch (ReflectiveOperationException e) {
                return null;
            }
        }
    }

    /** The cold token stream, minted once per trial on every core. */
    @State(Scope.Benchmark)
    public static class ColdTokens {
        /** Distinct valid tokens; the cache holds 10,000. */
        @Param("60000")
        public int coldTokens;

        String[] tokens;
        String[] cookies;
        /** The filter's counters at the start of the trial's measured requests. */
        long hitsAtStart;
        long validationsAtStart;

        @Setup(Level.Trial)
        public void mint(Gate gate) throws Exception {
            check(coldTokens >= 2, "coldTokens must be at least 2");
            long started = System.nanoTime();
            // Numbered from 1: token 0 is the warm one.
            tokens = gate.keys.tokens(1, coldTokens);
            cookies = new String[tokens.length];
            for (int i = 0; i < tokens.length; i++) {
                cookies[i] = gate.accessCookie + "=" + tokens[i];
            }
            gate.bare.processToClaims(tokens[0]);
            gate.bare.processToClaims(tokens[tokens.length - 1]);
            // A token the measured requests will not see for a while goes through the filter.
            Exchange probe = new Exchange();
            check(probe.send(gate, cookies[tokens.length / 2]) == 200, gate.alg + ": a cold request answered "
                    + probe.response.getStatus());
            probe.checkPassed(gate, 1);
            hitsAtStart = gate.metrics.getCacheHits();
            validationsAtStart = gate.metrics.getValidations();
            System.out.printf(Locale.ROOT, "%nFilterBenchmark alg=%s: %d cold tokens minted in %.1f s%n", gate.alg,
                    coldTokens, (System.nanoTime() - started) / 1e9);
        }

        @TearDown(Level.Trial)
        public void report(Gate gate, BenchmarkParams run) {
            String name = run.getBenchmark().substring(run.getBenchmark().lastIndexOf('.') + 1);
            if (!name.startsWith("cold")) {
                return;
            }
            long hits = gate.metrics.getCacheHits() - hitsAtStart;
            long validations = gate.metrics.getValidations() - validationsAtStart;
            System.out.printf(Locale.ROOT, "%nFilterBenchmark.%s alg=%s: %d cache hits, %d validations over the trial"
                    + " (warm-up included): %.4f%% hits%n", name, gate.alg, hits, validations,
                    100.0 * hits / Math.max(1, hits + validations));
            if (hits * 100 > hits + validations) {
                System.out.printf(Locale.ROOT, "FilterBenchmark WARNING: %s alg=%s was not cold: over 1%% cache hits; raise"
                        + " -p coldTokens (now %d)%n", name, gate.alg, coldTokens);
            }
        }
    }

    /** One thread's slice of the cold tokens: a token comes back only after every other one has been sent. */
    @State(Scope.Thread)
    public static class ColdCursor {
        private int from;
        private int to;
        private int next;

        @Setup(Level.Trial)
        public void slice(ColdTokens cold, ThreadParams thread) {
            int n = cold.tokens.length;
            from = (int) ((long) n * thread.getThreadIndex() / thread.getThreadCount());
            to = (int) ((long) n * (thread.getThreadIndex() + 1) / thread.getThreadCount());
            check(to - from >= 1, "fewer cold tokens than threads");
            next = from;
        }

        int next() {
            int i = next;
            next = i + 1 == to ? from : i + 1;
            return i;
        }
    }

    /** A malformed token in the access cookie. */
    @State(Scope.Benchmark)
    public static class Garbage {
        /**
         * {@code badBase64}: a payload with characters outside base64url; {@code wrongSegments}: two
         * segments; {@code badHeader}: a header segment that is not JSON; {@code unknownKid}: well
         * formed and signed, by a foreign key with an unpublished {@code kid}; {@code badAlg}: an
         * algorithm outside {@code jwt.algorithms} (RS256 against HS256, else HS256 keyed with the
         * public key's PEM, the classic confusion); {@code oversize}: signed by the real key but
         * longer than {@code TokenValidator.MAX_TOKEN_LENGTH} (16 kB; a container with its default
         * 8 kB header limit would refuse such a request before the filter).
         */
        @Param({"badBase64", "wrongSegments", "badHeader", "unknownKid", "badAlg", "oversize"})
        public String kind;

        String cookie;

        @Setup(Level.Trial)
        public void make(Gate gate) throws Exception {
            String token = gate.keys.garbage(kind);
            check(!kind.equals("oversize") || token.length() > TokenValidator.MAX_TOKEN_LENGTH, "the oversize token is not");
            cookie = gate.accessCookie + "=" + token;
            Exchange probe = new Exchange();
            for (int i = 1; i <= 2; i++) {
                int status = probe.send(gate, cookie);
                check(status == 401, gate.alg + " " + kind + ": a malformed token answered " + status + ", not 401");
                check(probe.chain.requests == 0, gate.alg + " " + kind + ": a malformed token reached the application");
                checkSetCookies(gate, probe.response);
            }
            checkModelled();
            System.out.printf(Locale.ROOT, "%nFilterBenchmark garbage alg=%s kind=%s: token of %d characters; the 401 carries"
                    + " %d Set-Cookie header(s) and %d body bytes for the 1 session cookie the request carried%n",
                    gate.alg, kind, token.length(), probe.response.setCookieCount(), probe.response.bodyBytes());
        }

        void checkSetCookies(Gate gate, BenchResponse response) {
            int setCookies = response.setCookieCount();
            if (setCookies > 1) {
                String what = gate.alg + " " + kind + ": the 401 carries " + setCookies + " Set-Cookie headers ("
                        + response.cookies().stream().map(c -> c.getName()).toList()
                        + ") for the 1 session cookie the request carried (at most 1 expected)";
                if (!Boolean.getBoolean(LENIENT_SET_COOKIE)) {
                    throw new IllegalStateException("FilterBenchmark: " + what + "; -jvmArgsAppend -D" + LENIENT_SET_COOKIE
                            + "=true measures anyway");
                }
                System.out.println("FilterBenchmark WARNING: " + what);
            }
        }
    }

    /** One thread's request, response and application, reused for every invocation. */
    @State(Scope.Thread)
    public static class Exchange {
        final BenchRequest request = new BenchRequest(PATH, null);
        final BenchResponse response = new BenchResponse();
        final BenchChain chain = new BenchChain();
        long ops;

        /** One request through the filter; the status. */
        int send(Gate gate, String cookieHeader) throws IOException, ServletException {
            ops++;
            request.reset(cookieHeader);
            response.reset();
            gate.filter.doFilter(request, response, chain);
            return response.getStatus();
        }

        /** The last request reached the application with the token's subject, and {@code requests} did in all. */
        void checkPassed(Gate gate, long requests) {
            check(chain.requests == requests, gate.alg + ": " + chain.requests + " of " + requests
                    + " requests reached the application");
            check(Session.from(chain.last).filter(s -> s.subject().startsWith("f81d4fae-")).isPresent(),
                    gate.alg + ": the application saw no session");
        }

        @TearDown(Level.Iteration)
        public void checkIteration(Gate gate, BenchmarkParams run) {
            checkModelled();
            String name = run.getBenchmark().substring(run.getBenchmark().lastIndexOf('.') + 1);
            if (name.equals("bareJose4j")) {
                return;
            }
            if (name.equals("garbage")) {
                check(chain.requests == 0, gate.alg + " garbage: " + chain.requests + " malformed tokens reached the application");
                check(response.getStatus() == 401, gate.alg + " garbage: answered " + response.getStatus());
                return;
            }
            check(response.getStatus() == 200, gate.alg + " " + name + ": the last request answered " + response.getStatus());
            if (name.equals("noFilter")) {
                check(chain.requests == ops, "noFilter: the chain did not run every time");
            } else {
                checkPassed(gate, ops);
            }
        }
    }

    /**
     * The filter's cache hits and validations (cache misses) during each measured iteration, from
     * its counters ({@link SessionFilter#metrics()}, also on JMX): reported beside the time as
     * {@code :cacheHits} and {@code :validations} (totals per iteration, all threads). Thread 0
     * records them for everyone.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class CacheCounters {
        public long cacheHits;
        public long validations;
        private boolean recorder;
        private long hitsBefore;
        private long validationsBefore;

        @Setup(Level.Iteration)
        public void before(Gate gate, ThreadParams thread) {
            recorder = thread.getThreadIndex() == 0;
            cacheHits = 0;
            validations = 0;
            hitsBefore = gate.metrics.getCacheHits();
            validationsBefore = gate.metrics.getValidations();
        }

        @TearDown(Level.Iteration)
        public void after(Gate gate) {
            if (recorder) {
                cacheHits = gate.metrics.getCacheHits() - hitsBefore;
                validations = gate.metrics.getValidations() - validationsBefore;
            }
        }
    }

    /** The filter called no method {@link BenchRequest} does not model (even one whose exception it caught). */
    static void checkModelled() {
        check(BenchRequest.UNSUPPORTED_CALLS.get() == 0, "the filter called a method BenchRequest does not model"
                + " (see BenchRequest.unsupported): model it");
    }

    static void check(boolean ok, String what) {
        if (!ok) {
            throw new IllegalStateException("FilterBenchmark: " + what);
        }
    }
}

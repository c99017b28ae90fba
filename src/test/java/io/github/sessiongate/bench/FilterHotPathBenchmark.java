package io.github.sessiongate.bench;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.GateConfig;
import io.github.sessiongate.Session;
import io.github.sessiongate.SessionFilter;
import io.github.sessiongate.cookie.CookieCodec;
import io.github.sessiongate.jwt.JwtTokenValidator;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletRequest;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The filter's own per-request work outside the signature check, as a whole {@link SessionFilter}
 * (default settings, in-memory state store) over cheap in-memory requests ({@link BenchRequest},
 * {@link BenchResponse}): {@link #warm} a cached valid token of ten claims (about 750 characters),
 * {@link #garbageAccessOnly} / {@link #garbageAccessAndRefresh} a token with bad base64 refused with
 * the 401, and {@link #noFilter} the same request straight to the chain: subtract it. Run with
 * {@code -prof gc} for the allocation per operation.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn")
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class FilterHotPathBenchmark {
    private static final String SECRET = "a-benchmark-secret-of-at-least-32-bytes!";
    private static final CookieCodec CODEC = new CookieCodec(CookieSettings.defaults());

    private SessionFilter filter;
    private String warmCookie;
    private String garbageCookie;
    private String garbagePairCookie;
    private Blackhole hole;
    private final FilterChain chain = (request, response) -> hole.consume(request);

    @Setup
    public void setUp(Blackhole blackhole) throws Exception {
        hole = blackhole;
        JwtTokenValidator validator = JwtTokenValidator.fromParams(Map.of("jwt.secret", SECRET, "jwt.issuer",
                "https://idp.example.com/realms/benchmark", "jwt.audience", "bench-app"), Clock.systemUTC());
        filter = new SessionFilter(GateConfig.builder().validator(validator).protectedPaths("/api/**").build());
        filter.init(null);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://idp.example.com/realms/benchmark");
        claims.setAudience("bench-app");
        claims.setSubject("f3b1c2d4-5e6f-4a7b-8c9d-0e1f2a3b4c5d");
        claims.setIssuedAtToNow();
        claims.setNotBeforeMinutesInThePast(1);
        claims.setExpirationTimeMinutesInTheFuture(60);
        claims.setGeneratedJwtId();
        claims.setStringClaim("preferred_username", "alice.liddell@example.com");
        claims.setStringClaim("sid", "0f1e2d3c-4b5a-6978-8796-a5b4c3d2e1f0");
        claims.setStringListClaim("roles", List.of("user", "reader", "writer", "reviewer", "billing-viewer"));
        claims.setStringClaim("scope", "openid profile email offline_access api:read api:write api:admin");
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setHeader("typ", "JWT");
        jws.setKeyIdHeaderValue("bench-key-1");
        jws.setKey(new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
        String token = jws.getCompactSerialization();
        String access = CODEC.accessCookieName(true);
        warmCookie = access + "=" + token;
        String junk = "eyJhbGciOiJIUzI1NiJ9.e$$$bad-base64$$$.c2ln";
        garbageCookie = access + "=" + junk;
        garbagePairCookie = access + "=" + junk + "; " + CODEC.refreshCookieName(true) + "=some-refresh-token";
        BenchResponse check = new BenchResponse();
        filter.doFilter(new BenchRequest("/api/data", warmCookie), check, chain);
        if (check.getStatus() != 200 || check.setCookieCount() != 0) {
            throw new IllegalStateException("the warm request is not served: " + check.getStatus());
        }
        check = new BenchResponse();
        filter.doFilter(new BenchRequest("/api/data", garbageCookie), check, (q, s) -> {
            throw new IllegalStateException("garbage reached the application");
        });
        if (check.getStatus() != 401) {
            throw new IllegalStateException("garbage is not refused: " + check.getStatus());
        }
    }

    @TearDown
    public void tearDown() {
        filter.destroy();
    }

    @Benchmark
    public int noFilter() throws Exception {
        BenchRequest request = new BenchRequest("/api/data", warmCookie);
        BenchResponse response = new BenchResponse();
        chain.doFilter(request, response);
        return response.getStatus();
    }

    @Benchmark
    public int warm() throws Exception {
        BenchRequest request = new BenchRequest("/api/data", warmCookie);
        BenchResponse response = new BenchResponse();
        filter.doFilter(request, response, chain);
        return response.getStatus();
    }

    @Benchmark
    public int garbageAccessOnly() throws Exception {
        BenchRequest request = new BenchRequest("/api/data", garbageCookie);
        BenchResponse response = new BenchResponse();
        filter.doFilter(request, response, chain);
        return response.getStatus() + response.setCookieCount();
    }

    @Benchmark
    public int garbageAccessAndRefresh() throws Exception {
        BenchRequest request = new BenchRequest("/api/data", garbagePairCookie);
        BenchResponse response = new BenchResponse();
        filter.doFilter(request, response, chain);
        return response.getStatus() + response.setCookieCount();
    }

    /** Keeps {@link Session} linked for readers: the warm chain sees the session attribute. */
    static boolean hasSession(ServletRequest request) {
        return Session.from(request).isPresent();
    }
}

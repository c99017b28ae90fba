package io.github.sessiongate.jwt;

import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertRefused;
import static io.github.sessiongate.jwt.JwtTokenValidatorTest.assertValid;
import static io.github.sessiongate.jwt.TestJwt.AUDIENCE;
import static io.github.sessiongate.jwt.TestJwt.EC;
import static io.github.sessiongate.jwt.TestJwt.ISSUER;
import static io.github.sessiongate.jwt.TestJwt.NOW;
import static io.github.sessiongate.jwt.TestJwt.OTHER_RSA;
import static io.github.sessiongate.jwt.TestJwt.RSA;
import static io.github.sessiongate.jwt.TestJwt.token;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.ValidationResult.Reason;
import io.github.sessiongate.testing.MutableClock;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Keys from a real JWKS endpoint on 127.0.0.1, fetched, cached and refetched on a hand-moved clock. */
class JwksTest {
    private static final Duration INTERVAL = JwtTokenValidator.DEFAULT_JWKS_REFETCH_INTERVAL;

    private final AtomicInteger hits = new AtomicInteger();
    private final CountDownLatch release = new CountDownLatch(1);
    private final MutableClock clock = new MutableClock(NOW);
    private volatile String body = jwks(RSA, EC);
    private volatile int status = 200;
    private volatile boolean hang;
    private HttpServer server;
    private String url;

    @BeforeEach
    void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            hits.incrementAndGet();
            try {
                if (hang) {
                    release.await(10, TimeUnit.SECONDS);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.start();
        url = "http://127.0.0.1:" + server.getAddress().getPort() + "/jwks";
    }

    @AfterEach
    void stopServer() {
        release.countDown();
        server.stop(0);
    }

    private static String jwks(JsonWebKey... keys) {
        return new JsonWebKeySet(keys).toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
    }

    private JwtTokenValidator validator(String... more) {
        Map<String, String> p = new HashMap<>();
        p.put(JwtTokenValidator.PARAM_JWKS_URL, url);
        p.put(JwtTokenValidator.PARAM_ISSUER, ISSUER);
        p.put(JwtTokenValidator.PARAM_AUDIENCE, AUDIENCE);
        for (int i = 0; i < more.length; i += 2) {
            p.put(more[i], more[i + 1]);
        }
        return JwtTokenValidator.fromParams(p, clock);
    }

    private static void assertUnavailable(ValidationResult result) {
        assertInstanceOf(ValidationResult.Unavailable.class, result, result::toString);
    }

    @Test
    void keysAreFetchedOnceAndCached() {
        JwtTokenValidator validator = validator();
        assertEquals(1, hits.get(), "fetched once at start-up");
        for (int i = 0; i < 3; i++) {
            assertValid(validator.validate(token().kid("rsa-1").rs256()));
            assertValid(validator.validate(token().kid("ec-1").es256()));
        }
        assertEquals(1, hits.get());
    }

    @Test
    void unknownKidIsRefusedAndRefetchIsRateLimited() {
        JwtTokenValidator validator = validator();
        assertValid(validator.validate(token().kid("rsa-1").rs256()));
        for (int i = 0; i < 5; i++) {
            assertRefused(Reason.UNKNOWN_KEY, validator.validate(token().kid("nowhere").rs256()));
        }
        assertEquals(1, hits.get(), "no refetch within the interval");

        clock.advance(INTERVAL);
        for (int i = 0; i < 5; i++) {
            assertRefused(Reason.UNKNOWN_KEY, validator.validate(token().kid("nowhere").rs256()));
        }
        assertEquals(2, hits.get(), "one refetch per interval");
    }

    @Test
    void rotatedKeyIsFoundByTheNextRefetch() {
        body = jwks(RSA);
        JwtTokenValidator validator = validator();
        String rotated = token().kid("rsa-2").sign("RS256", OTHER_RSA.getPrivateKey());
        assertRefused(Reason.UNKNOWN_KEY, validator.validate(rotated));
        body = jwks(RSA, OTHER_RSA);
        clock.advance(INTERVAL);
        assertValid(validator.validate(rotated));
        assertEquals(2, hits.get());
    }

    @Test
    void tokenWithoutKidIsCheckedAgainstEachKeyOfItsType() {
        body = jwks(RSA, OTHER_RSA);
        assertValid(validator().validate(token().sign("RS256", OTHER_RSA.getPrivateKey())));
    }

    @Test
    void cachedKeysStillValidateWhenTheJwksHostIsDown() {
        JwtTokenValidator validator = validator(JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "0");
        String jwt = token().kid("rsa-1").rs256();
        assertValid(validator.validate(jwt));
        server.stop(0);
        clock.advance(INTERVAL);
        assertValid(validator.validate(jwt)); // the refresh fails; the cached keys are kept
        clock.advance(INTERVAL);
        assertValid(validator.validate(jwt));
    }

    @Test
    void expiredCacheWithoutRetainOnErrorIsUnavailableNotInvalid() {
        JwtTokenValidator validator = validator(JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "0",
                JwtTokenValidator.PARAM_JWKS_RETAIN_ON_ERROR, "0");
        String jwt = token().kid("rsa-1").rs256();
        assertValid(validator.validate(jwt));
        server.stop(0);
        clock.advance(INTERVAL);
        assertUnavailable(validator.validate(jwt));
    }

    @Test
    void hostDownWithoutCachedKeysIsUnavailable() {
        server.stop(0);
        assertUnavailable(validator().validate(token().kid("rsa-1").rs256()));
    }

    @Test
    void failingHostIsAskedAtMostOncePerInterval() {
        status = 500;
        JwtTokenValidator validator = validator();
        String jwt = token().kid("rsa-1").rs256();
        for (int i = 0; i < 5; i++) {
            assertUnavailable(validator.validate(jwt));
        }
        assertEquals(2, hits.get(), "the start-up fetch, then the first request's (a failed start-up does not count)");

        status = 200;
        clock.advance(INTERVAL);
        assertValid(validator.validate(jwt));
        assertEquals(3, hits.get());
    }

    @Test
    void unknownKidWhileTheHostFailsIsUnavailableNotInvalid() {
        JwtTokenValidator validator = validator();
        assertValid(validator.validate(token().kid("rsa-1").rs256()));
        status = 503;
        clock.advance(INTERVAL);
        assertUnavailable(validator.validate(token().kid("rsa-new").rs256()));
        assertUnavailable(validator.validate(token().kid("rsa-new").rs256()));
        assertValid(validator.validate(token().kid("rsa-1").rs256()));
        assertEquals(2, hits.get());
    }

    @Test
    void garbageJwksIsUnavailable() {
        body = "<html>maintenance</html>";
        assertUnavailable(validator().validate(token().kid("rsa-1").rs256()));
    }

    @Test
    void slowHostTimesOutOnceWithoutRetries() {
        hang = true;
        JwtTokenValidator validator = validator(JwtTokenValidator.PARAM_JWKS_TIMEOUT, "300ms");
        long start = System.nanoTime();
        assertUnavailable(validator.validate(token().kid("rsa-1").rs256()));
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertTrue(millis < 3_000, "took " + millis + " ms");
        assertEquals(1, hits.get());
    }

    @Test
    void hmacOrUnsignedTokensNeverReachTheJwksHost() {
        JwtTokenValidator validator = validator();
        hits.set(0); // the start-up fetch
        assertRefused(Reason.DISALLOWED_ALGORITHM,
                validator.validate(token().kid("rsa-1").sign("HS256", new HmacKey(RSA.getPublicKey().getEncoded()))));
        assertRefused(Reason.DISALLOWED_ALGORITHM, validator.validate(token().kid("rsa-1").unsigned()));
        assertEquals(0, hits.get());
    }

    @Test
    void concurrentValidationsWithKidMissesAndExpiringCacheNeitherDeadlockNorHammer() throws Exception {
        JwtTokenValidator validator = validator(JwtTokenValidator.PARAM_JWKS_CACHE_DURATION, "0");
        String known = token().kid("rsa-1").rs256();
        String unknown = token().kid("nowhere").rs256();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    for (int i = 0; i < 40; i++) {
                        if (thread == 0 && i % 10 == 0) {
                            clock.advance(INTERVAL);
                        }
                        ValidationResult r = validator.validate(i % 2 == 0 ? known : unknown);
                        boolean expected = r instanceof ValidationResult.Valid
                                || r.equals(ValidationResult.invalid(Reason.UNKNOWN_KEY))
                                || r instanceof ValidationResult.Unavailable;
                        assertTrue(expected, r::toString);
                    }
                    return null;
                }));
            }
            for (Future<?> f : done) {
                f.get(20, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        // One fetch per interval at most: the clock moved four times.
        assertTrue(hits.get() <= 5, "hits: " + hits.get());
        assertValid(validator.validate(known));
    }

    @Test
    void describeNamesTheJwksUrl() {
        assertEquals("JwtTokenValidator[jwks=" + url + ", issuer=" + ISSUER + ", audience=[" + AUDIENCE
                + "], algorithms=[RS256, ES256]]", validator().describe());
    }
}

package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.jwt.JwtTokenValidator;
import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.LogCapture;
import io.github.sessiongate.testing.MutableClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.HmacKey;
import org.junit.jupiter.api.Test;

/**
 * The access-token single flight and the expired verdicts are keyed by the token string itself
 * (no digest): two tokens that differ share nothing, not even when their {@link String#hashCode()}
 * is the same, nor when one is the other with a character no JWS may carry; and a token the cookie
 * reader already looked at ({@code passedSight}) is still refused in full by the validator.
 */
class TokenKeyedMemoTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final String SECRET = "token-keyed-memo-test-secret-0123456789";

    private final MutableClock clock = new MutableClock();
    private final Revocations revocations = new Revocations(new InMemoryExpiringStore<>(100, clock), Duration.ZERO, clock);

    /** Every token is expired; counts calls per token; blocks a token starting "hold-" until released. */
    private static final class Validator extends TokenValidator {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        protected ValidationResult doValidate(String token) throws InterruptedException {
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            if (token.startsWith("hold-")) {
                entered.countDown();
                assertTrue(release.await(10, TimeUnit.SECONDS));
            }
            return ValidationResult.expired();
        }

        @Override
        public boolean callsBackendToValidate() {
            return false;
        }

        int calls(String token) {
            AtomicInteger n = calls.get(token);
            return n == null ? 0 : n.get();
        }
    }

    private Validations validations(TokenValidator validator) {
        return new Validations(validator, new ValidationCache(new InMemoryExpiringStore<>(100, clock), TTL, clock),
                new Bulkhead(4), Duration.ofSeconds(5), revocations);
    }

    @Test
    void tokensWithOneHashCodeHaveAVerdictEach() {
        String a = "expired-" + "x".repeat(40) + "Aa";
        String b = "expired-" + "x".repeat(40) + "BB";
        assertEquals(a.hashCode(), b.hashCode());
        Validator validator = new Validator();
        Validations v = validations(validator);
        assertEquals(Validations.Source.CALLED, v.validate(a).source());
        assertEquals(Validations.Source.CALLED, v.validate(b).source(), "a's verdict is not b's");
        assertEquals(Validations.Source.SHARED, v.validate(a).source());
        v.evict(a);
        assertEquals(Validations.Source.SHARED, v.validate(b).source(), "forgetting a forgets nothing of b");
        assertEquals(Validations.Source.CALLED, v.validate(a).source());
        assertEquals(2, validator.calls(a));
        assertEquals(1, validator.calls(b));
    }

    @Test
    void tokensWithOneHashCodeNeverShareAFlight() throws Exception {
        String a = "hold-" + "x".repeat(40) + "Aa";
        String b = "hold-" + "x".repeat(40) + "BB";
        assertEquals(a.hashCode(), b.hashCode());
        Validator validator = new Validator();
        validator.release.countDown(); // b's own call runs through; a is held below with a latch of its own
        Validator holding = new Validator();
        Validations v = validations(new TokenValidator() {
            @Override
            protected ValidationResult doValidate(String token) throws Exception {
                return (token.equals(a) ? holding : validator).doValidate(token);
            }

            @Override
            public boolean callsBackendToValidate() {
                return false;
            }
        });
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<Validations.Checked> first = pool.submit(() -> v.validate(a));
            assertTrue(holding.entered.await(10, TimeUnit.SECONDS), "a's flight started");
            Validations.Checked second = v.validate(b); // while a's flight is held
            assertEquals(Validations.Source.CALLED, second.source(), "b ran its own call, it did not wait for a's");
            assertEquals(1, validator.calls(b));
            holding.release.countDown();
            assertEquals(Validations.Source.CALLED, first.get(10, TimeUnit.SECONDS).source());
            assertEquals(1, holding.calls(a));
            assertEquals(0, holding.calls(b));
        } finally {
            holding.release.countDown();
            pool.shutdownNow();
        }
    }

    private static String hs256(long expSeconds) throws Exception {
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://idp.example");
        claims.setAudience("app");
        claims.setSubject("alice");
        claims.setExpirationTime(org.jose4j.jwt.NumericDate.fromSeconds(expSeconds));
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.HMAC_SHA256);
        jws.setKey(new HmacKey(SECRET.getBytes(StandardCharsets.UTF_8)));
        return jws.getCompactSerialization();
    }

    @Test
    void aTokenThatPassedSightIsStillRefusedInFullAndNeverTakesAnExpiredVerdict() throws Exception {
        try (JwtTokenValidator jwt = JwtTokenValidator.withSecret(SECRET).issuer("https://idp.example").audience("app")
                .clock(clock).build()) {
            Validations v = validations(jwt);
            String expired = hs256(clock.instant().getEpochSecond() - 3600);
            String[] spoiled = {expired + "=", expired + "\u0000", expired + "\u00e9", expired + "\u0141", expired + " ",
                expired.replace('.', '\u2024'), expired + "\ud800", expired.substring(0, 10) + "+" + expired.substring(11)};
            String log = LogCapture.during(() -> {
                for (String t : spoiled) {
                    assertMalformed(v.validate(t, SessionClues.NONE, true).result(), t);
                }
                assertEquals(0, v.expiredVerdicts(), "no spoiled token became a verdict");
                assertEquals(ValidationResult.Kind.EXPIRED, v.validate(expired).result().kind());
                assertEquals(1, v.expiredVerdicts());
                for (String t : spoiled) {
                    Validations.Checked c = v.validate(t, SessionClues.NONE, true);
                    assertNotEquals(Validations.Source.SHARED, c.source(), "the genuine token's verdict served another spelling");
                    assertMalformed(c.result(), t);
                }
                assertEquals(Validations.Source.SHARED, v.validate(expired).source());
            });
            String payload = expired.split("\\.")[1];
            assertTrue(!log.contains(payload), () -> "a token's payload in the log:\n" + log);
        }
    }

    private static void assertMalformed(ValidationResult r, String token) {
        assertTrue(r instanceof ValidationResult.Invalid i && i.reason() == ValidationResult.Reason.MALFORMED,
                () -> r + " for a token of " + token.length() + " characters");
    }
}

package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.Session;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * The in-process validation cache keyed by the token itself ({@link TokenTable}): hits, the TTL
 * and the session's expiry, eviction on logout, revocation before a hit, and the entry bound.
 */
class TokenTableTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

    /** Tokens starting "access-" are valid until NOW + 60 s; counts its calls. */
    private static final class Counting extends TokenValidator {
        final AtomicInteger calls = new AtomicInteger();

        @Override
        protected ValidationResult doValidate(String token) {
            calls.incrementAndGet();
            return token.startsWith("access-")
                    ? ValidationResult.valid(Session.builder("alice", token).expiresAt(NOW.plusSeconds(60)).build())
                    : ValidationResult.invalid(ValidationResult.Reason.MALFORMED);
        }
    }

    private final MutableClock clock = new MutableClock(NOW);
    private final Counting validator = new Counting();

    private Validations validations(ValidationCache cache, Revocations revocations) {
        return new Validations(validator, cache, new Bulkhead(8), Duration.ofSeconds(5), revocations);
    }

    private Validations validations(int max, Duration ttl) {
        return validations(new ValidationCache(max, ttl, clock), Revocations.none());
    }

    @Test
    void aSecondRequestIsAHitAndALogoutEvictsIt() {
        Validations v = validations(100, Duration.ofSeconds(2));
        assertEquals(Validations.Source.CALLED, v.validate("access-1").source());
        Validations.Checked hit = v.validate(new String("access-1".toCharArray())); // another String, same token
        assertEquals(Validations.Source.CACHE, hit.source());
        assertEquals(1, validator.calls.get());

        v.evict("access-1"); // what a logout, a refusal or a marker does
        assertEquals(Validations.Source.CALLED, v.validate("access-1").source(), "evicted: validated again");
        assertEquals(2, validator.calls.get());
    }

    @Test
    void aHitLastsTheTtlAndNeverOutlivesTheSessionsExpiry() {
        Validations v = validations(100, Duration.ofSeconds(2));
        v.validate("access-1");
        clock.advance(Duration.ofMillis(1_999));
        assertEquals(Validations.Source.CACHE, v.validate("access-1").source());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Validations.Source.CALLED, v.validate("access-1").source(), "past cache-ttl");

        Validations longTtl = validations(100, Duration.ofMinutes(10));
        longTtl.validate("access-2");
        clock.set(NOW.plusSeconds(59));
        assertEquals(Validations.Source.CACHE, longTtl.validate("access-2").source());
        int before = validator.calls.get();
        clock.set(NOW.plusSeconds(60));
        assertNotEquals(Validations.Source.CACHE, longTtl.validate("access-2").source(), "past the session's exp");
        assertEquals(before + 1, validator.calls.get());
    }

    @Test
    void aRevokedTokenIsRefusedEvenWhenCached() {
        Revocations revocations = new Revocations(new InMemoryExpiringStore<>(100, clock), Duration.ZERO, clock);
        Validations v = validations(new ValidationCache(100, Duration.ofSeconds(2), clock), revocations);
        v.validate("access-1");
        assertEquals(Validations.Source.CACHE, v.validate("access-1").source());
        assertTrue(revocations.revoke("access-1", NOW.plusSeconds(60)));
        assertEquals(Validations.Source.REVOKED, v.validate("access-1").source());
    }

    @Test
    void theTableHoldsAtMostMaxEntries() {
        ValidationCache cache = new ValidationCache(16, Duration.ofSeconds(2), clock);
        Validations v = validations(cache, Revocations.none());
        for (int i = 0; i < 500; i++) {
            v.validate("access-" + i);
            assertTrue(cache.heldInProcess() <= 16, "held " + cache.heldInProcess() + " after " + (i + 1));
        }
        assertEquals(Validations.Source.CACHE, v.validate("access-499").source(), "the newest entry is kept");
        assertTrue(cache.heldInProcess() >= 14, "an eighth is evicted at a time, not all");
    }

    @Test
    void tokensAlikeInEverySampledCharacterAreToldApart() {
        char[] a = ("access-" + "x".repeat(300) + "y".repeat(64)).toCharArray();
        char[] b = a.clone();
        b[10] = 'z'; // not a sampled character: before the tail, not a multiple of 8
        String first = new String(a);
        String second = new String(b);
        assertEquals(TokenTable.hash(first), TokenTable.hash(second), "the test needs a collision");

        ValidationCache cache = new ValidationCache(100, Duration.ofSeconds(2), clock);
        Session s = Session.builder("alice", first).build();
        cache.put(first, s);
        assertSame(s, cache.hit(first).session());
        assertNull(cache.hit(second), "equality is the whole token");
        cache.put(second, Session.builder("bob", second).build());
        assertEquals("alice", cache.hit(first).session().subject());
        assertEquals("bob", cache.hit(second).session().subject());
    }

    @Test
    void aSessionForAnotherTokenIsNotCachedUnderThisOne() {
        ValidationCache cache = new ValidationCache(100, Duration.ofSeconds(2), clock);
        cache.put("access-1", Session.builder("alice", "access-2").build());
        assertNull(cache.hit("access-1"));
        assertNull(cache.hit("access-2"));
    }
}

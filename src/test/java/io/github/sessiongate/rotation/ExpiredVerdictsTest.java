package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.Session;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * An expired verdict is shared with later requests presenting the same token for a short while
 * (one verification per refresh storm), and never anything else: not an invalid verdict, not
 * past the cache TTL, not past the clock skew of a lapsed session, not after a logout or eviction.
 */
class ExpiredVerdictsTest {
    private static final Duration TTL = Duration.ofSeconds(2);
    private static final Duration SKEW = Duration.ofSeconds(30);

    private final MutableClock clock = new MutableClock();

    /**
     * Tokens "expired-N" expired long ago; "lapsed-N" expired at {@link MutableClock#START} and name
     * their session within {@link #SKEW} of it; "junk-N" are invalid; counts its calls per token.
     */
    private final class Validator extends TokenValidator {
        final Map<String, AtomicInteger> calls = new ConcurrentHashMap<>();

        @Override
        protected ValidationResult doValidate(String token) {
            calls.computeIfAbsent(token, t -> new AtomicInteger()).incrementAndGet();
            if (token.startsWith("expired-")) {
                return ValidationResult.expired();
            }
            if (token.startsWith("lapsed-")) {
                Instant exp = MutableClock.START;
                return clock.instant().isBefore(exp.plus(SKEW))
                        ? ValidationResult.expired(Session.builder("alice", token).expiresAt(exp).build())
                        : ValidationResult.expired();
            }
            return ValidationResult.invalid(ValidationResult.Reason.BAD_SIGNATURE);
        }

        @Override
        public boolean callsBackendToValidate() {
            return false;
        }

        @Override
        public Duration clockSkew() {
            return SKEW;
        }

        int calls(String token) {
            AtomicInteger n = calls.get(token);
            return n == null ? 0 : n.get();
        }
    }

    private final Validator validator = new Validator();
    private final Revocations revocations = new Revocations(new InMemoryExpiringStore<>(100, clock), SKEW, clock);

    private Validations validations(Duration ttl) {
        return new Validations(validator, new ValidationCache(new InMemoryExpiringStore<>(100, clock), ttl, clock),
                new Bulkhead(4), Duration.ofSeconds(5), revocations);
    }

    @Test
    void anExpiredTokenIsVerifiedOnceAndItsVerdictShared() {
        Validations v = validations(TTL);
        Validations.Checked first = v.validate("expired-1");
        Validations.Checked second = v.validate("expired-1");
        assertEquals(ValidationResult.Kind.EXPIRED, first.result().kind());
        assertEquals(Validations.Source.CALLED, first.source());
        assertEquals(ValidationResult.Kind.EXPIRED, second.result().kind());
        assertEquals(Validations.Source.SHARED, second.source());
        assertEquals(1, validator.calls("expired-1"));
        v.validate("expired-2");
        assertEquals(1, validator.calls("expired-2"), "each token has its own verdict");
    }

    @Test
    void anInvalidVerdictIsNeverShared() {
        Validations v = validations(TTL);
        for (int i = 0; i < 3; i++) {
            assertEquals(ValidationResult.Kind.INVALID, v.validate("junk-1").result().kind());
        }
        assertEquals(3, validator.calls("junk-1"));
        assertEquals(0, v.expiredVerdicts());
    }

    @Test
    void theVerdictIsSharedNoLongerThanTheCacheTtl() {
        Validations v = validations(TTL);
        v.validate("expired-1");
        clock.advance(TTL.minusMillis(1));
        v.validate("expired-1");
        assertEquals(1, validator.calls("expired-1"));
        clock.advance(Duration.ofMillis(1));
        v.validate("expired-1");
        assertEquals(2, validator.calls("expired-1"), "past the TTL the token is verified again");
    }

    @Test
    void withTheCacheOffNothingIsShared() {
        Validations v = validations(Duration.ZERO);
        v.validate("expired-1");
        v.validate("expired-1");
        assertEquals(2, validator.calls("expired-1"));
        assertEquals(0, v.expiredVerdicts());
    }

    @Test
    void aLapsedSessionIsNeverServedFromTheMemoPastTheSkew() {
        clock.set(MutableClock.START.plus(SKEW).minusSeconds(1)); // one second of skew left, less than the TTL
        Validations v = validations(TTL);
        ValidationResult first = v.validate("lapsed-1").result();
        assertTrue(((ValidationResult.Expired) first).lapsedWithinSkew().isPresent());
        clock.advance(Duration.ofMillis(999));
        assertTrue(((ValidationResult.Expired) v.validate("lapsed-1").result()).lapsedWithinSkew().isPresent());
        assertEquals(1, validator.calls("lapsed-1"));
        clock.advance(Duration.ofMillis(1)); // exp + skew: the validator no longer names the session
        ValidationResult past = v.validate("lapsed-1").result();
        assertEquals(2, validator.calls("lapsed-1"));
        assertTrue(((ValidationResult.Expired) past).lapsedWithinSkew().isEmpty(), "no lapsed session past the skew");
    }

    @Test
    void aRevokedTokenIsRefusedAlthoughItsExpiredVerdictIsShared() {
        Validations v = validations(TTL);
        v.validate("lapsed-1");
        assertTrue(revocations.revoke("lapsed-1", MutableClock.START));
        Validations.Checked after = v.validate("lapsed-1");
        assertEquals(Validations.Source.REVOKED, after.source());
        assertEquals(ValidationResult.Reason.REVOKED, ((ValidationResult.Invalid) after.result()).reason());
    }

    @Test
    void evictionForgetsTheVerdict() {
        Validations v = validations(TTL);
        v.validate("expired-1");
        assertEquals(1, v.expiredVerdicts());
        v.evict("expired-1");
        assertEquals(0, v.expiredVerdicts());
        assertSame(ValidationResult.Kind.EXPIRED, v.validate("expired-1").result().kind());
        assertEquals(2, validator.calls("expired-1"));
    }

    @Test
    void theMemoIsBounded() {
        Validations v = validations(TTL);
        for (int i = 0; i < ExpiredVerdicts.MAX_ENTRIES * 3; i++) {
            v.validate("expired-" + i);
            assertTrue(v.expiredVerdicts() <= ExpiredVerdicts.MAX_ENTRIES, "at most " + ExpiredVerdicts.MAX_ENTRIES);
        }
        assertTrue(v.expiredVerdicts() > 0);
    }
}

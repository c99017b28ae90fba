package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertAll;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Adversarial checks of the warm hit ({@link Validations#validate} answering from the entry before
 * any lookup when nothing is revoked or marked on this node): a token alike in every sampled
 * character, or a cached token with characters added or removed, never hits; a revocation or
 * marker written after a warm hit refuses the very next request; the TTL and the token's expiry
 * end a hit on the injected clock to the millisecond.
 */
class WarmHitAttackTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

    /** Valid only for the exact tokens it issued (as a signature check is); counts its calls. */
    private static final class Exact extends TokenValidator {
        final Set<String> genuine = ConcurrentHashMap.newKeySet();
        final AtomicInteger calls = new AtomicInteger();
        Instant expiry = NOW.plusSeconds(600);

        @Override
        protected ValidationResult doValidate(String token) {
            calls.incrementAndGet();
            return genuine.contains(token)
                    ? ValidationResult.valid(Session.builder("alice", token).expiresAt(expiry)
                            .claims(Map.of("sub", "alice", "sid", "sid-1")).build())
                    : ValidationResult.invalid(ValidationResult.Reason.BAD_SIGNATURE);
        }
    }

    private final MutableClock clock = new MutableClock(NOW);
    private final Exact validator = new Exact();
    private final InMemoryExpiringStore<Boolean> revoked = new InMemoryExpiringStore<>(100, clock);
    private final Revocations revocations = new Revocations(revoked, Duration.ZERO, clock);
    private final SessionMarkers markers = new SessionMarkers(new InMemoryExpiringStore<>(100, clock),
            new InMemoryExpiringStore<>(100, clock), null, null, null, null, Duration.ofMinutes(10), clock);
    private final ValidationCache cache = new ValidationCache(1_000, Duration.ofSeconds(2), clock);
    private final Validations validations = new Validations(validator, cache, new Bulkhead(8), Duration.ofSeconds(5),
            revocations, markers);

    private static String token(long seed, int length) {
        Random r = new Random(seed);
        StringBuilder sb = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            sb.append(i == 36 || i == 400 ? '.' : ALPHABET.charAt(r.nextInt(ALPHABET.length())));
        }
        return sb.toString();
    }

    private String warm(String token) {
        validator.genuine.add(token);
        assertEquals(Validations.Source.CALLED, validations.validate(token).source());
        assertEquals(Validations.Source.CACHE, validations.validate(new String(token.toCharArray())).source(), "warm");
        return token;
    }

    private void assertRefusedByTheValidator(String lookalike, String what) {
        // Called, not the cache (TokenValidator itself refuses some shapes, blanks, before doValidate).
        Validations.Checked c = validations.validate(lookalike);
        assertAll(what,
                () -> assertEquals(ValidationResult.Kind.INVALID, c.result().kind(), what),
                () -> assertEquals(Validations.Source.CALLED, c.source(), what));
    }

    @Test
    void aTokenAlikeInEverySampledCharacterNeverHits() {
        String genuine = warm(token(1, 750));
        int tail = genuine.length() - 64;
        int tried = 0;
        for (int i = 0; i < tail; i++) {
            if (i % 8 == 0) {
                continue; // sampled
            }
            char[] c = genuine.toCharArray();
            c[i] = c[i] == 'A' ? 'B' : 'A';
            String lookalike = new String(c);
            assertEquals(TokenTable.hash(genuine), TokenTable.hash(lookalike), "the sampled hash cannot tell them apart");
            assertRefusedByTheValidator(lookalike, "changed at " + i);
            tried++;
        }
        assertEquals(600, tried); // 686 characters before the tail, every eighth sampled
        assertEquals(Validations.Source.CACHE, validations.validate(genuine).source(), "the genuine one still hits");
    }

    @Test
    void aCachedTokenWithCharactersAddedOrRemovedNeverHits() {
        String genuine = warm(token(2, 750));
        List<String> variants = new ArrayList<>(List.of(genuine + "A", genuine + ".", "A" + genuine, genuine.substring(1),
                genuine.substring(0, genuine.length() - 1), genuine + genuine, genuine.substring(0, 300),
                genuine.substring(0, 100) + "A" + genuine.substring(100), genuine.substring(0, 100) + genuine.substring(101),
                " " + genuine, genuine + " ", genuine + "\u0000", genuine.toUpperCase(), ""));
        for (String v : variants) {
            assertRefusedByTheValidator(v, "variant of length " + v.length());
        }
        assertEquals(Validations.Source.CACHE, validations.validate(genuine).source());
    }

    @Test
    void shortTokensAlikeInTheirHashAreToldApartToo() {
        // Under 64 characters everything is hashed; two strings of equal hash must still be two keys.
        String a = "Aa".repeat(10);
        String b = "BB".repeat(10);
        validator.genuine.add(a);
        validations.validate(a);
        assertEquals(Validations.Source.CACHE, validations.validate(a).source());
        assertRefusedByTheValidator(b, "other short token");
    }

    @Test
    void aLogoutOnThisNodeRefusesTheCachedTokenAtOnceAndForAsLongAsItIsRevoked() {
        String genuine = warm(token(3, 750));
        assertTrue(revocations.revoke(genuine, NOW.plusSeconds(600))); // what a logout records; no evict here
        for (int i = 0; i < 3; i++) {
            Validations.Checked c = validations.validate(genuine);
            assertEquals(Validations.Source.REVOKED, c.source(), "request " + i);
            assertEquals(ValidationResult.Kind.INVALID, c.result().kind());
        }
        clock.advance(Duration.ofSeconds(1));
        assertEquals(Validations.Source.REVOKED, validations.validate(genuine).source());
    }

    @Test
    void aRevocationOfAnotherTokenLeavesThisOneServedButLooksItUp() {
        String mine = warm(token(4, 750));
        String other = warm(token(5, 750));
        assertTrue(revocations.revoke(other, NOW.plusSeconds(600)));
        Validations.Checked c = validations.validate(mine);
        assertEquals(Validations.Source.CACHE, c.source());
        assertEquals(ValidationResult.Kind.VALID, c.result().kind());
        assertEquals(Validations.Source.REVOKED, validations.validate(other).source());
    }

    @Test
    void aSidMarkerWrittenAfterAWarmHitRefusesTheNextRequest() {
        String genuine = warm(token(6, 750));
        assertTrue(markers.revokeSid("sid-1"));
        Validations.Checked c = validations.validate(genuine);
        assertSame(Validations.SESSION_REVOKED, c.result());
        assertEquals(Validations.Source.MARKED, c.source());
    }

    @Test
    void aSubjectMarkerWrittenAfterAWarmHitRefusesTheNextRequest() {
        String genuine = warm(token(7, 750));
        assertTrue(markers.revokeSubject("alice", NOW.plusSeconds(1)));
        assertSame(Validations.SESSION_REVOKED, validations.validate(genuine).result());
    }

    @Test
    void theTtlEndsAWarmHitToTheMillisecond() {
        String genuine = warm(token(8, 750));
        clock.advance(Duration.ofMillis(1_999));
        assertEquals(Validations.Source.CACHE, validations.validate(genuine).source());
        clock.advance(Duration.ofMillis(1));
        assertEquals(Validations.Source.CALLED, validations.validate(genuine).source(), "TTL over: validated again");
    }

    @Test
    void theTokensExpiryEndsAWarmHitBeforeTheTtl() {
        validator.expiry = NOW.plusMillis(500);
        String genuine = warm(token(9, 750));
        clock.advance(Duration.ofMillis(499));
        assertEquals(Validations.Source.CACHE, validations.validate(genuine).source());
        clock.advance(Duration.ofMillis(1));
        validator.genuine.remove(genuine); // what the validator says of an expired token: not valid
        assertEquals(Validations.Source.CALLED, validations.validate(genuine).source(), "expired: never from the cache");
    }

    @Test
    void aRefusedTokenNeverEntersTheTable() {
        for (int i = 0; i < 50; i++) {
            validations.validate(token(100 + i, 750));
        }
        assertEquals(0, cache.heldInProcess());
    }
}

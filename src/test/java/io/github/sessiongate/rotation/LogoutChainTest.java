package io.github.sessiongate.rotation;

import static io.github.sessiongate.testing.EcdsaMalleability.withNegatedS;
import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.jose4j.jwk.EcJwkGenerator;
import org.jose4j.jwk.EllipticCurveJsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.keys.EllipticCurves;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A logout ends the whole chain of the session it can read (issue 7, sections 1 and 5): back to
 * the login, then forward; through the access token's link when the refresh cookie is unreadable;
 * each duplicate refresh cookie; and a refresh token in any spelling (by identity), while the grace
 * pair is never handed out by identity alone.
 */
class LogoutChainTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);

    /** "access-N" valid for 5 minutes; any refresh token rotates to a fresh access-K / refresh-K. */
    static final class Backend extends NumberedTokenBackend {
        final AtomicInteger minted = new AtomicInteger(100);
        final java.util.Set<String> refuse = java.util.concurrent.ConcurrentHashMap.newKeySet();

        Backend() {
            super(NOW.plusSeconds(300));
        }

        @Override
        RefreshResult rotate(String refreshToken) {
            return refuse.contains(refreshToken) ? RefreshResult.refused() : refreshed(minted.incrementAndGet());
        }
    }

    private final MutableClock clock = new MutableClock(NOW);
    private final Backend backend = new Backend();
    private final List<String> revokedAtBackend = new CopyOnWriteArrayList<>();
    private Validations validations;
    private GraceMemo memo;
    private Refresher refresher;

    @BeforeEach
    void build() {
        Bulkhead bulkhead = new Bulkhead(64);
        validations = new Validations(backend, new ValidationCache(1_000, Duration.ofSeconds(2), clock), bulkhead, Duration.ofSeconds(5),
                new Revocations(new InMemoryExpiringStore<>(1_000, clock), SKEW, clock));
        memo = new GraceMemo(new InMemoryExpiringStore<>(1_000, clock), new InMemoryExpiringStore<>(1_000, clock),
                new InMemoryExpiringStore<>(1_000, clock), InMemoryExpiringStore.evicting(1_000, clock),
                new InMemoryExpiringStore<>(1_000, clock), new InMemoryExpiringStore<>(1_000, clock),
                Duration.ofSeconds(30), SKEW, clock);
        refresher = new Refresher(backend, validations, memo, bulkhead, Duration.ofSeconds(5), revokedAtBackend::add, () -> { });
    }

    private boolean refused(String accessToken) {
        return validations.validate(accessToken).result() instanceof ValidationResult.Invalid i
                && i.reason() == ValidationResult.Reason.REVOKED;
    }

    /** Logs in A0/R0 and rotates once: returns the rotated pair A1/R1. */
    private TokenPair loginThenRotate() {
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", "refresh-0", NOW.plusSeconds(300))));
        RefreshOutcome rotated = refresher.refresh("refresh-0");
        assertEquals(RefreshOutcome.Kind.ROTATED, rotated.kind());
        return rotated.tokens();
    }

    @Test
    void aLogoutWithTheRotatedPairRevokesTheLoginsAccessTokenToo() {
        TokenPair a1 = loginThenRotate();
        clock.advance(Duration.ofMinutes(2)); // past the grace window: only the links remain

        assertTrue(refresher.end(a1.refreshToken(), a1.accessToken(), null, true));

        assertAll(
                () -> assertTrue(refused("access-0"), "A0, minted at the login, walked back to"),
                () -> assertTrue(refused(a1.accessToken()), "A1, presented"),
                () -> assertTrue(memo.isForgotten("refresh-0"), "the login's refresh token is tombstoned"),
                () -> assertTrue(memo.isForgotten(a1.refreshToken())),
                () -> assertEquals(List.of(a1.refreshToken()), revokedAtBackend,
                        "the ancestor was rotated already: only the session's own token goes to the backend"));
    }

    @Test
    void aLogoutWithAStaleLoginPairEndsTheRotatedDescendantsAndTheirAccessTokens() {
        TokenPair a1 = loginThenRotate();
        clock.advance(Duration.ofMinutes(2));

        assertTrue(refresher.end("refresh-0", "access-0", null, true));

        assertAll(
                () -> assertTrue(refused(a1.accessToken())),
                () -> assertTrue(memo.isForgotten(a1.refreshToken())),
                () -> assertEquals(List.of("refresh-0", a1.refreshToken()), revokedAtBackend));
    }

    @Test
    void aLogoutThatReadsOnlyTheAccessTokenEndsTheRefreshTokenItWasIssuedWith() {
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", "refresh-0", NOW.plusSeconds(300))));

        assertTrue(refresher.end(List.of(), "access-0", null, true));

        assertAll(
                () -> assertTrue(memo.isForgotten("refresh-0"), "tombstoned"),
                () -> assertEquals(List.of("refresh-0"), revokedAtBackend, "and revoked at the backend"),
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, refresher.refresh("refresh-0").kind()),
                () -> assertEquals(0, backend.refreshes.get(), "refused without a backend call"));
    }

    @Test
    void aLogoutThatReadsOnlyARotatedAccessTokenEndsTheWholeChain() {
        TokenPair a1 = loginThenRotate();
        clock.advance(Duration.ofMinutes(2));

        assertTrue(refresher.end(List.of(), a1.accessToken(), null, true));

        assertAll(
                () -> assertTrue(memo.isForgotten(a1.refreshToken()), "the refresh token A1 was issued with"),
                () -> assertTrue(memo.isForgotten("refresh-0"), "and its ancestor"),
                () -> assertTrue(refused("access-0")),
                () -> assertEquals(List.of(a1.refreshToken()), revokedAtBackend));
    }

    @Test
    void anUnverifiedAccessTokenFollowsNoLink() {
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", "refresh-0", NOW.plusSeconds(300))));

        assertTrue(refresher.end(List.of(), null, null, true)); // the caller could not verify access-0

        assertAll(
                () -> assertFalse(memo.isForgotten("refresh-0")),
                () -> assertEquals(List.of(), revokedAtBackend));
    }

    @Test
    void everyDuplicatedRefreshValueIsTombstonedAndRevoked() {
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", "refresh-0", NOW.plusSeconds(300))));

        assertTrue(refresher.end(List.of("refresh-0", "refresh-planted"), "access-0", null, true));

        assertAll(
                () -> assertTrue(memo.isForgotten("refresh-0")),
                () -> assertTrue(memo.isForgotten("refresh-planted")),
                () -> assertEquals(List.of("refresh-0", "refresh-planted"), revokedAtBackend));
    }

    // ---------------------------------------------------------------- one token, one identity

    @Test
    void anEs256RefreshTokenReSpeltAsRAndNMinusSIsRefusedAfterLogoutWithoutABackendCall() throws Exception {
        String token = es256Refresh();
        String twin = withNegatedS(token);
        assertFalse(token.equals(twin));
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", token, NOW.plusSeconds(300))));

        assertTrue(refresher.end(token, "access-0", null, true));

        RefreshOutcome outcome = refresher.refresh(twin);
        assertAll(
                () -> assertTrue(memo.isForgotten(twin), "the tombstone keys on the identity"),
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, outcome.kind()),
                () -> assertEquals(RefreshOutcome.Via.TOMBSTONE, outcome.via()),
                () -> assertEquals(0, backend.refreshes.get(), "no backend call"));
    }

    @Test
    void theGracePairIsNeverHandedToAnotherSpellingOfTheToken() throws Exception {
        String token = es256Refresh();
        String forged = withNegatedS(token); // same identity; as good as a forged signature for the pair
        RefreshOutcome first = refresher.refresh(token);
        assertEquals(RefreshOutcome.Kind.ROTATED, first.kind());

        RefreshOutcome again = refresher.refresh(token);
        RefreshOutcome other = refresher.refresh(forged);

        assertAll(
                () -> assertEquals(RefreshOutcome.Via.GRACE, again.via(), "the same token: the same pair from the memo"),
                () -> assertEquals(first.tokens().accessToken(), again.tokens().accessToken()),
                () -> assertEquals(RefreshOutcome.Via.CALLED, other.via(), "another spelling: no cached pair"),
                () -> assertFalse(first.tokens().accessToken().equals(other.tokens().accessToken()),
                        "never the pair the genuine token was given"),
                () -> assertEquals(2, backend.refreshes.get()));
    }

    @Test
    void aForgedTwinOfAKnownRefreshTokenEndsNothingOfTheRealChain() throws Exception {
        String token = es256Refresh();
        String twin = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA"; // same (iss, jti), no valid signature
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", token, NOW.plusSeconds(300))));
        backend.refuse.add(twin);

        RefreshOutcome refusedTwin = refresher.refresh(twin);
        boolean ended = refresher.end(twin, null, null, true); // a logout presenting only the twin
        boolean endedWithOwnSession = refresher.end(twin, "access-attacker", null, true); // with the attacker's own session

        assertAll(
                () -> assertFalse(memo.knows(twin), "known means exactly as issued"),
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, refusedTwin.kind()),
                () -> assertTrue(ended && endedWithOwnSession),
                () -> assertTrue(memo.isForgotten(twin), "the twin itself stays refused"),
                () -> assertFalse(memo.isForgotten(token), "the real token is not tombstoned"),
                () -> assertFalse(refused("access-0"), "its access token still serves"),
                () -> assertEquals(RefreshOutcome.Kind.ROTATED, refresher.refresh(token).kind(), "and it still refreshes"));
    }

    @Test
    void aPlantedTwinAheadOfTheRealRefreshCookieHidesNothingFromTheLogout() throws Exception {
        String token = es256Refresh();
        String twin = token.substring(0, token.lastIndexOf('.') + 1) + "AAAA";
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", token, NOW.plusSeconds(300))));

        assertTrue(refresher.end(List.of(twin, token), "access-0", null, true));

        assertAll(
                () -> assertTrue(memo.isForgotten(token), "the real token is tombstoned"),
                () -> assertTrue(revokedAtBackend.contains(token), "and revoked at the backend"),
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, refresher.refresh(token).kind()));
    }

    @Test
    void aCookieHeaderOfJunkDuplicatesCostsAtMostAFewBackendCallsAndNoSecurityState() {
        assertTrue(refresher.rememberLogin(new TokenPair("access-0", "refresh-0", NOW.plusSeconds(300))));
        List<String> junk = new java.util.ArrayList<>();
        for (int i = 0; i < 400; i++) {
            junk.add("junk-" + i);
        }

        assertTrue(refresher.end(junk, null, null, true)); // nothing verified: no backend call at all
        int unverified = revokedAtBackend.size();
        junk.add("refresh-0");
        assertTrue(refresher.end(junk, "access-unlinked", null, true)); // verified, but linked to nothing

        assertAll(
                () -> assertEquals(0, unverified, "junk alone reaches no backend"),
                () -> assertTrue(revokedAtBackend.contains("refresh-0"), "the session's own token, though listed last"),
                () -> assertTrue(revokedAtBackend.size() <= 1 + Refresher.MAX_STRANGERS, revokedAtBackend.size() + " revokes"),
                () -> assertTrue(memo.isForgotten("refresh-0")),
                () -> assertFalse(memo.isForgotten("junk-399"), "past the cap: ignored"));
    }

    @Test
    void aLoneRefreshCookieThisNodeHasNoRecordOfIsStillRevokedAtLogout() {
        // Issued before a restart, on another node, or its links lapsed while the user was idle.
        assertTrue(refresher.end(List.of("refresh-elsewhere"), null, null, true));
        int lone = revokedAtBackend.size();
        assertTrue(refresher.end(List.of("dup-1", "dup-2"), null, null, true));

        assertAll(
                () -> assertEquals(1, lone, "the request's only refresh value goes to the backend"),
                () -> assertEquals(List.of("refresh-elsewhere"), revokedAtBackend, "duplicates without a session: none"),
                () -> assertTrue(memo.isForgotten("refresh-elsewhere"), "and is refused here (negative cache)"));
    }

    private static String es256Refresh() throws Exception {
        EllipticCurveJsonWebKey key = EcJwkGenerator.generateJwk(EllipticCurves.P256);
        JwtClaims claims = new JwtClaims();
        claims.setIssuer("https://es.example.com");
        claims.setSubject("alice");
        claims.setGeneratedJwtId();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setPayload(claims.toJson());
        jws.setAlgorithmHeaderValue(AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256);
        jws.setKey(key.getPrivateKey());
        return jws.getCompactSerialization();
    }
}

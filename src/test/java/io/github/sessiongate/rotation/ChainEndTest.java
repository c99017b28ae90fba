package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Logout and refusal end everything a session's chain produced (issue 7, sections 1 and 6), at the
 * Refresher/Validations seam with real in-memory stores: tombstones before the backend revoke,
 * every descendant revoked, a late refresh revoking what it brought, and security stores that
 * neither junk can fill nor a full store can silently drop.
 */
class ChainEndTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final Duration SKEW = Duration.ofSeconds(30);

    /** "access-N" valid for 5 minutes; "refresh-N" rotates to access-(N+1)/refresh-(N+1); anything else is refused. */
    static final class Backend extends NumberedTokenBackend {
        volatile CountDownLatch entered = new CountDownLatch(0);
        volatile CountDownLatch release = new CountDownLatch(0);

        Backend() {
            super(NOW.plusSeconds(300));
        }

        @Override
        RefreshResult rotate(String refreshToken) throws Exception {
            entered.countDown();
            release.await(5, TimeUnit.SECONDS);
            if (!refreshToken.matches("refresh-\\d+")) {
                return RefreshResult.refused();
            }
            return refreshed(Integer.parseInt(refreshToken.substring("refresh-".length())) + 1);
        }
    }

    private final MutableClock clock = new MutableClock(NOW);
    private final Backend backend = new Backend();
    /** What reached the backend's revocation endpoint, in order, with the tombstone state at that moment. */
    private final List<String> revokedAtBackend = new CopyOnWriteArrayList<>();
    private final AtomicInteger fullEvents = new AtomicInteger();
    private InMemoryExpiringStore<Boolean> tombstones;
    private InMemoryExpiringStore<Boolean> revocationStore;
    private InMemoryExpiringStore<GraceMemo.Link> links;
    private Validations validations;
    private GraceMemo memo;
    private Refresher refresher;

    private void build(int securityMax, int negativeMax) {
        tombstones = new InMemoryExpiringStore<>(securityMax, clock);
        revocationStore = new InMemoryExpiringStore<>(securityMax, clock);
        links = new InMemoryExpiringStore<>(securityMax, clock);
        Bulkhead bulkhead = new Bulkhead(64);
        validations = new Validations(backend, new ValidationCache(new InMemoryExpiringStore<>(1_000, clock),
                Duration.ofSeconds(2), clock), bulkhead, Duration.ofSeconds(5), new Revocations(revocationStore, SKEW, clock));
        memo = new GraceMemo(new InMemoryExpiringStore<>(securityMax, clock), new InMemoryExpiringStore<>(securityMax, clock),
                tombstones, InMemoryExpiringStore.evicting(negativeMax, clock), links,
                new InMemoryExpiringStore<>(securityMax, clock), Duration.ofSeconds(30), SKEW, clock);
        refresher = new Refresher(backend, validations, memo, bulkhead, Duration.ofSeconds(5),
                token -> revokedAtBackend.add(token + (memo.isForgotten(token) ? " (tombstoned first)" : " (NOT tombstoned)")),
                fullEvents::incrementAndGet);
    }

    /**
     * A logout as Logins makes it: the access token counts (and is revoked) only if its signature
     * verified, valid or expired; the Refresher derives from that and its memo whether the session
     * was seen valid here.
     */
    private boolean logout(String refreshToken, String accessToken) {
        ValidationResult check = validations.validate(accessToken).result();
        boolean verified = check instanceof ValidationResult.Valid || check instanceof ValidationResult.Expired;
        return refresher.end(refreshToken, verified ? accessToken : null, null, true);
    }

    private boolean refused(String accessToken) {
        return validations.validate(accessToken).result() instanceof ValidationResult.Invalid i
                && i.reason() == ValidationResult.Reason.REVOKED;
    }

    @Test
    void logoutWithAStaleRefreshTokenEndsEveryDescendantAndTombstonesBeforeTheBackendRevokes() {
        build(1_000, 1_000);
        assertEquals(RefreshOutcome.Kind.ROTATED, refresher.refresh("refresh-1").kind()); // -> access-2, refresh-2
        clock.advance(Duration.ofMinutes(2)); // past the grace window: only the chain links remain
        assertEquals(RefreshOutcome.Kind.ROTATED, refresher.refresh("refresh-2").kind()); // -> access-3, refresh-3
        assertTrue(validations.validate("access-3").result() instanceof ValidationResult.Valid);

        // The browser still sends refresh-1 and access-1 (a rotated response had not reached it).
        assertTrue(logout("refresh-1", "access-1"));

        assertAll(
                () -> assertEquals(List.of("refresh-1 (tombstoned first)", "refresh-2 (tombstoned first)",
                        "refresh-3 (tombstoned first)"), revokedAtBackend, "the presented token and every descendant"),
                () -> assertTrue(memo.isForgotten("refresh-2") && memo.isForgotten("refresh-3")),
                () -> assertTrue(refused("access-1"), "the presented access token"),
                () -> assertTrue(refused("access-2"), "an access token minted from the chain"),
                () -> assertTrue(refused("access-3"), "the newest, even though the cache held it valid"),
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, refresher.refresh("refresh-3").kind(),
                        "even a backend that would still rotate it cannot bring it back"));
    }

    @Test
    void aRevocationLastsUntilExpiryPlusTheClockSkewAndNoLonger() {
        build(1_000, 1_000);
        refresher.refresh("refresh-1"); // access-2 expires at NOW + 300 s
        assertTrue(refresher.end("refresh-1", null, null, false)); // seen valid: refresh-1 was rotated here
        clock.set(NOW.plusSeconds(300).plus(SKEW).minusSeconds(1));
        assertTrue(refused("access-2"), "still refused within the skew after exp");
        clock.set(NOW.plusSeconds(300).plus(SKEW));
        assertFalse(validations.revocations().isRevoked("access-2"), "not kept past exp + skew");
    }

    @Test
    void aRefreshThatCompletesAfterTheLogoutRevokesThePairItReceivedAndIsRefused() throws Exception {
        build(1_000, 1_000);
        backend.entered = new CountDownLatch(1);
        backend.release = new CountDownLatch(1);
        CompletableFuture<RefreshOutcome> inFlight = CompletableFuture.supplyAsync(() -> refresher.refresh("refresh-1"));
        assertTrue(backend.entered.await(5, TimeUnit.SECONDS));

        assertTrue(logout("refresh-1", "access-1")); // logout while the backend rotates
        backend.release.countDown();
        RefreshOutcome late = inFlight.get(5, TimeUnit.SECONDS);

        assertAll(
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, late.kind(), "nothing usable handed out"),
                () -> assertTrue(refused("access-2"), "the access token it received is revoked here"),
                () -> assertTrue(memo.isForgotten("refresh-2"), "the refresh token it received is tombstoned"),
                () -> assertTrue(revokedAtBackend.contains("refresh-2 (tombstoned first)"), "and revoked at the backend"),
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, refresher.refresh("refresh-2").kind()));
    }

    @Test
    void aPairIsCheckedAgainstTheTombstonesJustBeforeItIsHandedOutAlsoFromTheGraceMemo() {
        build(1_000, 1_000);
        RefreshOutcome first = refresher.refresh("refresh-1");
        assertEquals(RefreshOutcome.Kind.ROTATED, first.kind());
        assertTrue(refresher.stillLive("refresh-1", first.tokens()));

        memo.end("refresh-2", true, GraceMemo.Chain.EMPTY); // the new token ended elsewhere (its own logout)

        assertAll(
                () -> assertFalse(refresher.stillLive("refresh-1", first.tokens()), "the caller refuses and clears cookies"),
                () -> assertEquals(RefreshOutcome.Kind.REFUSED, refresher.refresh("refresh-1").kind(),
                        "the grace memo does not hand the ended pair out again"),
                () -> assertTrue(refused("access-2"), "the discarded pair's access token is revoked"));
    }

    @Test
    void aMillionJunkRefreshCookiesNeitherFillNorEvictTheSecurityStoresAndTheLogoutAfterThemIsRecorded() {
        build(100, 10_000);
        for (int i = 0; i < 1_000_000; i++) {
            RefreshOutcome outcome = refresher.refresh("junk-" + i);
            if (outcome.kind() != RefreshOutcome.Kind.REFUSED) {
                throw new AssertionError("junk " + i + ": " + outcome);
            }
        }
        assertEquals(0, tombstones.size(), "no junk refusal wrote security state");
        assertEquals(0, fullEvents.get());

        assertEquals(RefreshOutcome.Kind.ROTATED, refresher.refresh("refresh-1").kind());
        assertTrue(logout("refresh-2", "access-2"), "the logout is recorded, not refused");

        assertAll(
                () -> assertTrue(memo.isForgotten("refresh-2"), "the logout's tombstone is present"),
                () -> assertTrue(tombstones.get(TokenIdentity.of("refresh-2")).isPresent(), "in the security store"),
                () -> assertTrue(refused("access-2")),
                () -> assertEquals(0, fullEvents.get()));
    }

    @Test
    void aRefusalOfATokenThisNodeSawValidWritesSecurityStateAndJunkDoesNot() {
        build(1_000, 1_000);
        refresher.refresh("refresh-1"); // refresh-2 issued here: seen valid
        assertTrue(refresher.knows("refresh-2"));
        assertFalse(refresher.knows("junk"));
        refresher.refresh("junk");
        assertEquals(0, tombstones.size());
        assertTrue(refresher.end("refresh-2", null, null, false)); // a refusal: no access token verified
        assertEquals(2, tombstones.size(), "known here: its tombstone (and its ancestor refresh-1's) is security state");

        assertTrue(refresher.end("junk-2", null, null, false));
        assertAll(
                () -> assertEquals(2, tombstones.size(), "junk writes no security state"),
                () -> assertTrue(memo.isForgotten("junk-2"), "but is refused from the negative cache"));
    }

    @Test
    void aVerifiedAccessTokenIsRevokedWhileAnUnknownRefreshTokenGoesToTheNegativeCacheOnly() {
        build(1_000, 1_000);
        assertTrue(logout("junk-refresh", "access-9")); // access-9 verifies: a session valid here
        assertAll(
                () -> assertEquals(0, tombstones.size(), "a refresh value never issued here is no security state"),
                () -> assertTrue(memo.isForgotten("junk-refresh"), "but refused from the negative cache"),
                () -> assertTrue(refused("access-9")));

        assertTrue(logout("junk-other", "not-an-access-token")); // nothing verified: junk
        assertAll(
                () -> assertEquals(0, tombstones.size(), "no security state from junk"),
                () -> assertTrue(memo.isForgotten("junk-other")),
                () -> assertFalse(validations.revocations().isRevoked("not-an-access-token"), "junk never revoked"));
    }

    @Test
    void aFullSecurityStoreMakesTheRefreshUnavailableBeforeTheBackendRotatesNeverRefused() {
        build(2, 10);
        assertEquals(RefreshOutcome.Kind.ROTATED, refresher.refresh("refresh-1").kind());
        assertEquals(RefreshOutcome.Kind.ROTATED, refresher.refresh("refresh-10").kind());
        int calls = backend.refreshes.get();

        RefreshOutcome third = refresher.refresh("refresh-20");

        assertAll(
                () -> assertEquals(RefreshOutcome.Kind.UNAVAILABLE, third.kind(), "503, no cookie cleared"),
                () -> assertEquals(calls, backend.refreshes.get(), "the backend was not asked to rotate"),
                () -> assertEquals(1, fullEvents.get(), "counted"));
    }

    @Test
    void aLogoutThatCannotRecordItsTombstonesFailsClosedAndSendsNothingToTheBackend() {
        build(2, 10);
        refresher.refresh("refresh-1");
        tombstones.put("a", Boolean.TRUE, NOW.plusSeconds(600));
        tombstones.put("b", Boolean.TRUE, NOW.plusSeconds(600));

        assertFalse(logout("refresh-2", "access-2"));

        assertAll(
                () -> assertEquals(List.of(), revokedAtBackend, "no revoke before the tombstones"),
                () -> assertEquals(1, fullEvents.get()),
                () -> assertFalse(memo.isForgotten("refresh-2")));
    }
}

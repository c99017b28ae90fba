package io.github.sessiongate.rotation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.RefreshResult;
import io.github.sessiongate.Session;
import io.github.sessiongate.TokenPair;
import io.github.sessiongate.TokenValidator;
import io.github.sessiongate.ValidationResult;
import io.github.sessiongate.store.InMemoryExpiringStore;
import io.github.sessiongate.testing.Await;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The rotation pieces together, against a counting in-process validator (a unit seam). */
class RotationTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");

    /** Tokens "access-N" are valid; refresh "refresh-N" rotates to access-(N+1)/refresh-(N+1). */
    static final class CountingValidator extends TokenValidator {
        final AtomicInteger validations = new AtomicInteger();
        final AtomicInteger refreshes = new AtomicInteger();
        final Set<String> refused = ConcurrentHashMap.newKeySet();
        volatile CountDownLatch gate = new CountDownLatch(0);
        volatile boolean remote = true;
        volatile RefreshResult forced;

        @Override
        protected ValidationResult doValidate(String token) throws Exception {
            validations.incrementAndGet();
            gate.await(5, TimeUnit.SECONDS);
            if (!token.startsWith("access-")) {
                return ValidationResult.invalid(ValidationResult.Reason.MALFORMED);
            }
            return ValidationResult.valid(Session.builder("alice", token).expiresAt(NOW.plusSeconds(300)).build());
        }

        @Override
        protected RefreshResult doRefresh(String refreshToken) throws Exception {
            refreshes.incrementAndGet();
            gate.await(5, TimeUnit.SECONDS);
            if (forced != null) {
                return forced;
            }
            if (refused.contains(refreshToken)) {
                return RefreshResult.refused();
            }
            int n = Integer.parseInt(refreshToken.substring("refresh-".length())) + 1;
            return RefreshResult.refreshed(new TokenPair("access-" + n, "refresh-" + n, null));
        }

        @Override
        public boolean callsBackendToValidate() {
            return remote;
        }
    }

    private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
    private final CountingValidator validator = new CountingValidator();
    private final ExecutorService pool = Executors.newFixedThreadPool(50);

    private Validations validations(Duration ttl, Bulkhead bulkhead) {
        return new Validations(validator, new ValidationCache(100, ttl, clock),
                bulkhead, Duration.ofSeconds(5));
    }

    private Refresher refresher(Validations validations, Bulkhead bulkhead, Duration grace) {
        GraceMemo memo = new GraceMemo(new InMemoryExpiringStore<>(100, clock), new InMemoryExpiringStore<>(100, clock),
                new InMemoryExpiringStore<>(100, clock), InMemoryExpiringStore.evicting(100, clock),
                new InMemoryExpiringStore<>(100, clock), new InMemoryExpiringStore<>(100, clock), grace, Duration.ZERO, clock);
        return new Refresher(validator, validations, memo, bulkhead, Duration.ofSeconds(5));
    }

    @AfterEach
    void shutdown() {
        pool.shutdownNow();
    }

    private <T> List<T> concurrently(int n, java.util.concurrent.Callable<T> task) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<T>> futures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            futures.add(pool.submit(() -> {
                start.await();
                return task.call();
            }));
        }
        start.countDown();
        List<T> results = new ArrayList<>();
        for (Future<T> f : futures) {
            results.add(f.get(10, TimeUnit.SECONDS));
        }
        return results;
    }

    /**
     * Waits until all {@code n} callers have started their call and are parked: one in the
     * validator behind its closed gate, the others waiting for that call. Were the calls not
     * shared, each caller would park in the validator, and the count of calls would say so.
     */
    private static void awaitAllParked(Set<Thread> callers, int n) {
        Await.until(n + " callers parked", () -> callers.size() == n && callers.stream().allMatch(
                t -> t.getState() == Thread.State.WAITING || t.getState() == Thread.State.TIMED_WAITING),
                () -> callers.stream().map(t -> t.getName() + "=" + t.getState()).toList());
    }

    @Test
    void concurrentValidationsOfOneTokenMakeOneCall() throws Exception {
        Validations v = validations(Duration.ofSeconds(2), new Bulkhead(64));
        validator.gate = new CountDownLatch(1);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        Future<List<Validations.Checked>> all = pool.submit(() -> concurrently(40, () -> {
            callers.add(Thread.currentThread());
            return v.validate("access-1");
        }));
        awaitAllParked(callers, 40); // the 40 piled up behind the first call, before it completes
        validator.gate.countDown();
        List<Validations.Checked> results = all.get(10, TimeUnit.SECONDS);
        assertEquals(1, validator.validations.get());
        assertTrue(results.stream().allMatch(c -> c.result().kind() == ValidationResult.Kind.VALID));
        assertEquals(Validations.Source.CACHE, v.validate("access-1").source());
    }

    @Test
    void invalidResultsAreNeverCached() {
        Validations v = validations(Duration.ofSeconds(2), new Bulkhead(64));
        v.validate("junk-1");
        v.validate("junk-1");
        assertEquals(2, validator.validations.get());
    }

    @Test
    void cachedResultsNeverOutliveTheTokenOrTheTtl() {
        Validations v = validations(Duration.ZERO, new Bulkhead(64));
        v.validate("access-1");
        v.validate("access-1");
        assertEquals(2, validator.validations.get(), "ttl 0 disables the cache");
    }

    @Test
    void concurrentRefreshesWithOneTokenMakeOneBackendCallAndShareThePair() throws Exception {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ofSeconds(30));
        validator.gate = new CountDownLatch(1);
        Set<Thread> callers = ConcurrentHashMap.newKeySet();
        Future<List<RefreshOutcome>> all = pool.submit(() -> concurrently(40, () -> {
            callers.add(Thread.currentThread());
            return r.refresh("refresh-1");
        }));
        awaitAllParked(callers, 40);
        validator.gate.countDown();
        List<RefreshOutcome> outcomes = all.get(10, TimeUnit.SECONDS);
        assertEquals(1, validator.refreshes.get());
        assertTrue(outcomes.stream().allMatch(o -> o.kind() == RefreshOutcome.Kind.ROTATED
                && o.tokens().accessToken().equals("access-2") && o.tokens().refreshToken().equals("refresh-2")));
    }

    @Test
    void justRotatedTokenGetsTheSamePairFromTheGraceMemoWithoutABackendCall() {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ofSeconds(30));
        RefreshOutcome first = r.refresh("refresh-1");
        RefreshOutcome again = r.refresh("refresh-1");
        assertEquals(1, validator.refreshes.get());
        assertEquals(RefreshOutcome.Via.GRACE, again.via());
        assertEquals(first.tokens(), again.tokens());
    }

    @Test
    void withoutGraceAReusedTokenGoesToTheBackend() {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ZERO);
        r.refresh("refresh-1");
        validator.refused.add("refresh-1");
        assertEquals(RefreshOutcome.Kind.REFUSED, r.refresh("refresh-1").kind());
        assertEquals(2, validator.refreshes.get());
    }

    @Test
    void forgetRemovesTheWholeRotationChainFromTheGraceMemo() {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ofSeconds(30));
        r.refresh("refresh-1");
        r.refresh("refresh-2");
        r.forget("refresh-3"); // logout with the newest token
        validator.refused.add("refresh-1");
        validator.refused.add("refresh-2");
        assertEquals(RefreshOutcome.Kind.REFUSED, r.refresh("refresh-1").kind(), "no way back through an old token");
        assertEquals(RefreshOutcome.Kind.REFUSED, r.refresh("refresh-2").kind());
    }

    @Test
    void aRefreshInFlightDuringLogoutDoesNotBringTheSessionBack() throws Exception {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ofSeconds(30));
        validator.gate = new CountDownLatch(1);
        Future<RefreshOutcome> inFlight = pool.submit(() -> r.refresh("refresh-1"));
        while (validator.refreshes.get() == 0) {
            Thread.onSpinWait();
        }
        r.forget("refresh-1"); // logout while the backend is still answering
        validator.gate.countDown();
        assertEquals(RefreshOutcome.Kind.REFUSED, inFlight.get(5, TimeUnit.SECONDS).kind());
        validator.refused.add("refresh-1");
        assertEquals(RefreshOutcome.Kind.REFUSED, r.refresh("refresh-1").kind(), "nothing was remembered for the grace window");
    }

    @Test
    void refusalIsDefinitiveAndTransientFailureIsNot() {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ofSeconds(30));
        validator.forced = RefreshResult.unavailable("503 from backend");
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, r.refresh("refresh-1").kind());
        validator.forced = null;
        assertEquals(RefreshOutcome.Kind.ROTATED, r.refresh("refresh-1").kind(), "the same token works once the backend is back");
    }

    @Test
    void refreshedAccessTokenThatFailsValidationCountsAsUnavailable() {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ofSeconds(30));
        validator.forced = RefreshResult.refreshed(new TokenPair("not-an-access-token", "refresh-9", null));
        RefreshOutcome o = r.refresh("refresh-1");
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, o.kind());
        assertEquals(1, validator.refreshes.get(), "no loop of refreshes");
    }

    @Test
    void fullBulkheadFailsFastInsteadOfQueueing() {
        Bulkhead bulkhead = new Bulkhead(1);
        assertTrue(bulkhead.tryEnter());
        Validations v = validations(Duration.ofSeconds(2), bulkhead);
        ValidationResult result = v.validate("access-1").result();
        assertEquals(ValidationResult.Kind.UNAVAILABLE, result.kind());
        assertEquals(0, validator.validations.get());
        Refresher r = refresher(v, bulkhead, Duration.ofSeconds(30));
        assertEquals(RefreshOutcome.Kind.UNAVAILABLE, r.refresh("refresh-1").kind());
        assertEquals(0, validator.refreshes.get());
    }

    @Test
    void localValidatorsSkipTheBulkhead() {
        validator.remote = false;
        Bulkhead bulkhead = new Bulkhead(1);
        assertTrue(bulkhead.tryEnter());
        assertEquals(ValidationResult.Kind.VALID, validations(Duration.ofSeconds(2), bulkhead).validate("access-1").result().kind());
    }

    @Test
    void singleFlightWaiterGetsTheFallbackWhenTheLeaderIsTooSlow() throws Exception {
        SingleFlight<String> flight = new SingleFlight<>();
        CountDownLatch release = new CountDownLatch(1);
        Future<SingleFlight.Result<String>> leader = pool.submit(() -> flight.run("k", () -> {
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return "leader";
        }, Duration.ofSeconds(5), c -> "fallback"));
        while (flight.inFlight() == 0) {
            Thread.onSpinWait();
        }
        SingleFlight.Result<String> waiter = flight.run("k", () -> "second call", Duration.ofMillis(50), c -> "fallback");
        assertEquals("fallback", waiter.value());
        assertTrue(waiter.shared());
        release.countDown();
        assertEquals("leader", leader.get(5, TimeUnit.SECONDS).value());
        assertEquals(0, flight.inFlight());
    }

    @Test
    void differentTokensNeverShareAResult() throws Exception {
        Bulkhead bulkhead = new Bulkhead(64);
        Refresher r = refresher(validations(Duration.ofSeconds(2), bulkhead), bulkhead, Duration.ofSeconds(30));
        Map<String, RefreshOutcome> outcomes = new ConcurrentHashMap<>();
        concurrently(10, () -> {
            String token = "refresh-" + (10 * (1 + (int) (Thread.currentThread().getId() % 5)));
            RefreshOutcome o = r.refresh(token);
            RefreshOutcome previous = outcomes.putIfAbsent(token, o);
            if (previous != null) {
                assertEquals(previous.tokens(), o.tokens());
            }
            int n = Integer.parseInt(token.substring(8)) + 1;
            assertEquals("access-" + n, o.tokens().accessToken());
            return o;
        });
        assertEquals(outcomes.size(), validator.refreshes.get(), "one backend call per distinct token");
    }
}

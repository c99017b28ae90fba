package io.github.sessiongate.audit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GateMetricsTest {
    private static final List<String> NAMES = List.of("validations", "cacheHits", "refreshesOk", "refreshesRefused",
            "refreshesFailed", "dedupWaits", "graceHits", "guestMints", "denials", "unavailable", "badRequests",
            "csrfRejections", "securityStoreFull", "stateStoreUnavailable", "revoked");

    /** Bumps every counter {@code i + 1} times, where {@code i} is its position in {@link #NAMES}. */
    private static void bumpEachByItsPosition(GateMetrics m) {
        Runnable[] increments = {() -> m.validation(1_000), m::cacheHit, m::refreshOk, m::refreshRefused, m::refreshFailed,
            m::dedupWait, m::graceHit, m::guestMint, () -> m.denial(GateMetrics.Refusal.UNAUTHENTICATED), m::unavailable, m::badRequest, m::csrfRejection,
            m::securityStoreFull, m::stateStoreUnavailable, m::revoked};
        for (int i = 0; i < increments.length; i++) {
            for (int n = 0; n <= i; n++) {
                increments[i].run();
            }
        }
    }

    @Test
    void eachIncrementBumpsItsOwnCounterOnly() {
        GateMetrics m = new GateMetrics();
        bumpEachByItsPosition(m);
        long[] got = {m.getValidations(), m.getCacheHits(), m.getRefreshesOk(), m.getRefreshesRefused(),
            m.getRefreshesFailed(), m.getDedupWaits(), m.getGraceHits(), m.getGuestMints(), m.getDenials(),
            m.getUnavailable(), m.getBadRequests(), m.getCsrfRejections(), m.getSecurityStoreFull(),
            m.getStateStoreUnavailable(), m.getRevoked()};
        for (int i = 0; i < got.length; i++) {
            assertEquals(i + 1, got[i], NAMES.get(i));
        }
    }

    @Test
    void snapshotNamesEveryCounterInAFixedOrderAndIsACopy() {
        GateMetrics m = new GateMetrics();
        bumpEachByItsPosition(m);
        Map<String, Long> snapshot = m.snapshot();
        assertEquals(NAMES, List.copyOf(snapshot.keySet()));
        for (int i = 0; i < NAMES.size(); i++) {
            assertEquals(i + 1L, snapshot.get(NAMES.get(i)), NAMES.get(i));
        }
        m.denial(GateMetrics.Refusal.UNAUTHENTICATED);
        assertEquals(9L, snapshot.get("denials"), "a snapshot does not move");
        assertThrows(UnsupportedOperationException.class, () -> snapshot.put("denials", 0L));
        assertTrue(m.toString().contains("denials=10"));
    }

    @Test
    void startTimeComesFromTheClock() {
        Instant start = Instant.parse("2030-01-02T03:04:05Z");
        assertEquals(start, new GateMetrics(Clock.fixed(start, ZoneOffset.UTC)).getStartTime());
    }

    @Test
    void countersAreExactUnderConcurrency() throws Exception {
        int threads = 8;
        int perThread = 10_000;
        GateMetrics m = new GateMetrics();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < perThread; i++) {
                        m.validation(1_000);
                        m.cacheHit();
                        m.refreshOk();
                        m.refreshRefused();
                        m.refreshFailed();
                        m.dedupWait();
                        m.graceHit();
                        m.guestMint();
                        m.denial(GateMetrics.Refusal.UNAUTHENTICATED);
                        m.unavailable();
                        m.badRequest();
                        m.csrfRejection();
                        m.securityStoreFull();
                        m.stateStoreUnavailable();
                        m.revoked();
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        long expected = (long) threads * perThread;
        m.snapshot().forEach((name, value) -> assertEquals(expected, value, name));
    }
}

package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.web.LoginLimiter.Status;
import io.github.sessiongate.web.LoginLimiter.Ticket;
import io.github.sessiongate.web.LoginLimiter.Waiter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionService;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorCompletionService;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Attempts in flight: they never give a 429 to anyone who has not failed, yet a burst never gets
 * more backend calls than the limit, because an attempt without room waits (bounded in time and in
 * number) for those in flight to end. Threads and latches; nobody sleeps.
 */
class LoginLimiterInFlightTest {
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private static final Duration LONG_WAIT = Duration.ofSeconds(30);
    private static final String ADDRESS = "203.0.113.7";

    private final MutableClock clock = new MutableClock();
    private final ExecutorService pool = Executors.newCachedThreadPool();

    @AfterEach
    void stopThreads() {
        pool.shutdownNow();
    }

    /** A limiter (pair limit {@code maxFailures}, address ceiling 5 times that) whose waits announce themselves. */
    private LoginLimiter limiter(int maxFailures, int maxWaiting, CountDownLatch waits) {
        Waiter announcing = (released, nanos) -> {
            waits.countDown(); // the lock is held here: whoever ends an attempt next signals this waiter
            return released.awaitNanos(nanos);
        };
        return new LoginLimiter(maxFailures, LoginLimiter.ADDRESS_FACTOR * maxFailures, WINDOW, Duration.ZERO, 1000, clock,
                maxWaiting, announcing);
    }

    private static List<Ticket> inFlight(LoginLimiter limiter, int count, String userPrefix) {
        List<Ticket> tickets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Ticket t = limiter.begin(userPrefix + i, ADDRESS);
            assertEquals(Status.GRANTED, t.status(), "attempt " + i);
            tickets.add(t);
        }
        return tickets;
    }

    private static Ticket get(Future<Ticket> f) throws Exception {
        return f.get(20, TimeUnit.SECONDS);
    }

    @Test
    void twentyFiveAttemptsInFlightGiveTheTwentySixthUserNo429() {
        LoginLimiter limiter = limiter(5, 16, new CountDownLatch(0)); // address ceiling 25
        List<Ticket> held = inFlight(limiter, 25, "user");
        assertEquals(0, limiter.retryAfterSeconds("newcomer", ADDRESS), "nobody has failed: nothing to wait for");
        try (Ticket t = limiter.begin("newcomer", ADDRESS)) {
            assertEquals(Status.BUSY, t.status(), "no room now, and no time to wait: transient, never LIMITED");
            assertEquals(1, t.retryAfterSeconds());
        }
        held.forEach(Ticket::close);
        assertEquals(0, limiter.size(), "nothing was recorded for anyone");
    }

    @Test
    void anAttemptWithoutRoomWaitsAndIsGrantedWhenAnAttemptInFlightEnds() throws Exception {
        CountDownLatch waits = new CountDownLatch(1);
        LoginLimiter limiter = limiter(5, 16, waits);
        List<Ticket> held = inFlight(limiter, 25, "user");
        Future<Ticket> newcomer = pool.submit(() -> limiter.begin("newcomer", ADDRESS, LONG_WAIT));
        assertTrue(waits.await(20, TimeUnit.SECONDS), "the 26th waits for room");
        assertEquals(1, limiter.waiting());
        held.get(0).succeeded();
        held.get(0).close();
        try (Ticket t = get(newcomer)) {
            assertEquals(Status.GRANTED, t.status(), "the room freed by the ended attempt");
        }
        assertEquals(0, limiter.waiting());
        held.forEach(Ticket::close);
    }

    @Test
    void aWaiterIsLimitedOnceTheAttemptsItWaitedForHaveFailedAndNoMoreFailuresThanTheLimitAreRecorded() throws Exception {
        CountDownLatch waits = new CountDownLatch(1);
        LoginLimiter limiter = limiter(3, 16, waits);
        List<Ticket> held = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            held.add(limiter.begin("alice", ADDRESS));
        }
        Future<Ticket> fourth = pool.submit(() -> limiter.begin("alice", ADDRESS, LONG_WAIT));
        assertTrue(waits.await(20, TimeUnit.SECONDS));
        for (Ticket t : held) {
            t.failed();
            t.close(); // after the first, one failure and two in flight still leave no room: it waits on
        }
        try (Ticket t = get(fourth)) {
            assertEquals(Status.LIMITED, t.status(), "three recorded failures: now a 429");
            assertEquals(300, t.retryAfterSeconds(), "until the window ends");
        }
        assertEquals(Status.GRANTED, limiter.begin("bob", ADDRESS).status(), "bob never failed here");
    }

    @Test
    void noRoomAtTheEndOfTheWaitIsBusyAndRecordsNothing() {
        AtomicInteger waited = new AtomicInteger();
        LoginLimiter limiter = new LoginLimiter(1, 5, WINDOW, Duration.ZERO, 1000, clock, 16, (released, nanos) -> {
            waited.incrementAndGet();
            return 0; // the time is up
        });
        Ticket held = limiter.begin("alice", ADDRESS);
        try (Ticket t = limiter.begin("alice", ADDRESS, LONG_WAIT)) {
            assertEquals(Status.BUSY, t.status());
            assertTrue(t.retryAfterSeconds() >= 1);
        }
        assertEquals(1, waited.get(), "it did wait, once, for the time it was given");
        assertEquals(0, limiter.waiting());
        held.close();
        assertEquals(0, limiter.retryAfterSeconds("alice", ADDRESS), "a busy answer records no failure");
        assertEquals(0, limiter.size());
    }

    @Test
    void theNumberOfWaitersIsBoundedAndOverTheBoundIsBusyAtOnce() throws Exception {
        CountDownLatch waits = new CountDownLatch(2);
        LoginLimiter limiter = limiter(1, 2, waits);
        Ticket held = limiter.begin("alice", ADDRESS);
        CompletionService<Ticket> waiters = new ExecutorCompletionService<>(pool);
        waiters.submit(() -> limiter.begin("alice", ADDRESS, LONG_WAIT));
        waiters.submit(() -> limiter.begin("alice", ADDRESS, LONG_WAIT));
        assertTrue(waits.await(20, TimeUnit.SECONDS), "two wait");
        assertEquals(2, limiter.waiting());
        try (Ticket third = limiter.begin("alice", ADDRESS, LONG_WAIT)) {
            assertEquals(Status.BUSY, third.status(), "a third would park a thread more: refused at once");
        }
        held.close();
        for (int i = 0; i < 2; i++) { // one at a time: the pair has room for one attempt in flight
            try (Ticket t = get(waiters.take())) {
                assertEquals(Status.GRANTED, t.status());
            }
        }
        assertEquals(0, limiter.waiting());
        assertEquals(0, limiter.size());
    }

    @Test
    void anInterruptEndsTheWaitAsBusyAndIsKept() {
        LoginLimiter limiter = new LoginLimiter(1, 5, WINDOW, Duration.ZERO, 1000, clock, 16, (released, nanos) -> {
            throw new InterruptedException();
        });
        try (Ticket held = limiter.begin("alice", ADDRESS); Ticket t = limiter.begin("alice", ADDRESS, LONG_WAIT)) {
            assertEquals(Status.BUSY, t.status());
            assertTrue(Thread.interrupted(), "the interrupt is kept (and cleared here)");
        }
        assertEquals(0, limiter.waiting());
    }

    @Test
    void aBurstOfParallelGuessesGetsExactlyTheLimitOfBackendCalls() throws Exception {
        LoginLimiter limiter = new LoginLimiter(5, 25, WINDOW, Duration.ZERO, 1000, clock);
        int threads = 40;
        CyclicBarrier start = new CyclicBarrier(threads);
        AtomicInteger backendCalls = new AtomicInteger();
        List<Future<Status>> results = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            results.add(pool.submit(() -> {
                start.await();
                try (Ticket t = limiter.begin("alice", ADDRESS, LONG_WAIT)) {
                    if (t.status() == Status.GRANTED) {
                        backendCalls.incrementAndGet();
                        t.failed();
                    }
                    return t.status();
                }
            }));
        }
        int granted = 0;
        for (Future<Status> f : results) {
            Status s = f.get(20, TimeUnit.SECONDS);
            assertTrue(s == Status.GRANTED || s == Status.LIMITED || s == Status.BUSY, s::toString);
            granted += s == Status.GRANTED ? 1 : 0;
        }
        assertEquals(5, granted, "exactly login-max-failures guesses, however many fire at once");
        assertEquals(5, backendCalls.get());
        assertEquals(300, limiter.retryAfterSeconds("alice", ADDRESS), "the pair is limited by its five failures");
        assertEquals(0, limiter.retryAfterSeconds("bob", ADDRESS), "five failures are within the address ceiling");
        assertEquals(0, limiter.waiting());
    }
}

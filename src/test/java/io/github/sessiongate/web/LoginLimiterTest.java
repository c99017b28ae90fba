package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.sessiongate.testing.MutableClock;
import io.github.sessiongate.web.LoginLimiter.Status;
import io.github.sessiongate.web.LoginLimiter.Ticket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The login limiter's rules, on a fixed clock. */
class LoginLimiterTest {
    private static final Duration WINDOW = Duration.ofMinutes(5);
    private final MutableClock clock = new MutableClock();

    private LoginLimiter limiter(int maxFailures, int maxTracked) {
        return new LoginLimiter(maxFailures, LoginLimiter.ADDRESS_FACTOR * maxFailures, WINDOW, Duration.ofSeconds(2),
                maxTracked, clock);
    }

    /** One whole attempt that the backend rejects; asserts it was granted. */
    private static void fail(LoginLimiter limiter, String user, String client) {
        try (Ticket t = limiter.begin(user, client)) {
            assertEquals(Status.GRANTED, t.status(), () -> user + " from " + client);
            t.failed();
        }
    }

    private static void succeed(LoginLimiter limiter, String user, String client) {
        try (Ticket t = limiter.begin(user, client)) {
            assertEquals(Status.GRANTED, t.status(), () -> user + " from " + client);
            t.succeeded();
        }
    }

    private static Status status(LoginLimiter limiter, String user, String client) {
        try (Ticket t = limiter.begin(user, client)) {
            return t.status();
        }
    }

    @Test
    void aPairIsLimitedAfterTooManyFailuresUntilTheWindowPasses() {
        LoginLimiter limiter = limiter(3, 100);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.retryAfterSeconds("alice", "203.0.113.7"));
            fail(limiter, "alice", "203.0.113.7");
        }
        assertEquals(300, limiter.retryAfterSeconds("alice", "203.0.113.7"));
        try (Ticket t = limiter.begin("alice", "203.0.113.7")) {
            assertEquals(Status.LIMITED, t.status());
            assertEquals(300, t.retryAfterSeconds());
        }
        assertEquals(Status.GRANTED, status(limiter, "alice", "198.51.100.1"), "the same user from another address is not limited");
        assertEquals(Status.GRANTED, status(limiter, "bob", "203.0.113.7"), "another user from the same address is not limited");
        clock.advance(Duration.ofMinutes(4));
        assertEquals(60, limiter.retryAfterSeconds("alice", "203.0.113.7"));
        clock.advance(Duration.ofMinutes(1));
        assertEquals(0, limiter.retryAfterSeconds("alice", "203.0.113.7"));
    }

    @Test
    void theAttackersOwnSuccessNoLongerResetsTheVictimsPair() {
        LoginLimiter limiter = limiter(5, 100);
        String attacker = "203.0.113.7";
        int victimGuesses = 0;
        for (int round = 0; round < 10; round++) {
            for (int i = 0; i < 4; i++) {
                if (status(limiter, "victim", attacker) != Status.GRANTED) {
                    break;
                }
                fail(limiter, "victim", attacker);
                victimGuesses++;
            }
            succeed(limiter, "attacker", attacker); // 4 wrong, 1 own success, repeat
        }
        assertEquals(5, victimGuesses, "the victim pair got exactly login-max-failures guesses");
        assertTrue(limiter.retryAfterSeconds("victim", attacker) > 0);
        assertEquals(0, limiter.retryAfterSeconds("attacker", attacker), "the attacker's own pair was cleared");
    }

    @Test
    void aSuccessClearsOnlyItsOwnPair() {
        LoginLimiter limiter = limiter(2, 100);
        fail(limiter, "alice", "c");
        fail(limiter, "bob", "c");
        succeed(limiter, "alice", "c");
        fail(limiter, "alice", "c");
        fail(limiter, "bob", "c");
        assertEquals(0, limiter.retryAfterSeconds("alice", "c"), "alice's earlier failure was forgotten");
        assertTrue(limiter.retryAfterSeconds("bob", "c") > 0, "bob's was not");
    }

    @Test
    void sprayingManyUsernamesFromOneAddressHitsTheAddressCeiling() {
        LoginLimiter limiter = limiter(5, 1000); // ceiling 25
        for (int i = 0; i < 25; i++) {
            fail(limiter, "user" + i, "203.0.113.7");
        }
        assertEquals(Status.LIMITED, status(limiter, "user-never-tried", "203.0.113.7"));
        assertTrue(limiter.retryAfterSeconds("alice", "203.0.113.7") > 0);
        assertEquals(Status.GRANTED, status(limiter, "user-never-tried", "203.0.113.8"), "other addresses are not affected");
    }

    @Test
    void aUsernameFailingFromManyAddressesIsDelayedButNeverRefused() {
        LoginLimiter limiter = limiter(5, 10_000);
        assertEquals(Duration.ZERO, limiter.delay("victim"));
        for (int i = 0; i < 500; i++) {
            String client = "10.0." + (i / 250) + "." + (i % 250);
            for (int j = 0; j < 4; j++) {
                fail(limiter, "victim", client);
            }
        }
        assertEquals(0, limiter.retryAfterSeconds("victim", "192.0.2.1"), "never a 429 for the username itself");
        assertEquals(Status.GRANTED, status(limiter, "victim", "192.0.2.1"));
        assertEquals(Duration.ofSeconds(2), limiter.delay("victim"), "the delay is capped");
        assertEquals(Duration.ofSeconds(2), limiter.delay(" VICTIM"), "the same username, normalised");
        assertEquals(Duration.ZERO, limiter.delay("alice"));
        clock.advance(WINDOW);
        assertEquals(Duration.ZERO, limiter.delay("victim"), "the failures expire with the window");
    }

    @Test
    void theUsernameDelayStartsAtThePairLimitAndDoubles() {
        LoginLimiter limiter = limiter(3, 1000);
        List<Duration> delays = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            delays.add(limiter.delay("victim"));
            fail(limiter, "victim", "10.0.0." + i);
        }
        assertEquals(List.of(Duration.ZERO, Duration.ZERO, Duration.ZERO, Duration.ofMillis(250), Duration.ofMillis(500),
                Duration.ofSeconds(1), Duration.ofSeconds(2)), delays);
        assertEquals(Duration.ofSeconds(2), limiter.delay("victim"), "capped at maxDelay");
        LoginLimiter noDelay = new LoginLimiter(3, 15, WINDOW, Duration.ZERO, 1000, clock);
        for (int i = 0; i < 7; i++) {
            fail(noDelay, "victim", "10.0.0." + i);
        }
        assertEquals(Duration.ZERO, noDelay.delay("victim"), "a zero maxDelay turns the delay off");
    }

    @Test
    void parallelAttemptsCannotAllSlipPastTheCheck() {
        LoginLimiter limiter = limiter(3, 100);
        List<Ticket> inFlight = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            Ticket t = limiter.begin("alice", "c");
            assertEquals(Status.GRANTED, t.status(), "attempt " + i + " is reserved");
            inFlight.add(t);
        }
        try (Ticket fourth = limiter.begin("alice", "c")) {
            assertEquals(Status.BUSY, fourth.status(), "a fourth attempt in flight gets no room, yet no 429: nobody has failed");
            assertEquals(1, fourth.retryAfterSeconds(), "attempts in flight alone refuse only briefly");
        }
        assertEquals(0, limiter.retryAfterSeconds("alice", "c"), "attempts in flight are not failures");
        assertEquals(Status.GRANTED, status(limiter, "bob", "c"), "attempts in flight for alice do not hold bob back");
        inFlight.get(0).failed();
        inFlight.get(0).close();
        assertEquals(Status.BUSY, status(limiter, "alice", "c"), "one failure plus two in flight still fill the bound");
        inFlight.get(1).close();
        inFlight.get(2).close();
        assertEquals(Status.GRANTED, status(limiter, "alice", "c"), "one failure and nothing in flight leave room");
    }

    @Test
    void manyThreadsAtOnceGetNoMoreReservationsThanTheBound() throws Exception {
        LoginLimiter limiter = limiter(5, 1000); // pair 5, address 25
        int threads = 36; // 16 for alice, 20 for other users: the bounds (5 and 25) are met exactly whatever the order
        java.util.concurrent.CyclicBarrier start = new java.util.concurrent.CyclicBarrier(threads);
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
        try {
            List<java.util.concurrent.Future<Ticket>> futures = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                String user = i < 16 ? "alice" : "user" + i;
                futures.add(pool.submit(() -> {
                    start.await();
                    return limiter.begin(user, "203.0.113.7");
                }));
            }
            List<Ticket> tickets = new ArrayList<>();
            for (java.util.concurrent.Future<Ticket> f : futures) {
                tickets.add(f.get(10, java.util.concurrent.TimeUnit.SECONDS));
            }
            long alice = 0;
            long granted = tickets.stream().filter(t -> t.status() == Status.GRANTED).count();
            for (int i = 0; i < 16; i++) {
                alice += tickets.get(i).status() == Status.GRANTED ? 1 : 0;
            }
            assertEquals(5, alice, "alice's pair: exactly login-max-failures reservations");
            assertEquals(25, granted, "the address: exactly its ceiling");
            tickets.forEach(Ticket::close);
            assertEquals(0, limiter.size(), "no failures, nothing in flight: nothing kept");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void parallelSprayingCannotSlipPastTheAddressCeiling() {
        LoginLimiter limiter = limiter(2, 1000); // ceiling 10
        List<Ticket> inFlight = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Ticket t = limiter.begin("user" + i, "c");
            assertEquals(Status.GRANTED, t.status());
            inFlight.add(t);
        }
        assertEquals(Status.BUSY, status(limiter, "user-10", "c"), "no room, but no 429 for a user who never failed");
        inFlight.forEach(t -> {
            t.failed();
            t.close();
        });
        assertEquals(300, limiter.retryAfterSeconds("user-10", "c"));
    }

    @Test
    void usernamesAreNormalisedNfkcCaseFoldedAndTrimmed() {
        assertEquals("alice", LoginLimiter.normaliseUsername("ＡＬＩＣＥ "));
        assertEquals("alice", LoginLimiter.normaliseUsername("\tAlice\u3000"));
        assertEquals("", LoginLimiter.normaliseUsername(null));
        LoginLimiter limiter = limiter(3, 100);
        fail(limiter, "ＡＬＩＣＥ ", "c");
        fail(limiter, "Alice", "c");
        fail(limiter, " alice", "c");
        assertTrue(limiter.retryAfterSeconds("alice", "c") > 0, "three spellings, one pair");
    }

    @Test
    void ipv6ClientsAreGroupedByTheirSlash64AndMappedIpv4IsIpv4() {
        assertEquals("2001:db8:0:1::/64", LoginLimiter.addressKey("2001:db8:0:1:aaaa:bbbb:cccc:dddd"));
        assertEquals("2001:db8:0:1::/64", LoginLimiter.addressKey("[2001:DB8::1:0:0:0:1]"));
        assertEquals("2001:db8:0:1::/64", LoginLimiter.addressKey("2001:db8:0:1::2%eth0"));
        assertEquals("192.0.2.1", LoginLimiter.addressKey("::ffff:192.0.2.1"));
        assertEquals("192.0.2.1", LoginLimiter.addressKey(" 192.0.2.1 "));
        for (String odd : new String[] {null, "", "-", "unknown", "::::", "1.2.3", "999.1.1.1", "[", "[]", "%", "[::1",
                "fe80::1%", "a".repeat(10_000), "2001:db8::g"}) {
            String key = LoginLimiter.addressKey(odd);
            assertTrue(key.startsWith("?") || key.contains("/64") || key.contains("."), () -> odd + " -> " + key);
        }
        LoginLimiter limiter = limiter(3, 100);
        fail(limiter, "alice", "2001:db8:0:1::1");
        fail(limiter, "alice", "2001:db8:0:1::2");
        fail(limiter, "alice", "2001:db8:0:1:ffff::3");
        assertTrue(limiter.retryAfterSeconds("alice", "2001:db8:0:1::9") > 0, "one /64, one address");
        assertEquals(0, limiter.retryAfterSeconds("alice", "2001:db8:0:2::1"), "another /64 is another address");
    }

    @Test
    void aFullTableEvictsEntriesWithoutFailuresFirstAndNeverAnAddressWithFailures() {
        LoginLimiter limiter = new LoginLimiter(2, 4, WINDOW, Duration.ofSeconds(2), 30, clock);
        fail(limiter, "old", "198.51.100.1"); // 3 entries, expired below
        clock.advance(WINDOW);
        for (int i = 0; i < 9; i++) {
            fail(limiter, "user" + i, "10.0.0." + i); // 27 live entries: pair, address and username each
        }
        assertEquals(30, limiter.size());
        fail(limiter, "user9", "10.0.0.9"); // needs 3: the expired entries go first, nothing with failures
        for (int i = 0; i < 10; i++) {
            fail(limiter, "user" + i, "10.0.0." + i);
            assertTrue(limiter.retryAfterSeconds("user" + i, "10.0.0." + i) > 0, "user" + i + "'s pair still counts");
            assertEquals(Duration.ofMillis(250), limiter.delay("user" + i), "user" + i + "'s username entry still counts");
        }
        // From here on every new pair makes room by evicting username, then pair entries, never an address.
        fail(limiter, "new", "10.0.1.1");
        for (int i = 0; i < 10; i++) {
            fail(limiter, "other", "10.0.0." + i);
            fail(limiter, "another", "10.0.0." + i);
        }
        assertTrue(limiter.size() <= 30);
        for (int i = 0; i < 10; i++) {
            assertEquals(Status.LIMITED, status(limiter, "yet-another", "10.0.0." + i),
                    "address 10.0.0." + i + " is still counted: its 4 failures reach the ceiling");
        }
    }

    @Test
    void aTableFullOfAddressesWithFailuresRefusesNewAttemptsRatherThanFailOpen() {
        LoginLimiter limiter = new LoginLimiter(1, 1, WINDOW, Duration.ofSeconds(2), 6, clock);
        for (int i = 1; i <= 4; i++) {
            fail(limiter, "user" + i, "10.0.0." + i);
        }
        try (Ticket t = limiter.begin("user5", "10.0.0.5")) {
            assertEquals(Status.FULL, t.status(), "only addresses with failures are left: no room, and no unlimited guess");
            assertTrue(t.retryAfterSeconds() >= 1);
        }
        for (int i = 1; i <= 4; i++) {
            assertTrue(limiter.retryAfterSeconds("anyone", "10.0.0." + i) > 0, "address " + i + " is never forgotten");
        }
        clock.advance(WINDOW);
        assertEquals(Status.GRANTED, status(limiter, "user5", "10.0.0.5"), "expired failures make room again");
    }

    @Test
    void zeroDisablesTheLimiter() {
        LoginLimiter limiter = new LoginLimiter(0, 0, WINDOW, Duration.ofSeconds(2), 10, clock);
        for (int i = 0; i < 100; i++) {
            fail(limiter, "alice", "c");
        }
        assertEquals(0, limiter.retryAfterSeconds("alice", "c"));
        assertEquals(Duration.ZERO, limiter.delay("alice"));
        assertEquals(0, limiter.size());
    }
}

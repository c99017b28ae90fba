package io.github.sessiongate.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LoginLimiterTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public Instant instant() {
            return now.get();
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    };

    @Test
    void clientIsSlowedAfterTooManyFailuresUntilTheWindowPasses() {
        LoginLimiter limiter = new LoginLimiter(3, Duration.ofMinutes(5), 100, clock);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.retryAfterSeconds("203.0.113.7"));
            limiter.failed("203.0.113.7");
        }
        assertEquals(300, limiter.retryAfterSeconds("203.0.113.7"));
        assertEquals(0, limiter.retryAfterSeconds("198.51.100.1"), "other clients are not affected");
        now.set(now.get().plus(Duration.ofMinutes(4)));
        assertEquals(60, limiter.retryAfterSeconds("203.0.113.7"));
        now.set(now.get().plus(Duration.ofMinutes(1)));
        assertEquals(0, limiter.retryAfterSeconds("203.0.113.7"));
    }

    @Test
    void parallelAttemptsCannotAllSlipPastTheCheck() {
        LoginLimiter limiter = new LoginLimiter(3, Duration.ofMinutes(5), 100, clock);
        for (int i = 0; i < 3; i++) {
            assertEquals(0, limiter.begin("c"), "attempt " + i + " is reserved");
        }
        assertTrue(limiter.begin("c") > 0, "a fourth attempt in flight is refused before any failure is counted");
        limiter.failed("c");
        limiter.end("c");
        assertTrue(limiter.begin("c") > 0, "one failure plus two in flight still fill the bound");
        limiter.end("c");
        limiter.end("c");
        assertEquals(0, limiter.begin("c"), "one failure and nothing in flight leave room");
    }

    @Test
    void successClearsTheCount() {
        LoginLimiter limiter = new LoginLimiter(2, Duration.ofMinutes(5), 100, clock);
        limiter.failed("c");
        limiter.succeeded("c");
        limiter.failed("c");
        assertEquals(0, limiter.retryAfterSeconds("c"));
    }

    @Test
    void aFloodOfAddressesCannotGrowTheTableButNeverLocksAnyoneOutWrongly() {
        LoginLimiter limiter = new LoginLimiter(1, Duration.ofMinutes(5), 10, clock);
        for (int i = 0; i < 1000; i++) {
            limiter.failed("10.0.0." + i);
        }
        assertTrue(limiter.retryAfterSeconds("10.0.0.999") == 0, "an untracked address is never refused");
        assertTrue(limiter.retryAfterSeconds("10.0.0.1") > 0, "tracked ones still are");
    }

    @Test
    void zeroDisablesTheLimiter() {
        LoginLimiter limiter = new LoginLimiter(0, Duration.ofMinutes(5), 10, clock);
        for (int i = 0; i < 100; i++) {
            limiter.failed("c");
        }
        assertEquals(0, limiter.retryAfterSeconds("c"));
    }
}

package io.github.sessiongate.web;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.Semaphore;

/**
 * Serves the {@linkplain LoginLimiter#delay delay} of a username under attack before its login
 * reaches the backend, without letting the delay tie up the container's threads: a delay is short
 * (capped by {@code login-username-max-delay}, 2 s by default) and at most {@code maxConcurrent}
 * requests wait at once. When that many already wait, the attempt goes ahead at once: the delay is
 * a brake on a username guessed from many addresses, not a limit (the per-pair and per-address
 * counts are), and refusing instead would let anyone lock a victim out, which the limiter never
 * does. Thread-safe.
 */
public final class LoginDelay {
    /** Requests the filter lets wait at once. */
    public static final int DEFAULT_MAX_CONCURRENT = 16;

    /** How the wait is spent; a seam for tests, which never sleep. */
    @FunctionalInterface
    public interface Sleeper {
        /** The thread's own sleep. */
        Sleeper THREAD = d -> Thread.sleep(d.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final Semaphore slots;
    private final Sleeper sleeper;

    /**
     * @param maxConcurrent requests that may wait at once
     * @param sleeper how to wait
     */
    public LoginDelay(int maxConcurrent, Sleeper sleeper) {
        this.slots = new Semaphore(Math.max(1, maxConcurrent));
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * Waits for the delay if a slot is free; returns whether it waited. An interrupt ends the wait
     * early (the interrupt is kept).
     */
    public boolean pause(Duration delay) {
        if (delay.isZero() || delay.isNegative() || !slots.tryAcquire()) {
            return false;
        }
        try {
            sleeper.sleep(delay);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            slots.release();
        }
    }
}

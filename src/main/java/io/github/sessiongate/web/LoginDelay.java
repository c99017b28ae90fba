package io.github.sessiongate.web;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;

/**
 * Serves the {@linkplain LoginLimiter#delay delay} of a username under attack before its login
 * reaches the backend, without letting the delay tie up the container's threads: a delay is short
 * (capped by {@code login-username-max-delay}, 2 s by default) and at most {@code maxConcurrent}
 * requests wait at once. When that many already wait, the attempt is refused transiently (the
 * caller answers 503 with {@code Retry-After}): going ahead undelayed would let a burst bypass the
 * delay, and a 503 locks nobody out (it records no failure and ends as soon as a slot is free).
 * One client address holds at most {@code maxPerKey} of the slots, whatever usernames it tries,
 * so no one address can take them all: pinning every slot takes attempts kept in flight from
 * several addresses at once (8 with the defaults); that remaining limit is in the README.
 * Thread-safe.
 */
public final class LoginDelay {
    /** Requests the filter lets wait at once. */
    public static final int DEFAULT_MAX_CONCURRENT = 16;
    /** Slots one client address may hold at once. */
    public static final int DEFAULT_MAX_PER_KEY = 2;

    /** How the wait is spent; a seam for tests, which never sleep. */
    @FunctionalInterface
    public interface Sleeper {
        /** The thread's own sleep. */
        Sleeper THREAD = d -> Thread.sleep(d.toMillis());

        void sleep(Duration duration) throws InterruptedException;
    }

    private final Semaphore slots;
    private final int maxPerKey;
    private final ConcurrentHashMap<String, Integer> held = new ConcurrentHashMap<>();
    private final Sleeper sleeper;

    /**
     * @param maxConcurrent requests that may wait at once
     * @param sleeper how to wait
     */
    public LoginDelay(int maxConcurrent, Sleeper sleeper) {
        this(maxConcurrent, maxConcurrent, sleeper);
    }

    /**
     * @param maxConcurrent requests that may wait at once
     * @param maxPerKey of those, how many one key (a client address) may hold
     * @param sleeper how to wait
     */
    public LoginDelay(int maxConcurrent, int maxPerKey, Sleeper sleeper) {
        this.slots = new Semaphore(Math.max(1, maxConcurrent));
        this.maxPerKey = Math.max(1, maxPerKey);
        this.sleeper = Objects.requireNonNull(sleeper, "sleeper");
    }

    /**
     * As {@link #pause(Duration)}, for one key (the client's address, an IPv6 one by its /64):
     * {@code false} also when that key already holds its share of the slots.
     */
    public boolean pause(String key, Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return true;
        }
        boolean[] taken = {false};
        held.compute(key, (k, n) -> {
            int now = n == null ? 0 : n;
            if (now >= maxPerKey) {
                return n;
            }
            taken[0] = true;
            return now + 1;
        });
        if (!taken[0]) {
            return false;
        }
        try {
            return pause(delay);
        } finally {
            held.computeIfPresent(key, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    /**
     * Serves the delay: returns {@code true} once it has been waited out (at once for no delay),
     * {@code false} if it could not be: every slot is taken, or an interrupt ended the wait early
     * (the interrupt is kept). On {@code false} the attempt must not go ahead.
     */
    public boolean pause(Duration delay) {
        if (delay.isZero() || delay.isNegative()) {
            return true;
        }
        if (!slots.tryAcquire()) {
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

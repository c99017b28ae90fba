package io.github.sessiongate.web;

import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Slows repeated failed logins from one client address: after {@code maxFailures} failures within
 * {@code window}, further attempts from that address are refused (429 with {@code Retry-After})
 * until the window has passed since the first counted failure. A success clears the address.
 *
 * <p>Bounded: at most {@code maxTracked} addresses are tracked; when full, stale entries are
 * swept, and if it is still full a new address is not tracked (it is never refused for that), so a
 * flood of addresses cannot grow memory. Thread-safe; time from the clock.
 */
public final class LoginLimiter {
    private record Window(long startMillis, int failures, int inFlight) {
    }

    private final int maxFailures;
    private final long windowMillis;
    private final int maxTracked;
    private final Clock clock;
    private final ConcurrentHashMap<String, Window> failures = new ConcurrentHashMap<>();

    /**
     * @param maxFailures failures allowed within the window; 0 disables the limiter
     * @param window how long failures are counted
     * @param maxTracked addresses tracked at most
     * @param clock the time source
     */
    public LoginLimiter(int maxFailures, Duration window, int maxTracked, Clock clock) {
        this.maxFailures = maxFailures;
        this.windowMillis = window.toMillis();
        this.maxTracked = maxTracked;
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Reserves an attempt for the client: 0 if it may try now (then call {@link #end} when done),
     * else the seconds it must wait. Failures counted plus attempts in flight never exceed the
     * bound, so parallel requests cannot all slip past the check before any failure is counted.
     */
    public long begin(String client) {
        if (maxFailures <= 0) {
            return 0;
        }
        long now = clock.millis();
        long[] wait = {0};
        if (failures.size() >= maxTracked && !failures.containsKey(client)) {
            failures.entrySet().removeIf(e -> now - e.getValue().startMillis() >= windowMillis && e.getValue().inFlight() == 0);
            if (failures.size() >= maxTracked) {
                return 0; // untracked: never refused for that
            }
        }
        failures.compute(client, (k, w) -> {
            Window current = w == null || now - w.startMillis() >= windowMillis && w.inFlight() == 0
                    ? new Window(now, 0, 0) : w;
            if (current.failures() + current.inFlight() >= maxFailures) {
                wait[0] = Math.max(1, (current.startMillis() + windowMillis - now + 999) / 1000);
                return current;
            }
            return new Window(current.startMillis(), current.failures(), current.inFlight() + 1);
        });
        return wait[0];
    }

    /** Ends an attempt {@link #begin} reserved (after {@link #failed} or {@link #succeeded}, or neither). */
    public void end(String client) {
        if (maxFailures <= 0) {
            return;
        }
        failures.computeIfPresent(client, (k, w) -> w.inFlight() > 0
                ? new Window(w.startMillis(), w.failures(), w.inFlight() - 1) : w);
    }

    /** Seconds the client must wait before trying again, or 0 if it may try now. */
    public long retryAfterSeconds(String client) {
        if (maxFailures <= 0) {
            return 0;
        }
        Window w = failures.get(client);
        long now = clock.millis();
        if (w == null || now - w.startMillis() >= windowMillis) {
            return 0;
        }
        if (w.failures() < maxFailures) {
            return 0;
        }
        return Math.max(1, (w.startMillis() + windowMillis - now + 999) / 1000);
    }

    /** Counts a failed login. */
    public void failed(String client) {
        if (maxFailures <= 0) {
            return;
        }
        long now = clock.millis();
        if (failures.size() >= maxTracked && !failures.containsKey(client)) {
            failures.entrySet().removeIf(e -> now - e.getValue().startMillis() >= windowMillis);
            if (failures.size() >= maxTracked) {
                return;
            }
        }
        failures.compute(client, (k, w) -> w == null || now - w.startMillis() >= windowMillis
                ? new Window(now, 1, w == null ? 0 : w.inFlight()) : new Window(w.startMillis(), w.failures() + 1, w.inFlight()));
    }

    /** Forgets the client's failures after a successful login (attempts in flight stay counted until they end). */
    public void succeeded(String client) {
        failures.computeIfPresent(client, (k, w) -> w.inFlight() > 0 ? new Window(clock.millis(), 0, w.inFlight()) : null);
    }
}

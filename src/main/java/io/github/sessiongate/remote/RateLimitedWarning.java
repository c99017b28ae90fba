package io.github.sessiongate.remote;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * One WARN per interval for a fault an operator must fix (such as rejected client credentials),
 * however many requests hit it; the next WARN says how many were left out. Time comes from the
 * injected clock. Thread-safe.
 */
public final class RateLimitedWarning {
    private final Logger log;
    private final Clock clock;
    private final long intervalMillis;
    private final String message;
    private final AtomicLong nextAllowed = new AtomicLong(Long.MIN_VALUE);
    private final AtomicLong suppressed = new AtomicLong();

    /**
     * @param message the fixed text, with one {@code {}} for the endpoint; never a secret
     */
    public RateLimitedWarning(Logger log, Clock clock, Duration interval, String message) {
        this.log = log;
        this.clock = clock;
        this.intervalMillis = interval.toMillis();
        this.message = message;
    }

    /**
     * Logs the warning unless one was logged within the interval. Serialised: it runs only on a
     * fault, and the count of left-out warnings must belong to exactly one window.
     */
    public synchronized void warn(Object endpoint) {
        long now = clock.millis();
        long next = nextAllowed.get();
        if (now >= next && nextAllowed.compareAndSet(next, now + intervalMillis)) {
            long left = suppressed.getAndSet(0);
            if (left > 0) {
                log.warn(message + " ({} similar warnings left out since the last)", endpoint, left);
            } else {
                log.warn(message, endpoint);
            }
        } else {
            suppressed.incrementAndGet();
            log.debug(message, endpoint);
        }
    }
}

package io.github.sessiongate.internal;

import java.time.Clock;
import java.time.Duration;
import org.slf4j.Logger;

/**
 * One WARN per interval for a fault an operator must fix (such as rejected client credentials or a
 * full security store), however many requests hit it; the next WARN says how many were left out,
 * the ones left out go to DEBUG. Time comes from the injected clock. Thread-safe. Internal; not for
 * application code.
 */
public final class RateLimitedWarning {
    private final Logger log;
    private final Throttle throttle;
    private final String message;

    /**
     * @param message the fixed text, with one {@code {}} for the endpoint; never a secret
     */
    public RateLimitedWarning(Logger log, Clock clock, Duration interval, String message) {
        this.log = log;
        this.throttle = new Throttle(clock, interval);
        this.message = message;
    }

    /** Logs the warning unless one was logged within the interval. */
    public void warn(Object endpoint) {
        long left = throttle.pass();
        if (left == Throttle.HELD) {
            log.debug(message, endpoint);
        } else if (left > 0) {
            log.warn(message + " ({} similar warnings left out since the last)", endpoint, left);
        } else {
            log.warn(message, endpoint);
        }
    }
}

package io.github.sessiongate;

import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.audit.AuditLog.Event;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits the session-shaped cookie names a request carried that the filter ignored
 * ({@link SessionCookies#ignoredSummary()}): at most one {@link Event#IGNORED_COOKIE} event per
 * {@link #INTERVAL}, however many requests carry them, so a flood of planted cookies cannot flood the
 * audit log; the next event says how many requests were left out. Names only, never a value. Time
 * comes from the injected clock. Thread-safe.
 */
final class IgnoredCookieAudit {
    private static final Logger LOG = LoggerFactory.getLogger(IgnoredCookieAudit.class);

    /** At most one event per this interval. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final AuditLog audit;
    private final Clock clock;
    private long nextAllowed = Long.MIN_VALUE;
    private long leftOut;

    IgnoredCookieAudit(AuditLog audit, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /** Records the event for this request's ignored names, unless one was recorded within the interval. */
    void report(SessionCookies cookies, String path, String client) {
        if (!cookies.hasIgnored()) {
            return;
        }
        long left;
        synchronized (this) {
            long now = clock.millis();
            if (now < nextAllowed && nextAllowed - now <= INTERVAL.toMillis()) {
                leftOut++;
                LOG.debug("ignored session-shaped cookie names on {}; audit event left out", path);
                return;
            }
            nextAllowed = now + INTERVAL.toMillis();
            left = leftOut;
            leftOut = 0;
        }
        String reason = (left > 0 ? left + " similar requests left out since the last; " : "") + cookies.ignoredSummary();
        audit.record(Event.IGNORED_COOKIE, reason, path, client, null);
    }
}

package io.github.sessiongate.engine;

import io.github.sessiongate.CookieSettings;
import io.github.sessiongate.cookie.SessionCookies;
import io.github.sessiongate.audit.AuditLog;
import io.github.sessiongate.AuditEvent.Event;
import io.github.sessiongate.internal.Throttle;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Audits the session-shaped cookie names a request carried that the filter ignored
 * ({@link SessionCookies#ignoredSummary()}): at most one {@link Event#IGNORED_COOKIE} event per
 * {@link #INTERVAL}, however many requests carry them, so a flood of planted cookies cannot flood the
 * audit log; the next event says how many requests were left out ({@link Throttle}). A name that is
 * the other prefix form of one of ours gets a hint naming the setting that would read it
 * ({@link PrefixFormHint}). Names only, never a value. Time comes from the injected clock. Thread-safe.
 */
final class IgnoredCookieAudit {
    private static final Logger LOG = LoggerFactory.getLogger(IgnoredCookieAudit.class);

    /** At most one event per this interval. */
    static final Duration INTERVAL = Duration.ofMinutes(1);

    private final AuditLog audit;
    private final Throttle throttle;
    private final PrefixFormHint hint;

    IgnoredCookieAudit(AuditLog audit, CookieSettings settings, Clock clock) {
        this.audit = Objects.requireNonNull(audit, "audit");
        this.hint = new PrefixFormHint(Objects.requireNonNull(settings, "settings"));
        this.throttle = new Throttle(Objects.requireNonNull(clock, "clock"), INTERVAL);
    }

    /** Records the event for this request's ignored names, unless one was recorded within the interval. */
    void report(SessionCookies cookies, String path, String client) {
        if (!cookies.hasIgnored()) {
            return;
        }
        long left = throttle.pass();
        if (left == Throttle.HELD) {
            LOG.debug("ignored session-shaped cookie names on {}; audit event left out", path);
            return;
        }
        String reason = (left > 0 ? left + " similar requests left out since the last; " : "") + cookies.ignoredSummary()
                + hint.hints(cookies.otherPrefixForms());
        audit.record(Event.IGNORED_COOKIE, reason, path, client, null);
    }
}

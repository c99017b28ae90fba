package io.github.sessiongate.audit;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One security event as an {@link AuditListener} receives it.
 *
 * <p>The token itself is never here: {@code tokenFingerprint} is its {@link Fingerprint}
 * ({@code "-"} for none), the same value the audit log line carries, so events and log lines
 * about one token can be matched.
 *
 * <p>{@code path} and {@code client} are <em>raw</em>, as the request gave them (a listener may
 * need the exact value, e.g. to block a client): they may hold line breaks, quotes, control
 * characters or several kilobytes. Pass them through {@link AuditLog#escape} before writing them
 * to a log or any other line-based sink. {@link #toString()} does that already. {@code reason}
 * is a fixed phrase chosen by the filter. A value the filter did not have is the empty string.
 *
 * @param event what happened
 * @param reason a fixed, token-free word or phrase
 * @param path the normalised request path (for {@link AuditLog.Event#BAD_PATH}, the raw request URI)
 * @param client the client address
 * @param tokenFingerprint the fingerprint of the token concerned, or {@code "-"}
 * @param at when the event was recorded, from the audit log's clock
 */
public record AuditEvent(AuditLog.Event event, String reason, String path, String client, String tokenFingerprint,
        Instant at) {

    /** All fields are required. */
    public AuditEvent {
        Objects.requireNonNull(event, "event");
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(tokenFingerprint, "tokenFingerprint");
        Objects.requireNonNull(at, "at");
    }

    /** The audit log line's fields, escaped, plus the time: safe to log as is. */
    @Override
    public String toString() {
        return "event=" + event.name().toLowerCase(Locale.ROOT) + " reason=" + AuditLog.escape(reason) + " path=\""
                + AuditLog.escape(path) + "\" client=" + AuditLog.escape(client) + " token="
                + AuditLog.escape(tokenFingerprint) + " at=" + at;
    }
}

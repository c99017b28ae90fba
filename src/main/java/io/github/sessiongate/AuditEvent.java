package io.github.sessiongate;

import java.time.Instant;
import java.util.Locale;
import java.util.Objects;

/**
 * One security event as an {@link AuditListener} receives it.
 *
 * <p>The token itself is never here: {@code tokenFingerprint} is its fingerprint (the audit log's short digest)
 * ({@code "-"} for none), the same value the audit log line carries, so events and log lines
 * about one token can be matched.
 *
 * <p>{@code path} and {@code client} are <em>raw</em>, as the request gave them (a listener may
 * need the exact value, e.g. to block a client): they may hold line breaks, quotes, control
 * characters or several kilobytes. Pass them through {@link #escape} before writing them
 * to a log or any other line-based sink. {@link #toString()} does that already. {@code reason}
 * is a phrase chosen by the filter; for {@link Event#INVALID_TOKEN} it may go on with the
 * validator's detail ({@code wrong_issuer: expected "https://a", got "https://b"}: values of a token
 * whose signature verified, each cut at 100 characters with control characters escaped; never the
 * token, and never in an HTTP answer). A value the filter did not have is the empty string.
 *
 * @param event what happened
 * @param reason a token-free word or phrase, perhaps with the validator's detail
 * @param path the normalised request path (for {@link Event#BAD_PATH}, the raw request URI)
 * @param client the client address
 * @param tokenFingerprint the fingerprint of the token concerned, or {@code "-"}
 * @param at when the event was recorded, from the audit log's clock
 */
public record AuditEvent(Event event, String reason, String path, String client, String tokenFingerprint,
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
        return "event=" + event.name().toLowerCase(Locale.ROOT) + " reason=" + escape(reason) + " path=\""
                + escape(path) + "\" client=" + escape(client) + " token="
                + escape(tokenFingerprint) + " at=" + at;
    }

    /** What happened. */
    public enum Event {
        /** A protected path was refused: see the reason. */
        DENIED,
        /** A request path failed the firewall. */
        BAD_PATH,
        /** A token was presented and refused. */
        INVALID_TOKEN,
        /** The same session cookie arrived more than once (cookie tossing). */
        DUPLICATE_COOKIE,
        /** A browser was sent to the login page. */
        LOGIN_REDIRECT,
        /** The validator or its backend gave no verdict. */
        UNAVAILABLE,
        /** Session cookies were cleared after a definitive refusal. */
        COOKIES_CLEARED,
        /** Tokens were rotated in place (the fingerprint is the old refresh token's). */
        REFRESHED,
        /** A cross-site request was refused (or, in report-only mode, would have been). */
        CSRF_REFUSED,
        /** A login through the filter's endpoint succeeded. */
        LOGIN_SUCCEEDED,
        /** A login through the filter's endpoint failed; never the password. */
        LOGIN_FAILED,
        /** A session was ended through the logout endpoint. */
        LOGOUT,
        /** A guest session was started. */
        GUEST_STARTED,
        /**
         * A request carried session-shaped cookie names the filter does not read (cookie tossing, or
         * a form left by other settings); the reason names the forms and a few names, never a value.
         * Rate-limited: one event per interval, counting the requests left out.
         */
        IGNORED_COOKIE,
        /**
         * The API proxy refused a request without forwarding it (400 path or method, 401 no session,
         * 403 role, 413 body over the cap), or the backend answered 401 to a token the filter
         * believed valid (reason {@code backend-refused-valid-token}, once per such answer).
         */
        PROXY_REFUSED,
        /** A forward of the API proxy failed: 502 (backend unreachable, bad answer), 503 (bulkhead full), 504 (timeout). */
        PROXY_FAILED
    }

    private static final int MAX_FIELD = 256;

    /** A field escaped for a log line (control and non-ASCII characters as {@code \\xNN}/{@code \\uNNNN}, bounded length); {@code -} for null. */
    public static String escape(String value) {
        if (value == null) {
            return "-";
        }
        StringBuilder out = new StringBuilder(Math.min(value.length(), MAX_FIELD) + 8);
        for (int i = 0; i < value.length(); i++) {
            if (out.length() >= MAX_FIELD) {
                out.append("...");
                break;
            }
            char c = value.charAt(i);
            if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\') {
                out.append(c);
            } else if (c < 0x100) {
                out.append(String.format("\\x%02x", (int) c));
            } else {
                out.append(String.format("\\u%04x", (int) c));
            }
        }
        return out.toString();
    }
}
